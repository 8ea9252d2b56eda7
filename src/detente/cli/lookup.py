"""Commands that look one thing up, with no store: `actor` (who a name is, on a date) and `date` (what a time
expression resolves to)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import DetenteError
from .common import (
    err,
    iso_date,
    optional_date,
    read_records,
    settings_from,
    settings_options,
)


def _idle_with_jsonl(args: argparse.Namespace, fields: str, **flags: str) -> None:
    """With --jsonl every value comes from the records; one given on the command line would be silently unused."""
    given = [flag for name, flag in flags.items() if getattr(args, name) is not None]
    if given:
        raise DetenteError(
            f"{', '.join(given)} cannot be combined with --jsonl: each record carries its own ({fields}); "
            "drop them or drop --jsonl"
        )


def _previous(value: Any) -> Any:
    from ..evaluate import gold_span
    from ..model import EventDate

    if not value:
        return None
    lo, hi = gold_span(str(value))
    parts = str(value).count("-")
    return EventDate(lo, hi, "day" if parts == 2 else "month" if parts == 1 else "year", "explicit")


def actor_options(sub: Any) -> None:
    p = sub.add_parser(
        "actor",
        help="resolve a phrase to an actor (country, sectors) on a date",
        description=(
            "Resolve a phrase to {name, country, sectors, id, reason} as of a date. Unknown or non-actor phrases give "
            "country null with a reason. With --jsonl, reads records {text, date, context} and writes one result per "
            "line, in order."
        ),
    )
    p.add_argument("phrase", nargs="?", help='e.g. "Pakistan\'s foreign minister"')
    p.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the date of the event (office holders change)")
    p.add_argument("--context", metavar="SENTENCE", help="a sentence that contains the phrase")
    p.add_argument("--jsonl", metavar="FILE", help="records to resolve, '-' for stdin")
    settings_options(p, ("model", "actors_file"))


def cmd_actor(args: argparse.Namespace) -> int:
    from ..api import resolve_actor

    settings = settings_from(args)
    if args.jsonl:
        _idle_with_jsonl(args, "text, date, context", phrase="PHRASE", date="--date", context="--context")
        for _, rec in read_records(args.jsonl):
            if "error" in rec:
                print(json.dumps(rec))
                continue
            try:
                out = resolve_actor(
                    str(rec.get("text", "")), optional_date(rec.get("date")), rec.get("context"), settings=settings
                )
            except ValueError as exc:
                out = {"error": f"bad date: {exc}"}
            print(json.dumps(out, ensure_ascii=False))
        return 0
    if not args.phrase:
        err("give a PHRASE or --jsonl FILE")
        return 2
    print(json.dumps(resolve_actor(args.phrase, args.date, args.context, settings=settings), ensure_ascii=False))
    return 0


def date_options(sub: Any) -> None:
    p = sub.add_parser(
        "date",
        help="resolve a time expression to a date range",
        description=(
            "Resolve a time expression to {start, end, precision, reason}, anchored on the publication date and, for "
            "'weeks later', on the previous event's date. With --jsonl, reads records {text, published, previous}."
        ),
    )
    p.add_argument("expression", nargs="?", help='e.g. "in late March", "weeks later"')
    p.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--previous", metavar="YYYY-MM[-DD]", help="date of the previous event in the discourse")
    p.add_argument("--jsonl", metavar="FILE", help="records to resolve, '-' for stdin")


def cmd_date(args: argparse.Namespace) -> int:
    from ..records import date_record
    from ..when import resolve

    def one(text: str, published: Any, previous: Any) -> dict[str, Any]:
        rec = date_record(resolve(text, optional_date(published), _previous(previous)))
        return {k: rec[k] for k in ("start", "end", "precision", "reason")}

    if args.jsonl:
        _idle_with_jsonl(
            args, "text, published, previous", expression="EXPRESSION", published="--published", previous="--previous"
        )
        for _, rec in read_records(args.jsonl):
            if "error" not in rec:
                try:
                    rec = one(str(rec.get("text", "")), rec.get("published"), rec.get("previous"))
                except ValueError as exc:
                    rec = {"error": f"bad date: {exc}"}
            print(json.dumps(rec))
        return 0
    if not args.expression:
        err("give an EXPRESSION or --jsonl FILE")
        return 2
    try:
        print(json.dumps(one(args.expression, args.published, args.previous)))
    except ValueError as exc:
        err(f"--previous must be YYYY, YYYY-MM or YYYY-MM-DD ({exc})")
        return 2
    return 0


COMMANDS = {"actor": (actor_options, cmd_actor), "date": (date_options, cmd_date)}
