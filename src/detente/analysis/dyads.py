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
from ..model import CERTAINTIES
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


class _Acc:
    """A period being summed."""

    def __init__(self, start: date, coverage: int) -> None:
        self.start, self.coverage = start, coverage
        self.ids: list[str] = []
        self.quad = [0, 0, 0, 0]
        self.plover: dict[str, int] = {}
        self.w = self.g = self.wg = 0.0

    def add(self, row: _Row, w: float) -> None:
        self.ids.append(row[0])
        self.quad[row[3] - 1] += 1
        self.plover[row[5]] = self.plover.get(row[5], 0) + 1
        self.w += w
        self.g += row[4]
        self.wg += w * row[4]

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
    """The dyad's series, one Point per period from its first to its last incident (empty periods included).

    Each incident counts once, with the summary its reports give (the best-supported date, the best report's
    codes, the strongest certainty), read from the incident_pairs index in one range scan."""
    if by not in BYS:
        raise DetenteError(f"unknown period {by!r}; use one of {', '.join(BYS)}")
    if basis not in ("event", "report"):
        raise DetenteError(f"unknown basis {basis!r}; use 'event' (when it happened) or 'report' (when reported)")
    dyad = (a.upper(), b.upper())
    weights = certainty_weights()
    undated = 0
    dated: list[tuple[str, _Row]] = []
    lo, hi = (since.isoformat() if since else ""), (until.isoformat() if until else "~")
    for row in read.series_rows(store.db, dyad, directed):
        when = row[1] if basis == "event" else row[7]
        if not when or when == "~":
            undated += 1
        elif lo <= when <= hi:
            dated.append((when, row))
    if basis == "report":
        dated.sort(key=lambda d: (d[0], d[1][0]))
    cover = read.coverage(store.db, dyad) if basis == "report" else []
    n_cover = len(cover) if basis == "report" else read.coverage_count(store.db, dyad)
    if not dated:
        return Series(dyad, directed, by, basis, (), undated, n_cover)
    per_period: dict[str, int] = {}
    for published in cover:
        if published:
            label = period_of(date.fromisoformat(published[:10]), by)[0]
            per_period[label] = per_period.get(label, 0) + 1
    first, last = date.fromisoformat(dated[0][0]), date.fromisoformat(dated[-1][0])
    acc = {
        label: _Acc(start, per_period.get(label, 0) if basis == "report" else n_cover)
        for label, start in periods(first, last, by)
    }
    month_label: dict[str, str] = {}
    for when, row in dated:
        if by == "week":
            label = period_of(date.fromisoformat(when), by)[0]
        else:  # a month decides the label of its month, quarter and year: compute once per month
            ym = when[:7]
            label = month_label.get(ym) or month_label.setdefault(ym, period_of(date.fromisoformat(when), by)[0])
        acc[label].add(row, weights[row[6]])
    points = tuple(slot.point(label) for label, slot in acc.items())
    return Series(dyad, directed, by, basis, points, undated, n_cover)


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
