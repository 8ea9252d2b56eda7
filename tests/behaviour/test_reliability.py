"""Nothing lost, nothing broken: fuzzed text, bytes and JSONL; a corpus of hostile files; kill -9 mid-ingest."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.api import records
from detente.events.ontology import is_code
from detente.ingest import article_from_bytes, read_inputs
from detente.model import Article, Result, Skip
from detente.store import Store

from ..conftest import EXAMPLE

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NEWSY = st.lists(
    st.sampled_from(
        [
            "Pakistan",
            "Israel",
            "met",
            "visited",
            "the",
            "Turkish",
            "minister",
            "in",
            "Istanbul",
            "on",
            "Tuesday",
            "and",
            "denied",
            "reports",
            "that",
            "troops",
            "attacked",
            "India",
            "last",
            "year",
            ",",
            ".",
            "\n\n",
            "2005",
            "said",
            "would",
            "not",
            "hosted",
            "a",
            "delegation",
            "of",
            "Hamas",
            "Kremlin",
            "—",
            "“",
            "”",
            "ب",
            "🙂",
        ]
    ),
    min_size=1,
    max_size=60,
).map(" ".join)


def check_records(text: str, recs: list[dict]) -> None:
    """The schema's promises on every record: offsets inside the text, evidence equal to it, valid codes/dates."""
    for r in recs:
        ev, tr = r["evidence"], r["trigger"]
        assert 0 <= ev["start"] <= tr["start"] < tr["end"] <= ev["end"] <= len(text)
        assert text[ev["start"] : ev["end"]] == ev["text"] and text[tr["start"] : tr["end"]] == tr["text"]
        assert is_code(r["cameo"])
        d = r["date"]
        if d["start"]:
            assert date.fromisoformat(d["start"]) <= date.fromisoformat(d["end"])
        for a in r["source"] + r["target"] + r["intermediary"]:
            assert text[a["start"] : a["end"]] == a["text"]


@FUZZ
@given(text=st.one_of(st.text(max_size=400), NEWSY))
def test_any_text_never_crashes_and_keeps_the_schema(pipeline, text):
    try:
        article = article_from_bytes(text.encode("utf-8", "surrogatepass"), "fuzz")
    except Exception as exc:  # refusals must be InputErrors with a reason, nothing else
        from detente.errors import InputError

        assert isinstance(exc, InputError) and str(exc)
        return
    (res,) = list(pipeline.run([article]))
    assert isinstance(res, Result), res
    check_records(article.text, records(res))


@FUZZ
@given(data=st.binary(max_size=600))
def test_any_bytes_as_html_are_coded_or_skipped_with_a_reason(pipeline, tmp_path_factory, data):
    f = tmp_path_factory.mktemp("fz") / "page.html"
    f.write_bytes(b"<html><body><p>" + data + b"</p></body></html>")
    for item in pipeline.run(read_inputs([str(f)])):
        assert isinstance(item, Result | Skip)
        if isinstance(item, Skip):
            assert item.reason
        else:
            check_records(item.article.text, records(item))


@FUZZ
@given(
    line=st.one_of(
        st.text(max_size=200),
        st.dictionaries(
            st.sampled_from(["id", "text", "html", "published", "url", "title", "source"]),
            st.one_of(st.text(max_size=80), st.integers(), st.none()),
            max_size=6,
        ).map(json.dumps),
    )
)
def test_any_jsonl_line_is_an_article_or_a_skip(tmp_path_factory, line):
    f = tmp_path_factory.mktemp("fz") / "r.jsonl"
    f.write_text(line.replace("\n", " ") + "\n", encoding="utf-8", errors="surrogatepass")
    for item in read_inputs([str(f)]):
        assert isinstance(item, Article) or (isinstance(item, Skip) and item.reason)


