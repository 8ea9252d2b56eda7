"""Incidents: events from many articles that tell one real-world action, clustered incrementally, deterministically.

How two reports are judged the same is data (`data/incidents.toml`, which documents every rule); this module
applies it. `assign` runs inside the store's transaction for each new article, so clusters never go stale and
never need a full recluster: a new event joins the best compatible incident (complete link: compatible with
every report already in it) or starts a new one whose id derives from the event's id. The same articles
ingested in the same order always give the same incidents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlparse

from .data import load_toml
from .errors import DataFileError
from .model import CERTAINTY_STRENGTH, Account, EventDate, Incident, Place, Span, short_id
from .records import actor
from .store import clusters, read
from .store.read import Db
from .vocabulary import wordlist

_STOP = wordlist("stop_words")


@dataclass(frozen=True)
class Rules:
    """The clustering rules of data/incidents.toml."""

    slack_days: int
    fallback_window_days: int
    family: dict[str, str]
    converse: frozenset[frozenset[str]]

    def family_of(self, cameo: str) -> str:
        root = cameo[:2]
        return self.family.get(root, root)


@cache
def rules() -> Rules:
    raw = load_toml("incidents.toml")
    try:
        family = {root: str(f["name"]) for f in raw.get("family", []) for root in f["roots"]}
        converse = frozenset(frozenset(c["codes"]) for c in raw.get("converse", []))
        return Rules(int(raw["slack_days"]), int(raw["fallback_window_days"]), family, converse)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"data/incidents.toml is missing or mistypes a field ({exc}); see its header") from exc


@dataclass(frozen=True)
class _Report:
    """What clustering compares: one stored event reduced to its identity features."""

    event_id: str
    article_id: str
    sentence_index: int
    cameo: str
    family: str
    lo: str | None
    hi: str | None
    place_country: str | None
    place_name: str | None
    sources: frozenset[str]
    targets: frozenset[str]
    symmetric: bool
    words: frozenset[str]
    publisher: str


def publisher(source: str | None, url: str | None, article_id: str) -> str:
    """Who published an article: its source name, else its web host, else the article itself (counted alone)."""
    if source:
        return source
    if url:
        host = urlparse(url).netloc.lower().removeprefix("www.")
        if host:
            return host
    return f"article {article_id}"


def _keys(actors: Iterable[dict[str, Any]]) -> frozenset[str]:
    return frozenset(a["country"] or "n:" + str(a["name"]).lower() for a in actors)


def window(rec: dict[str, Any], r: Rules) -> tuple[str | None, str | None]:
    """The dates an event may have happened on, widened by the slack; (None, None) when undated."""
    d = rec["date"]
    if not d.get("start"):
        return None, None
    lo, hi = date.fromisoformat(d["start"]), date.fromisoformat(d.get("end") or d["start"])
    if d.get("reason") == "publication-fallback":
        lo = hi - timedelta(days=r.fallback_window_days)
    slack = timedelta(days=r.slack_days)
    return (lo - slack).isoformat(), (hi + slack).isoformat()


def _report(event_id: str, rec: dict[str, Any], pub: str, r: Rules) -> _Report:
    lo, hi = window(rec, r)
    place = rec.get("place") or {}
    words = frozenset(w for w in re.findall(r"[a-z]{4,}", rec["evidence"]["text"].lower()) if w not in _STOP)
    return _Report(
        event_id=event_id,
        article_id=rec["article"]["id"],
        sentence_index=int(rec["sentence_index"]),
        cameo=rec["cameo"],
        family=r.family_of(rec["cameo"]),
        lo=lo,
        hi=hi,
        place_country=place.get("country"),
        place_name=place.get("name"),
        sources=_keys(rec["source"]),
        targets=_keys(rec["target"]),
        symmetric=bool(rec.get("symmetric")),
        words=words,
        publisher=pub,
    )


def _sides_ok(s1: frozenset[str], t1: frozenset[str], s2: frozenset[str], t2: frozenset[str]) -> bool:
    def side(a: frozenset[str], b: frozenset[str]) -> bool:
        return not a or not b or bool(a & b)

    return side(s1, s2) and side(t1, t2) and bool(s1 & s2 or t1 & t2)


def compatible(a: _Report, b: _Report, r: Rules) -> bool:
    """Whether two reports may tell the same action (the date test is done on the incident's window)."""
    if a.article_id == b.article_id and a.sentence_index == b.sentence_index:
        return False
    if a.family != b.family:
        return False
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return False
    if frozenset((a.cameo, b.cameo)) in r.converse and a.cameo != b.cameo:
        return _sides_ok(a.sources, a.targets, b.targets, b.sources)
    if _sides_ok(a.sources, a.targets, b.sources, b.targets):
        return True
    return (a.symmetric or b.symmetric) and _sides_ok(a.sources, a.targets, b.targets, b.sources)


def similarity(a: _Report, b: _Report) -> float:
    same_code = 1.0 if a.cameo == b.cameo else 0.0
    same_place = 0.5 if a.place_name and a.place_name == b.place_name else 0.0
    union = a.words | b.words
    return same_code + same_place + (len(a.words & b.words) / len(union) if union else 0.0)


class _Clusterer:
    """Assigns events to incidents on one connection, caching the reports it has read during one call."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.rules = rules()
        self.cache: dict[str, _Report] = {}

    def reports(self, rows: list[clusters.ReportRow]) -> list[_Report]:
        out = []
        for eid, record, source, url, aid in rows:
            if eid not in self.cache:
                self.cache[eid] = _report(eid, json.loads(record), publisher(source, url, aid), self.rules)
            out.append(self.cache[eid])
        return out

    def members(self, incident_id: str) -> list[_Report]:
        return self.reports(clusters.member_rows(self.db, incident_id))

    def assign(self, report: _Report) -> str:
        keys = sorted(f"{report.family}|{k}" for k in report.sources | report.targets)
        best: tuple[float, str, str | None, str | None] | None = None
        if keys:
            for iid, lo, hi in clusters.candidates(self.db, keys, report.lo, report.hi):
                members = self.members(iid)
                if not members or not all(compatible(report, m, self.rules) for m in members):
                    continue
                score = sum(similarity(report, m) for m in members) / len(members)
                if best is None or score > best[0]:
                    best = (score, iid, lo, hi)
        if best is None:
            iid = short_id("i", report.event_id)
            clusters.new_incident(self.db, iid, report.family, report.lo, report.hi, report.event_id)
        else:
            _, iid, lo, hi = best
            if report.lo is not None and lo is not None and hi is not None:
                clusters.narrow(self.db, iid, max(lo, report.lo), min(hi, str(report.hi)))
        clusters.join(self.db, report.event_id, iid, keys)
        return iid


def assign(db: Db, event_ids: Sequence[str]) -> dict[str, str]:
    """Put stored events (not yet in an incident) into incidents, in the order given; {event id: incident id}."""
    if not event_ids:
        return {}
    c = _Clusterer(db)
    out: dict[str, str] = {}
    for eid in event_ids:
        found = c.reports(clusters.unclustered_row(db, eid))
        if found:
            out[eid] = c.assign(found[0])
    return out


def assign_pending(db: Db, batch: int = 5000) -> int:
    """Cluster every stored event that has no incident yet, in storage order (upgrades, bulk loads)."""
    done = 0
    while True:
        ids = clusters.pending_events(db, batch)
        if not ids:
            return done
        done += len(assign(db, ids))


# -- reading incidents back ---------------------------------------------------------------------------------


def _width(rec: dict[str, Any]) -> float:
    d = rec["date"]
    if not d.get("start"):
        return float("inf")
    if d.get("reason") == "publication-fallback":
        return float(rules().fallback_window_days)
    return float((date.fromisoformat(d.get("end") or d["start"]) - date.fromisoformat(d["start"])).days)


def _incident(iid: str, members: list[tuple[dict[str, Any], str, date | None]]) -> Incident:
    best = min(
        range(len(members)),
        key=lambda i: (
            -CERTAINTY_STRENGTH[members[i][0]["certainty"]],
            _width(members[i][0]),
            -float(members[i][0]["confidence"]),
            i,
        ),
    )
    rec = members[best][0]
    d = rec["date"]
    place = rec.get("place")
    strongest = max((m[0]["certainty"] for m in members), key=lambda c: CERTAINTY_STRENGTH[c])
    accounts = tuple(
        Account(
            event_id=m["id"],
            article_id=m["article"]["id"],
            publisher=pub,
            published=published,
            certainty=m["certainty"],
            attributed_to=m.get("attributed_to"),
            sentence_index=int(m["sentence_index"]),
            evidence=m["evidence"]["text"],
        )
        for m, pub, published in members
    )
    return Incident(
        id=iid,
        cameo=rec["cameo"],
        cameo_name=rec.get("cameo_name") or "",
        plover_type=rec["plover"]["type"],
        quad_class=int(rec["quad_class"]),
        goldstein=float(rec["goldstein"]),
        date=EventDate(
            date.fromisoformat(d["start"]) if d.get("start") else None,
            date.fromisoformat(d["end"]) if d.get("end") else None,
            d.get("precision", "unknown"),
            d.get("reason", "unknown"),
            d.get("text"),
        ),
        place=Place(place["name"], place.get("country"), place.get("lat"), place.get("lon"), place.get("geonameid"))
        if place
        else None,
        source=tuple(actor(x) for x in rec["source"]),
        target=tuple(actor(x) for x in rec["target"]),
        intermediary=tuple(actor(x) for x in rec.get("intermediary", [])),
        certainty=strongest,
        evidence=Span(rec["evidence"]["text"], rec["evidence"]["start"], rec["evidence"]["end"]),
        article_id=rec["article"]["id"],
        accounts=accounts,
    )


def _order(inc: Incident) -> tuple[bool, str, str, str]:
    start = inc.date.start.isoformat() if inc.date.start else ""
    end = inc.date.end.isoformat() if inc.date.end else ""
    return (inc.date.start is None, start, end, inc.id)


def load(
    db: Db,
    *,
    dyad: tuple[str, str] | None = None,
    directed: bool = False,
    ids: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Incident]:
    """Incidents (all, of a dyad, or by id), ordered by when they happened; undated ones last."""
    rows = read.incident_rows(db, dyad=dyad, directed=directed, ids=ids)
    grouped: dict[str, list[tuple[dict[str, Any], str, date | None]]] = {}
    for iid, record, source, url, aid, published in rows:
        grouped.setdefault(iid, []).append(
            (json.loads(record), publisher(source, url, aid), date.fromisoformat(published) if published else None)
        )
    out = [_incident(iid, members) for iid, members in grouped.items()]
    if since is not None:
        out = [i for i in out if i.date.end is None or i.date.end >= since]
    if until is not None:
        out = [i for i in out if i.date.start is None or i.date.start <= until]
    return sorted(out, key=_order)
