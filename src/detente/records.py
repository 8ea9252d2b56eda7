"""Records back to the data model: a Result rebuilt from its JSON/Parquet form, so partitions load into the store."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .model import Actor, Article, Event, EventDate, Place, Result, Sentence, Span


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def actor(d: dict[str, Any]) -> Actor:
    return Actor(
        name=d["name"],
        country=d.get("country"),
        sectors=tuple(d.get("sectors") or ()),
        text=d["text"],
        start=d["start"],
        end=d["end"],
        id=d.get("id"),
        reason=d.get("reason", ""),
    )


def event(rec: dict[str, Any]) -> Event:
    """The inverse of output.event_record (derived fields such as PLOVER and Goldstein come from the code)."""
    d, p = rec["date"], rec.get("place")
    coder = rec.get("coder") or {}
    return Event(
        id=rec["id"],
        article_id=rec["article"]["id"],
        sentence_index=rec["sentence_index"],
        evidence=Span(**rec["evidence"]),
        trigger=Span(**rec["trigger"]),
        cameo=rec["cameo"],
        source=tuple(actor(a) for a in rec["source"]),
        target=tuple(actor(a) for a in rec["target"]),
        intermediary=tuple(actor(a) for a in rec.get("intermediary", [])),
        date=EventDate(_date(d["start"]), _date(d["end"]), d["precision"], d["reason"], d.get("text")),
        place=Place(p["name"], p.get("country"), p.get("lat"), p.get("lon"), p.get("geonameid")) if p else None,
        certainty=rec["certainty"],
        attributed_to=rec.get("attributed_to"),
        confidence=rec["confidence"],
        coder=coder.get("name", "rules"),
        coder_version=coder.get("version", ""),
        symmetric=bool(rec.get("symmetric")),
        pattern=coder.get("pattern", ""),
    )


def article_row(a: Article, sentences: tuple[Sentence, ...]) -> dict[str, Any]:
    return {
        "id": a.id,
        "content_hash": a.content_hash,
        "url": a.url,
        "title": a.title,
        "published": a.published.isoformat() if a.published else None,
        "source": a.source,
        "path": a.path,
        "author": a.author,
        "published_source": a.published_source,
        "language": a.language,
        "text": a.text,
        "sentences": json.dumps([[s.index, s.start, s.end, s.text] for s in sentences], ensure_ascii=False),
    }


def result(row: dict[str, Any], records: list[dict[str, Any]]) -> Result:
    article = Article(
        id=row["id"],
        text=row["text"],
        url=row.get("url"),
        title=row.get("title"),
        published=_date(row.get("published")),
        source=row.get("source"),
        path=row.get("path"),
        content_hash=row["content_hash"],
        author=row.get("author"),
        published_source=row.get("published_source"),
        language=row.get("language"),
    )
    sentences = tuple(Sentence(i, s, e, t) for i, s, e, t in json.loads(row["sentences"]))
    return Result(article, sentences, tuple(event(r) for r in records))
