"""What the table builders in scripts/ share: one command line (a source file, an --out table) and the CSV
files they read and write, so that every generated table is read and written the same way."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

ACTORS = Path(__file__).resolve().parent.parent / "src/detente/data/actors"


def arguments(doc: str | None, source: Path, out: Path, argv: list[str] | None) -> argparse.Namespace:
    """The builder's command line: the source to read (default: the shared copy) and the table to write."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    ap.add_argument("source", nargs="?", type=Path, default=source)
    ap.add_argument("--out", type=Path, default=out)
    return ap.parse_args(argv)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_holders(rows: list[dict[str, str]], out: Path) -> None:
    """A table of dated office holders, with the curated office_holders.csv's columns (the gazetteer reads all
    holder tables alike)."""
    with (ACTORS / "office_holders.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
