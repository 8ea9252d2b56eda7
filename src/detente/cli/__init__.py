"""The `detente` command: a thin layer of argument parsing and I/O over the Python API. Each command's options
sit beside its handler, in a module per group (coding.py, reading.py, lookup.py, service.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import DetenteError
from . import coding, lookup, reading, service
from .common import EPILOG, err

# the order `detente --help` lists them in
ORDER = (
    "code",
    "ingest",
    "load",
    "extract",
    "export",
    "events",
    "eval",
    "actor",
    "date",
    "dyad",
    "timeline",
    "incidents",
    "signals",
    "alerts",
    "serve",
    "watch",
)
COMMANDS = {**coding.COMMANDS, **reading.COMMANDS, **lookup.COMMANDS, **service.COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="detente",
        description="Evidence-linked political event data from English news: who did what to whom, when, "
        "where, and how sure the text is.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"detente {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    for name in ORDER:
        COMMANDS[name][0](sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command][1](args)
    except DetenteError as exc:
        err(str(exc))
        return 2
    except KeyboardInterrupt:
        err("interrupted; committed articles are kept, rerun to resume")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
