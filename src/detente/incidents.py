"""Incidents: events from many articles that tell one real-world action, clustered incrementally, deterministically.

How two reports are judged the same is data (`data/incidents.toml`, which documents every rule); this module
applies it. `assign` runs inside the store's transaction for each new article, so clusters never go stale and
never need a full recluster: a new event joins the best compatible incident (complete link: compatible with
every report already in it) or starts a new one whose id derives from the event's id. The same articles
ingested in the same order always give the same incidents, and an event never leaves its incident. Each join
rewrites the incident's summary row and its country pairs, which series and pages read without the reports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlparse

from .actors.gazetteer import countries_named
from .data import load_toml
from .errors import DataFileError
from .model import (
    CERTAINTY_STRENGTH,
    Account,
    Certainty,
    EventDate,
    Incident,
    Place,
    Span,
    after_publication,
    short_id,
)
from .queries import IncidentFilter
from .records import actor
from .store import clusters, read
from .store.read import Db
from .store.schema import pair_dirs
from .vocabulary import wordlist

_STOP = wordlist("stop_words")
_UNREAL = ("hypothetical", "negated")  # what a denial cannot deny: it was never said to happen
UNKNOWN_PUBLISHER = "publisher unknown"


@dataclass(frozen=True)
class Rules:
    """The clustering rules of data/incidents.toml."""

    slack_days: int
    fallback_window_days: int
    weak_min_overlap: float
    undated_min_overlap: float
    max_apart_days: int
    precise_days: int
    weak_max_width: int
    denial_codes: tuple[str, ...]
    denial_reach: int
    two_level_suffixes: frozenset[str]
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
        return Rules(
            int(raw["slack_days"]),
            int(raw["fallback_window_days"]),
            float(raw["weak_min_overlap"]),
            float(raw["undated_min_overlap"]),
            int(raw["max_apart_days"]),
            int(raw["precise_days"]),
            int(raw["weak_max_width"]),
            tuple(raw["denial_codes"]),
            int(raw["denial_reach"]),
            frozenset(raw["two_level_suffixes"]),
            family,
            converse,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"data/incidents.toml is missing or mistypes a field ({exc}); see its header") from exc


@dataclass(frozen=True)
class _Report:
    """What clustering compares: one stored event reduced to its identity features and summary fields."""

    event_id: str
    article_id: str
    sentence_index: int
    cameo: str
    family: str
    lo: str | None  # the dates it may have happened on, widened by the slack; None when undated
    hi: str | None
    textual: bool  # dated by the text itself, not by the publication date
    start: str | None
    end: str | None
    published: str | None
    place_country: str | None
    place_name: str | None
    sources: frozenset[str]
    targets: frozenset[str]
    symmetric: bool
    words: frozenset[str]
    publisher: str
    certainty: str
    confidence: float
    quad_class: int
    goldstein: float
    plover_type: str
    pairs: tuple[tuple[str, str, int], ...]
    evidence: str

    @property
    def full(self) -> bool:
        """Both sides are named."""
        return bool(self.sources) and bool(self.targets)

    def publication_window(self, r: Rules) -> tuple[str | None, str | None]:
        """When an undated report's action may have happened, for joining a dated incident: up to
        `max_apart_days` before its publication."""
        if not self.published:
            return None, None
        pub = date.fromisoformat(self.published[:10])
        lo = pub - timedelta(days=r.max_apart_days + r.slack_days)
        return lo.isoformat(), (pub + timedelta(days=r.slack_days)).isoformat()

    @property
    def width(self) -> float:
        if self.start is None:
            return float("inf")
        if not self.textual:
            return float(rules().fallback_window_days)
        return float((date.fromisoformat(self.end or self.start) - date.fromisoformat(self.start)).days)


def registered_domain(host: str, r: Rules | None = None) -> str:
    """news.bbc.co.uk -> bbc.co.uk, edition.cnn.com -> cnn.com: one publisher however many hosts it uses."""
    labels = host.lower().split(":")[0].strip(".").split(".")
    n = 3 if len(labels) >= 3 and ".".join(labels[-2:]) in (r or rules()).two_level_suffixes else 2
    return ".".join(labels[-n:])


def publisher(source: str | None, url: str | None, article_id: str = "") -> str:
    """Who published an article: its source name, else its URL's registered domain; articles with neither
    share one publisher, so they count as one independent source together, not one each."""
    if source:
        return source
    if url:
        host = urlparse(url).netloc
        if host:
            return registered_domain(host)
    return UNKNOWN_PUBLISHER


def _keys(actors: Iterable[dict[str, Any]]) -> frozenset[str]:
    return frozenset(a["country"] or "n:" + str(a["name"]).lower() for a in actors)


def effective_date(rec: dict[str, Any], published: str | None) -> tuple[str | None, str | None]:
    """The event's dates, or (None, None) when undated or impossible: a past event dated after its article's
    publication (a hypothetical one may lie ahead)."""
    d = rec["date"]
    start, end = d.get("start"), d.get("end") or d.get("start")
    if not start:
        return None, None
    if published and after_publication(date.fromisoformat(start), date.fromisoformat(published[:10]), rec["certainty"]):
        return None, None
    return start, end


def _window(start: str | None, end: str | None, fallback: bool, r: Rules) -> tuple[str | None, str | None]:
    """The dates an event may have happened on, widened by the slack; (None, None) when undated."""
    if start is None:
        return None, None
    lo, hi = date.fromisoformat(start), date.fromisoformat(end or start)
    if fallback:
        lo = hi - timedelta(days=r.fallback_window_days)
    slack = timedelta(days=r.slack_days)
    return (lo - slack).isoformat(), (hi + slack).isoformat()


def _pairs(rec: dict[str, Any]) -> tuple[tuple[str, str, int], ...]:
    """The event's (lo, hi, dirs) country pairs, as the store's event_pairs."""
    found: dict[tuple[str, str], int] = {}
    for x in rec["source"]:
        for y in rec["target"]:
            if x.get("country") is not None and y.get("country") is not None:
                lo, hi, d = pair_dirs(x["country"], y["country"])
                found[(lo, hi)] = found.get((lo, hi), 0) | d
    return tuple((lo, hi, d) for (lo, hi), d in sorted(found.items()))


def _report(row: clusters.ReportRow, r: Rules) -> _Report:
    event_id, record, source, url, article_id, published = row
    rec = json.loads(record)
    start, end = effective_date(rec, published)
    fallback = rec["date"].get("reason") == "publication-fallback"
    lo, hi = _window(start, end, fallback, r)
    place = rec.get("place") or {}
    words = frozenset(w for w in re.findall(r"[a-z]{4,}", rec["evidence"]["text"].lower()) if w not in _STOP)
    return _Report(
        event_id=event_id,
        article_id=article_id,
        sentence_index=int(rec["sentence_index"]),
        cameo=rec["cameo"],
        family=r.family_of(rec["cameo"]),
        lo=lo,
        hi=hi,
        textual=start is not None and not fallback,
        start=start,
        end=end,
        published=published[:10] if published else None,
        place_country=place.get("country"),
        place_name=place.get("name"),
        sources=_keys(rec["source"]),
        targets=_keys(rec["target"]),
        symmetric=bool(rec.get("symmetric")),
        words=words,
        publisher=publisher(source, url, article_id),
        certainty=rec["certainty"],
        confidence=float(rec["confidence"]),
        quad_class=int(rec["quad_class"]),
        goldstein=float(rec["goldstein"]),
        plover_type=rec["plover"]["type"],
        pairs=_pairs(rec),
        evidence=rec["evidence"]["text"],
    )


def _sides_ok(s1: frozenset[str], t1: frozenset[str], s2: frozenset[str], t2: frozenset[str]) -> bool:
    def side(a: frozenset[str], b: frozenset[str]) -> bool:
        return not a or not b or bool(a & b)

    return side(s1, s2) and side(t1, t2) and bool(s1 & s2 or t1 & t2)


def _overlap(a: _Report, b: _Report) -> float:
    union = a.words | b.words
    return len(a.words & b.words) / len(union) if union else 0.0


def days_apart(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> int:
    """Days between two date ranges (start, end), 0 when they overlap ("late March" and March 31)."""
    a_start, a_end = date.fromisoformat(str(a[0])), date.fromisoformat(str(a[1] or a[0]))
    b_start, b_end = date.fromisoformat(str(b[0])), date.fromisoformat(str(b[1] or b[0]))
    return max(0, (b_start - a_end).days, (a_start - b_end).days)


def _bucket_keys(report: _Report, lo: str | None, hi: str | None) -> list[str]:
    """The lookup keys of a report: its action family, a side's country (or name) and each week its window
    touches, so finding candidates reads a few recent incidents, not every one that ever involved the country."""
    if lo is None or hi is None:
        return []
    weeks = range(date.fromisoformat(lo).toordinal() // 7, date.fromisoformat(hi).toordinal() // 7 + 1)
    return sorted(f"{report.family}|{k}|{w}" for k in report.sources | report.targets for w in weeks)


def _windows_meet(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    return None not in (*a, *b) and str(a[0]) <= str(b[1]) and str(b[0]) <= str(a[1])


def compatible(a: _Report, b: _Report, r: Rules) -> bool:
    """Whether two reports may tell the same action (dated reports' dates are checked on the incident's window)."""
    same_article = a.article_id == b.article_id
    if same_article and a.sentence_index == b.sentence_index:
        return False
    if a.family != b.family:
        return False
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return False
    converse = frozenset((a.cameo, b.cameo)) in r.converse and a.cameo != b.cameo
    if converse:
        sides = _sides_ok(a.sources, a.targets, b.targets, b.sources)
    else:
        sides = _sides_ok(a.sources, a.targets, b.sources, b.targets) or (
            (a.symmetric or b.symmetric) and _sides_ok(a.sources, a.targets, b.targets, b.sources)
        )
    if not sides:
        return False
    same_root = a.cameo[:2] == b.cameo[:2]
    if same_article:  # one article telling one action twice: its context ties them, when they agree
        return (
            same_root
            and _windows_meet((a.lo, a.hi), (b.lo, b.hi))
            and ((_international(a) and _international(b)) or _overlap(a, b) >= r.weak_min_overlap)
        )
    if not (a.textual and b.textual):  # undated, or dated only by publication: see _content_ok
        if a.textual == b.textual:
            return False  # two such reports never meet
        dated, other = (a, b) if a.textual else (b, a)
        return (
            _international(a)
            and _international(b)
            and same_root
            and _windows_meet((dated.lo, dated.hi), other.publication_window(r))
        )
    if days_apart((a.start, a.end), (b.start, b.end)) > r.max_apart_days:
        return False
    if not (_plain(a, r) and _plain(b, r)):  # strong agreement otherwise
        if (a.cameo == b.cameo or converse) and _international(a) and _international(b):
            return True
        narrow = a.width <= r.weak_max_width and b.width <= r.weak_max_width  # "late March", not "in June"
        return same_root and narrow and _overlap(a, b) >= r.weak_min_overlap
    return True


def _international(a: _Report) -> bool:
    return a.full and a.sources != a.targets


def _content_ok(members: Sequence[_Report], r: Rules) -> bool:
    """Each report that lacks a date of its own (undated, or dated only by its publication) must match the
    words of the dated reports on average, and there must be one: such a report never anchors an incident."""
    dated = [m for m in members if m.textual]
    loose = [m for m in members if not m.textual]
    if not loose:
        return True
    return bool(dated) and all(sum(_overlap(x, m) for m in dated) / len(dated) >= r.undated_min_overlap for x in loose)


def _plain(a: _Report, r: Rules) -> bool:
    """A report that can join others on sides and dates alone: both sides named, countries that differ (a
    domestic pair says too little: one country, many stories), and a date of the text no wider than
    `precise_days`."""
    return _international(a) and a.textual and a.width <= r.precise_days


def similarity(a: _Report, b: _Report) -> float:
    same_code = 1.0 if a.cameo == b.cameo else 0.0
    same_place = 0.5 if a.place_name and a.place_name == b.place_name else 0.0
    return same_code + same_place + _overlap(a, b)


def _best(members: Sequence[_Report]) -> _Report:
    """The best-evidenced report: the surest certainty, then the narrowest date, then the coder's confidence."""
    return min(members, key=lambda m: (-CERTAINTY_STRENGTH[m.certainty], m.width, -m.confidence, members.index(m)))


