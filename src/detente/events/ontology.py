"""CAMEO codes and what derives from them: name, Goldstein, QuadClass, PLOVER type/mode/context."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from ..data import open_data
from ..errors import DataFileError
from ..model import Plover


@dataclass(frozen=True)
class Code:
    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover: Plover


@cache
def codes() -> dict[str, Code]:
    """Every CAMEO code, loaded once from data/cameo.csv and data/plover.csv."""
    plover: dict[str, Plover] = {}
    with open_data("plover.csv") as fh:
        for row in csv.DictReader(fh):
            ctx = tuple(c.strip() for c in (row["context"] or "").split(";") if c.strip())
            plover[row["cameo"]] = Plover(row["type"], row["mode"] or None, ctx)
    out: dict[str, Code] = {}
    with open_data("cameo.csv") as fh:
        for row in csv.DictReader(fh):
            code = row["code"]
            if code not in plover:
                raise DataFileError(f"data/plover.csv has no row for CAMEO {code}; add one")
            out[code] = Code(
                code, row["root"], row["name"], float(row["goldstein"]), int(row["quad_class"]), plover[code]
            )
    return out


def lookup(code: str) -> Code:
    try:
        return codes()[code]
    except KeyError:
        raise DataFileError(f"unknown CAMEO code {code!r}; see data/cameo.csv for valid codes") from None


def is_code(code: str) -> bool:
    return code in codes()
