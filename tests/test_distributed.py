"""The Dask path on a real LocalCluster: same events as the local run, Parquet partitions that load into the store."""

from __future__ import annotations

import json

import pytest

from detente.api import export_events, ingest, ingest_dask, load
from detente.store import Store

from .conftest import EXAMPLE, EXAMPLE_PUBLISHED

pytest.importorskip("dask.distributed")

TEXTS = [
    "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday.",
    "Egypt condemned the Israeli strike on Gaza, the foreign ministry said.",
    "Qatar hosted a delegation of Afghan officials in Doha last week.",
    "The European Union imposed sanctions on Iran over drone deliveries to Russia.",
]


@pytest.mark.slow
def test_dask_localcluster_matches_local_run(tmp_path, pipeline):
    from datetime import date

    src = tmp_path / "in"
    src.mkdir()
    (src / "example.txt").write_text(EXAMPLE.read_text())
    for i, t in enumerate(TEXTS):
        (src / f"s{i}.txt").write_text(t)
    (src / "empty.txt").write_text("")
    pub = date.fromisoformat(EXAMPLE_PUBLISHED)
    local = ingest([str(src)], db=str(tmp_path / "local.db"), published=pub)
    report = ingest_dask([str(src)], str(tmp_path / "parts"), scheduler="local", published=pub)
    assert report.articles == local.articles == 5 and len(report.skips) == 1
    assert list((tmp_path / "parts" / "articles").glob("part-*.parquet"))
    loaded = load(str(tmp_path / "parts"), db=str(tmp_path / "dask.db"))
    assert loaded.articles == 5
    with Store(tmp_path / "local.db") as a, Store(tmp_path / "dask.db") as b:
        assert {e["id"] for e in a.events()} == {e["id"] for e in b.events()}
        assert a.counts().events == b.counts().events and b.integrity() == "ok"
    again = load(str(tmp_path / "parts"), db=str(tmp_path / "dask.db"))
    assert again.articles == 0 and again.duplicates == 5


def test_exports(tmp_path, pipeline):
    import csv

    import pyarrow.parquet as pq

    db = str(tmp_path / "x.db")
    from datetime import date

    ingest([str(EXAMPLE)], db=db, published=date.fromisoformat(EXAMPLE_PUBLISHED))
    with Store(db) as s:
        recs = list(s.events())
    n = len(recs)
    factual = [r for r in recs if r["certainty"] not in {"hypothetical", "negated", "denied"}]
    assert 0 < len(factual) < n  # the example has a hypothetical event: PLOVER and GDELT leave it out
    for fmt in ("jsonl", "csv", "parquet", "plover"):
        want = len(factual) if fmt == "plover" else n
        assert export_events(fmt, str(tmp_path / f"events.{fmt}"), db=db) == want
    pairs = sum(max(len(r["source"]), 1) * max(len(r["target"]), 1) for r in factual)
    assert export_events("gdelt", str(tmp_path / "events.gdelt"), db=db) == pairs  # a row per actor pair
    assert len((tmp_path / "events.jsonl").read_text().splitlines()) == n
    assert pq.read_table(tmp_path / "events.parquet").num_rows == n
    plover = [json.loads(line) for line in (tmp_path / "events.plover").read_text().splitlines()]
    assert len(plover) == len(factual) and {"event", "actor", "recipient", "event_text", "date"} <= set(plover[0])
    with (tmp_path / "events.gdelt").open() as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == pairs and all(len(r) > 61 for r in rows)  # GDELT's 61 columns, then detente's
    assert rows[0][28] and rows[0][29] in {"1", "2", "3", "4"}  # EventRootCode, QuadClass
