"""Gold-set scoring (`detente eval`), with the matching rules of shared/tools/score_gold.py."""

from __future__ import annotations

import calendar
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import GoldError

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").translate(_QUOTES)).strip().lower()


def gold_span(value: str) -> tuple[date, date]:
    """'2005' | '2005-09' | '2005-09-14' | 'A..B' as inclusive bounds."""
    if ".." in value:
        a, b = value.split("..", 1)
        return gold_span(a)[0], gold_span(b)[1]
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], parts[1], parts[2]), date(parts[0], parts[1], parts[2])


def _coded_span(ev: dict[str, Any]) -> tuple[date, date] | None:
    d = ev.get("date") or {}
    if not d.get("start") or d.get("precision") == "unknown":
        return None
    try:
        return date.fromisoformat(d["start"][:10]), date.fromisoformat((d.get("end") or d["start"])[:10])
    except ValueError:
        return None


def _countries(actors: Any) -> set[str]:
    return {str(a["country"]) for a in (actors or []) if isinstance(a, dict) and a.get("country")}


def _side(allowed: list[str], actors: Any) -> bool:
    return "*" in allowed or bool(_countries(actors) & set(allowed))


def matches(gold: dict[str, Any], ev: dict[str, Any]) -> bool:
    if norm(gold["evidence"]) not in norm((ev.get("evidence") or {}).get("text")):
        return False
    root = ev.get("cameo_root") or str(ev.get("cameo", ""))[:2]
    if root not in gold["cameo_root"]:
        return False
    src, tgt = ev.get("source"), ev.get("target")
    if _side(gold["source"], src) and _side(gold["target"], tgt):
        return True
    return bool(gold.get("symmetric")) and _side(gold["source"], tgt) and _side(gold["target"], src)


@dataclass
class Score:
    summary: dict[str, Any]
    matched: dict[str, dict[str, Any]] = field(default_factory=dict)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    negatives_hit: list[tuple[str, str]] = field(default_factory=list)
    neutral: list[dict[str, Any]] = field(default_factory=list)  # non-factual events from [[negative]] sentences


# Certainties that say an event did not (or need not) happen: from a [[negative]] sentence they count neither way.
NON_FACTUAL = {"hypothetical", "negated", "denied"}


def _in_negative(gold: dict[str, Any], ev: dict[str, Any]) -> bool:
    text = norm((ev.get("evidence") or {}).get("text"))
    return any(norm(n["evidence"]) in text for n in gold.get("negative", []))


def load_gold(path: str | Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise GoldError(f"cannot read gold file {path}: {exc.strerror}; check the path") from exc
    except tomllib.TOMLDecodeError as exc:
        raise GoldError(f"gold file {path} is not valid TOML: {exc}") from exc
    for i, g in enumerate(doc.get("event", [])):
        missing = {"id", "evidence", "source", "target", "cameo_root"} - set(g)
        if missing:
            raise GoldError(f"gold file {path}: [[event]] #{i + 1} lacks {sorted(missing)}")
    return doc


def score(gold: dict[str, Any], events: list[dict[str, Any]]) -> Score:
    golds = gold.get("event", [])
    out = Score(summary={})
    used: set[int] = set()
    for g in sorted(golds, key=lambda g: not g.get("required", True)):
        for i, ev in enumerate(events):
            if i not in used and matches(g, ev):
                out.matched[g["id"]] = ev
                used.add(i)
                break
    for i, ev in enumerate(events):
        if i in used:
            continue
        if any(g.get("symmetric") and matches(g, ev) for g in golds):
            used.add(i)
            continue
        if ev.get("certainty") in NON_FACTUAL and _in_negative(gold, ev):
            out.neutral.append(ev)  # rightly labelled as not having happened: counts neither way
            continue
        out.false_positives.append(ev)
    for neg in gold.get("negative", []):
        for ev in events:
            if norm(neg["evidence"]) in norm((ev.get("evidence") or {}).get("text")) and ev.get("certainty") in (
                "asserted",
                "reported",
            ):
                out.negatives_hit.append((neg["evidence"], str(ev.get("cameo"))))

    required = [g for g in golds if g.get("required", True)]
    got = [g for g in required if g["id"] in out.matched]
    dated = [g for g in golds if g["id"] in out.matched and g.get("date")]
    date_ok = 0
    for g in dated:
        cs = _coded_span(out.matched[g["id"]])
        lo, hi = gold_span(g["date"])
        date_ok += bool(cs and lo <= cs[0] and cs[1] <= hi)
    cert = [g for g in golds if g["id"] in out.matched and g.get("certainty")]
    cert_ok = sum(out.matched[g["id"]].get("certainty") == g["certainty"] for g in cert)
    placed = [g for g in golds if g["id"] in out.matched and g.get("location_country")]
    place_ok = sum((out.matched[g["id"]].get("place") or {}).get("country") == g["location_country"] for g in placed)
    actor_total = actor_ok = 0
    for a in gold.get("actor", []):
        last = norm(a["mention"]).split()[-1]
        found = [
            x
            for ev in events
            for x in (ev.get("source") or []) + (ev.get("target") or [])
            if isinstance(x, dict) and last in norm(x.get("text") or x.get("name"))
        ]
        if not found:
            continue
        actor_total += 1
        actor_ok += any(
            x.get("country") == a["country"] and set(x.get("sectors") or []) & set(a["roles"]) for x in found
        )
    n = len(events) - len(out.neutral)

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    out.summary = {
        "events": len(events),
        "recall": ratio(len(got), len(required)),
        "precision": round((n - len(out.false_positives)) / n, 3) if n else 0.0,
        "date_accuracy": ratio(date_ok, len(dated)),
        "certainty_accuracy": ratio(cert_ok, len(cert)),
        "place_accuracy": ratio(place_ok, len(placed)),
        "actor_accuracy": ratio(actor_ok, actor_total),
        "actors_found": f"{actor_total}/{len(gold.get('actor', []))}",
        "negatives_coded_as_fact": len(out.negatives_hit),
        "required_found": f"{len(got)}/{len(required)}",
    }
    return out


def report(gold: dict[str, Any], result: Score) -> str:
    """Per-gold-event lines, false positives and negatives, then the one-line summary."""
    lines = []
    for g in gold.get("event", []):
        ev = result.matched.get(g["id"])
        mark = "ok  " if ev else ("MISS" if g.get("required", True) else " -  ")
        detail = ""
        if ev:
            d = ev.get("date") or {}
            detail = f"{ev.get('cameo')} date={d.get('start')}..{d.get('end')} {ev.get('certainty')}"
        lines.append(f"{mark} {g['id']:<34} {detail}")
    for ev in result.false_positives:
        src = ",".join(sorted(_countries(ev.get("source"))))
        tgt = ",".join(sorted(_countries(ev.get("target"))))
        lines.append(f"FP   {ev.get('cameo')} {src}->{tgt} :: {(ev.get('evidence') or {}).get('text', '')[:90]}")
    for neg, code in result.negatives_hit:
        lines.append(f"NEG  {code} :: {neg}")
    lines.append(" ".join(f"{k}={v}" for k, v in result.summary.items()))
    return "\n".join(lines) + "\n"
