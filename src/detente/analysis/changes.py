"""Change detection on a dyad's monthly series: months that depart from the dyad's own recent history.

Method (a rolling z-score, documented so analysts can reproduce it): for each month t, the baseline is the
`window` months before it (empty months count as 0); once at least `min_history` of them exist,
z = (x_t - mean) / max(sd, min_sd), where x is the certainty-weighted incident count (or another metric of
`dyads.values`). A month is flagged when |z| >= `threshold`: "up" when the dyad suddenly did more, "down" when
it fell silent or its Goldstein sum turned. `min_sd` keeps a flat, quiet history from turning one event into
an infinite z. Each flag carries the incidents that drive it, strongest first (certainty weight times
|Goldstein|, then date).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from ..incidents import load
from ..store import Store
from .dyads import Point, certainty_weights, series, values

WINDOW = 12
MIN_HISTORY = 6
THRESHOLD = 2.5
MIN_SD = 1.0


@dataclass(frozen=True)
class Change:
    """A month whose value departs from its rolling baseline."""

    period: str
    start: date
    value: float
    mean: float
    sd: float
    z: float
    direction: str
    incident_ids: tuple[str, ...]


def zscores(
    xs: list[float], window: int = WINDOW, min_history: int = MIN_HISTORY, min_sd: float = MIN_SD
) -> list[tuple[float, float, float] | None]:
    """(mean, sd, z) per position against the `window` values before it; None while the history is short."""
    out: list[tuple[float, float, float] | None] = []
    for i, x in enumerate(xs):
        base = xs[max(0, i - window) : i]
        if len(base) < min_history:
            out.append(None)
            continue
        mean = statistics.fmean(base)
        sd = statistics.pstdev(base)
        out.append((mean, sd, (x - mean) / max(sd, min_sd)))
    return out


def detect(
    store: Store,
    a: str,
    b: str,
    *,
    metric: str = "weighted",
    window: int = WINDOW,
    min_history: int = MIN_HISTORY,
    threshold: float = THRESHOLD,
    directed: bool = False,
    points: tuple[Point, ...] | None = None,
) -> list[Change]:
    """Flagged months of the dyad's monthly event-date series, oldest first."""
    pts = points if points is not None else series(store, a, b, by="month", directed=directed).points
    xs = values(pts, metric)
    out = []
    for p, x, zs in zip(pts, xs, zscores(xs, window, min_history), strict=True):
        if zs is None or abs(zs[2]) < threshold:
            continue
        mean, sd, z = zs
        out.append(
            Change(
                period=p.period,
                start=p.start,
                value=round(x, 6),
                mean=round(mean, 6),
                sd=round(sd, 6),
                z=round(z, 3),
                direction="up" if z > 0 else "down",
                incident_ids=_drivers(store, p),
            )
        )
    return out


def _drivers(store: Store, p: Point) -> tuple[str, ...]:
    if not p.incident_ids:
        return ()
    weights = certainty_weights()
    incs = load(store.db, ids=p.incident_ids)
    incs.sort(key=lambda i: (-weights[i.certainty] * abs(i.goldstein), i.date.start or date.max, i.id))
    return tuple(i.id for i in incs)
