"""The `detente` command: a thin layer of argument parsing and I/O over the Python API."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from . import __version__
from .errors import DetenteError
from .model import Skip
from .output import SHOW_FORMATS, render
from .settings import TABLE, Settings

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


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _flag(value: str) -> bool:
    low = value.lower()
    if low not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")
    return low in ("1", "true", "yes", "on")


def _dyad(value: str) -> tuple[str, str]:
    from .queries import parse_dyad

    return _as_argument(parse_dyad, value)


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {value!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, got {port}")
    return port


def _side(value: str) -> str:
    from .actors.gazetteer import country_code

    return _as_argument(country_code, value)


def _as_argument(parse: Callable[[str], T], value: str) -> T:
    """The API's own parser for an argument: its error says what to give, so argparse shows it as is."""
    try:
        return parse(value)
    except DetenteError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _settings_options(p: argparse.ArgumentParser, names: Sequence[str]) -> None:
    """Options generated from the settings table, so CLI, docs and API cannot drift apart."""
    group = p.add_argument_group("settings (also from --settings FILE or DETENTE_<NAME> variables)")
    group.add_argument("--settings", metavar="FILE", help="TOML file of settings")
    for s in TABLE:
        if s.name in names:
            group.add_argument(
                f"--{s.name.replace('_', '-')}",
                dest=s.name,
                type=_flag if s.type is bool else s.type,
                default=None,
                metavar=s.type.__name__.upper(),
                help=f"{s.help} (default: {s.default!r})",
            )


