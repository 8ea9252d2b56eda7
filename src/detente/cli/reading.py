"""Commands that read the store: `events`, `export`, and the relation views `dyad`, `timeline`, `incidents`,
`signals` and `alerts`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..errors import DetenteError
from ..output import SHOW_FORMATS, render
from .common import (
    DYAD_HELP,
    db_format_options,
    dyad_arg,
    err,
    iso_date,
    open_store,
    pair_options,
    settings_from,
    settings_options,
)

if TYPE_CHECKING:
    from ..queries import IncidentFilter


def events_options(sub: Any) -> None:
    p = sub.add_parser("events", help="list stored events", description="List events from the store.")
    p.add_argument(
        "--dyad",
        type=dyad_arg,
        metavar="A:B",
        help=DYAD_HELP,
    )
    p.add_argument("--directed", action="store_true", help="with --dyad: only A as source, B as target")
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="events that end on or after this date")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="events that start on or before this date")
    p.add_argument("--limit", type=int, metavar="N")
    p.add_argument("--format", choices=SHOW_FORMATS, default="table", help="output format (default: table)")
    settings_options(p, ("db",))


def cmd_events(args: argparse.Namespace) -> int:
    if args.directed and not args.dyad:
        raise DetenteError("--directed needs --dyad A:B (it keeps A as source and B as target)")
    with open_store(args) as store:
        recs = list(
            store.events(dyad=args.dyad, directed=args.directed, since=args.since, until=args.until, limit=args.limit)
        )
    sys.stdout.write(render(recs, args.format))
    return 0


def export_options(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="write stored events as jsonl, csv, parquet, PLOVER JSONL or GDELT 2.0 TSV",
        description=(
            "Export events from the store for other tools: jsonl (the event record), csv (with a CSVW sidecar of "
            "column types), parquet (typed columns), plover (PLOVER JSONL) or gdelt (GDELT 2.0's 61 event-table "
            "columns, tab-separated, then detente's certainty columns). PLOVER and GDELT leave out hypothetical, "
            "negated and denied events unless --all-certainties."
        ),
    )
    p.add_argument("--format", required=True, choices=("jsonl", "csv", "parquet", "plover", "gdelt"))
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--header", action="store_true", help="gdelt: write a header row (GDELT's own files have none)")
    p.add_argument(
        "--all-certainties",
        action="store_true",
        help="plover, gdelt: keep hypothetical, negated and denied events (left out by default)",
    )
    p.add_argument(
        "--dyad",
        type=dyad_arg,
        metavar="A:B",
        help=DYAD_HELP,
    )
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")
    settings_options(p, ("db",))


def cmd_export(args: argparse.Namespace) -> int:
    from ..api import export_events

    if args.header and args.format != "gdelt":
        raise DetenteError(f"--header is for --format gdelt; {args.format} writes its own field names")
    if args.all_certainties and args.format not in ("plover", "gdelt"):
        raise DetenteError(f"--all-certainties is for plover and gdelt; {args.format} keeps every event already")
    settings = settings_from(args)
    n = export_events(
        args.format,
        args.out,
        dyad=args.dyad,
        since=args.since,
        until=args.until,
        settings=settings,
        header=args.header,
        include_nonfactual=args.all_certainties,
    )
    unit = "row(s)" if args.format == "gdelt" else "event(s)"
    print(f"wrote {n} {unit} to {args.out} as {args.format}")
    return 0


def dyad_options(sub: Any) -> None:
    p = sub.add_parser(
        "dyad",
        help="the series of incidents between two actors, by week, month, quarter or year",
        description=(
            "Incidents between A and B per period (each incident once, at the date it happened unless --basis "
            "report): counts per QuadClass and PLOVER type, Goldstein sums and means, certainty-weighted counts, "
            "and the rate per article that mentions both sides. A sparkline and table by default; --plot writes a "
            "chart (FILE.html or FILE.svg offline, FILE.png with the 'plot' extra); --changes lists flagged months."
        ),
    )
    pair_options(p)
    p.add_argument("--by", choices=("week", "month", "quarter", "year"), default="month")
    p.add_argument("--basis", choices=("event", "report"), default="event", help="date by event (default) or report")
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--plot", metavar="FILE", help="write a chart to FILE.html, FILE.svg or FILE.png")
    p.add_argument("--changes", action="store_true", help="list the months flagged by change detection instead")
    db_format_options(p)


def cmd_dyad(args: argparse.Namespace) -> int:
    from ..analysis import charts, detect, report, series

    with open_store(args) as store:
        s = series(
            store,
            args.a,
            args.b,
            by=args.by,
            basis=args.basis,
            directed=args.directed,
            since=args.since,
            until=args.until,
        )
        if args.plot:
            err(f"wrote {charts.write(s, args.plot)}")
        if args.changes:
            sys.stdout.write(report.changes(detect(store, args.a, args.b, directed=args.directed), args.format))
            return 0
    sys.stdout.write(report.series(s, args.format))
    return 0


def timeline_options(sub: Any) -> None:
    p = sub.add_parser(
        "timeline",
        help="incidents between two actors in the order they happened, with their evidence",
        description="Incidents between A and B, oldest first: date, type, certainty, sources and evidence sentence.",
    )
    pair_options(p)
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")
    db_format_options(p)


def cmd_timeline(args: argparse.Namespace) -> int:
    from ..queries import IncidentFilter

    return _print_incidents(
        args, IncidentFilter((args.a.upper(), args.b.upper()), args.directed, args.since, args.until)
    )


def _print_incidents(args: argparse.Namespace, flt: IncidentFilter) -> int:
    """The incidents a filter selects, in the order they happened; on stderr, how many undated incidents a date
    filter hid (the output itself stays machine-readable)."""
    from ..analysis import report
    from ..incidents import page

    with open_store(args) as store:
        incs, undated = page(store.db, flt)
    sys.stdout.write(report.incidents(incs, args.format))
    if undated:
        print(f"{undated} undated incident(s) left out by --since/--until", file=sys.stderr)
    return 0


def incidents_options(sub: Any) -> None:
    p = sub.add_parser(
        "incidents",
        help="list incidents: one real-world action with all the reports of it",
        description="Incidents (events clustered across articles) with report and independent-source counts.",
    )
    p.add_argument("--dyad", type=dyad_arg, metavar="A:B", help="only incidents between A and B, either way")
    p.add_argument("--min-sources", type=int, default=1, metavar="N", help="only incidents told by N+ publishers")
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD")
    db_format_options(p)


def cmd_incidents(args: argparse.Namespace) -> int:
    from ..queries import IncidentFilter

    return _print_incidents(
        args, IncidentFilter(args.dyad, since=args.since, until=args.until, min_sources=args.min_sources)
    )


def signals_options(sub: Any) -> None:
    p = sub.add_parser(
        "signals",
        help="the relation-signals ladder of two actors (indirect trade, contacts, meetings, denials...)",
        description="Each rung of the ladder in data/signals.toml with its count, first seen and last seen.",
    )
    pair_options(p)
    db_format_options(p)


def cmd_signals(args: argparse.Namespace) -> int:
    from ..analysis import report, signals

    with open_store(args) as store:
        rungs = signals(store, args.a, args.b, directed=args.directed)
    sys.stdout.write(report.signals(rungs, args.format, (args.a.upper(), args.b.upper())))
    return 0


def alerts_options(sub: Any) -> None:
    p = sub.add_parser(
        "alerts",
        help="what is new for a watchlist of dyads since the last run",
        description=(
            'New incidents, new reports and flagged months for the dyads of a watchlist TOML (dyads = ["PAK:ISR"]) '
            "since the last run of that watchlist; the position is kept in the store."
        ),
    )
    p.add_argument("--watchlist", metavar="FILE", default="watchlist.toml", help="default: watchlist.toml")
    p.add_argument("--peek", action="store_true", help="show alerts without marking them seen")
    db_format_options(p)


def cmd_alerts(args: argparse.Namespace) -> int:
    from ..analysis import alerts, load_watchlist, report

    watchlist = load_watchlist(args.watchlist)
    with open_store(args) as store:
        items = alerts(store, watchlist, mark=not args.peek)
    sys.stdout.write(report.alerts(items, args.format))
    return 0


COMMANDS = {
    "events": (events_options, cmd_events),
    "export": (export_options, cmd_export),
    "dyad": (dyad_options, cmd_dyad),
    "timeline": (timeline_options, cmd_timeline),
    "incidents": (incidents_options, cmd_incidents),
    "signals": (signals_options, cmd_signals),
    "alerts": (alerts_options, cmd_alerts),
}