def best_dates(members: Sequence[_Report]) -> tuple[str | None, str | None, str | None, str | None]:
    """(start, end, spread start, spread end): the date most articles give (the text's own dates before
    publication fallbacks; ties to the narrowest, then the best report's), and the range of those reports' starts."""
    dated = [m for m in members if m.start is not None]
    if not dated:
        return None, None, None, None
    pool = [m for m in dated if m.textual] or dated
    support: dict[tuple[str, str], set[str]] = {}
    for m in pool:
        support.setdefault((str(m.start), str(m.end)), set()).add(m.article_id)
    best = _best(pool)
    start, end = max(
        support,
        key=lambda k: (
            len(support[k]),
            -(date.fromisoformat(k[1]) - date.fromisoformat(k[0])).days,
            k == (best.start, best.end),
        ),
    )
    spread = [str(m.start) for m in pool]
    return start, end, min(spread), max(spread)


class _Clusterer:
    """Assigns events to incidents inside one transaction (nothing else writes meanwhile), caching each
    incident's reports as read or joined, up to `CACHE_INCIDENTS` incidents."""

    CACHE_INCIDENTS = 200_000

    def __init__(self, db: Db) -> None:
        self.db = db
        self.rules = rules()
        self.cache: dict[str, list[_Report]] = {}  # incident id: its reports
        self.placed: dict[str, tuple[_Report, str]] = {}  # this batch's events: report and incident

    def members(self, incident_id: str) -> list[_Report]:
        found = self.cache.get(incident_id)
        if found is None:
            if len(self.cache) >= self.CACHE_INCIDENTS:
                self.cache.clear()
            found = [_report(row, self.rules) for row in clusters.member_rows(self.db, incident_id)]
            self.cache[incident_id] = found
        return found

    def assign(self, report: _Report) -> str:
        r = self.rules
        lo, hi = (report.lo, report.hi) if report.lo is not None else report.publication_window(r)
        keys = _bucket_keys(report, lo, hi)
        best: tuple[float, str, list[_Report]] | None = None
        if keys and lo is not None and hi is not None:
            for iid, incident_dated in clusters.candidates(self.db, keys, lo, hi):
                if report.lo is None and not incident_dated:
                    continue  # two undated reports never meet
                members = self.members(iid)
                if not members or not _content_ok([*members, report], r):
                    continue
                # two reports that lack a date of their own are each checked against the dated ones only
                if not all(compatible(report, m, r) for m in members if report.textual or m.textual):
                    continue
                score = sum(similarity(report, m) for m in members) / len(members)
                if best is None or score > best[0]:
                    best = (score, iid, members)
        if best is None:
            iid, members = short_id("i", report.event_id), []
            clusters.new_incident(self.db, iid, report.family, lo, hi, report.lo is not None, report.event_id)
        else:
            _, iid, members = best
            dated = [m for m in members if m.lo is not None] + ([report] if report.lo is not None else [])
            if dated:
                clusters.set_window(self.db, iid, max(str(m.lo) for m in dated), min(str(m.hi) for m in dated), True)
        clusters.join(self.db, report.event_id, iid, keys)
        self.cache[iid] = [*members, report]
        self._summarize(iid, self.cache[iid], new=best is None)
        self.placed[report.event_id] = (report, iid)
        return iid

    def _summarize(self, iid: str, members: list[_Report], new: bool) -> None:
        best = _best(members)
        start, end, spread_lo, spread_hi = best_dates(members)
        strongest = max((m.certainty for m in members), key=lambda c: CERTAINTY_STRENGTH[c])
        published = [m.published for m in members if m.published]
        first = min(published) if published else None
        dirs: dict[tuple[str, str], int] = {}
        for m in members:
            for a, b, d in m.pairs:
                dirs[(a, b)] = dirs.get((a, b), 0) | d
        pairs = [
            (a, b, start or "~", iid, d, end, best.quad_class, best.goldstein, best.plover_type, strongest, first)
            for (a, b), d in sorted(dirs.items())
        ]
        n_sources = len({m.publisher for m in members})
        clusters.summarize(
            self.db, iid, best.event_id, (start, end, spread_lo, spread_hi), n_sources, first, pairs, new=new
        )

    def link_denials(self) -> None:
        """Attach each denial placed in this call to the incident it denies: the nearest act told earlier in its
        article (or in its own sentence), of another family, not hypothetical or negated, between the denier and
        a country the denial names ("reports of Israel-Pakistan trade")."""
        r = self.rules
        by_article: dict[str, list[tuple[_Report, str]]] = {}
        for report, iid in self.placed.values():
            by_article.setdefault(report.article_id, []).append((report, iid))
        for report, _ in self.placed.values():
            if not report.cameo.startswith(r.denial_codes) or not report.sources:
                continue
            named = countries_named(report.evidence)
            found: tuple[int, str] | None = None
            for other, iid in by_article[report.article_id]:
                gap = report.sentence_index - other.sentence_index
                if (
                    0 <= gap <= r.denial_reach
                    and other.family != report.family
                    and other.certainty not in _UNREAL
                    and other.full
                    and report.sources & (other.sources | other.targets)
                    and ((other.sources | other.targets) - report.sources) & named
                    and (found is None or gap < found[0])
                ):
                    found = (gap, iid)
            if found is not None:
                clusters.link(self.db, found[1], report.event_id)


