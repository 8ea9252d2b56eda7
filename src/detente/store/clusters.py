"""The incident tables' rows: what the clusterer reads of stored reports and candidate incidents, and how it
writes an incident, its members, its summary and its pairs (incidents.py decides; this only stores)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .read import Db

# (event id, event record JSON, article source, article url, article id, article published)
ReportRow = tuple[str, str, str | None, str | None, str, str | None]
# (lo, hi, day, incident id, dirs, end, quad class, goldstein, plover type, certainty, first report)
PairRow = tuple[str, str, str, str, int, str | None, int, float, str, str, str | None]

_REPORTS = (
    "SELECT e.id, e.record, a.source, a.url, a.id, a.published FROM events e JOIN articles a ON a.id = e.article_id "
)


def member_rows(db: Db, incident_id: str) -> list[ReportRow]:
    """The reports already in an incident, in storage order."""
    return db.execute(
        _REPORTS + "WHERE e.id IN (SELECT event_id FROM incident_events WHERE incident_id = ?) ORDER BY e.rowid",
        (incident_id,),
    ).fetchall()


def unclustered_rows(db: Db, event_ids: Sequence[str]) -> list[ReportRow]:
    """The stored reports of those events that are in no incident yet."""
    return db.execute(
        _REPORTS + "WHERE e.id IN (SELECT value FROM json_each(?)) "
        "AND NOT EXISTS (SELECT 1 FROM incident_events x WHERE x.event_id = e.id)",
        (json.dumps(list(event_ids)),),
    ).fetchall()


def candidates(db: Db, keys: Sequence[str], lo: str, hi: str) -> list[tuple[str, int]]:
    """Incidents that share a key (action family, a side's country, a week) and whose window meets [lo, hi]:
    (id, dated)."""
    marks = ",".join("?" * len(keys))
    return db.execute(
        "SELECT DISTINCT i.id, i.dated FROM incident_keys k JOIN incidents i ON i.id = k.incident_id "
        f"WHERE k.key IN ({marks}) AND i.lo IS NOT NULL AND i.lo <= ? AND i.hi >= ? ORDER BY i.id",  # noqa: S608
        [*keys, hi, lo],
    ).fetchall()


def new_incident(
    db: Db, incident_id: str, family: str, lo: str | None, hi: str | None, dated: bool, seed_event: str
) -> None:
    db.execute(
        "INSERT INTO incidents(id, family, lo, hi, dated, seed_event, best_event, sources) VALUES (?,?,?,?,?,?,?,1)",
        (incident_id, family, lo, hi, int(dated), seed_event, seed_event),
    )


def set_window(db: Db, incident_id: str, lo: str | None, hi: str | None, dated: bool) -> None:
    """The window a new report must meet: what the dated reports share (or the undated one's publication)."""
    db.execute("UPDATE incidents SET lo = ?, hi = ?, dated = ? WHERE id = ?", (lo, hi, int(dated), incident_id))


def join(db: Db, event_id: str, incident_id: str, keys: Sequence[str]) -> None:
    db.execute("INSERT INTO incident_events(event_id, incident_id) VALUES (?, ?)", (event_id, incident_id))
    db.executemany(
        "INSERT OR IGNORE INTO incident_keys(key, incident_id) VALUES (?, ?)", [(k, incident_id) for k in keys]
    )


def summarize(
    db: Db,
    incident_id: str,
    best_event: str,
    dates: tuple[str | None, str | None, str | None, str | None],
    sources: int,
    first_report: str | None,
    pairs: Sequence[PairRow],
    *,
    new: bool = False,
) -> None:
    """Rewrite an incident's summary (best report, dates start/end/spread, publishers, first report) and pairs
    (`new`: it has no pairs yet)."""
    db.execute(
        'UPDATE incidents SET best_event = ?, start = ?, "end" = ?, spread_lo = ?, spread_hi = ?, sources = ?, '
        "first_report = ? WHERE id = ?",
        (best_event, *dates, sources, first_report, incident_id),
    )
    if not new:
        db.execute("DELETE FROM incident_pairs WHERE incident_id = ?", (incident_id,))
    db.executemany(
        'INSERT INTO incident_pairs(lo, hi, day, incident_id, dirs, "end", quad_class, goldstein, plover_type, '
        "certainty, first_report) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        pairs,
    )


def link(db: Db, incident_id: str, event_id: str) -> None:
    """A denial (event_id) attached to the incident it denies."""
    db.execute("INSERT OR IGNORE INTO incident_links(incident_id, event_id) VALUES (?, ?)", (incident_id, event_id))


def pending_events(db: Db, limit: int, after: int = 0) -> tuple[list[str], int]:
    """Stored events in no incident yet after events rowid `after`, in storage order: about `limit`, whole
    articles (a denial and what it denies are clustered in one call); and the last rowid read."""
    pending = "NOT EXISTS (SELECT 1 FROM incident_events x WHERE x.event_id = e.id)"
    rows = db.execute(
        f"SELECT e.rowid, e.id, e.article_id FROM events e WHERE e.rowid > ? AND {pending} "  # noqa: S608
        "ORDER BY e.rowid LIMIT ?",
        (after, limit),
    ).fetchall()
    if not rows:
        return [], after
    ids, last = [r[1] for r in rows], int(rows[-1][0])
    if len(rows) == limit:
        rest = db.execute(
            f"SELECT e.rowid, e.id FROM events e WHERE e.article_id = ? AND e.rowid > ? AND {pending} "  # noqa: S608
            "ORDER BY e.rowid",
            (rows[-1][2], last),
        ).fetchall()
        ids += [r[1] for r in rest]
        last = max([last, *(int(r[0]) for r in rest)])
    return ids, last
