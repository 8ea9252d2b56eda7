"""What the commands share: argument types, option groups, settings from arguments, error lines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from ..errors import DetenteError
from ..output import SHOW_FORMATS
from ..settings import TABLE, Settings

T = TypeVar("T")


EPILOG = """examples:
  detente code examples/ankara-yerevan-thaw.txt --published 2026-03-14 --format table
  detente ingest articles/ --db news.db
  detente events --db news.db --dyad PAK:ISR --since 2020-01-01
  detente eval ../shared/gold/pak-isr-normalization.gold.toml
  detente actor "Pakistan's army chief" --date 2022-09-01
  detente date "in late March" --published 2023-05-20
  detente timeline PAK ISR --db news.db
  detente serve --db news.db
"""


DYAD_HELP = "only events between A and B (ISO3 codes or names: PAK:ISR, Pakistan:Israel), either way"


# The settings that change how articles are read and coded, shared by `code` and `ingest`.
CODING_SETTINGS = (
    "model",
    "coder",
    "batch_size",
    "workers",
    "max_bytes",
    "actors_file",
    "min_confidence",
    "allow_private_urls",
    "fetch_timeout",
)


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def flag(value: str) -> bool:
    low = value.lower()
    if low not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")
    return low in ("1", "true", "yes", "on")


def dyad_arg(value: str) -> tuple[str, str]:
    from ..queries import parse_dyad

    return as_argument(parse_dyad, value)


def port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {value!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, got {port}")
    return port


def side(value: str) -> str:
    from ..actors.gazetteer import country_code

    return as_argument(country_code, value)


def as_argument(parse: Callable[[str], T], value: str) -> T:
    """The API's own parser for an argument: its error says what to give, so argparse shows it as is."""
    try:
        return parse(value)
    except DetenteError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def settings_options(p: argparse.ArgumentParser, names: Sequence[str]) -> None:
    """Options generated from the settings table, so CLI, docs and API cannot drift apart."""
    group = p.add_argument_group("settings (also from --settings FILE or DETENTE_<NAME> variables)")
    group.add_argument("--settings", metavar="FILE", help="TOML file of settings")
    for s in TABLE:
        if s.name in names:
            group.add_argument(
                f"--{s.name.replace('_', '-')}",
                dest=s.name,
                type=flag if s.type is bool else s.type,
                default=None,
                metavar=s.type.__name__.upper(),
                help=f"{s.help} (default: {s.default!r})",
            )


def input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="text or HTML file, directory, glob, URL, feed, WARC, '-' for stdin, .jsonl of "
        "{id, text|html, published, ...} or .csv with a text column",
    )
    p.add_argument(
        "--published",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="publication date for inputs that carry none (anchors 'last year', 'in late March')",
    )
    p.add_argument("--source", metavar="NAME", help="publisher name for inputs that carry none")


def read_records(path: str) -> Any:
    """(line number, record) for each JSON object in a file or stdin; bad lines are reported, not fatal."""
    fh = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    try:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, {"error": f"line {n}: not valid JSON ({exc.msg})"}
                continue
            yield n, rec if isinstance(rec, dict) else {"error": f"line {n}: expected a JSON object"}
    finally:
        if fh is not sys.stdin:
            fh.close()


def optional_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value)[:10])


def verbosity_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="print only the final summary line")
    g.add_argument("-v", "--verbose", action="store_true", help="also list every skip with its input")


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {s.name: getattr(args, s.name) for s in TABLE if getattr(args, s.name, None) is not None}
    return Settings.load(getattr(args, "settings", None), **overrides)


def err(message: str) -> None:
    print(f"detente: {message}", file=sys.stderr)


def open_store(args: argparse.Namespace) -> Any:
    from ..store import Store

    return Store(settings_from(args).db, create=False)


def db_format_options(p: argparse.ArgumentParser) -> None:
    """--format and --db, for the commands that read the store."""
    p.add_argument("--format", choices=SHOW_FORMATS, default="table", help="output format (default: table)")
    settings_options(p, ("db",))


def pair_options(p: argparse.ArgumentParser) -> None:
    """The two sides of a dyad, A and B, and whether only A -> B counts."""
    p.add_argument("a", metavar="A", type=side, help="one side: ISO3 code, country name or demonym, e.g. PAK")
    p.add_argument("b", metavar="B", type=side, help="the other side, e.g. ISR or Israel")
    p.add_argument("--directed", action="store_true", help="only A as source and B as target")
