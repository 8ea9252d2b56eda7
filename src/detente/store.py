"""The embedded SQLite store: articles, sentences, events, actors; idempotent by content hash."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .errors import StoreError
from .model import Result, Skip
from .output import event_record

# The event_pairs rows of stored events, computed in one statement (schema upgrade, end of a bulk load).
_PAIRS_BACKFILL = (
    "INSERT INTO event_pairs(lo, hi, key, event_id, dirs) "
    "SELECT min(s.country, t.country), max(s.country, t.country), ifnull(e.date_start, '~'), e.id, "
    "CASE WHEN s.country <= t.country THEN 1 ELSE 2 END FROM events e "
    "JOIN actors s ON s.event_id = e.id AND s.role = 'source' "
    "JOIN actors t ON t.event_id = e.id AND t.role = 'target' "
    "WHERE s.country IS NOT NULL AND t.country IS NOT NULL"
)
_BULK_INDEXES = ("events_article", "events_date", "events_order", "actors_country_event", "event_pairs_event")

SCHEMA_VERSION = 3  # 2: incidents, incident_events, incident_keys, article_countries (issue 7); 3: event_pairs

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    url TEXT, title TEXT, published TEXT, source TEXT, path TEXT,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_index INTEGER NOT NULL,
    cameo TEXT NOT NULL, cameo_root TEXT NOT NULL, quad_class INTEGER NOT NULL, goldstein REAL NOT NULL,
    plover_type TEXT NOT NULL,
    date_start TEXT, date_end TEXT, date_precision TEXT NOT NULL, date_reason TEXT NOT NULL,
    place_name TEXT, place_country TEXT,
    certainty TEXT NOT NULL, attributed_to TEXT, confidence REAL NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_article ON events(article_id);
CREATE INDEX IF NOT EXISTS events_date ON events(date_start);
CREATE INDEX IF NOT EXISTS events_order ON events(ifnull(date_start, '~'), id);
CREATE TABLE IF NOT EXISTS actors (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('source', 'target', 'intermediary')),
    position INTEGER NOT NULL,
    name TEXT NOT NULL, country TEXT, sectors TEXT NOT NULL, actor_id TEXT,
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (event_id, role, position)
);
CREATE TABLE IF NOT EXISTS skips (
    input TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS actors_country_event ON actors(country, role, event_id);
CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY, family TEXT NOT NULL, lo TEXT, hi TEXT, seed_event TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS incident_events (
    event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS incident_events_incident ON incident_events(incident_id);
CREATE TABLE IF NOT EXISTS incident_keys (
    key TEXT NOT NULL, incident_id TEXT NOT NULL, PRIMARY KEY (key, incident_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS article_countries (
    country TEXT NOT NULL, article_id TEXT NOT NULL, published TEXT, PRIMARY KEY (country, article_id)
) WITHOUT ROWID;
-- Each event's country pairs (lo, hi sorted; dirs: 1 = lo is a source of hi, 2 = hi of lo) in date order, kept by
-- triggers, so a dyad's events page by one primary-key range scan (GET /api/events?dyad=A:B with millions stored).
CREATE TABLE IF NOT EXISTS event_pairs (
    lo TEXT NOT NULL, hi TEXT NOT NULL, key TEXT NOT NULL, event_id TEXT NOT NULL, dirs INTEGER NOT NULL,
    PRIMARY KEY (lo, hi, key, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_pairs_event ON event_pairs(event_id);
CREATE TRIGGER IF NOT EXISTS event_pairs_target AFTER INSERT ON actors
WHEN NEW.role = 'target' AND NEW.country IS NOT NULL BEGIN
    INSERT INTO event_pairs(lo, hi, key, event_id, dirs)
    SELECT min(s.country, NEW.country), max(s.country, NEW.country), ifnull(e.date_start, '~'), NEW.event_id,
           CASE WHEN s.country <= NEW.country THEN 1 ELSE 2 END
    FROM actors s JOIN events e ON e.id = s.event_id
    WHERE s.event_id = NEW.event_id AND s.role = 'source' AND s.country IS NOT NULL
    ON CONFLICT DO UPDATE SET dirs = dirs | excluded.dirs;
END;
CREATE TRIGGER IF NOT EXISTS event_pairs_source AFTER INSERT ON actors
WHEN NEW.role = 'source' AND NEW.country IS NOT NULL BEGIN
    INSERT INTO event_pairs(lo, hi, key, event_id, dirs)
    SELECT min(NEW.country, t.country), max(NEW.country, t.country), ifnull(e.date_start, '~'), NEW.event_id,
           CASE WHEN NEW.country <= t.country THEN 1 ELSE 2 END
    FROM actors t JOIN events e ON e.id = t.event_id
    WHERE t.event_id = NEW.event_id AND t.role = 'target' AND t.country IS NOT NULL
    ON CONFLICT DO UPDATE SET dirs = dirs | excluded.dirs;
END;
CREATE TRIGGER IF NOT EXISTS event_pairs_gone AFTER DELETE ON events BEGIN
    DELETE FROM event_pairs WHERE event_id = OLD.id;
END;
"""


