"""Commands that code text: `code` (print events), `ingest` and `load` (into the store), `extract` (article
text only), `eval` (against gold)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import DetenteError
from ..model import Skip
from ..output import SHOW_FORMATS, render
from .common import (
    CODING_SETTINGS,
    err,
    input_options,
    iso_date,
    settings_from,
    settings_options,
    verbosity_options,
)


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
    for item in code_inputs(
        [source], published=published, source=gold.get("source_name"), settings=settings_from(args)
    ):
        if isinstance(item, Skip):
            err(f"skipped {item.reason}")
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


def code_options(sub: Any) -> None:
    p = sub.add_parser(
        "code",
        help="code articles and print their events",
        description=(
            "Code articles and print one record per event. Skipped inputs are reported on stderr; the exit "
            "status is non-zero only when nothing at all could be coded."
        ),
    )
    input_options(p)
    p.add_argument("--format", choices=SHOW_FORMATS, default="jsonl", help="output format (default: jsonl)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    settings_options(p, CODING_SETTINGS)


def cmd_code(args: argparse.Namespace) -> int:
    from ..api import code_inputs, records

    settings = settings_from(args)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    coded = skipped = 0
    all_records: list[dict[str, Any]] = []
    try:
        for item in code_inputs(args.inputs, published=args.published, source=args.source, settings=settings):
            if isinstance(item, Skip):
                skipped += 1
                err(f"skipped {item.reason}")
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
        err(f"nothing could be coded ({skipped} input(s) skipped)")
        return 1
    if skipped:
        err(f"coded {coded} article(s), skipped {skipped}")
    return 0


def ingest_options(sub: Any) -> None:
    p = sub.add_parser(
        "ingest",
        help="code articles into the SQLite store",
        description=(
            "Code articles into the store. Texts already stored are not coded again; each article is committed "
            "with its events in one transaction, so an interrupted run can simply be rerun."
        ),
    )
    input_options(p)
    settings_options(p, ("db", *CODING_SETTINGS))
    p.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="run on Dask: 'local' starts a LocalCluster, or tcp://HOST:PORT; writes Parquet to --out",
    )
    p.add_argument("--out", metavar="DIR", help="with --dask: the directory for Parquet partitions")
    verbosity_options(p)


def cmd_ingest(args: argparse.Namespace) -> int:
    from ..api import ingest, ingest_dask
    from ..ingest import count_inputs
    from ..progress import Progress

    settings = settings_from(args)
    if args.out and not args.dask:
        raise DetenteError("--out is for --dask runs (Parquet partitions); without --dask events go to --db")
    if args.dask and args.dask != "local" and args.workers is not None:
        raise DetenteError("--workers sizes --dask local only; a running cluster brings its own workers, drop it")
    if args.dask:
        if not args.out:
            err("--dask needs --out DIR for the Parquet partitions; load them with: detente load DIR")
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
            err(f"skipped {skip.reason}" if not args.verbose else f"skipped {skip.input}: {skip.reason}")
    print(
        f"stored {report.articles} article(s) with {report.events} event(s) in {where}; "
        f"{report.duplicates} already stored, {len(report.skips)} skipped"
    )
    if report.articles == 0 and report.duplicates == 0:
        return 1
    return 0


def load_options(sub: Any) -> None:
    p = sub.add_parser(
        "load",
        help="load Parquet partitions from a Dask run into the store",
        description="Load DIR/articles and DIR/events partitions (from ingest --dask) into the store.",
    )
    p.add_argument("directory", metavar="DIR")
    settings_options(p, ("db",))


def cmd_load(args: argparse.Namespace) -> int:
    from ..api import load

    settings = settings_from(args)
    report = load(args.directory, settings=settings)
    print(
        f"loaded {report.articles} article(s) with {report.events} event(s) into {settings.db}; "
        f"{report.duplicates} already stored"
    )
    return 0


def extract_options(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        help="print the extracted text and metadata of inputs, without coding",
        description=(
            "One JSON line per article: {id, path, url, title, author, published, "
            "published_source, language, text}; skipped inputs go to stderr with a reason."
        ),
    )
    input_options(p)
    settings_options(p, ("max_bytes", "allow_private_urls", "fetch_timeout"))


def cmd_extract(args: argparse.Namespace) -> int:
    from ..api import extract

    found = 0
    for item in extract(args.inputs, published=args.published, source=args.source, settings=settings_from(args)):
        if isinstance(item, Skip):
            err(f"skipped {item.reason}")
            continue
        found += 1
        print(json.dumps(item, ensure_ascii=False))
    return 0 if found else 1


def eval_options(sub: Any) -> None:
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
    p.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD", help="overrides the gold's 'published'")
    p.add_argument("-v", "--verbose", action="store_true", help="list matches, misses and false positives")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--min-recall", type=float, metavar="R", help="exit 1 when recall is below R")
    p.add_argument("--min-precision", type=float, metavar="P", help="exit 1 when precision is below P")
    settings_options(p, ("model", "coder", "actors_file"))


def cmd_eval(args: argparse.Namespace) -> int:
    from ..api import code_inputs, records
    from ..evaluate import load_gold, report, score

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


COMMANDS = {
    "code": (code_options, cmd_code),
    "ingest": (ingest_options, cmd_ingest),
    "load": (load_options, cmd_load),
    "extract": (extract_options, cmd_extract),
    "eval": (eval_options, cmd_eval),
}