def hostile(tmp: Path) -> dict[str, bytes]:
    """At least 30 hostile inputs, written by us."""
    big_line = b"war " * 2_600_000  # ~10 MB on one line
    nested = b"<div>" * 50_000 + b"Peace talks ended." + b"</div>" * 50_000
    many = ("Pakistan and India met in Delhi. " * 10_000).encode()
    bomb = gzip.compress(b"\0" * 40_000_000)
    return {
        "empty.txt": b"",
        "spaces.txt": b"   \n\t  \n",
        "nul.txt": b"\x00" * 500,
        "nul-middle.txt": b"Talks\x00held" * 200,
        "latin1.txt": "Caf\xe9 talks in Bogot\xe1".encode("latin-1") * 5,
        "bad-utf8.txt": b"\xff\xfe\xfd" + b"abc" * 99,
        "utf16.txt": "Turkey met Armenia in Vienna.".encode("utf-16"),
        "bom.txt": b"\xef\xbb\xbfTurkey met Armenia.",
        "rtl.txt": "عقد وزيرا خارجية البلدين اجتماعا في إسطنبول يوم الثلاثاء لبحث العلاقات الثنائية".encode(),
        "emoji.txt": "🙂🚀🔥🌍💣🕊️".encode() * 30,
        "one-word.txt": b"Peace",
        "numbers.txt": b"1 2 3 4 5 6 7 8 9 " * 50,
        "punct.txt": b"!?.,;:" * 400,
        "long-line.txt": big_line,
        "many-sentences.txt": many,
        "nested.html": nested,
        "script-only.html": b"<html><body><script>alert(1)</script></body></html>",
        "unclosed.html": b"<html><body><p>Talks were held in Geneva.<div><span><p>",
        "binary.html": os.urandom(4000),
        "bomb.txt.gz": bomb,
        "truncated.txt.gz": gzip.compress(b"Talks in Geneva. " * 500)[:100],
        "not-gzip.gz": b"this is not gzip",
        "bad.jsonl": b'{\n[1,2]\nnull\n"x"\n',
        "mixed.jsonl": b'{"id": "ok", "text": "Egypt condemned the Israeli raid on Jenin."}\n{"id": 1}\n\xff\n',
        "feed.xml": b"<rss><channel><item><title>x</title></item>",
        "empty-feed.rss": b"<rss version='2.0'></rss>",
        "junk.warc": b"WARC/1.0\r\nWARC-Type: response\r\n\r\ngarbage",
        "junk.warc.gz": gzip.compress(b"WARC/1.0 junk"),
        "control.txt": bytes(range(1, 32)) * 50,
        "html-entities.html": b"<p>&#0;&#xD800;&amp;&lt;&gt;</p>" * 20,
        "spanish.txt": (
            "La reunión entre los ministros de los dos países se celebró el martes en la capital "
            "para discutir el comercio y la frontera. "
        ).encode()
        * 5,
        "xss.txt": b"<script>alert('x')</script> Turkey met Armenia in Vienna on Tuesday.",
    }


@pytest.mark.slow
def test_hostile_corpus_is_skipped_or_coded_with_reasons_and_bounded_memory(tmp_path, pipeline):
    import resource

    files = hostile(tmp_path)
    assert len(files) >= 30
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    items = list(pipeline.run(read_inputs([str(tmp_path)], max_bytes=12_000_000)))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    skips = [i for i in items if isinstance(i, Skip)]
    coded = [i for i in items if isinstance(i, Result)]
    assert all(s.reason for s in skips) and coded and skips
    for r in coded:
        check_records(r.article.text, records(r))
    print(f"hostile corpus: {len(files)} files -> {len(coded)} coded, {len(skips)} skipped; RSS grew {grown_mb:.0f} MB")
    assert grown_mb < 1500


CRASH_SCRIPT = """
import sys, time
from detente.api import ingest
from detente.progress import Progress
class Slow(Progress):
    def update(self, **kw):
        super().update(**kw)
        time.sleep(0.05)
ingest([sys.argv[1]], db=sys.argv[2], progress=Slow(enabled=False))
"""


@pytest.mark.slow
def test_kill_dash_nine_mid_ingest_then_rerun_stores_everything_once(tmp_path, pipeline):
    src = tmp_path / "in"
    src.mkdir()
    texts = [
        f"Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi, report {i}."
        for i in range(60)
    ]
    for i, t in enumerate(texts):
        (src / f"{i:03d}.txt").write_text(t + " " + EXAMPLE.read_text())
    db = tmp_path / "crash.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASH_SCRIPT, str(src), str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if db.exists():
            with Store(db) as s:
                if s.counts().articles >= 5:
                    break
        if proc.poll() is not None:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with Store(db) as s:
        partial = s.counts()
        assert s.integrity() == "ok"
        # no partial article: every stored article has all its sentences, every event an article
        orphans = s.db.execute(
            "SELECT COUNT(*) FROM events e LEFT JOIN articles a ON a.id=e.article_id WHERE a.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
    assert 0 < partial.articles < 60
    from detente.api import ingest

    again = ingest([str(src)], db=str(db))
    with Store(db) as s:
        final = s.counts()
        assert s.integrity() == "ok"
    assert final.articles == 60 and again.duplicates == partial.articles
    fresh = ingest([str(src)], db=str(tmp_path / "fresh.db"))
    assert final.events == fresh.events
