"""Dyad series: how much happened between two actors per week, month, quarter or year, counted once per incident.

Each incident of the dyad counts once, at the date it happened (`basis="event"`, the default) or at its first
report (`basis="report"`). Per period: incidents, counts per QuadClass and PLOVER type, Goldstein sum and mean,
certainty-weighted count and Goldstein sum (weights in data/dyads.toml: asserted 1.0 ... hypothetical 0,
negated 0, by the strongest certainty any report gives the incident), and a coverage-normalized rate.

Coverage is the number of articles that mention both sides (any role in any event), as the Caldara-Iacoviello
GPR index normalizes by article share. With `basis="report"` it is counted per period of publication and
`per_article` = weighted count / articles published in that period. With `basis="event"` an article of 2023
tells of 2005, so there is no per-period coverage: coverage is the store's total for the dyad and
`per_article` compares dyads rather than periods.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Literal

from ..data import load_toml
from ..errors import DataFileError, DetenteError
from ..incidents import rules
from ..model import CERTAINTIES, CERTAINTY_STRENGTH
from ..store import Store, read

By = Literal["week", "month", "quarter", "year"]
Basis = Literal["event", "report"]
BYS: tuple[str, ...] = ("week", "month", "quarter", "year")


@cache
def certainty_weights() -> dict[str, float]:
    """How much an incident counts in weighted series, by certainty (data/dyads.toml)."""
    raw = load_toml("dyads.toml").get("certainty_weights", {})
    missing = [c for c in CERTAINTIES if c not in raw]
    if missing:
        raise DataFileError(f"data/dyads.toml lacks certainty_weights for {', '.join(missing)}; add them")
    return {c: float(raw[c]) for c in CERTAINTIES}


@dataclass(frozen=True)
class Point:
    """One period of a dyad series."""

    period: str
    start: date
    incidents: int = 0
    weighted: float = 0.0
    quad: tuple[int, int, int, int] = (0, 0, 0, 0)
    plover: dict[str, int] = field(default_factory=dict)
    goldstein_sum: float = 0.0
    weighted_goldstein: float = 0.0
    coverage: int = 0
    incident_ids: tuple[str, ...] = ()

    @property
    def goldstein_mean(self) -> float | None:
        return self.goldstein_sum / self.incidents if self.incidents else None

    @property
    def per_article(self) -> float | None:
        return self.weighted / self.coverage if self.coverage else None


@dataclass(frozen=True)
class Series:
    dyad: tuple[str, str]
    directed: bool
    by: str
    basis: str
    points: tuple[Point, ...]
    undated: int
    coverage: int


def period_of(day: date, by: str) -> tuple[str, date]:
    """The label and first day of the period that holds `day`."""
    if by == "week":
        iso = day.isocalendar()
        return f"{iso.year}-W{iso.week:02d}", day - timedelta(days=day.weekday())
    if by == "month":
        return f"{day.year}-{day.month:02d}", day.replace(day=1)
    if by == "quarter":
        q = (day.month - 1) // 3
        return f"{day.year}-Q{q + 1}", date(day.year, 3 * q + 1, 1)
    if by == "year":
        return str(day.year), date(day.year, 1, 1)
    raise DetenteError(f"unknown period {by!r}; use one of {', '.join(BYS)}")


def _next(start: date, by: str) -> date:
    if by == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[by]
    m = start.month - 1 + months
    return date(start.year + m // 12, m % 12 + 1, 1)


def periods(first: date, last: date, by: str) -> list[tuple[str, date]]:
    """Every period from the one holding `first` to the one holding `last`, gaps included."""
    out = []
    _, cur = period_of(first, by)
    while cur <= last:
        out.append(period_of(cur, by))
        cur = _next(cur, by)
    return out


_Row = read.SeriesRow


def _width(row: _Row) -> float:
    if not row[2]:
        return float("inf")
    if row[4] == "publication-fallback":
        return float(rules().fallback_window_days)
    return float((date.fromisoformat(row[3] or row[2]) - date.fromisoformat(row[2])).days)


class _Acc:
    """A period being summed."""

    def __init__(self, start: date, coverage: int) -> None:
        self.start, self.coverage = start, coverage
        self.ids: list[str] = []
        self.quad = [0, 0, 0, 0]
        self.plover: dict[str, int] = {}
        self.w = self.g = self.wg = 0.0

    def add(self, iid: str, row: _Row, w: float) -> None:
        self.ids.append(iid)
        self.quad[int(row[6]) - 1] += 1
        self.plover[row[8]] = self.plover.get(row[8], 0) + 1
        self.w += w
        self.g += float(row[7])
        self.wg += w * float(row[7])

    def point(self, label: str) -> Point:
        q = self.quad
        return Point(
            period=label,
            start=self.start,
            incidents=len(self.ids),
            weighted=round(self.w, 6),
            quad=(q[0], q[1], q[2], q[3]),
            plover=dict(sorted(self.plover.items())),
            goldstein_sum=round(self.g, 6),
            weighted_goldstein=round(self.wg, 6),
            coverage=self.coverage,
            incident_ids=tuple(self.ids),
        )


def series(
    store: Store,
    a: str,
    b: str,
    *,
    by: str = "month",
    basis: str = "event",
    directed: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> Series:
    """The dyad's series, one Point per period from its first to its last incident (empty periods included)."""
    if by not in BYS:
        raise DetenteError(f"unknown period {by!r}; use one of {', '.join(BYS)}")
    if basis not in ("event", "report"):
        raise DetenteError(f"unknown basis {basis!r}; use 'event' (when it happened) or 'report' (when reported)")
    dyad = (a.upper(), b.upper())
    weights = certainty_weights()
    groups: dict[str, list[_Row]] = {}
    for row in read.series_rows(store.db, dyad, directed):
        groups.setdefault(row[1], []).append(row)
    undated = 0
    dated: list[tuple[date, str, _Row, float]] = []
    for iid, rows in groups.items():
        best = min(rows, key=lambda r: (-CERTAINTY_STRENGTH[r[9]], _width(r), -r[10]))
        strongest = max((r[9] for r in rows), key=lambda c: CERTAINTY_STRENGTH[c])
        if basis == "event":
            when = best[2]
        else:
            days = [r[5] for r in rows if r[5]]
            when = min(days) if days else None
        if not when:
            undated += 1
            continue
        day = date.fromisoformat(when[:10])
        if (since and day < since) or (until and day > until):
            continue
        dated.append((day, iid, best, weights[strongest]))
    cover = read.coverage(store.db, dyad)
    if not dated:
        return Series(dyad, directed, by, basis, (), undated, len(cover))
    per_period: dict[str, int] = {}
    if basis == "report":
        for published in cover:
            if published:
                label = period_of(date.fromisoformat(published[:10]), by)[0]
                per_period[label] = per_period.get(label, 0) + 1
    acc = {
        label: _Acc(start, per_period.get(label, 0) if basis == "report" else len(cover))
        for label, start in periods(min(d[0] for d in dated), max(d[0] for d in dated), by)
    }
    for day, iid, best, w in sorted(dated, key=lambda d: (d[0], d[1])):
        acc[period_of(day, by)[0]].add(iid, best, w)
    points = tuple(slot.point(label) for label, slot in acc.items())
    return Series(dyad, directed, by, basis, points, undated, len(cover))


def values(points: Iterable[Point], metric: str = "weighted") -> list[float]:
    """One number per point, for charts and change detection: weighted, incidents, goldstein or per_article."""
    out = []
    for p in points:
        if metric == "weighted":
            out.append(p.weighted)
        elif metric == "incidents":
            out.append(float(p.incidents))
        elif metric == "goldstein":
            out.append(p.weighted_goldstein)
        elif metric == "per_article":
            out.append(p.per_article or 0.0)
        else:
            raise DetenteError(f"unknown metric {metric!r}; use weighted, incidents, goldstein or per_article")
    return out
