import os
import sqlite3
import subprocess
import sys
from pathlib import Path

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


def _coded(n, *, title="Ankara–Damascus talks · «ceasefire»"):
    """A hand-made coded article with the awkward cases: several sources and targets, a same-country pair, an
    actor without a country, an unknown date, a place, an intermediary and non-ASCII text."""
    from datetime import date

    from detente.model import Actor, Article, Event, EventDate, Place, Result, Sentence, Span

    def who(c, name=None):
        return Actor(name or f"{c} official", c, ("GOV",), f"{c} – ünïcode", 0, 3)

    text = f"Article {n}: Türkiye and Syria met in Genève. Ça va."
    article = Article.from_text(text, title=title, published=date(2024, 3, 1 + n % 20), source=f"outlet {n % 3}")
    day = date(2024, 2, 1 + n % 20)
    specs = [
        ((who("TUR"), who("USA")), (who("SYR"), who("TUR", "Turkish army")), EventDate(day, day, "day", "explicit")),
        ((who("RUS"),), (who(None, "rebels"),), EventDate.unknown()),
        ((who("ISR"),), (who("PSE"),), EventDate(None, None, "unknown", "unknown", "some day")),
        ((who("SYR"),), (who("TUR"),), EventDate(day, date(2024, 3, 1), "span", "relative-to-publication")),
    ]
    events = tuple(
        Event(
            id=f"e:{article.id}:{i}",
            article_id=article.id,
            sentence_index=i % 2,
            evidence=Span(text, 0, len(text)),
            trigger=Span("met", 22, 25),
            cameo=("040", "190", "111", "036")[i],
            source=src,
            target=tgt,
            intermediary=(who("CHE"),) if i == 0 else (),
            date=when,
            place=Place("Genève", "CHE", 46.2, 6.15, 2660646) if i == 0 else None,
            certainty="reported",
            attributed_to="Anadolu" if i == 1 else None,
            confidence=0.75,
        )
        for i, (src, tgt, when) in enumerate(specs)
    )
    sentences = (Sentence(0, 0, 44, text[:44]), Sentence(1, 45, len(text), text[45:]))
    return Result(article, sentences, events)


def _pairs(store):
    return store.db.execute("SELECT lo, hi, key, event_id, dirs FROM event_pairs ORDER BY 1, 2, 3, 4").fetchall()


def test_stored_records_are_the_jsonl_records(tmp_path):
    """What the store hands back is exactly the JSONL record of each event, through add() and add_many()."""
    import json

    from detente.records import event_record

    results = [_coded(n) for n in range(3)]
    expected = sorted((event_record(ev, r.article) for r in results for ev in r.events), key=lambda x: x["id"])
    with Store(tmp_path / "one.db") as one, Store(tmp_path / "many.db") as many:
        assert all(one.add(r) for r in results)
        with many.bulk_load():
            assert many.add_many(results) == 3
        for s in (one, many):
            assert sorted(s.events(), key=lambda x: x["id"]) == expected
            ev, art = results[0].events[0], results[0].article
            (text,) = s.db.execute("SELECT record FROM events WHERE id=?", (ev.id,)).fetchone()
            assert text == json.dumps(event_record(ev, art), ensure_ascii=False, separators=(",", ":"))
            assert s.counts().sentences == 6


def test_bulk_load_writes_the_same_pairs_as_the_triggers(tmp_path):
    results = [_coded(n) for n in range(5)]
    with Store(tmp_path / "t.db") as slow, Store(tmp_path / "b.db") as bulk:
        for r in results:
            slow.add(r)
        with bulk.bulk_load():
            assert bulk.add_many(results[:3]) == 3
            assert bulk.add(results[3]) and bulk.add_many(results[3:]) == 1
        assert _pairs(bulk) == _pairs(slow) and len(_pairs(slow)) == 5 * 6
        assert ("TUR", "TUR", "2024-02-01", results[0].events[0].id, 1) in _pairs(slow)  # same-country pair
        assert bulk.counts() == slow.counts() and bulk.integrity() == "ok"
        assert bulk.db.execute("SELECT 1 FROM meta WHERE key='bulk_load_after'").fetchone() is None