def _input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="text or HTML file, directory, glob, URL, feed, WARC, '-' for stdin, .jsonl of "
        "{id, text|html, published, ...} or .csv with a text column",
    )
    p.add_argument(
        "--published",
        type=_date,
        metavar="YYYY-MM-DD",
        help="publication date for inputs that carry none (anchors 'last year', 'in late March')",
    )
    p.add_argument("--source", metavar="NAME", help="publisher name for inputs that carry none")


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

    p = sub.add_parser(
        "code",
        help="code articles and print their events",
        description=(
            "Code articles and print one record per event. Skipped inputs are reported on stderr; the exit "
            "status is non-zero only when nothing at all could be coded."
        ),
    )
    _input_options(p)
    p.add_argument("--format", choices=SHOW_FORMATS, default="jsonl", help="output format (default: jsonl)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    _settings_options(p, CODING_SETTINGS)

    p = sub.add_parser(
        "ingest",
        help="code articles into the SQLite store",
        description=(
            "Code articles into the store. Texts already stored are not coded again; each article is committed "
            "with its events in one transaction, so an interrupted run can simply be rerun."
        ),
    )
    _input_options(p)
    _settings_options(p, ("db", *CODING_SETTINGS))
    p.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="run on Dask: 'local' starts a LocalCluster, or tcp://HOST:PORT; writes Parquet to --out",
    )
    p.add_argument("--out", metavar="DIR", help="with --dask: the directory for Parquet partitions")
    _verbosity(p)

    p = sub.add_parser(
        "load",
        help="load Parquet partitions from a Dask run into the store",
        description="Load DIR/articles and DIR/events partitions (from ingest --dask) into the store.",
    )
    p.add_argument("directory", metavar="DIR")
    _settings_options(p, ("db",))

    p = sub.add_parser(
        "extract",
        help="print the extracted text and metadata of inputs, without coding",
        description=(
            "One JSON line per article: {id, path, url, title, author, published, "
            "published_source, language, text}; skipped inputs go to stderr with a reason."
        ),
    )
    _input_options(p)
    _settings_options(p, ("max_bytes", "allow_private_urls", "fetch_timeout"))

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
        type=_dyad,
        metavar="A:B",
        help=DYAD_HELP,
    )
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD")
    _settings_options(p, ("db",))

    p = sub.add_parser("events", help="list stored events", description="List events from the store.")
    p.add_argument(
        "--dyad",
        type=_dyad,
        metavar="A:B",
        help=DYAD_HELP,
    )
    p.add_argument("--directed", action="store_true", help="with --dyad: only A as source, B as target")
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="events that end on or after this date")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="events that start on or before this date")
    p.add_argument("--limit", type=int, metavar="N")
    p.add_argument("--format", choices=SHOW_FORMATS, default="table", help="output format (default: table)")
    _settings_options(p, ("db",))

    p = sub.add_parser(
        "eval",
        help="score against a gold file",
        description=(
            "Score events against a gold TOML file with the rules of shared/tools/score_gold.py. INPUT is an "
            "events .jsonl to score as is, or an article to code first; without INPUT the article beside the gold "
            "file (NAME.txt for NAME.gold.toml) is coded with the gold's publication date."
        ),
    )
    p.add_argument("gold", metavar="GOLD.toml")
    p.add_argument("input", nargs="?", metavar="INPUT")
    p.add_argument("--published", type=_date, metavar="YYYY-MM-DD", help="overrides the gold's 'published'")
    p.add_argument("-v", "--verbose", action="store_true", help="list matches, misses and false positives")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--min-recall", type=float, metavar="R", help="exit 1 when recall is below R")
    p.add_argument("--min-precision", type=float, metavar="P", help="exit 1 when precision is below P")
    _settings_options(p, ("model", "coder", "actors_file"))
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
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the date of the event (office holders change)")
    p.add_argument("--context", metavar="SENTENCE", help="a sentence that contains the phrase")
    p.add_argument("--jsonl", metavar="FILE", help="records to resolve, '-' for stdin")
    _settings_options(p, ("model", "actors_file"))

    p = sub.add_parser(
        "date",
        help="resolve a time expression to a date range",
        description=(
            "Resolve a time expression to {start, end, precision, reason}, anchored on the publication date and, for "
            "'weeks later', on the previous event's date. With --jsonl, reads records {text, published, previous}."
        ),
    )
    p.add_argument("expression", nargs="?", help='e.g. "in late March", "weeks later"')
    p.add_argument("--published", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--previous", metavar="YYYY-MM[-DD]", help="date of the previous event in the discourse")
    p.add_argument("--jsonl", metavar="FILE", help="records to resolve, '-' for stdin")

    # -- incidents and dyads (issue 7) --
    def _db_format(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=SHOW_FORMATS, default="table", help="output format (default: table)")
        _settings_options(p, ("db",))

    def _pair(p: argparse.ArgumentParser) -> None:
        p.add_argument("a", metavar="A", type=_side, help="one side: ISO3 code, country name or demonym, e.g. PAK")
        p.add_argument("b", metavar="B", type=_side, help="the other side, e.g. ISR or Israel")
        p.add_argument("--directed", action="store_true", help="only A as source and B as target")

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
    _pair(p)
    p.add_argument("--by", choices=("week", "month", "quarter", "year"), default="month")
    p.add_argument("--basis", choices=("event", "report"), default="event", help="date by event (default) or report")
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--plot", metavar="FILE", help="write a chart to FILE.html, FILE.svg or FILE.png")
    p.add_argument("--changes", action="store_true", help="list the months flagged by change detection instead")
    _db_format(p)

    p = sub.add_parser(
        "timeline",
        help="incidents between two actors in the order they happened, with their evidence",
        description="Incidents between A and B, oldest first: date, type, certainty, sources and evidence sentence.",
    )
    _pair(p)
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD")
    _db_format(p)

    p = sub.add_parser(
        "incidents",
        help="list incidents: one real-world action with all the reports of it",
        description="Incidents (events clustered across articles) with report and independent-source counts.",
    )
    p.add_argument("--dyad", type=_dyad, metavar="A:B", help="only incidents between A and B, either way")
    p.add_argument("--min-sources", type=int, default=1, metavar="N", help="only incidents told by N+ publishers")
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD")
    _db_format(p)

    p = sub.add_parser(
        "signals",
        help="the relation-signals ladder of two actors (indirect trade, contacts, meetings, denials...)",
        description="Each rung of the ladder in data/signals.toml with its count, first seen and last seen.",
    )
    _pair(p)
    _db_format(p)

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
    _db_format(p)
    # -- service and feed watching (issue 8) --
    p = sub.add_parser(
        "serve",
        help="run the REST API and the web dashboard over the store",
        description=(
            "Serve the REST API (/api/..., docs at /docs) and the dashboard (/) over the store with uvicorn. Write "
            "requests need the X-API-Key header when the api_key setting (DETENTE_API_KEY) is set. With --watch, "
            "feeds are polled in the background as `detente watch` does."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    p.add_argument("--create", action="store_true", help="start with a new empty store when --db does not exist")
    p.add_argument("--processes", type=int, default=1, metavar="N", help="server processes (default: 1)")
    p.add_argument(
        "--watch", action="append", default=[], metavar="FEED", help="RSS/Atom feed URL or file to poll (repeat)"
    )
    p.add_argument("--every", metavar="INTERVAL", help="with --watch: how often (default: 15m)")
    serve_settings = [n for n in CODING_SETTINGS if n not in ("workers", "batch_size")]
    _settings_options(p, ("db", *serve_settings, "api_key", "max_body_bytes"))

    p = sub.add_parser(
        "watch",
        help="poll RSS/Atom feeds on a schedule and store new articles",
        description=(
            "Poll feeds every INTERVAL with conditional GETs (ETag / Last-Modified), fetching only item pages not yet "
            "stored, spaced --spacing seconds apart, at most --max-items per feed per poll. Ctrl-C stops."
        ),
    )
    p.add_argument("feeds", nargs="+", metavar="FEED", help="feed URL, or an RSS/Atom file (reread when it changes)")
    p.add_argument("--every", default="15m", metavar="INTERVAL", help="15m, 30s, 1h... (default: 15m)")
    p.add_argument("--spacing", type=float, default=2.0, metavar="SECONDS", help="wait between requests (default: 2)")
    p.add_argument("--max-items", type=int, default=100, metavar="N", help="items per feed per poll (default: 100)")
    p.add_argument("--once", action="store_true", help="poll once and exit")
    _settings_options(p, ("db", *CODING_SETTINGS))
    return parser


def _records(path: str) -> Any:
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


def _opt_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value)[:10])


def cmd_actor(args: argparse.Namespace) -> int:
    from .api import resolve_actor

    settings = _settings(args)
    if args.jsonl:
        _idle_with_jsonl(args, "text, date, context", phrase="PHRASE", date="--date", context="--context")
        for _, rec in _records(args.jsonl):
            if "error" in rec:
                print(json.dumps(rec))
                continue
            try:
                out = resolve_actor(
                    str(rec.get("text", "")), _opt_date(rec.get("date")), rec.get("context"), settings=settings
                )
            except ValueError as exc:
                out = {"error": f"bad date: {exc}"}
            print(json.dumps(out, ensure_ascii=False))
        return 0
    if not args.phrase:
        _err("give a PHRASE or --jsonl FILE")
        return 2
    print(json.dumps(resolve_actor(args.phrase, args.date, args.context, settings=settings), ensure_ascii=False))
    return 0


def _idle_with_jsonl(args: argparse.Namespace, fields: str, **flags: str) -> None:
    """With --jsonl every value comes from the records; one given on the command line would be silently unused."""
    given = [flag for name, flag in flags.items() if getattr(args, name) is not None]
    if given:
        raise DetenteError(
            f"{', '.join(given)} cannot be combined with --jsonl: each record carries its own ({fields}); "
            "drop them or drop --jsonl"
        )


def _previous(value: Any) -> Any:
    from .evaluate import gold_span
    from .model import EventDate

    if not value:
        return None
    lo, hi = gold_span(str(value))
    parts = str(value).count("-")
    return EventDate(lo, hi, "day" if parts == 2 else "month" if parts == 1 else "year", "explicit")


def cmd_date(args: argparse.Namespace) -> int:
    from .records import date_record
    from .when import resolve

    def one(text: str, published: Any, previous: Any) -> dict[str, Any]:
        rec = date_record(resolve(text, _opt_date(published), _previous(previous)))
        return {k: rec[k] for k in ("start", "end", "precision", "reason")}

    if args.jsonl:
        _idle_with_jsonl(
            args, "text, published, previous", expression="EXPRESSION", published="--published", previous="--previous"
        )
        for _, rec in _records(args.jsonl):
            if "error" not in rec:
                try:
                    rec = one(str(rec.get("text", "")), rec.get("published"), rec.get("previous"))
                except ValueError as exc:
                    rec = {"error": f"bad date: {exc}"}
            print(json.dumps(rec))
        return 0
    if not args.expression:
        _err("give an EXPRESSION or --jsonl FILE")
        return 2
    try:
        print(json.dumps(one(args.expression, args.published, args.previous)))
    except ValueError as exc:
        _err(f"--previous must be YYYY, YYYY-MM or YYYY-MM-DD ({exc})")
        return 2
    return 0


def _verbosity(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("-q", "--quiet", action="store_true", help="print only the final summary line")
    g.add_argument("-v", "--verbose", action="store_true", help="also list every skip with its input")


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {s.name: getattr(args, s.name) for s in TABLE if getattr(args, s.name, None) is not None}
    return Settings.load(getattr(args, "settings", None), **overrides)


def _err(message: str) -> None:
    print(f"detente: {message}", file=sys.stderr)


def cmd_code(args: argparse.Namespace) -> int:
    from .api import code_inputs, records

    settings = _settings(args)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    coded = skipped = 0
    all_records: list[dict[str, Any]] = []
    try:
        for item in code_inputs(args.inputs, published=args.published, source=args.source, settings=settings):
            if isinstance(item, Skip):
                skipped += 1
                _err(f"skipped {item.reason}")
                continue
            coded += 1
            recs = records(item)
            if args.format == "jsonl":
                out.write(render(recs, "jsonl"))
                out.flush()
            else:
                all_records.extend(recs)
        if args.format != "jsonl":
            out.write(render(all_records, args.format))
    finally:
        if args.out:
            out.close()
    if coded == 0:
        _err(f"nothing could be coded ({skipped} input(s) skipped)")
        return 1
    if skipped:
        _err(f"coded {coded} article(s), skipped {skipped}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from .api import ingest, ingest_dask
    from .ingest import count_inputs
    from .progress import Progress

    settings = _settings(args)
    if args.out and not args.dask:
        raise DetenteError("--out is for --dask runs (Parquet partitions); without --dask events go to --db")
    if args.dask and args.dask != "local" and args.workers is not None:
        raise DetenteError("--workers sizes --dask local only; a running cluster brings its own workers, drop it")
    if args.dask:
        if not args.out:
            _err("--dask needs --out DIR for the Parquet partitions; load them with: detente load DIR")
            return 2
        report = ingest_dask(
            args.inputs, args.out, scheduler=args.dask, published=args.published, source=args.source, settings=settings
        )
        where = f"Parquet partitions in {args.out} (load them with: detente load {args.out})"
    else:
        progress = Progress(count_inputs(args.inputs), enabled=not args.quiet)
        try:
            report = ingest(
                args.inputs, published=args.published, source=args.source, settings=settings, progress=progress
            )
        finally:
            progress.close()
        where = settings.db
    if not args.quiet:
        for skip in report.skips:
            _err(f"skipped {skip.reason}" if not args.verbose else f"skipped {skip.input}: {skip.reason}")
    print(
        f"stored {report.articles} article(s) with {report.events} event(s) in {where}; "
        f"{report.duplicates} already stored, {len(report.skips)} skipped"
    )
    if report.articles == 0 and report.duplicates == 0:
        return 1
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from .api import load

    settings = _settings(args)
    report = load(args.directory, settings=settings)
    print(
        f"loaded {report.articles} article(s) with {report.events} event(s) into {settings.db}; "
        f"{report.duplicates} already stored"
    )
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .api import extract

    found = 0
    for item in extract(args.inputs, published=args.published, source=args.source, settings=_settings(args)):
        if isinstance(item, Skip):
            _err(f"skipped {item.reason}")
            continue
        found += 1
        print(json.dumps(item, ensure_ascii=False))
    return 0 if found else 1


def cmd_export(args: argparse.Namespace) -> int:
    from .api import export_events

    if args.header and args.format != "gdelt":
        raise DetenteError(f"--header is for --format gdelt; {args.format} writes its own field names")
    if args.all_certainties and args.format not in ("plover", "gdelt"):
        raise DetenteError(f"--all-certainties is for plover and gdelt; {args.format} keeps every event already")
    settings = _settings(args)
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


def cmd_events(args: argparse.Namespace) -> int:
    if args.directed and not args.dyad:
        raise DetenteError("--directed needs --dyad A:B (it keeps A as source and B as target)")
    with _open_store(args) as store:
        recs = list(
            store.events(dyad=args.dyad, directed=args.directed, since=args.since, until=args.until, limit=args.limit)
        )
    sys.stdout.write(render(recs, args.format))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .api import code_inputs, records
    from .evaluate import load_gold, report, score

    gold = load_gold(args.gold)
    events = _eval_events(args, gold, code_inputs, records)
    result = score(gold, events)
    if args.verbose:
        sys.stdout.write(report(gold, result))
    elif args.json:
        print(json.dumps(result.summary))
    else:
        print(" ".join(f"{k}={v}" for k, v in result.summary.items()))
    ok = (args.min_recall is None or (result.summary["recall"] or 0) >= args.min_recall) and (
        args.min_precision is None or result.summary["precision"] >= args.min_precision
    )
    return 0 if ok else 1


def _eval_events(
    args: argparse.Namespace, gold: dict[str, Any], code_inputs: Any, records: Any
) -> list[dict[str, Any]]:
    source = args.input
    if source is None:
        stem = Path(args.gold).name.split(".gold")[0]
        source = str(Path(args.gold).with_name(stem + ".txt"))
        if not Path(source).exists():
            raise DetenteError(f"no INPUT given and no article at {source}; pass the article or events file")
    if source.endswith(".jsonl") and _is_events_file(source):
        with open(source, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    published = args.published
    if published is None and gold.get("published"):
        published = date.fromisoformat(str(gold["published"]))
    events: list[dict[str, Any]] = []
    for item in code_inputs([source], published=published, source=gold.get("source_name"), settings=_settings(args)):
        if isinstance(item, Skip):
            _err(f"skipped {item.reason}")
        else:
            events.extend(records(item))
    return events


def _is_events_file(path: str) -> bool:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(rec, dict) and "cameo" in rec
    return False


def _open_store(args: argparse.Namespace) -> Any:
    from .store import Store

    return Store(_settings(args).db, create=False)


def cmd_dyad(args: argparse.Namespace) -> int:
    from .analysis import charts, detect, report, series

    with _open_store(args) as store:
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
            _err(f"wrote {charts.write(s, args.plot)}")
        if args.changes:
            sys.stdout.write(report.changes(detect(store, args.a, args.b, directed=args.directed), args.format))
            return 0
    sys.stdout.write(report.series(s, args.format))
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from .analysis import report
    from .incidents import load

    with _open_store(args) as store:
        incs = load(
            store.db, dyad=(args.a.upper(), args.b.upper()), directed=args.directed, since=args.since, until=args.until
        )
    sys.stdout.write(report.incidents(incs, args.format))
    return 0


def cmd_incidents(args: argparse.Namespace) -> int:
    from .analysis import report
    from .incidents import load

    with _open_store(args) as store:
        incs = load(store.db, dyad=args.dyad, since=args.since, until=args.until)
    sys.stdout.write(report.incidents([i for i in incs if i.independent_sources >= args.min_sources], args.format))
    return 0


def cmd_signals(args: argparse.Namespace) -> int:
    from .analysis import report, signals

    with _open_store(args) as store:
        rungs = signals(store, args.a, args.b, directed=args.directed)
    sys.stdout.write(report.signals(rungs, args.format, (args.a.upper(), args.b.upper())))
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from .analysis import alerts, load_watchlist, report

    watchlist = load_watchlist(args.watchlist)
    with _open_store(args) as store:
        items = alerts(store, watchlist, mark=not args.peek)
    sys.stdout.write(report.alerts(items, args.format))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .server import create_app
    from .watch import Watcher, parse_every

    settings = _settings(args)
    if args.every and not args.watch:
        raise DetenteError("--every sets how often --watch polls; give --watch FEED too, or drop --every")
    if not args.create and not Path(settings.db).is_file():
        raise DetenteError(
            f"no store at {settings.db}; create one with: detente ingest INPUT... --db {settings.db}, "
            "or pass --create to serve a new empty store"
        )
    every = parse_every(args.every or "15m")
    watcher = Watcher(args.watch, settings, every=every, log=_err) if args.watch else None
    if args.processes > 1:
        if watcher is not None:
            _err("--watch needs --processes 1 (one poller); run `detente watch` beside the server instead")
            return 2
        import os

        os.environ.update({f"DETENTE_{k.upper()}": str(v) for k, v in vars(settings).items() if k != "api_key"})
        if settings.api_key:
            os.environ["DETENTE_API_KEY"] = settings.api_key
        uvicorn.run("detente.server:create_app", factory=True, host=args.host, port=args.port, workers=args.processes)
        return 0
    _err(f"serving {settings.db} on http://{args.host}:{args.port}/ (API docs at /docs); Ctrl-C stops")
    uvicorn.run(create_app(settings, watcher=watcher), host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    import threading

    from .watch import Watcher, parse_every

    settings = _settings(args)
    every = parse_every(args.every)
    watcher = Watcher(args.feeds, settings, every=every, spacing=args.spacing, max_items=args.max_items, log=_err)
    watcher.run(threading.Event(), polls=1 if args.once else None)
    return 0


COMMANDS = {
    "load": cmd_load,
    "extract": cmd_extract,
    "export": cmd_export,
    "code": cmd_code,
    "ingest": cmd_ingest,
    "events": cmd_events,
    "eval": cmd_eval,
    "actor": cmd_actor,
    "date": cmd_date,
    "dyad": cmd_dyad,
    "timeline": cmd_timeline,
    "incidents": cmd_incidents,
    "signals": cmd_signals,
    "alerts": cmd_alerts,
    "serve": cmd_serve,
    "watch": cmd_watch,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except DetenteError as exc:
        _err(str(exc))
        return 2
    except KeyboardInterrupt:
        _err("interrupted; committed articles are kept, rerun to resume")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
