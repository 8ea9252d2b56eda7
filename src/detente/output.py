"""Event records shown to people and tools: JSONL lines, the flat CSV columns, and a table (the records themselves
are made in records.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

SHOW_FORMATS = ("jsonl", "table", "csv")  # what `code` and the reading commands print; files: export.EXPORT_FORMATS


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