def test_add_many_is_idempotent(tmp_path):
    results = [_coded(n) for n in range(4)]
    with Store(tmp_path / "i.db") as s:
        assert s.add_many([results[0], results[1], results[0]]) == 2  # a repeat within the batch is stored once
        before = s.counts()
        assert s.add_many(results) == 2 and s.add_many(results) == 0
        assert not s.add(results[2])
        after = s.counts()
        assert (after.articles, after.events, after.actors) == (4, 16, before.actors * 2)
        assert len(_pairs(s)) == 4 * 6


def test_add_many_error_rolls_back_the_batch(tmp_path):
    with Store(tmp_path / "r.db") as s:
        s.db.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON article_countries WHEN NEW.country = 'PSE' "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        with pytest.raises(sqlite3.IntegrityError), s.bulk_load():
            s.add_many([_coded(0), _coded(1)])
        assert s.counts().articles == 0 and s.counts().events == 0 and not _pairs(s)
        s.db.execute("DROP TRIGGER boom")
        assert s.add_many([_coded(0)]) == 1 and len(_pairs(s)) == 6


def test_bulk_load_pairs_events_that_another_writer_stored_meanwhile(tmp_path):
    """Events another connection stores mid-load (no pair triggers then) get their pairs at the end."""
    db = tmp_path / "w.db"
    with Store(db) as ref:
        ref.add(_coded(1))
        expected = _pairs(ref)
        ref.db.execute("DELETE FROM event_pairs")
        rows = {t: ref.db.execute(f"SELECT * FROM {t}").fetchall() for t in ("articles", "events", "actors")}  # noqa: S608
    db.unlink()
    with Store(db) as s:
        with s.bulk_load():
            s.add_many([_coded(0)])
            other = sqlite3.connect(db, timeout=30)
            for table, values in rows.items():
                marks = ",".join("?" * len(values[0]))
                other.executemany(f"INSERT INTO {table} VALUES ({marks})", values)  # noqa: S608
            other.commit()
            other.close()
            s.add_many([_coded(2)])
        stored = _pairs(s)
    assert set(expected) <= set(stored) and len(stored) == 3 * 6


def test_crash_mid_bulk_load_is_finished_on_open(tmp_path):
    """A load that dies before its end leaves committed articles; the next open restores indexes, triggers and
    dyad pairs, so the file answers as if the load had stopped cleanly."""
    db = tmp_path / "c.db"
    with Store(db) as ref:
        ref.add_many([_coded(0), _coded(1)])
        expected = _pairs(ref)
    db2 = tmp_path / "crash.db"
    script = (
        "import os, sys\n"
        "from tests.test_store import _coded\n"
        "from detente.store import Store\n"
        "s = Store(sys.argv[1])\n"
        "with s.bulk_load():\n"
        "    s.add_many([_coded(0)])\n"
        "    s.add(_coded(1))\n"
        "    s.db.execute('DELETE FROM event_pairs')  # as if the pairs had not been written yet\n"
        "    os._exit(3)  # the process dies: bulk_load's end never runs\n"
    )
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    done = subprocess.run([sys.executable, "-c", script, str(db2)], env=env, cwd=root, check=False, timeout=120)
    assert done.returncode == 3
    raw = sqlite3.connect(db2)
    assert raw.execute("SELECT count(*) FROM event_pairs").fetchone() == (0,)
    assert raw.execute("SELECT count(*) FROM meta WHERE key='bulk_load_after'").fetchone() == (1,)
    assert raw.execute("SELECT count(*) FROM events").fetchone() == (8,)
    raw.close()
    with Store(db2) as again:
        names = {r[0] for r in again.db.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")}
        assert {"actors_country_event", "events_order", "event_pairs_event", "event_pairs_source"} <= names
        assert _pairs(again) == expected and again.integrity() == "ok"
        assert again.db.execute("SELECT 1 FROM meta WHERE key='bulk_load_after'").fetchone() is None
        assert list(again.events(dyad=("ISR", "PSE")))
