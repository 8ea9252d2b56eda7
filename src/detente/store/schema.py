"""The store's tables, indexes and triggers, and the version that migrations move a file to."""

from __future__ import annotations

import sqlite3

# The event_pairs rows of stored events, computed in one statement (schema upgrade, end of a bulk load).
PAIRS_BACKFILL = (
    "INSERT INTO event_pairs(lo, hi, key, event_id, dirs) "
    "SELECT min(s.country, t.country), max(s.country, t.country), ifnull(e.date_start, '~'), e.id, "
    "CASE WHEN s.country <= t.country THEN 1 ELSE 2 END FROM events e "
    "JOIN actors s ON s.event_id = e.id AND s.role = 'source' "
    "JOIN actors t ON t.event_id = e.id AND t.role = 'target' "
    "WHERE s.country IS NOT NULL AND t.country IS NOT NULL"
)


def pair_dirs(source: str, target: str) -> tuple[str, str, int]:
    """A source and target country as the triggers and PAIRS_BACKFILL store them: (lo, hi, dirs), lo <= hi, dirs 1
    when lo is the source, 2 when hi is."""
    return (source, target, 1) if source <= target else (target, source, 2)


BULK_INDEXES = ("events_article", "events_date", "events_order", "actors_country_event", "event_pairs_event")
BULK_TRIGGERS = ("event_pairs_target", "event_pairs_source")
# meta key set while a bulk load runs: the last events rowid before it. A store opened with it set was left by a
# load that never finished (a crash), so opening it backfills the event_pairs rows of the events loaded since.
BULK_MARK = "bulk_load_after"


# 2: incidents, incident_events, incident_keys, article_countries (issue 7); 3: event_pairs; 4: incident summaries,
# incident_pairs and incident_links (issue 17: the incident tables are rebuilt and every event reclustered)
SCHEMA_VERSION = 4
INCIDENT_TABLES = ("incident_links", "incident_pairs", "incident_keys", "incident_events", "incidents")

SCHEMA = """
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
-- One row per incident: `lo`..`hi` is the window a new report must meet (the dates its dated reports share, or
-- for an undated incident its article's publication window; NULL: it can meet nothing); the rest is the summary
-- that lists, pages and series read without opening the reports (rewritten whenever a report joins).
CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY, family TEXT NOT NULL, lo TEXT, hi TEXT, dated INTEGER NOT NULL, seed_event TEXT NOT NULL,
    best_event TEXT NOT NULL, start TEXT, "end" TEXT, spread_lo TEXT, spread_hi TEXT, sources INTEGER NOT NULL,
    first_report TEXT
);
CREATE INDEX IF NOT EXISTS incidents_order ON incidents(ifnull(start, '~'), id);
CREATE INDEX IF NOT EXISTS incidents_window ON incidents(lo);
CREATE TABLE IF NOT EXISTS incident_events (
    event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS incident_events_incident ON incident_events(incident_id);
CREATE TABLE IF NOT EXISTS incident_keys (
    key TEXT NOT NULL, incident_id TEXT NOT NULL, PRIMARY KEY (key, incident_id)
) WITHOUT ROWID;
-- Each incident's country pairs (as event_pairs, over all its reports) with its summary, in date order (day: its
-- start, '~' when undated): a dyad's series and incident pages are one primary-key range scan.
CREATE TABLE IF NOT EXISTS incident_pairs (
    lo TEXT NOT NULL, hi TEXT NOT NULL, day TEXT NOT NULL, incident_id TEXT NOT NULL, dirs INTEGER NOT NULL,
    "end" TEXT, quad_class INTEGER NOT NULL, goldstein REAL NOT NULL, plover_type TEXT NOT NULL,
    certainty TEXT NOT NULL, first_report TEXT,
    PRIMARY KEY (lo, hi, day, incident_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS incident_pairs_incident ON incident_pairs(incident_id);
-- Denials linked to the incident they deny (an event of another family: "the government denied those claims").
CREATE TABLE IF NOT EXISTS incident_links (
    incident_id TEXT NOT NULL, event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, event_id)
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


def statements(script: str) -> list[str]:
    """A script's statements one by one (executescript would commit; these run inside a transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip() and not buf.strip().startswith("--"):
                out.append(buf.strip())
            buf = ""
    return out


SCHEMA_STATEMENTS = statements(SCHEMA)
