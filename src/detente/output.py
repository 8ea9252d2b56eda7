"""Event records as the JSONL contract (shared/design/event-schema.md), CSV, and a table for people."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from .events.ontology import lookup
from .model import Actor, Article, Event, EventDate, Place

FORMATS = ("jsonl", "table", "csv")


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


def _who(actors: Iterable[dict[str, Any]]) -> str:
    parts = []
    for a in actors:
        tag = (a.get("country") or "?") + ("/" + "+".join(a["sectors"]) if a.get("sectors") else "")
        parts.append(f"{a['name']} [{tag}]")
    return "; ".join(parts) or "-"


def _when(d: dict[str, Any]) -> str:
    if not d.get("start"):
        return "unknown"
    start = str(d["start"])
    if d["precision"] == "year":
        return start[:4]
    if d["precision"] == "month":
        return start[:7]
    if start == d["end"]:
        return start
    return f"{d['start']}..{d['end']}"


CSV_COLUMNS = (
    "id",
    "article_id",
    "sentence_index",
    "date_start",
    "date_end",
    "date_precision",
    "cameo",
    "cameo_name",
    "plover_type",
    "quad_class",
    "goldstein",
    "source",
    "source_country",
    "target",
    "target_country",
    "place",
    "place_country",
    "certainty",
    "attributed_to",
    "confidence",
    "trigger",
    "evidence",
)


def flat(rec: dict[str, Any]) -> dict[str, Any]:
    """A record with one value per column, for CSV and tables."""
    return {
        "id": rec["id"],
        "article_id": rec["article"]["id"],
        "sentence_index": rec["sentence_index"],
        "date_start": rec["date"]["start"],
        "date_end": rec["date"]["end"],
        "date_precision": rec["date"]["precision"],
        "cameo": rec["cameo"],
        "cameo_name": rec.get("cameo_name"),
        "plover_type": rec["plover"]["type"],
        "quad_class": rec["quad_class"],
        "goldstein": rec["goldstein"],
        "source": "; ".join(a["name"] for a in rec["source"]),
        "source_country": ";".join(a["country"] or "" for a in rec["source"]),
        "target": "; ".join(a["name"] for a in rec["target"]),
        "target_country": ";".join(a["country"] or "" for a in rec["target"]),
        "place": (rec["place"] or {}).get("name"),
        "place_country": (rec["place"] or {}).get("country"),
        "certainty": rec["certainty"],
        "attributed_to": rec["attributed_to"],
        "confidence": rec["confidence"],
        "trigger": rec["trigger"]["text"],
        "evidence": rec["evidence"]["text"],
    }


def render(records: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow(flat(r))
        return buf.getvalue()
    return table(records)


def table(records: list[dict[str, Any]]) -> str:
    """A compact human-readable listing: one block per event, evidence last."""
    if not records:
        return "no events\n"
    lines = []
    for r in records:
        place = r["place"]["name"] if r["place"] else "-"
        lines.append(
            f"{_when(r['date']):<22} {r['cameo']:<5} {r.get('cameo_name') or '':<42.42} "
            f"{r['certainty']:<12} conf {r['confidence']:.2f}"
        )
        lines.append(f"    {_who(r['source'])}  ->  {_who(r['target'])}   at {place}")
        if r["intermediary"]:
            lines.append(f"    via {_who(r['intermediary'])}")
        if r["attributed_to"]:
            lines.append(f"    according to {r['attributed_to']}")
        text = r["evidence"]["text"]
        lines.append(f"    \u201c{text if len(text) <= 160 else text[:157] + '...'}\u201d")
    lines.append(f"{len(records)} event(s)")
    return "\n".join(lines) + "\n"
