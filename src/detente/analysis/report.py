"""Incidents, dyad series, signal ladders and alerts as a table for people, JSONL or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from ..model import Incident
from ..records import alert_record, change_record, incident_record, point_record, rung_record
from .alerts import Alert
from .changes import Change
from .dyads import Series, values
from .signals import Rung

BARS = "▁▂▃▄▅▆▇█"


def sparkline(xs: Sequence[float]) -> str:
    """One character per value, ▁ for the lowest and █ for the highest (a blank for exactly zero)."""
    if not xs:
        return ""
    lo, hi = min(0.0, min(xs)), max(xs)
    span = hi - lo or 1.0
    top = len(BARS) - 1
    return "".join(" " if x == 0 else BARS[min(top, int((x - lo) / span * top + 0.5))] for x in xs)


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in r.items()})
    return buf.getvalue()


def _when(inc: Incident) -> str:
    d = inc.date
    if d.start is None:
        return "unknown"
    if d.precision == "year":
        return str(d.start.year)
    if d.precision == "month":
        return d.start.strftime("%Y-%m")
    if d.end and d.end != d.start:
        return f"{d.start}..{d.end}"
    return d.start.isoformat()


def _who(actors: Sequence[Any]) -> str:
    return "; ".join(f"{a.name} [{a.country or '?'}]" for a in actors) or "-"


def incident_flat(inc: Incident) -> dict[str, Any]:
    return {
        "id": inc.id,
        "date_start": inc.date.start.isoformat() if inc.date.start else None,
        "date_end": inc.date.end.isoformat() if inc.date.end else None,
        "date_precision": inc.date.precision,
        "date_spread": f"{inc.spread[0].isoformat()}..{inc.spread[1].isoformat()}" if inc.spread else None,
        "cameo": inc.cameo,
        "cameo_name": inc.cameo_name,
        "plover_type": inc.plover_type,
        "quad_class": inc.quad_class,
        "goldstein": inc.goldstein,
        "source": "; ".join(a.name for a in inc.source),
        "source_country": ";".join(a.country or "" for a in inc.source),
        "target": "; ".join(a.name for a in inc.target),
        "target_country": ";".join(a.country or "" for a in inc.target),
        "place": inc.place.name if inc.place else None,
        "certainty": inc.certainty,
        "certainties": ";".join(f"{k}={v}" for k, v in sorted(inc.certainties.items())),
        "mentions": inc.mentions,
        "independent_sources": inc.independent_sources,
        "publishers": ";".join(inc.publishers),
        "first_report": inc.first_report.isoformat() if inc.first_report else None,
        "last_report": inc.last_report.isoformat() if inc.last_report else None,
        "evidence": inc.evidence.text,
    }


def incidents(incs: Sequence[Incident], fmt: str) -> str:
    if fmt == "jsonl":
        return _jsonl([incident_record(i) for i in incs])
    if fmt == "csv":
        return _csv([incident_flat(i) for i in incs])
    if not incs:
        return "no incidents\n"
    lines = []
    for i in incs:
        tally = ", ".join(f"{v} {k}" for k, v in i.certainties.items())
        disagree = f"  ({tally})" if len(i.certainties) > 1 else ""
        spread = i.spread
        told = (
            f"  (reports say {spread[0].isoformat()}..{spread[1].isoformat()})"
            if spread and spread[0] < spread[1]
            else ""
        )
        lines.append(
            f"{_when(i):<22} {i.cameo:<5} {i.plover_type:<11} {i.certainty:<12} "
            f"{len(i.accounts)} account(s), {i.independent_sources} source(s){disagree}{told}"
        )
        place = f"   at {i.place.name}" if i.place else ""
        lines.append(f"    {_who(i.source)}  ->  {_who(i.target)}{place}")
        if i.intermediary:
            lines.append(f"    via {_who(i.intermediary)}")
        text = i.evidence.text
        lines.append(f"    \u201c{text if len(text) <= 160 else text[:157] + '...'}\u201d")
    lines.append(f"{len(incs)} incident(s)")
    return "\n".join(lines) + "\n"


def series(s: Series, fmt: str, metric: str = "weighted") -> str:
    rows = [point_record(p) for p in s.points]
    if fmt == "jsonl":
        return _jsonl(rows)
    if fmt == "csv":
        plovers = [";".join(f"{k}={v}" for k, v in p.plover.items()) for p in s.points]
        return _csv([{**r, "plover": pl} for r, pl in zip(rows, plovers, strict=True)])
    a, b = s.dyad
    head = f"{a} {'->' if s.directed else '<->'} {b}, by {s.by} of {'event date' if s.basis == 'event' else 'report'}"
    if not s.points:
        return f"{head}: no dated incidents ({s.undated} undated)\n"
    lines = [
        head,
        f"{metric} {sparkline(values(s.points, metric))}",
        f"{'period':<9} {'inc':>4} {'wtd':>6} {'q1':>3} {'q2':>3} {'q3':>3} {'q4':>3} {'gold':>7} {'mean':>6} "
        f"{'cover':>5} {'/art':>6}  types",
    ]
    for p in s.points:
        if not p.incidents:
            continue
        mean = "" if p.goldstein_mean is None else f"{p.goldstein_mean:.2f}"
        rate = "" if p.per_article is None else f"{p.per_article:.3f}"
        types = ", ".join(f"{k} {v}" for k, v in p.plover.items())
        lines.append(
            f"{p.period:<9} {p.incidents:>4} {p.weighted:>6.2f} {p.quad[0]:>3} {p.quad[1]:>3} {p.quad[2]:>3} "
            f"{p.quad[3]:>3} {p.goldstein_sum:>7.1f} {mean:>6} {p.coverage:>5} {rate:>6}  {types}"
        )
    empty = sum(1 for p in s.points if not p.incidents)
    lines.append(
        f"{sum(p.incidents for p in s.points)} incident(s) in {len(s.points)} {s.by}(s) ({empty} empty, not listed); "
        f"{s.undated} undated; {s.coverage} article(s) mention both sides"
    )
    return "\n".join(lines) + "\n"


def signals(rungs: Sequence[Rung], fmt: str, dyad: tuple[str, str]) -> str:
    rows = [rung_record(r) for r in rungs]
    if fmt == "jsonl":
        return _jsonl(rows)
    if fmt == "csv":
        return _csv(rows)
    lines = [f"relation signals {dyad[0]} <-> {dyad[1]}"]
    for r in rungs:
        seen = f"{r.first_seen} .. {r.last_seen}" if r.count else "not seen"
        lines.append(f"  {r.label:<62} {r.count:>4}   {seen}")
        if r.latest_evidence:
            text = r.latest_evidence
            lines.append(f"      latest: \u201c{text if len(text) <= 120 else text[:117] + '...'}\u201d")
    return "\n".join(lines) + "\n"


def alerts(items: Sequence[Alert], fmt: str) -> str:
    rows = [alert_record(a) for a in items]
    if fmt == "jsonl":
        return _jsonl(rows)
    if fmt == "csv":
        flat = []
        for a in items:
            base = {"dyad": f"{a.dyad[0]}:{a.dyad[1]}", "kind": a.kind}
            if a.incident:
                flat.append({**base, **incident_flat(a.incident), "z": None})
            elif a.change:
                flat.append({**base, "id": None, "date_start": a.change.start.isoformat(), "z": a.change.z})
        keys = list(dict.fromkeys(k for r in flat for k in r))
        return _csv([{k: r.get(k) for k in keys} for r in flat])
    if not items:
        return "nothing new since the last run\n"
    lines = []
    for a in items:
        d = f"{a.dyad[0]}:{a.dyad[1]}"
        if a.incident:
            i = a.incident
            lines.append(
                f"{d:<8} {a.kind:<13} {_when(i):<12} {i.cameo:<5} {i.certainty:<10} \u201c{i.evidence.text[:90]}\u201d"
            )
        elif a.change:
            c = a.change
            lines.append(
                f"{d:<8} {'change':<13} {c.period:<12} {c.direction} z={c.z:+.1f} "
                f"(value {c.value:g}, baseline {c.mean:.2f}±{c.sd:.2f})"
            )
    lines.append(f"{len(items)} alert(s)")
    return "\n".join(lines) + "\n"


def changes(flagged: Sequence[Change], fmt: str) -> str:
    rows = [change_record(c) for c in flagged]
    if fmt == "jsonl":
        return _jsonl(rows)
    if fmt == "csv":
        return _csv(rows)
    lines = [
        f"{c.period}  {c.direction:<4} z={c.z:+.2f}  value {c.value:g} (baseline {c.mean:.2f}±{c.sd:.2f})  "
        f"{len(c.incident_ids)} incident(s)"
        for c in flagged
    ]
    lines.append(f"{len(flagged)} flagged month(s)")
    return "\n".join(lines) + "\n"
