"""The Python API the CLI and services stand on: code texts and inputs, ingest into a store, read events back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from .ingest import read_inputs
from .model import Article, Result, Skip
from .output import event_record
from .pipeline import Pipeline
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


@dataclass
class IngestReport:
    articles: int = 0
    duplicates: int = 0
    events: int = 0
    skips: list[Skip] = field(default_factory=list)


def ingest(
    inputs: Iterable[str],
    *,
    db: str | None = None,
    published: date | None = None,
    source: str | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """Code inputs into the store; already-stored texts are not coded again, skips are recorded with reasons."""
    s = settings or Settings()
    report = IngestReport()
    with Store(db or s.db) as store:

        def fresh() -> Iterator[Article | Skip]:
            for item in _read(inputs, published, source, s):
                if isinstance(item, Article) and store.has_article(item.content_hash):
                    report.duplicates += 1
                    continue
                yield item

        for item in pipeline(s).run(fresh()):
            if isinstance(item, Skip):
                store.add_skip(item)
                report.skips.append(item)
            elif store.add(item):
                report.articles += 1
                report.events += len(item.events)
            else:
                report.duplicates += 1
    return report
