"""Every read of the store: pages of events, articles with their spans, dyads, series rows, incident rows, the
URLs already stored. Functions take the connection (or a cursor inside a write) and return plain rows or records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..errors import QueryError
from ..queries import MAX_LIMIT, EventFilter, IncidentFilter, decode_cursor, decode_offset, encode_cursor, encode_offset

Db = sqlite3.Connection | sqlite3.Cursor

_ORDER = "ifnull(e.date_start, '~')"  # undated events last; matches the events_order index (schema.py)


def events_page(
    db: sqlite3.Connection, f: EventFilter, *, limit: int = 50, cursor: str | None = None
) -> tuple[list[str], str | None]:
    """One page of event records (as stored JSON text), oldest event date first, and the cursor of the next page."""
    f.check()
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    where: list[str] = []
    args: list[Any] = []
    order = _ORDER
    source = "events e"
    if f.dyad is not None:
        # one primary-key range scan of event_pairs, already in date order: no sort of the whole dyad
        source = "event_pairs p JOIN events e ON e.id = p.event_id"
        pair, pair_args = _pair_where(f.dyad, f.directed)
        where += pair
        args += pair_args
        if cursor:
            key, last = decode_cursor(cursor)
            where.append("(p.key, p.event_id) > (?, ?)")
            args += [key, last]
        order = "p.key"
        cursor = None
    if f.country:
        where.append("e.id IN (SELECT event_id FROM actors WHERE country = ?)")
        args.append(f.country.upper())
    if f.actor:
        where.append(
            "EXISTS (SELECT 1 FROM actors x WHERE x.event_id = e.id "
            "AND (instr(lower(x.name), lower(?)) > 0 OR x.actor_id = ?))"
        )
        args += [f.actor, f.actor]
    if f.type:
        where.append("e.plover_type = ?")
        args.append(f.type.upper())
    if f.quad_class is not None:
        where.append("e.quad_class = ?")
        args.append(f.quad_class)
    if f.certainty:
        where.append("e.certainty = ?")
        args.append(f.certainty)
    if f.since is not None:
        where.append("e.date_end >= ?")
        args.append(f.since.isoformat())
    if f.until is not None:
        where.append("e.date_start <= ?")
        args.append(f.until.isoformat())
    if f.q:
        where.append("instr(lower(json_extract(e.record, '$.evidence.text')), lower(?)) > 0")
        args.append(f.q)
    if cursor:
        key, last = decode_cursor(cursor)
        where.append(f"({_ORDER}, e.id) > (?, ?)")
        args += [key, last]
    sql = (
        f"SELECT {order}, e.id, e.record FROM {source} "  # noqa: S608 - fixed fragments, values are parameters
        f"WHERE {' AND '.join(where) or '1=1'} ORDER BY {order}, {'p.event_id' if f.dyad else 'e.id'} LIMIT ?"
    )
    rows = db.execute(sql, [*args, limit + 1]).fetchall()
    nxt = encode_cursor(rows[limit - 1][0], rows[limit - 1][1]) if len(rows) > limit else None
    return [r[2] for r in rows[:limit]], nxt


def article(db: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """An article's text and metadata with every event's spans (evidence, trigger, actors) for highlighting."""
    row = db.execute(
        "SELECT id, url, title, published, source, text FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None:
        return None
    events = []
    for (record,) in db.execute(
        "SELECT record FROM events WHERE article_id = ? ORDER BY sentence_index, id", (article_id,)
    ):
        rec = json.loads(record)
        events.append(
            {
                "id": rec["id"],
                "cameo": rec["cameo"],
                "cameo_name": rec.get("cameo_name"),
                "plover_type": rec["plover"]["type"],
                "quad_class": rec["quad_class"],
                "certainty": rec["certainty"],
                "date": rec["date"],
                "evidence": rec["evidence"],
                "trigger": rec["trigger"],
                "actors": [
                    {"role": role, **{k: x[k] for k in ("name", "country", "sectors", "text", "start", "end")}}
                    for role in ("source", "target", "intermediary")
                    for x in rec.get(role, [])
                ],
            }
        )
    return {
        "id": row[0],
        "url": row[1],
        "title": row[2],
        "published": row[3],
        "source": row[4],
        "text": row[5],
        "events": events,
    }


def article_id_for_hash(db: sqlite3.Connection, content_hash: str) -> str | None:
    row = db.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
    return str(row[0]) if row else None


def event_records(db: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    rows = db.execute("SELECT record FROM events WHERE article_id = ? ORDER BY sentence_index, id", (article_id,))
    return [json.loads(r[0]) for r in rows]


def recent_articles(db: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    """The latest ingested articles, newest first, with their event counts."""
    rows = db.execute(
        "SELECT a.id, a.title, a.published, a.source, a.url, "
        "(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id) FROM articles a "
        "ORDER BY a.ingested_at DESC, a.rowid DESC LIMIT ?",
        (limit,),
    ).fetchall()
    keys = ("id", "title", "published", "source", "url", "events")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def top_dyads(db: sqlite3.Connection, limit: int = 30) -> list[dict[str, Any]]:
    """Country pairs with the most events (either direction), for the dashboard's picker."""
    return top_dyads_page(db, limit)[0]


