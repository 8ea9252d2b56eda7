"""Analysis over the store: dyad series, relation signals, change detection and watchlist alerts."""

from __future__ import annotations

from .alerts import Alert, Watchlist, alerts, load_watchlist
from .changes import Change, detect
from .dyads import Point, Series, certainty_weights, series
from .signals import Rung, signals

__all__ = [
    "Alert",
    "Change",
    "Point",
    "Rung",
    "Series",
    "Watchlist",
    "alerts",
    "certainty_weights",
    "detect",
    "load_watchlist",
    "series",
    "signals",
]
