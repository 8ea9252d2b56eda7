"""The store's connection: one SQLite file, migrated on open; every write goes through here, in transactions."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from ..errors import StoreError
from ..model import Result, Skip
from ..records import event_record
from .read import dyad_sql
from .schema import (
    BULK_INDEXES,
    BULK_MARK,
    BULK_TRIGGERS,
    INCIDENT_TABLES,
    PAIRS_BACKFILL,
    SCHEMA,
    SCHEMA_STATEMENTS,
    SCHEMA_VERSION,
    pair_dirs,
)


def _dumps(rec: dict[str, Any]) -> str:
    """The JSONL record column, compact: orjson writes the same text as json.dumps(rec, ensure_ascii=False,
    separators=(",", ":")), ten times faster (a tenth of bulk ingest time otherwise)."""
    return orjson.dumps(rec).decode()


_ARTICLES_PER_WRITE = 2000  # add_many writes its rows in chunks of this many articles (bounded memory)
_BULK_CHECKPOINT_PAGES = 100_000  # WAL pages between checkpoints during a bulk load (~800 MiB of 8 KiB pages)

_key2 = itemgetter(0, 1)
_key3 = itemgetter(0, 1, 2)


def _last_event(db: sqlite3.Connection | sqlite3.Cursor) -> int:
    """The rowid of the last event stored (0 for none): events are stored in rowid order."""
    return int(db.execute("SELECT ifnull(max(rowid), 0) FROM events").fetchone()[0])


def _gaps(start: int, spans: list[tuple[int, int]]) -> list[tuple[int, int | None]]:
    """The rowid ranges (after, upto] after `start` not covered by `spans`; the last one open-ended (None)."""
    out: list[tuple[int, int | None]] = []
    for after, upto in sorted(spans):
        if after > start:
            out.append((start, after))
        start = max(start, upto)
    return [*out, (start, None)]


@dataclass(frozen=True)
class Counts:
    articles: int
    sentences: int
    events: int
    actors: int
    skips: int


class _Rows:
    """The rows of some coded articles, built in Python and written with one executemany per table."""

    def __init__(self, *, pairs: bool = False) -> None:
        self.now = datetime.now(UTC).isoformat(timespec="seconds")
        # {(lo, hi, key, event id): dirs}: the event_pairs rows, built here only during a bulk load, when the
        # triggers that otherwise derive them from the actors rows are dropped (same rows: see PAIRS_BACKFILL)
        self.pairs: dict[tuple[str, str, str, str], int] | None = {} if pairs else None
        self.articles: list[tuple[Any, ...]] = []
        self.sentences: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.actors: list[tuple[Any, ...]] = []
        self.countries: list[tuple[Any, ...]] = []
        self.event_ids: list[str] = []  # in article order, for clustering

    def add(self, result: Result) -> None:
        a = result.article
        published = a.published.isoformat() if a.published else None
        self.articles.append((a.id, a.content_hash, a.url, a.title, published, a.source, a.path, a.text, self.now))
        self.sentences += [(a.id, s.index, s.start, s.end, s.text) for s in result.sentences]
        countries: set[str] = set()
        events, actors, event_ids = self.events, self.actors, self.event_ids
        for ev in result.events:
            rec = event_record(ev, a)
            date = rec["date"]
            place = ev.place
            events.append(
                (
                    ev.id,
                    a.id,
                    ev.sentence_index,
                    ev.cameo,
                    ev.cameo_root,
                    rec["quad_class"],
                    rec["goldstein"],
                    rec["plover"]["type"],
                    date["start"],
                    date["end"],
                    ev.date.precision,
                    ev.date.reason,
                    place.name if place else None,
                    place.country if place else None,
                    ev.certainty,
                    ev.attributed_to,
                    ev.confidence,
                    _dumps(rec),
                )
            )
            event_ids.append(ev.id)
            if self.pairs is not None:
                key = date["start"] or "~"
                for x in ev.source:
                    for y in ev.target:
                        if x.country is not None and y.country is not None:  # as the triggers: '' pairs too
                            lo, hi, dirs = pair_dirs(x.country, y.country)
                            pair = (lo, hi, key, ev.id)
                            self.pairs[pair] = self.pairs.get(pair, 0) | dirs
            for role, group in (("source", ev.source), ("target", ev.target), ("intermediary", ev.intermediary)):
                for i, x in enumerate(group):
                    actors.append(
                        (ev.id, role, i, x.name, x.country, ";".join(x.sectors), x.id, x.text, x.start, x.end)
                    )
                    if x.country:
                        countries.add(x.country)
        self.countries += [(c, a.id, published) for c in sorted(countries)]


class Store:
    """One SQLite file. Every article goes in with its sentences and events in one transaction, or not at all."""

    def __init__(self, path: str | Path, *, cluster: bool = True, create: bool = True) -> None:
        self.path = str(path)
        if not create and not Path(self.path).is_file():
            # reading commands open stores; a typo must not leave an empty file that then answers "no events"
            raise StoreError(f"no store at {self.path}; create one with: detente ingest INPUT... --db {self.path}")
        self.cluster = cluster  # False defers incident clustering to cluster_pending() (bulk loads)
        # inside bulk_load: the events rowid ranges (after, upto] whose event_pairs rows this Store wrote itself
        self._bulk: list[tuple[int, int]] | None = None
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            # New files only (an existing file keeps its page size): 8 KiB pages hold 7 event rows (each ~1.1 KB
            # with its JSON record) where 4 KiB pages hold 3 and waste a sixth of the file.
            self.db.execute("PRAGMA page_size=8192")
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
        if has_meta and version < 4:
            # the incident tables changed shape and rules: drop them; _upgrade_to_4 reclusters every event
            self.db.executescript("BEGIN;" + "".join(f"DROP TABLE IF EXISTS {t};" for t in INCIDENT_TABLES) + "COMMIT;")
        self.db.executescript("BEGIN;" + SCHEMA + "COMMIT;")
        if version < 2:
            self._upgrade_to_2()
        if version < 3:
            self._upgrade_to_3()
        if version < 4:
            self._upgrade_to_4()
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self._finish_broken_bulk_load()

    def _upgrade_to_2(self) -> None:
        """v1 -> v2 in place: index which countries each article mentions (the events are clustered by v4)."""
        with self._immediate():
            self.db.execute("DROP INDEX IF EXISTS actors_country")  # actors_country_event covers (country, role)
            self.db.execute(
                "INSERT OR IGNORE INTO article_countries(country, article_id, published) "
                "SELECT DISTINCT x.country, e.article_id, a.published FROM actors x JOIN events e ON e.id = x.event_id "
                "JOIN articles a ON a.id = e.article_id WHERE x.country IS NOT NULL"
            )

    def _upgrade_to_3(self) -> None:
        """v2 -> v3 in place: the event_pairs index of the events already stored (new ones come by trigger)."""
        with self._immediate():
            self.db.execute(PAIRS_BACKFILL + " ON CONFLICT DO UPDATE SET dirs = dirs | excluded.dirs")

    def _upgrade_to_4(self) -> None:
        """v3 -> v4 in place: every stored event clustered again under the rules of issue 17."""
        from .. import incidents

        with self._immediate():
            incidents.assign_pending(self.db)

    def _finish_broken_bulk_load(self) -> None:
        """A bulk load that crashed left its events without event_pairs rows: add them (the schema script that
        just ran has already recreated the dropped indexes and triggers)."""
        if self.db.execute("SELECT 1 FROM meta WHERE key=?", (BULK_MARK,)).fetchone() is None:
            return
        with self._immediate():
            row = self.db.execute("SELECT value FROM meta WHERE key=?", (BULK_MARK,)).fetchone()
            if row is not None:  # another connection may have finished it meanwhile
                self._backfill_pairs(int(row[0]))
                self.db.execute("DELETE FROM meta WHERE key=?", (BULK_MARK,))

    def _backfill_pairs(self, after: int, upto: int | None = None) -> None:
        """The event_pairs rows of the events stored in rowid range (after, upto], inserted in primary-key order."""
        self.db.execute(
            PAIRS_BACKFILL + " AND e.rowid > ? AND e.rowid <= ? ORDER BY 1, 2, 3, 4 "
            "ON CONFLICT DO UPDATE SET dirs = dirs | excluded.dirs",
            (after, (1 << 63) - 1 if upto is None else upto),
        )

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Many articles at once (Parquet partitions, a benchmark): secondary indexes and the pair triggers are
        dropped while rows go in and rebuilt in one pass at the end, which is far cheaper than keeping them up to
        date row by row; this Store writes the event_pairs rows itself meanwhile. Readers still get right answers
        meanwhile, only slower. The WAL is checkpointed into the file every ~800 MiB rather than every 8 MiB: index
        pages that every batch touches (random hash keys) are then copied into the file once per checkpoint rather
        than once per batch.

        Durability is as for any ingest: every article, or add_many batch, is its own WAL transaction. A crash
        mid-load leaves the committed articles, without the dropped indexes and triggers and, for the events it
        loaded, their event_pairs rows only if the batch wrote them; the next Store() on the file recreates the
        indexes and triggers and backfills the pairs of every event loaded since the load began (the meta row
        `bulk_load_after` marks an unfinished load), so the file answers as if the load had stopped cleanly."""
        with self._immediate():
            before = _last_event(self.db)
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (BULK_MARK, str(before)))
            for name in BULK_INDEXES:
                self.db.execute(f"DROP INDEX IF EXISTS {name}")
            for name in BULK_TRIGGERS:
                self.db.execute(f"DROP TRIGGER IF EXISTS {name}")
        self._bulk = []
        self.db.execute(f"PRAGMA wal_autocheckpoint={_BULK_CHECKPOINT_PAGES}")
        try:
            yield
        finally:
            spans, self._bulk = self._bulk, None
            # One transaction: the pairs of events that others stored meanwhile (the rowid gaps between this
            # Store's writes, which wrote their pairs themselves; usually none), then the indexes and triggers
            # (event_pairs_event built once, sorted); no event can slip in between unpaired.
            try:
                with self._immediate():
                    for after, upto in _gaps(before, spans):
                        self._backfill_pairs(after, upto)
                    for stmt in SCHEMA_STATEMENTS:  # IF NOT EXISTS: recreates only what was dropped
                        self.db.execute(stmt)
                    self.db.execute("DELETE FROM meta WHERE key=?", (BULK_MARK,))
            finally:
                self.db.execute("PRAGMA wal_autocheckpoint=1000")  # SQLite's default
                self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    @contextmanager
    def _immediate(self) -> Iterator[sqlite3.Cursor]:
        """One write transaction, taken at once (no upgrade deadlock between writers); rolled back on any error."""
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                cur.execute("ROLLBACK")
            raise

    def last_event(self) -> int:
        return _last_event(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes --------------------------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE content_hash=?", (content_hash,)).fetchone() is not None

    def _stored(self, cur: sqlite3.Cursor, result: Result) -> bool:
        a = result.article
        return (
            cur.execute("SELECT 1 FROM articles WHERE content_hash=? OR id=?", (a.content_hash, a.id)).fetchone()
            is not None
        )

    def add(self, result: Result) -> bool:
        """Store one coded article; False when the same text is already stored (nothing is written)."""
        with self._immediate() as cur:
            if self._stored(cur, result):
                return False  # nothing was written: the empty transaction commits as nothing
            rows = _Rows(pairs=self._bulk is not None)
            rows.add(result)
            written = self._write(cur, rows)
        self._paired(written)
        return True

    def add_many(self, results: Iterable[Result]) -> int:
        """Store many coded articles in one transaction (bulk loads: far fewer commits); how many were new.

        Articles already stored (or repeated in `results`) are skipped, as add() would; the rows of the others
        go in with one executemany per table per 2,000 articles. An error rolls back the whole batch.
        """
        added = 0
        self.db.execute("PRAGMA cache_size = -65536")  # 64 MiB: index pages stay in memory across the batch
        todo = iter(results)
        written = []
        with self._immediate() as cur:
            while chunk := list(islice(todo, _ARTICLES_PER_WRITE)):
                rows = _Rows(pairs=self._bulk is not None)
                seen = self._stored_keys(cur, chunk)  # content hashes and ids already stored, or earlier here
                for result in chunk:
                    a = result.article
                    if a.content_hash in seen or a.id in seen:
                        continue
                    seen.update((a.content_hash, a.id))
                    rows.add(result)
                written.append(self._write(cur, rows))
                added += len(rows.articles)
        for span in written:
            self._paired(span)
        return added

    @staticmethod
    def _stored_keys(cur: sqlite3.Cursor, results: list[Result]) -> set[str]:
        """Those of the results' content hashes and article ids that are already stored (one query)."""
        hashes = json.dumps([r.article.content_hash for r in results])
        ids = json.dumps([r.article.id for r in results])
        return {
            key
            for (key,) in cur.execute(
                "SELECT content_hash FROM articles WHERE content_hash IN (SELECT value FROM json_each(?)) "
                "UNION ALL SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                (hashes, ids),
            )
        }

    def _paired(self, span: tuple[int, int]) -> None:
        """After a commit during a bulk load: the events in rowid range `span` have their event_pairs rows."""
        if self._bulk is not None:
            self._bulk.append(span)

    def _write(self, cur: sqlite3.Cursor, rows: _Rows) -> tuple[int, int]:
        """Within a transaction: insert the rows, then cluster their events into incidents (unless deferred); the
        rowid range (after, upto] of the events inserted."""
        from .. import incidents

        after = _last_event(cur) if rows.pairs is not None else 0  # only needed during a bulk load

        cur.executemany(
            "INSERT INTO articles(id, content_hash, url, title, published, source, path, text, ingested_at) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            rows.articles,
        )
        cur.executemany('INSERT INTO sentences(article_id, idx, start, "end", text) VALUES (?,?,?,?,?)', rows.sentences)
        cur.executemany(
            "INSERT OR IGNORE INTO events(id, article_id, sentence_index, cameo, cameo_root, quad_class, "
            "goldstein, plover_type, date_start, date_end, date_precision, date_reason, place_name, "
            "place_country, certainty, attributed_to, confidence, record) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows.events,
        )
        # Actors and article countries go in in key order: their primary keys start with random hashes, and sorted
        # inserts touch each index page once per chunk instead of once per row, which keeps big stores fast. (Events
        # keep article order: their rowids are the storage order that clustering and series follow.)
        rows.actors.sort(key=_key3)
        cur.executemany(
            "INSERT OR IGNORE INTO actors(event_id, role, position, name, country, sectors, actor_id, text, "
            'start, "end") VALUES (?,?,?,?,?,?,?,?,?,?)',
            rows.actors,
        )
        # the countries each article mentions (incident pages, coverage counts)
        rows.countries.sort(key=_key2)
        cur.executemany(
            "INSERT OR IGNORE INTO article_countries(country, article_id, published) VALUES (?,?,?)", rows.countries
        )
        if rows.pairs:
            cur.executemany(
                "INSERT INTO event_pairs(lo, hi, key, event_id, dirs) VALUES (?,?,?,?,?) "
                "ON CONFLICT DO UPDATE SET dirs = dirs | excluded.dirs",
                [(*pair, dirs) for pair, dirs in sorted(rows.pairs.items())],
            )
        upto = _last_event(cur) if rows.pairs is not None else 0
        if self.cluster:
            incidents.assign(cur, rows.event_ids)
        return after, upto

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
            pair, pair_args = dyad_sql(dyad, directed)
            sql.append(f"AND e.id IN ({pair})")
            args += pair_args
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
        from .. import incidents

        with self._immediate():
            return incidents.assign_pending(self.db)

    def meta(self, key: str) -> str | None:
        """A value kept in the store under `key` (feed states, alert markers), None when unset."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])