@dataclass(frozen=True)
class Counts:
    articles: int
    sentences: int
    events: int
    actors: int
    skips: int


class Store:
    """One SQLite file. Every article goes in with its sentences and events in one transaction, or not at all."""

    def __init__(self, path: str | Path, *, cluster: bool = True) -> None:
        self.path = str(path)
        self.cluster = cluster  # False defers incident clustering to cluster_pending() (bulk loads)
        self._nested = False  # inside add_many's transaction
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}; is it a detente SQLite file?") from exc

    def _migrate(self) -> None:
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        version = SCHEMA_VERSION
        if has_meta:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"store {self.path} has schema version {version}, newer than this detente understands "
                    f"({SCHEMA_VERSION}); upgrade detente"
                )
        self.db.executescript("BEGIN;" + _SCHEMA + "COMMIT;")
        if version < 2:
            self._upgrade_to_2()
        if version < 3:
            self._upgrade_to_3()
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _upgrade_to_2(self) -> None:
        """v1 -> v2 in place: index which countries each article mentions, then cluster the stored events."""
        from . import incidents

        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("DROP INDEX IF EXISTS actors_country")  # actors_country_event covers (country, role)
            self.db.execute(
                "INSERT OR IGNORE INTO article_countries(country, article_id, published) "
                "SELECT DISTINCT x.country, e.article_id, a.published FROM actors x JOIN events e ON e.id = x.event_id "
                "JOIN articles a ON a.id = e.article_id WHERE x.country IS NOT NULL"
            )
            incidents.assign_pending(self.db)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Many articles at once (Parquet partitions, a benchmark): secondary indexes and the pair triggers are
        dropped while rows go in and rebuilt in one pass at the end, which is far cheaper than keeping them up to
        date row by row. Readers still get right answers meanwhile, only slower."""
        before = self.db.execute("SELECT ifnull(max(rowid), 0) FROM events").fetchone()[0]
        for name in _BULK_INDEXES:
            self.db.execute(f"DROP INDEX IF EXISTS {name}")
        for name in ("event_pairs_target", "event_pairs_source"):
            self.db.execute(f"DROP TRIGGER IF EXISTS {name}")
        try:
            yield
        finally:
            self.db.executescript("BEGIN;" + _SCHEMA + "COMMIT;")  # IF NOT EXISTS: recreates only what was dropped
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                _PAIRS_BACKFILL + " AND e.rowid > ? ON CONFLICT DO UPDATE SET dirs = dirs | excluded.dirs", (before,)
            )
            self.db.execute("COMMIT")

    def _upgrade_to_3(self) -> None:
        """v2 -> v3 in place: the event_pairs index of the events already stored (new ones come by trigger)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute(_PAIRS_BACKFILL + " ON CONFLICT DO UPDATE SET dirs = dirs | excluded.dirs")
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes --------------------------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE content_hash=?", (content_hash,)).fetchone() is not None

    def add(self, result: Result) -> bool:
        """Store one coded article; False when the same text is already stored (nothing is written)."""
        a = result.article
        now = datetime.now(UTC).isoformat(timespec="seconds")
        cur = self.db.cursor()
        try:
            cur.execute("SAVEPOINT article" if self._nested else "BEGIN IMMEDIATE")
            if cur.execute("SELECT 1 FROM articles WHERE content_hash=? OR id=?", (a.content_hash, a.id)).fetchone():
                self._undo(cur)
                return False
            cur.execute(
                "INSERT INTO articles(id, content_hash, url, title, published, source, path, text, ingested_at) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    a.id,
                    a.content_hash,
                    a.url,
                    a.title,
                    a.published.isoformat() if a.published else None,
                    a.source,
                    a.path,
                    a.text,
                    now,
                ),
            )
            cur.executemany(
                'INSERT INTO sentences(article_id, idx, start, "end", text) VALUES (?,?,?,?,?)',
                [(a.id, s.index, s.start, s.end, s.text) for s in result.sentences],
            )
            event_rows, actor_rows = [], []  # one executemany each per article: far fewer round trips
            for ev in result.events:
                rec = event_record(ev, a)
                event_rows.append(
                    (
                        ev.id,
                        a.id,
                        ev.sentence_index,
                        ev.cameo,
                        ev.cameo_root,
                        rec["quad_class"],
                        rec["goldstein"],
                        rec["plover"]["type"],
                        rec["date"]["start"],
                        rec["date"]["end"],
                        ev.date.precision,
                        ev.date.reason,
                        ev.place.name if ev.place else None,
                        ev.place.country if ev.place else None,
                        ev.certainty,
                        ev.attributed_to,
                        ev.confidence,
                        json.dumps(rec, ensure_ascii=False),
                    )
                )
                actor_rows += [
                    (ev.id, role, i, x.name, x.country, ";".join(x.sectors), x.id, x.text, x.start, x.end)
                    for role, actors in (
                        ("source", ev.source),
                        ("target", ev.target),
                        ("intermediary", ev.intermediary),
                    )
                    for i, x in enumerate(actors)
                ]
            cur.executemany(
                "INSERT OR IGNORE INTO events(id, article_id, sentence_index, cameo, cameo_root, quad_class, "
                "goldstein, plover_type, date_start, date_end, date_precision, date_reason, place_name, "
                "place_country, certainty, attributed_to, confidence, record) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                event_rows,
            )
            cur.executemany(
                "INSERT OR IGNORE INTO actors(event_id, role, position, name, country, sectors, actor_id, text, "
                'start, "end") VALUES (?,?,?,?,?,?,?,?,?,?)',
                actor_rows,
            )
            self._index_incidents(cur, result)
            cur.execute("RELEASE article" if self._nested else "COMMIT")
            return True
        except BaseException:
            self._undo(cur)
            raise

    def _undo(self, cur: sqlite3.Cursor) -> None:
        if self._nested:
            cur.execute("ROLLBACK TO article")
            cur.execute("RELEASE article")
        elif self.db.in_transaction:
            cur.execute("ROLLBACK")

    def add_many(self, results: Iterable[Result]) -> int:
        """Store many coded articles in one transaction (bulk loads: far fewer commits); how many were new.

        Each article is still all-or-nothing (a savepoint); an error rolls back the whole batch.
        """
        added = 0
        self.db.execute("PRAGMA cache_size = -65536")  # 64 MiB: index pages stay in memory across the batch
        self.db.execute("BEGIN IMMEDIATE")
        self._nested = True
        try:
            for result in results:
                added += self.add(result)
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        finally:
            self._nested = False
        return added

    def _index_incidents(self, cur: sqlite3.Cursor, result: Result) -> None:
        """Within add()'s transaction: record the countries the article mentions and cluster its events."""
        from . import incidents

        a = result.article
        countries = {x.country for ev in result.events for x in (*ev.source, *ev.target, *ev.intermediary) if x.country}
        cur.executemany(
            "INSERT OR IGNORE INTO article_countries(country, article_id, published) VALUES (?,?,?)",
            [(c, a.id, a.published.isoformat() if a.published else None) for c in sorted(countries)],
        )
        if self.cluster:
            incidents.assign(cur, [ev.id for ev in result.events])

    def add_skip(self, skip: Skip) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.db.execute("INSERT INTO skips(input, reason, at) VALUES (?,?,?)", (skip.input, skip.reason, now))

    # -- reads ---------------------------------------------------------------------------------------------

    def counts(self) -> Counts:
        def n(table: str) -> int:
            return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - fixed names

        return Counts(n("articles"), n("sentences"), n("events"), n("actors"), n("skips"))

    def events(
        self,
        *,
        dyad: tuple[str, str] | None = None,
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stored event records, oldest event date first; a dyad matches either direction unless directed."""
        sql = ["SELECT e.record FROM events e WHERE 1=1"]
        args: list[Any] = []
        if dyad is not None:
            a, b = dyad
            pair = (
                "EXISTS (SELECT 1 FROM actors s WHERE s.event_id=e.id AND s.role='source' AND s.country=?) "
                "AND EXISTS (SELECT 1 FROM actors t WHERE t.event_id=e.id AND t.role='target' AND t.country=?)"
            )
            if directed:
                sql.append(f"AND ({pair})")
                args += [a, b]
            else:
                sql.append(f"AND (({pair}) OR ({pair}))")
                args += [a, b, b, a]
        if since is not None:
            sql.append("AND e.date_end >= ?")
            args.append(since.isoformat())
        if until is not None:
            sql.append("AND e.date_start <= ?")
            args.append(until.isoformat())
        sql.append("ORDER BY e.date_start IS NULL, e.date_start, e.article_id, e.sentence_index")
        if limit is not None:
            sql.append("LIMIT ?")
            args.append(int(limit))
        for (record,) in self.db.execute(" ".join(sql), args):
            yield json.loads(record)

    def cluster_pending(self) -> int:
        """Cluster the events that have no incident yet (after loading with cluster=False); how many."""
        from . import incidents

        self.db.execute("BEGIN IMMEDIATE")
        try:
            n = incidents.assign_pending(self.db)
            self.db.execute("COMMIT")
            return n
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])
