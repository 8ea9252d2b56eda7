"""What a new user meets first (issue 18): parallel ingest, CSV input, country names, missing stores, refused
flags, local feeds, progress and the quick-start example itself — each through the CLI as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from detente.cli import main
from detente.store import Store

from .conftest import EXAMPLE, EXAMPLE_PUBLISHED

# Short articles of our own, each about a different pair, so a parallel run has several chunks to reorder.
ARTICLES = [
    "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday to discuss trade.",
    "Chile and Peru signed an agreement on fishing rights in Lima on Tuesday, officials said.",
    "Greek police arrested 12 protesters in Athens on Friday after clashes near parliament.",
    "Japan condemned the North Korean missile launch on Sunday and urged Pyongyang to return to talks.",
    "The Egyptian foreign minister visited Khartoum on Wednesday and met Sudanese leaders.",
    "India accused Pakistan of shelling villages in Kashmir on Thursday.",
    "Brazil and Argentina agreed on Monday to cut tariffs on cars, their trade ministers said.",
]


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def _events(db) -> list[str]:
    with Store(db, create=False) as store:
        return sorted(json.dumps(r, sort_keys=True) for r in store.events())


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for i, text in enumerate(ARTICLES):
        (folder / f"{i:02d}.txt").write_text(text + "\n")
    return folder


def test_parallel_ingest_in_every_form_equals_one_process(tmp_path, corpus, capsys, monkeypatch, pipeline):
    base = ["ingest", str(corpus), "--published", "2024-05-10", "--batch-size", "2"]
    assert run([*base, "--db", str(tmp_path / "one.db")], capsys)[0] == 0
    one = _events(tmp_path / "one.db")
    assert len(one) >= len(ARTICLES)
    code, out, err = run([*base, "--db", str(tmp_path / "flag.db"), "--workers", "2"], capsys)
    assert code == 0 and f"stored {len(ARTICLES)} article(s)" in out, err
    settings = tmp_path / "s.toml"
    settings.write_text("workers = 2\n")
    assert run([*base, "--db", str(tmp_path / "file.db"), "--settings", str(settings)], capsys)[0] == 0
    monkeypatch.setenv("DETENTE_WORKERS", "2")
    assert run([*base, "--db", str(tmp_path / "env.db")], capsys)[0] == 0
    for name in ("flag", "file", "env"):
        assert _events(tmp_path / f"{name}.db") == one, name
    # rerunning in parallel adds nothing: the duplicate check works from the pool too
    code, out, _ = run([*base, "--db", str(tmp_path / "env.db")], capsys)
    assert code == 0 and f"{len(ARTICLES)} already stored" in out and _events(tmp_path / "env.db") == one


def test_csv_of_articles_is_read_row_by_row(tmp_path, capsys, pipeline):
    path = tmp_path / "articles.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["url", "date", "title", "text"])
        w.writerow(["https://example.org/a", "2024-05-10", "Talks", ARTICLES[0]])
        w.writerow(["https://example.org/b", "2024-05-11", "Deal", ARTICLES[1]])
        w.writerow(["https://example.org/c", "", "Empty", ""])
    code, out, err = run(["code", str(path)], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["article"]["published"] for r in records} == {"2024-05-10", "2024-05-11"}
    assert {r["article"]["url"] for r in records} == {"https://example.org/a", "https://example.org/b"}
    assert "articles.csv:4" in err and "no 'text'" in err  # the empty row is a skip with its line
    other = tmp_path / "prices.csv"
    other.write_text("ticker,price\nABC,12.5\n")
    code, out, err = run(["code", str(other)], capsys)
    assert code == 1 and out == "" and "needs a 'text'" in err and "ticker, price" in err
    assert len(err.strip().splitlines()) == 2  # one line for the refusal, one for the summary


def test_country_names_work_where_codes_do_and_unknown_names_are_refused(tmp_path, capsys, pipeline):
    db = str(tmp_path / "x.db")
    run(["ingest", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED, "--db", db, "--quiet"], capsys)
    by_code = run(["timeline", "TUR", "ARM", "--db", db, "--format", "jsonl"], capsys)[1]
    by_name = run(["timeline", "Turkey", "Armenian", "--db", db, "--format", "jsonl"], capsys)[1]
    assert by_code.strip() and by_name == by_code
    out_file = tmp_path / "e.jsonl"
    code, out, _ = run(
        ["export", "--db", db, "--dyad", "Türkiye:Armenia", "--format", "jsonl", "--out", str(out_file)], capsys
    )
    assert code == 0 and not out.startswith("wrote 0 ") and out_file.read_text().strip()
    with pytest.raises(SystemExit) as exc:
        main(["timeline", "Pakistn", "Israel", "--db", db])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "unknown country 'Pakistn'" in err and "PAK" in err


def test_missing_stores_and_idle_flags_are_errors_that_create_nothing(tmp_path, capsys):
    typo = tmp_path / "typo.db"
    code, _, err = run(["serve", "--db", str(typo)], capsys)
    assert code == 2 and "--create" in err and not typo.exists()
    for args in (["incidents"], ["events"], ["signals", "PAK", "ISR"], ["export", "--format", "csv", "--out", "x"]):
        code, _, err = run([*args, "--db", str(typo)], capsys)
        assert code == 2 and "detente ingest" in err and not typo.exists(), args
    code, _, err = run(["load", str(tmp_path / "nodir"), "--db", str(typo)], capsys)
    assert code == 2 and "no Parquet partitions" in err and not typo.exists()
    code, _, err = run(["ingest", str(EXAMPLE), "--out", str(tmp_path / "parts"), "--db", str(typo)], capsys)
    assert code == 2 and "--dask" in err and not typo.exists()
    code, _, err = run(["serve", "--db", str(typo), "--every", "5m", "--create"], capsys)
    assert code == 2 and "--watch" in err
    for port in ("80000", "0", "http"):
        with pytest.raises(SystemExit):
            main(["serve", "--port", port])
        assert "--port" in capsys.readouterr().err


def _feed(items: list[tuple[str, str]]) -> str:
    body = "".join(
        f"<item><title>{t}</title><link>https://example.org/{i}</link><pubDate>Fri, 10 May 2024 08:00:00 GMT</pubDate>"
        f"<description>{(text + ' ') * 6}</description></item>"
        for i, (t, text) in enumerate(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>{body}</channel></rss>'


def test_watch_reads_a_local_feed_file_and_rereads_it_only_when_it_changes(tmp_path, capsys, pipeline):
    feed = tmp_path / "feed.rss"
    feed.write_text(_feed([("Talks", ARTICLES[0])]))
    db = str(tmp_path / "w.db")
    code, _, err = run(["watch", str(feed), "--once", "--db", db], capsys)
    assert code == 0 and "1 new article" in err
    code, _, err = run(["watch", str(feed), "--once", "--db", db], capsys)
    assert code == 0 and "not modified" in err
    feed.write_text(_feed([("Talks", ARTICLES[0]), ("Deal", ARTICLES[1])]))
    os.utime(feed, ns=(1, 2_000_000_000_000_000_000))
    code, _, err = run(["watch", str(feed), "--once", "--db", db], capsys)
    assert code == 0 and "1 new article" in err and "1 already stored" in err
    code, _, err = run(["watch", str(tmp_path / "nofeed.rss"), "--once", "--db", db], capsys)
    assert code == 2 and "no such file" in err


def test_progress_has_a_total_and_eta_and_a_summary_off_a_terminal(tmp_path, corpus, capsys, pipeline):
    from detente.progress import Progress

    log = io.StringIO()
    p = Progress(total=10, stream=log)
    p.start -= 4.0  # four seconds in
    p.update(articles=3, events=7)
    p.update(duplicates=1)
    assert p.line().startswith("4/10 inputs") and "ETA 0m06s" in p.line()
    p.close()
    assert "done in 0m04s" in log.getvalue() and "3 stored with 7 events, 1 already stored" in log.getvalue()
    code, out, err = run(["ingest", str(corpus), "--db", str(tmp_path / "p.db")], capsys)
    assert code == 0 and "done in" in err and f"{len(ARTICLES)} stored" in err
    code, out, err = run(["ingest", str(corpus), "--db", str(tmp_path / "q.db"), "--quiet"], capsys)
    assert code == 0 and "done in" not in err


def test_the_quick_start_example_codes_its_denial_and_accusation_right(capsys, pipeline):
    code, out, _ = run(["code", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    denial = next(r for r in records if r["cameo"] == "016")
    assert {a["country"] for a in denial["source"]} == {"AZE"} and {a["country"] for a in denial["target"]} == {"TUR"}
    accusation = next(r for r in records if [a["country"] for a in r["target"]] == ["USA"])
    assert accusation["cameo"] == "112"  # meddling is not espionage (1125)
    meeting = next(r for r in records if r["cameo"] == "040" and "Vienna" in r["evidence"]["text"])
    assert [a["country"] for a in meeting["target"]] == ["ARM"]  # "his Armenian counterpart", whatever the story


def test_api_takes_country_names_and_refuses_unknown_ones(tmp_path, live_server, pipeline):
    import urllib.error
    import urllib.parse
    import urllib.request

    from detente.api import ingest
    from detente.settings import Settings

    db = str(tmp_path / "api.db")
    ingest([str(EXAMPLE)], db=db, published=__import__("datetime").date.fromisoformat(EXAMPLE_PUBLISHED))
    base = live_server(Settings(db=db))

    def get(path: str):
        try:
            with urllib.request.urlopen(base + path, timeout=10) as resp:
                return resp.status, json.load(resp)
        except urllib.error.HTTPError as exc:
            return exc.code, json.load(exc)

    by_code = get("/api/events?dyad=TUR:ARM")[1]["events"]
    assert by_code and get("/api/events?dyad=" + urllib.parse.quote("Turkey:Armenian"))[1]["events"] == by_code
    status, body = get("/api/dyads/Turkey/Armenia/timeline")
    assert status == 200 and body["dyad"] == ["TUR", "ARM"] and body["incidents"]
    status, body = get("/api/dyads/Turkye/ARM/signals")
    assert status == 400 and "unknown country" in body["error"]["message"] and "TUR" in body["error"]["message"]


def test_exports_through_the_cli_are_faithful(tmp_path, capsys, pipeline):
    import pyarrow.parquet as pq

    db = str(tmp_path / "x.db")
    run(["ingest", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED, "--db", db, "--quiet"], capsys)
    with Store(db, create=False) as store:
        recs = list(store.events())
    hypothetical = sum(r["certainty"] in ("hypothetical", "negated", "denied") for r in recs)
    assert hypothetical  # the example's possible trade agreement
    out = tmp_path / "e.tsv"
    run(["export", "--db", db, "--format", "gdelt", "--out", str(out)], capsys)
    plain = out.read_text().splitlines()
    assert plain and all(len(line.split("\t")) > 61 for line in plain) and plain[0].split("\t")[0].isdigit()
    run(["export", "--db", db, "--format", "gdelt", "--out", str(out), "--header", "--all-certainties"], capsys)
    full = out.read_text().splitlines()
    assert full[0].startswith("GLOBALEVENTID\t") and len(full) - 1 > len(plain)
    code, _, err = run(["export", "--db", db, "--format", "csv", "--out", str(out), "--header"], capsys)
    assert code == 2 and "--header is for --format gdelt" in err
    run(["export", "--db", db, "--format", "parquet", "--out", str(tmp_path / "e.parquet")], capsys)
    schema = pq.read_schema(tmp_path / "e.parquet")
    assert str(schema.field("goldstein").type) == "double" and str(schema.field("cameo").type) == "string"
    assert str(schema.field("date_start").type).startswith("date32")
    run(["export", "--db", db, "--format", "plover", "--out", str(tmp_path / "e.jsonl")], capsys)
    lines = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert len(lines) == len(recs) - hypothetical and {"event", "actor", "recipient"} <= set(lines[0])