def assign(db: Db, event_ids: Sequence[str], clusterer: _Clusterer | None = None) -> dict[str, str]:
    """Put stored events (not yet in an incident) into incidents, in the order given; {event id: incident id}.
    A call holds whole articles (the store clusters each written batch), so denials find what they deny."""
    if not event_ids:
        return {}
    c = clusterer or _Clusterer(db)
    c.placed = {}
    rows = {row[0]: row for row in clusters.unclustered_rows(db, event_ids)}
    out: dict[str, str] = {}
    for eid in event_ids:
        if eid in rows:
            out[eid] = c.assign(_report(rows[eid], c.rules))
    c.link_denials()
    return out


def assign_pending(db: Db, batch: int = 5000) -> int:
    """Cluster every stored event that has no incident yet, in storage order (upgrades, bulk loads)."""
    done, after = 0, 0
    c = _Clusterer(db)
    while True:
        ids, after = clusters.pending_events(db, batch, after)
        if not ids:
            return done
        done += len(assign(db, ids, c))


# -- reading incidents back ---------------------------------------------------------------------------------


def _accounts(rows: list[read.IncidentRow]) -> tuple[Account, ...]:
    """One account per article and stance: an article that tells the action twice is one account of two
    mentions; a linked denial is the denier's account, shown as denied."""
    out: dict[tuple[str, str], Account] = {}
    for _, record, source, url, aid, published, linked in rows:
        m = json.loads(record)
        certainty: Certainty = "denied" if linked else m["certainty"]
        key = (aid, certainty)
        if key in out:
            if linked:  # the article's own denied report of the act already stands for it
                continue
            prev = out[key]
            out[key] = replace(prev, mentions=prev.mentions + 1)
            continue
        out[key] = Account(
            event_id=m["id"],
            article_id=aid,
            publisher=publisher(source, url, aid),
            published=date.fromisoformat(published[:10]) if published else None,
            certainty=certainty,
            attributed_to=m.get("attributed_to"),
            sentence_index=int(m["sentence_index"]),
            evidence=m["evidence"]["text"],
            denial=bool(linked),
        )
    return tuple(out.values())


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _incident(iid: str, rows: list[read.IncidentRow], summary: read.Summary) -> Incident:
    best_id, start, end, spread_lo, spread_hi = summary
    members = [json.loads(r[1]) for r in rows if not r[6]]
    rec = next((m for m in members if m["id"] == best_id), members[0])
    # the date's precision, reason and words from a report that gives the incident's date, the best one if it does
    dated = [m for m in members if m["date"].get("start") == start and (m["date"].get("end") or start) == end]
    d = (rec if rec in dated else dated[0])["date"] if start and dated else None
    place = rec.get("place")
    strongest = max((m["certainty"] for m in members), key=lambda c: CERTAINTY_STRENGTH[c])
    return Incident(
        id=iid,
        cameo=rec["cameo"],
        cameo_name=rec.get("cameo_name") or "",
        plover_type=rec["plover"]["type"],
        quad_class=int(rec["quad_class"]),
        goldstein=float(rec["goldstein"]),
        date=EventDate(_day(start), _day(end), d.get("precision", "unknown"), d.get("reason", "unknown"), d.get("text"))
        if d
        else EventDate.unknown(),
        place=Place(place["name"], place.get("country"), place.get("lat"), place.get("lon"), place.get("geonameid"))
        if place
        else None,
        source=tuple(actor(x) for x in rec["source"]),
        target=tuple(actor(x) for x in rec["target"]),
        intermediary=tuple(actor(x) for x in rec.get("intermediary", [])),
        certainty=strongest,
        evidence=Span(rec["evidence"]["text"], rec["evidence"]["start"], rec["evidence"]["end"]),
        article_id=rec["article"]["id"],
        accounts=_accounts(rows),
        spread=(date.fromisoformat(spread_lo), date.fromisoformat(spread_hi)) if spread_lo and spread_hi else None,
    )


