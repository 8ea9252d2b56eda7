"""Every record kind in both directions, in one place: the data model to the JSON records of the contract
(shared/design/event-schema.md), the API and reports (events, actors, dates, places, articles, incidents, series
points, ladder rungs, changes, alerts), and records back to the model (a Result rebuilt from its JSON/Parquet form,
so partitions load into the store; an incident's accounts)."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from .events.ontology import lookup
from .model import Actor, Article, Event, EventDate, Incident, Place, Result, Sentence, Span

if TYPE_CHECKING:
    from .analysis.alerts import Alert
    from .analysis.changes import Change
    from .analysis.dyads import Point
    from .analysis.signals import Rung


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
    """The inverse of event_record below (derived fields such as PLOVER and Goldstein come from the code)."""
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


# -- the model to records ------------------------------------------------------------------------------------


def actor_record(a: Actor) -> dict[str, Any]:
    return {
        "name": a.name,
        "country": a.country,
        "sectors": list(a.sectors),
        "text": a.text,
        "start": a.start,
        "end": a.end,
        "id": a.id,
        "reason": a.reason,
    }


def date_record(d: EventDate) -> dict[str, Any]:
    return {
        "start": d.start.isoformat() if d.start else None,
        "end": d.end.isoformat() if d.end else None,
        "precision": d.precision,
        "reason": d.reason,
        "text": d.text,
    }


def place_record(p: Place | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid}


def article_record(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "url": a.url,
        "title": a.title,
        "published": a.published.isoformat() if a.published else None,
        "source": a.source,
    }


def event_record(ev: Event, article: Article) -> dict[str, Any]:
    """One event as the JSONL contract: extend it, never rename or drop a field."""
    code = lookup(ev.cameo)
    return {
        "id": ev.id,
        "article": article_record(article),
        "sentence_index": ev.sentence_index,
        "evidence": {"text": ev.evidence.text, "start": ev.evidence.start, "end": ev.evidence.end},
        "trigger": {"text": ev.trigger.text, "start": ev.trigger.start, "end": ev.trigger.end},
        "cameo": ev.cameo,
        "cameo_root": ev.cameo_root,
        "cameo_name": code.name,
        "plover": {"type": code.plover.type, "mode": code.plover.mode, "context": list(code.plover.context)},
        "quad_class": code.quad_class,
        "goldstein": code.goldstein,
        "source": [actor_record(a) for a in ev.source],
        "target": [actor_record(a) for a in ev.target],
        "intermediary": [actor_record(a) for a in ev.intermediary],
        "date": date_record(ev.date),
        "place": place_record(ev.place),
        "certainty": ev.certainty,
        "attributed_to": ev.attributed_to,
        "confidence": ev.confidence,
        "symmetric": ev.symmetric,
        "coder": {"name": ev.coder, "version": ev.coder_version, "pattern": ev.pattern},
    }


def incident_record(inc: Incident) -> dict[str, Any]:
    """One incident as JSON: the best report's fields, then every account (the disagreements kept)."""
    return {
        "id": inc.id,
        "cameo": inc.cameo,
        "cameo_name": inc.cameo_name,
        "plover_type": inc.plover_type,
        "quad_class": inc.quad_class,
        "goldstein": inc.goldstein,
        "date": date_record(inc.date),
        "spread": [inc.spread[0].isoformat(), inc.spread[1].isoformat()] if inc.spread else None,
        "place": place_record(inc.place),
        "source": [actor_record(a) for a in inc.source],
        "target": [actor_record(a) for a in inc.target],
        "intermediary": [actor_record(a) for a in inc.intermediary],
        "certainty": inc.certainty,
        "certainties": inc.certainties,
        "mentions": inc.mentions,
        "independent_sources": inc.independent_sources,
        "publishers": list(inc.publishers),
        "first_report": inc.first_report.isoformat() if inc.first_report else None,
        "last_report": inc.last_report.isoformat() if inc.last_report else None,
        "evidence": {"text": inc.evidence.text, "start": inc.evidence.start, "end": inc.evidence.end},
        "article_id": inc.article_id,
        "accounts": [
            {
                "event_id": a.event_id,
                "article_id": a.article_id,
                "publisher": a.publisher,
                "published": a.published.isoformat() if a.published else None,
                "certainty": a.certainty,
                "attributed_to": a.attributed_to,
                "sentence_index": a.sentence_index,
                "evidence": a.evidence,
                "mentions": a.mentions,
                "denial": a.denial,
            }
            for a in inc.accounts
        ],
    }


def point_record(p: Point) -> dict[str, object]:
    return {
        "period": p.period,
        "start": p.start.isoformat(),
        "incidents": p.incidents,
        "weighted": p.weighted,
        "quad1": p.quad[0],
        "quad2": p.quad[1],
        "quad3": p.quad[2],
        "quad4": p.quad[3],
        "plover": p.plover,
        "goldstein_sum": p.goldstein_sum,
        "goldstein_mean": None if p.goldstein_mean is None else round(p.goldstein_mean, 4),
        "weighted_goldstein": p.weighted_goldstein,
        "coverage": p.coverage,
        "per_article": None if p.per_article is None else round(p.per_article, 6),
        "incident_ids": list(p.incident_ids),
    }


def rung_record(r: Rung) -> dict[str, Any]:
    return {
        "rung": r.id,
        "label": r.label,
        "count": r.count,
        "first_seen": r.first_seen.isoformat() if r.first_seen else None,
        "last_seen": r.last_seen.isoformat() if r.last_seen else None,
        "sources": r.sources,
        "incident_ids": list(r.incident_ids),
        "latest_evidence": r.latest_evidence,
    }


def change_record(c: Change) -> dict[str, Any]:
    return {
        "period": c.period,
        "start": c.start.isoformat(),
        "value": c.value,
        "mean": c.mean,
        "sd": c.sd,
        "z": c.z,
        "direction": c.direction,
        "incident_ids": list(c.incident_ids),
    }


def alert_record(a: Alert) -> dict[str, Any]:
    return {
        "dyad": f"{a.dyad[0]}:{a.dyad[1]}",
        "kind": a.kind,
        "incident": incident_record(a.incident) if a.incident else None,
        "change": change_record(a.change) if a.change else None,
    }