def top_dyads_page(
    db: sqlite3.Connection, limit: int = 30, cursor: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of country pairs, most events first (ties by the pair), and the cursor of the next page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    start = decode_offset(cursor)
    rows = db.execute(
        "SELECT min(s.country, t.country), max(s.country, t.country), COUNT(DISTINCT s.event_id) AS n "
        "FROM actors s JOIN actors t ON t.event_id = s.event_id AND t.role = 'target' "
        "WHERE s.role = 'source' AND s.country IS NOT NULL AND t.country IS NOT NULL AND s.country != t.country "
        "GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT ? OFFSET ?",
        (limit + 1, start),
    ).fetchall()
    nxt = encode_offset(start + limit) if len(rows) > limit else None
    return [{"a": a, "b": b, "events": n} for a, b, n in rows[:limit]], nxt


def dyad_sql(dyad: tuple[str, str], directed: bool) -> tuple[str, list[str]]:
    """SQL selecting the ids of events between two countries (A source and B target, or either way)."""
    one = (
        "SELECT event_id FROM actors WHERE country = ? AND role = 'source' "
        "INTERSECT SELECT event_id FROM actors WHERE country = ? AND role = 'target'"
    )
    a, b = dyad
    if directed:
        return one, [a, b]
    return f"SELECT event_id FROM ({one}) UNION SELECT event_id FROM ({one})", [a, b, b, a]


# One row per incident of a dyad: (incident id, day it happened or '~', end, quad class, goldstein, plover type,
# strongest certainty, first report).
SeriesRow = tuple[str, str, str | None, int, float, str, str, str | None]


def _pair_where(dyad: tuple[str, str], directed: bool) -> tuple[list[str], list[Any]]:
    """Conditions on a pairs table `p` (event_pairs, incident_pairs) for a dyad: (lo, hi) sorted; directed keeps
    the rows where A is a source of B."""
    a, b = dyad
    lo, hi = (a, b) if a <= b else (b, a)
    if directed and a != b:
        return ["p.lo = ?", "p.hi = ?", "p.dirs & ? != 0"], [lo, hi, 1 if a == lo else 2]
    return ["p.lo = ?", "p.hi = ?"], [lo, hi]


def series_rows(db: Db, dyad: tuple[str, str], directed: bool) -> list[SeriesRow]:
    """The dyad's incidents with their summaries, by date (one primary-key range scan)."""
    where, args = _pair_where(dyad, directed)
    return db.execute(
        'SELECT p.incident_id, p.day, p."end", p.quad_class, p.goldstein, p.plover_type, p.certainty, '
        f"p.first_report FROM incident_pairs p WHERE {' AND '.join(where)} ORDER BY p.day, p.incident_id",  # noqa: S608
        args,
    ).fetchall()


def incident_page(db: Db, flt: IncidentFilter, limit: int | None = None, offset: int = 0) -> tuple[list[str], int]:
    """Incident ids in the order they happened (undated last), a page in SQL, and how many undated incidents a
    date filter left out (a date-filtered query never returns an undated incident)."""
    dyad, since, until = flt.dyad, flt.since, flt.until
    if dyad is not None:
        where, args = _pair_where(dyad, flt.directed)
        base = f"FROM incident_pairs p JOIN incidents i ON i.id = p.incident_id WHERE {' AND '.join(where)}"
        day, end, order = "p.day", 'p."end"', "p.day, p.incident_id"
    else:
        base, args = "FROM incidents i WHERE 1=1", []
        day, end, order = "ifnull(i.start, '~')", 'i."end"', "ifnull(i.start, '~'), i.id"
    if flt.min_sources > 1:
        base += " AND i.sources >= ?"
        args.append(flt.min_sources)
    undated = 0
    cond, cargs = "", []
    if since is not None or until is not None:
        undated = int(db.execute(f"SELECT COUNT(*) {base} AND {day} = '~'", args).fetchone()[0])  # noqa: S608
        cond = f" AND {day} != '~'"
        if since is not None:
            cond += f" AND {end} >= ?"
            cargs.append(since.isoformat())
        if until is not None:
            cond += f" AND {day} <= ?"
            cargs.append(until.isoformat())
    sql = f"SELECT i.id {base}{cond} ORDER BY {order}"
    page_args: list[Any] = []
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        page_args = [limit, offset]
    return [row[0] for row in db.execute(sql, [*args, *cargs, *page_args])], undated


def coverage(db: Db, dyad: tuple[str, str]) -> list[str | None]:
    """The publication dates of the articles that mention both countries (how much the press covered the pair)."""
    a, b = dyad
    rows = db.execute(
        "SELECT article_id, published FROM article_countries WHERE country = ? "
        "INTERSECT SELECT article_id, published FROM article_countries WHERE country = ?",
        (a, b),
    ).fetchall()
    return [r[1] for r in rows]


def coverage_count(db: Db, dyad: tuple[str, str]) -> int:
    """How many articles mention both countries: the rarer country's articles, each looked up under the other."""
    a, b = dyad
    n = {
        c: int(db.execute("SELECT COUNT(*) FROM article_countries WHERE country = ?", (c,)).fetchone()[0])
        for c in (a, b)
    }
    rare, common = (a, b) if n[a] <= n[b] else (b, a)
    return int(
        db.execute(
            "SELECT COUNT(*) FROM article_countries x WHERE x.country = ? AND EXISTS "
            "(SELECT 1 FROM article_countries y WHERE y.country = ? AND y.article_id = x.article_id)",
            (rare, common),
        ).fetchone()[0]
    )


def last_incident_event(db: Db) -> int:
    """The rowid of the latest event to join an incident: how far alerts have seen."""
    return int(db.execute("SELECT COALESCE(MAX(rowid), 0) FROM incident_events").fetchone()[0])


def incidents_touched(db: Db, dyad: tuple[str, str], after: int) -> dict[str, int]:
    """The dyad's incidents that gained an event after rowid `after`: {incident id: rowid of its first event}."""
    sql, args = dyad_sql(dyad, False)
    rows = db.execute(
        "SELECT ie.incident_id, MIN(all_ie.rowid) FROM incident_events ie "
        "JOIN incident_events all_ie ON all_ie.incident_id = ie.incident_id "
        f"WHERE ie.rowid > ? AND ie.event_id IN ({sql}) GROUP BY ie.incident_id",  # noqa: S608 - placeholders
        [after, *args],
    ).fetchall()
    return dict(rows)


# One account row: (incident id, event record JSON, article source, url, article id, published, linked denial)
IncidentRow = tuple[str, str, str | None, str | None, str, str | None, int]


def incident_rows(db: Db, ids: Sequence[str]) -> list[IncidentRow]:
    """Every account of the given incidents, members then linked denials, in storage order."""
    wanted = json.dumps(list(ids))
    return db.execute(
        "SELECT x.incident_id, e.record, a.source, a.url, a.id, a.published, x.linked FROM ("
        "SELECT incident_id, event_id, 0 AS linked FROM incident_events WHERE incident_id IN "
        "(SELECT value FROM json_each(?)) UNION ALL SELECT incident_id, event_id, 1 FROM incident_links "
        "WHERE incident_id IN (SELECT value FROM json_each(?))) x "
        "JOIN events e ON e.id = x.event_id JOIN articles a ON a.id = e.article_id "
        "ORDER BY x.incident_id, x.linked, e.rowid",
        [wanted, wanted],
    ).fetchall()


# (best event id, start, end, spread start, spread end)
Summary = tuple[str, str | None, str | None, str | None, str | None]


def incident_summaries(db: Db, ids: Sequence[str]) -> dict[str, Summary]:
    """{incident id: (best event id, start, end, spread start, spread end)}."""
    rows = db.execute(
        'SELECT id, best_event, start, "end", spread_lo, spread_hi FROM incidents '
        "WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(ids)),),
    )
    return {r[0]: r[1:] for r in rows}


def stored_urls(db: Db) -> list[str]:
    return [u for (u,) in db.execute("SELECT url FROM articles WHERE url IS NOT NULL")]