def by_ids(db: Db, ids: Sequence[str]) -> list[Incident]:
    """The incidents with these ids, in the order given (unknown ids are left out)."""
    if not ids:
        return []
    grouped: dict[str, list[read.IncidentRow]] = {}
    for row in read.incident_rows(db, ids):
        grouped.setdefault(row[0], []).append(row)
    summaries = read.incident_summaries(db, ids)
    return [_incident(i, grouped[i], summaries[i]) for i in ids if i in grouped and i in summaries]


def page(
    db: Db, flt: IncidentFilter | None = None, *, limit: int | None = None, offset: int = 0
) -> tuple[list[Incident], int]:
    """Incidents in the order they happened, undated last, paged in SQL; and how many undated incidents a date
    filter left out (a date-filtered query returns dated incidents only)."""
    ids, undated = read.incident_page(db, flt or IncidentFilter(), limit, offset)
    return by_ids(db, ids), undated


def load(
    db: Db,
    *,
    dyad: tuple[str, str] | None = None,
    directed: bool = False,
    ids: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Incident]:
    """Incidents (all, of a dyad, or by id), ordered by when they happened; undated ones last, and left out
    when a date filter is given."""
    if ids is not None:
        found = by_ids(db, list(dict.fromkeys(ids)))
        keep = [
            i
            for i in found
            if (since is None and until is None)
            or (
                i.date.start is not None
                and (since is None or (i.date.end or i.date.start) >= since)
                and (until is None or i.date.start <= until)
            )
        ]
        return sorted(keep, key=_order)
    return page(db, IncidentFilter(dyad, directed, since, until))[0]


def _order(inc: Incident) -> tuple[bool, str, str]:
    return (inc.date.start is None, inc.date.start.isoformat() if inc.date.start else "", inc.id)
