"""Read queries for the REST API and dashboard: filtered events by keyset cursor, an article with its spans."""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from .actors.gazetteer import country_code
from .errors import QueryError
from .model import CERTAINTIES

MAX_LIMIT = 500
_ORDER = "ifnull(e.date_start, '~')"  # undated events last; matches the events_order index in store.py


@dataclass(frozen=True)
class EventFilter:
    """What GET /api/events selects; every field is optional and all given ones must hold."""

    dyad: tuple[str, str] | None = None
    directed: bool = False
    actor: str | None = None
    country: str | None = None
    type: str | None = None
    quad_class: int | None = None
    certainty: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None

    def check(self) -> None:
        if self.certainty is not None and self.certainty not in CERTAINTIES:
            raise QueryError(f"unknown certainty {self.certainty!r}; use one of {', '.join(CERTAINTIES)}")
        if self.quad_class is not None and self.quad_class not in (1, 2, 3, 4):
            raise QueryError(f"quad_class must be 1, 2, 3 or 4, got {self.quad_class}")


def parse_dyad(value: str) -> tuple[str, str]:
    """'PAK:ISR', 'PAK-ISR' or 'Pakistan:Israel' to ('PAK', 'ISR')."""
    text = value.strip()
    if ":" not in text and "-" in text:  # PAK-ISR; a hyphen may also sit inside a name (Guinea-Bissau)
        for i in (i for i, ch in enumerate(text) if ch == "-"):
            try:
                return country_code(text[:i]), country_code(text[i + 1 :])
            except QueryError:
                continue
    parts = text.split(":") if ":" in text else text.split("-")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise QueryError(f"expected a dyad like PAK:ISR (or Pakistan:Israel), got {value!r}")
    return country_code(parts[0]), country_code(parts[1])


def encode_cursor(key: str, event_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, event_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, event_id = json.loads(raw)
        if not isinstance(key, str) or not isinstance(event_id, str):
            raise ValueError("not two strings")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad_cursor(cursor) from exc
    return key, event_id


def bad_cursor(cursor: str) -> QueryError:
    """The error for a cursor this server did not hand out, saying how to page instead."""
    if "://" in cursor or "cursor=" in cursor:
        return QueryError("the cursor parameter takes a page's 'next_cursor', not its 'next' URL: GET that URL instead")
    return QueryError("invalid cursor; GET the previous page's 'next' URL, or pass its 'next_cursor' unchanged")


def encode_offset(n: int) -> str:
    """The cursor of a list paged by position (incidents, timelines, dyads)."""
    return base64.urlsafe_b64encode(f"o:{n}".encode()).decode().rstrip("=")


def decode_offset(cursor: str | None) -> int:
    """The position an encode_offset cursor stands for (0 without one); QueryError for anything else."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        n = int(raw.removeprefix("o:")) if raw.startswith("o:") else -1
    except (ValueError, binascii.Error, UnicodeDecodeError):
        n = -1
    if n < 0:
        raise bad_cursor(cursor)
    return n


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
        a, b = f.dyad
        lo, hi = min(a, b), max(a, b)
        source = "event_pairs p JOIN events e ON e.id = p.event_id"
        where += ["p.lo = ?", "p.hi = ?"]
        args += [lo, hi]
        if f.directed and a != b:
            where.append("p.dirs & ? != 0")
            args.append(1 if a == lo else 2)
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
