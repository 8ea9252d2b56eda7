import sqlite3

import pytest

from detente.api import ingest
from detente.errors import StoreError
from detente.store import SCHEMA_VERSION, Store

from .conftest import EXAMPLE, EXAMPLE_PUBLISHED


@pytest.fixture()
def inputs(tmp_path):
    (tmp_path / "a.txt").write_text(EXAMPLE.read_text())
    (tmp_path / "b.txt").write_text("Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi.")
    (tmp_path / "empty.txt").write_text("")
    return tmp_path


def test_ingest_twice_stores_once(inputs, tmp_path, pipeline):
    from datetime import date

    db = tmp_path / "s.db"
    first = ingest([str(inputs)], db=str(db), published=date.fromisoformat(EXAMPLE_PUBLISHED))
    assert first.articles == 2 and first.events > 0 and len(first.skips) == 1
    with Store(db) as s:
        before = s.counts()
    second = ingest([str(inputs)], db=str(db), published=date.fromisoformat(EXAMPLE_PUBLISHED))
    assert second.articles == 0 and second.duplicates == 2
    with Store(db) as s:
        after = s.counts()
        assert s.integrity() == "ok"
    assert (after.articles, after.sentences, after.events, after.actors) == (
        before.articles,
        before.sentences,
        before.events,
        before.actors,
    )
    assert after.skips == before.skips + 1  # each run records what it skipped


def test_dyad_query_either_direction(inputs, tmp_path, pipeline):
    db = tmp_path / "s.db"
    ingest([str(inputs / "b.txt")], db=str(db))
    with Store(db) as s:
        both = list(s.events(dyad=("ETH", "KEN")))
        directed = list(s.events(dyad=("ETH", "KEN"), directed=True))
        reverse = list(s.events(dyad=("KEN", "ETH"), directed=True))
    assert both and not directed and reverse


def test_article_with_events_is_one_transaction(tmp_path, pipeline):
    """A failure while writing events leaves no half-stored article behind."""
    result = pipeline.code_text("Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi.")
    with Store(tmp_path / "t.db") as s:
        s.db.execute("CREATE TRIGGER boom BEFORE INSERT ON actors BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        with pytest.raises(sqlite3.IntegrityError):
            s.add(result)
        assert s.counts().articles == 0 and s.counts().events == 0


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "new.db"
    with Store(db):
        pass
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="upgrade detente"):
        Store(db)


def test_not_a_database(tmp_path):
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="is it a detente SQLite file"):
        Store(bad)


@pytest.mark.slow
def test_two_workers_code_the_same_events_as_one(pipeline):
    from detente.model import Article, Result
    from detente.pipeline import Pipeline
    from detente.settings import Settings

    texts = [EXAMPLE.read_text()] + [
        f"Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on day {i}."
        for i in range(5)
    ]
    articles = [Article.from_text(t) for t in texts]
    one = [r for r in Pipeline(Settings(batch_size=2)).run(articles) if isinstance(r, Result)]
    two = [r for r in Pipeline(Settings(batch_size=2, workers=2)).run(articles) if isinstance(r, Result)]
    assert [r.article.id for r in one] == [a.id for a in articles]
    assert [[e.id for e in r.events] for r in one] == [[e.id for e in r.events] for r in two]


def test_bulk_load_rebuilds_indexes_and_dyad_pairs(tmp_path, pipeline):
    result = pipeline.code_text("Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi.")
    with Store(tmp_path / "b.db") as s:
        with s.bulk_load():
            assert s.add(result)
            names = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
            assert "actors_country_event" not in names
        names = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")}
        assert {"actors_country_event", "events_order", "event_pairs_source"} <= names
        assert list(s.events(dyad=("KEN", "ETH"))) and s.integrity() == "ok"
        pairs = s.db.execute("SELECT lo, hi FROM event_pairs").fetchall()
        assert ("ETH", "KEN") in pairs
