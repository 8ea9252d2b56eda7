"""The incident tables' rows: what the clusterer reads of stored reports and candidate incidents, and how it
writes an incident and its members (incidents.py decides; this only stores)."""

from __future__ import annotations

from collections.abc import Sequence

from .read import Db

# (event id, event record JSON, article source, article url, article id)
ReportRow = tuple[str, str, str | None, str | None, str]

_REPORTS = "SELECT e.id, e.record, a.source, a.url, a.id FROM events e JOIN articles a ON a.id = e.article_id "


def member_rows(db: Db, incident_id: str) -> list[ReportRow]:
    """The reports already in an incident, in storage order."""
    return db.execute(
        _REPORTS + "WHERE e.id IN (SELECT event_id FROM incident_events WHERE incident_id = ?) ORDER BY e.rowid",
        (incident_id,),
    ).fetchall()


def unclustered_row(db: Db, event_id: str) -> list[ReportRow]:
    """The stored report of an event that is in no incident yet (none if it is, or is not stored)."""
    return db.execute(
        _REPORTS + "WHERE e.id = ? AND NOT EXISTS (SELECT 1 FROM incident_events x WHERE x.event_id = e.id)",
        (event_id,),
    ).fetchall()


def candidates(db: Db, keys: Sequence[str], lo: str | None, hi: str | None) -> list[tuple[str, str | None, str | None]]:
    """Incidents that share a key (action family and a side's country) and whose dates may overlap [lo, hi]:
    (id, lo, hi); an undated report only meets undated incidents."""
    marks = ",".join("?" * len(keys))
    if lo is None:
        date_sql, date_args = "i.lo IS NULL", []
    else:
        date_sql, date_args = "i.lo IS NOT NULL AND i.lo <= ? AND i.hi >= ?", [hi, lo]
    return db.execute(
        "SELECT DISTINCT i.id, i.lo, i.hi FROM incident_keys k JOIN incidents i ON i.id = k.incident_id "
        f"WHERE k.key IN ({marks}) AND {date_sql} ORDER BY i.id",  # noqa: S608 - placeholders only
        [*keys, *date_args],
    ).fetchall()


def new_incident(db: Db, incident_id: str, family: str, lo: str | None, hi: str | None, seed_event: str) -> None:
    db.execute(
        "INSERT INTO incidents(id, family, lo, hi, seed_event) VALUES (?,?,?,?,?)",
        (incident_id, family, lo, hi, seed_event),
    )


def narrow(db: Db, incident_id: str, lo: str, hi: str) -> None:
    """An incident's dates, narrowed to what its reports share."""
    db.execute("UPDATE incidents SET lo = ?, hi = ? WHERE id = ?", (lo, hi, incident_id))


def join(db: Db, event_id: str, incident_id: str, keys: Sequence[str]) -> None:
    db.execute("INSERT INTO incident_events(event_id, incident_id) VALUES (?, ?)", (event_id, incident_id))
    db.executemany(
        "INSERT OR IGNORE INTO incident_keys(key, incident_id) VALUES (?, ?)", [(k, incident_id) for k in keys]
    )


def pending_events(db: Db, limit: int) -> list[str]:
    """Up to `limit` stored events in no incident yet, in storage order."""
    return [
        row[0]
        for row in db.execute(
            "SELECT e.id FROM events e WHERE NOT EXISTS (SELECT 1 FROM incident_events x WHERE x.event_id = e.id) "
            "ORDER BY e.rowid LIMIT ?",
            (limit,),
        )
    ]
