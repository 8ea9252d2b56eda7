"""Watchlist alerts: what is new for the watched dyads since the last run (new incidents, new reports, changes).

A watchlist is a TOML file: `dyads = ["PAK:ISR", "IND:PAK"]` and optionally `name = "south-asia"`. The
position reached by the last run is kept in the store's `meta` table under `alerts:<name>` (the name
defaults to the file's stem), as the highest incident_events row seen; everything clustered after it is new.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import SettingsError
from ..incidents import load
from ..model import Incident
from ..store import Store, read
from .changes import Change, detect


@dataclass(frozen=True)
class Watchlist:
    name: str
    dyads: tuple[tuple[str, str], ...]


def load_watchlist(path: str | Path) -> Watchlist:
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(
            f'cannot read watchlist {p}: {exc.strerror}; create it with a line like dyads = ["PAK:ISR"]'
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"watchlist {p} is not valid TOML: {exc}") from exc
    unknown = set(raw) - {"dyads", "name"}
    if unknown:
        raise SettingsError(f"watchlist {p}: unknown keys {sorted(unknown)}; only 'dyads' and 'name' are read")
    dyads = []
    for d in raw.get("dyads", []):
        parts = str(d).upper().replace("-", ":").split(":")
        if len(parts) != 2 or not all(parts):
            raise SettingsError(f'watchlist {p}: {d!r} is not a dyad; write them like "PAK:ISR"')
        dyads.append((parts[0], parts[1]))
    if not dyads:
        raise SettingsError(f'watchlist {p} lists no dyads; add a line like dyads = ["PAK:ISR"]')
    return Watchlist(str(raw.get("name") or p.stem), tuple(dyads))


@dataclass(frozen=True)
class Alert:
    """One thing new for a watched dyad: a new incident, a new report of a known one, or a changed month."""

    dyad: tuple[str, str]
    kind: str  # "new incident" | "new report" | "change"
    incident: Incident | None = None
    change: Change | None = None


def _marker_key(w: Watchlist) -> str:
    return f"alerts:{w.name}"


def alerts(store: Store, watchlist: Watchlist, *, mark: bool = True) -> list[Alert]:
    """Alerts since the last run of this watchlist (everything, on the first run); moves the marker unless told not."""
    last = int(store.meta(_marker_key(watchlist)) or 0)
    top = read.last_incident_event(store.db)
    out: list[Alert] = []
    for dyad in watchlist.dyads:
        first_seen = read.incidents_touched(store.db, dyad, last)
        if not first_seen:
            continue
        incs = load(store.db, ids=list(first_seen))
        for inc in incs:
            kind = "new incident" if first_seen[inc.id] > last else "new report"
            out.append(Alert(dyad, kind, incident=inc))
        touched = {i.date.start.strftime("%Y-%m") for i in incs if i.date.start}
        for change in detect(store, *dyad):
            if change.period in touched:
                out.append(Alert(dyad, "change", change=change))
    if mark:
        store.set_meta(_marker_key(watchlist), str(max(top, last)))
    return out
