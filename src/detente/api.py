"""The Python API the CLI and services stand on: code texts and inputs, ingest into a store, read events back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from itertools import islice
from typing import Any

from .ingest import read_inputs
from .model import Article, IngestReport, Result, Skip
from .pipeline import Pipeline
from .progress import Progress
from .records import event_record
from .settings import Settings
from .store import Store


@cache
def _pipeline(settings: Settings) -> Pipeline:
    return Pipeline(settings)


def pipeline(settings: Settings | None = None) -> Pipeline:
    """The shared pipeline for these settings (built once per process)."""
    return _pipeline(settings or Settings())


def code_text(
    text: str, *, published: date | None = None, source: str | None = None, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """Event records (the JSONL contract) for one text."""
    result = pipeline(settings).code_text(text, published=published, source=source)
    return records(result)


def code_article(article: Article, settings: Settings | None = None) -> Result:
    return pipeline(settings).code_article(article)


def records(result: Result) -> list[dict[str, Any]]:
    return [event_record(ev, result.article) for ev in result.events]


def code_inputs(
    inputs: Iterable[str],
    *,
    published: date | None = None,
    source: str | None = None,
    settings: Settings | None = None,
) -> Iterator[Result | Skip]:
    """Results and Skips for files, directories, '-' and JSONL inputs, in input order."""
    s = settings or Settings()
    yield from pipeline(s).run(_read(inputs, published, source, s))


def resolve_actor(
    phrase: str, when: date | None = None, context: str | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """{name, country, sectors, id, reason} for a phrase on a date; country None (with a reason) for no one."""
    from . import nlp
    from .actors import resolve_phrase

    p = pipeline(settings)
    return resolve_phrase(nlp.load(p.settings.model), p.gaz, phrase, when, context).record()


def _read(inputs: Iterable[str], published: date | None, source: str | None, s: Settings) -> Iterator[Article | Skip]:
    return read_inputs(
        inputs,
        published=published,
        source=source,
        max_bytes=s.max_bytes,
        allow_private_urls=s.allow_private_urls,
        fetch_timeout=s.fetch_timeout,
    )


def ingest(
    inputs: Iterable[str],
    *,
    db: str | None = None,
    published: date | None = None,
    source: str | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Code inputs into the store; already-stored texts are not coded again, skips are recorded with reasons."""
    s = settings or Settings()
    report = IngestReport()
    with Store(db or s.db) as store:

        def fresh() -> Iterator[Article | Skip]:
            for item in _read(inputs, published, source, s):
                if isinstance(item, Article) and store.has_article(item.content_hash):
                    report.duplicates += 1
                    if progress:
                        progress.update(duplicates=1)
                    continue
                yield item

        for item in pipeline(s).run(fresh()):
            if isinstance(item, Skip):
                store.add_skip(item)
                report.skips.append(item)
                if progress:
                    progress.update(skips=1)
            elif store.add(item):
                report.articles += 1
                report.events += len(item.events)
                if progress:
                    progress.update(articles=1, events=len(item.events))
            else:
                report.duplicates += 1
                if progress:
                    progress.update(duplicates=1)
    return report


def extract(
    inputs: Iterable[str], *, published: date | None = None, source: str | None = None, settings: Settings | None = None
) -> Iterator[dict[str, Any] | Skip]:
    """What ingestion reads, before any coding: one record per article, or a Skip with its reason."""
    s = settings or Settings()
    for item in _read(inputs, published, source, s):
        if isinstance(item, Skip):
            yield item
            continue
        yield {
            "id": item.id,
            "path": item.path,
            "url": item.url,
            "title": item.title,
            "author": item.author,
            "published": item.published.isoformat() if item.published else None,
            "published_source": item.published_source,
            "language": item.language,
            "text": item.text,
        }


def load(directory: str, *, db: str | None = None, settings: Settings | None = None) -> IngestReport:
    """Parquet partitions written by the Dask runner, into the store (already stored articles are kept once)."""
    from .distributed import partitions, read_partitions

    s = settings or Settings()
    report = IngestReport()
    partitions(directory)  # a missing directory must not leave an empty store behind
    with Store(db or s.db) as store, store.bulk_load():
        results = iter(read_partitions(directory))
        while chunk := list(islice(results, 2000)):  # a commit per chunk: a crash loses at most one
            before = store.last_event()
            added = store.add_many(chunk)
            report.articles += added
            report.duplicates += len(chunk) - added
            report.events += store.last_event() - before
    return report


def ingest_dask(
    inputs: Iterable[str],
    out: str,
    *,
    scheduler: str = "local",
    published: date | None = None,
    source: str | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """Code inputs on a Dask cluster ("local" starts a LocalCluster) into Parquet partitions under `out`."""
    from .distributed import run

    s = settings or Settings()
    return run(_read(inputs, published, source, s), out, scheduler=scheduler, settings=s)


def export_events(
    fmt: str,
    out: str,
    *,
    db: str | None = None,
    dyad: tuple[str, str] | None = None,
    since: date | None = None,
    until: date | None = None,
    settings: Settings | None = None,
    header: bool = False,
    include_nonfactual: bool = False,
) -> int:
    """Stored events to a file in jsonl, csv, parquet, plover or gdelt format; returns the rows written.

    PLOVER and GDELT have no certainty field, so they leave out hypothetical, negated and denied events unless
    `include_nonfactual`; `header` puts a header row on GDELT's headerless TSV.
    """
    from .export import export

    s = settings or Settings()
    with Store(db or s.db, create=False) as store:
        return export(
            store.events(dyad=dyad, since=since, until=until),
            fmt,
            out,
            header=header,
            include_nonfactual=include_nonfactual,
        )


def read_articles(
    inputs: Iterable[str], *, published: date | None = None, source: str | None = None, settings: Settings | None = None
) -> Iterator[Article | Skip]:
    """Articles (or Skips with reasons) from inputs, before coding; URLs are fetched under the settings' limits."""
    return _read(inputs, published, source, settings or Settings())


def code_and_store(article: Article, store: Store, settings: Settings | None = None) -> tuple[Result, bool]:
    """Code one article and add it to an open store; the flag is False when its text was already stored."""
    result = code_article(article, settings)
    return result, store.add(result)
