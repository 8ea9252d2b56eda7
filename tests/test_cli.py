"""The documented CLI commands exist and behave: output formats, exit codes, one-line errors."""

import csv
import io
import json
import subprocess
import sys

import pytest

from detente.cli import build_parser, main

from .conftest import EXAMPLE, EXAMPLE_PUBLISHED, ROOT


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_readme_commands_are_real_commands():
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # noqa: SLF001
    blocks = readme.split("```")[1::2]  # inside code fences
    lines = [part.strip() for b in blocks for line in b.splitlines() for part in line.split("&&")]
    used = {part.split()[1] for line in lines for part in line.split(" | ") if part.startswith("detente ")}
    assert used and used <= commands | {"--version", "--help"}


def test_code_jsonl_table_csv(capsys, pipeline):
    code, out, _ = run(["code", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED], capsys)
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) >= 5 and all(r["article"]["published"] == EXAMPLE_PUBLISHED for r in records)
    code, out, _ = run(["code", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED, "--format", "table"], capsys)
    assert code == 0 and "Vienna" in out and f"{len(records)} event(s)" in out
    code, out, _ = run(["code", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED, "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == len(records) and rows[0]["cameo"]


def test_bad_inputs_alone_fail_with_one_line_each(tmp_path, capsys, pipeline):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    (tmp_path / "latin.txt").write_bytes("Caf\xe9".encode("latin-1") * 20)
    for name, words in (("empty.txt", "empty"), ("bin.txt", "binary"), ("latin.txt", "UTF-8")):
        code, out, err = run(["code", str(tmp_path / name)], capsys)
        assert code == 1 and out == ""
        first = err.splitlines()[0]
        assert words in first and first.startswith("detente: skipped")


def test_bad_input_in_a_batch_is_skipped_and_the_rest_coded(tmp_path, capsys, pipeline):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "good.txt").write_text(EXAMPLE.read_text())
    code, out, err = run(["code", str(tmp_path), "--published", EXAMPLE_PUBLISHED], capsys)
    assert code == 0 and out.strip() and "skipped 1" in err


def test_jsonl_records_carry_their_ids(tmp_path, capsys, pipeline):
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps({"id": "s-17", "text": "Egypt condemned the Israeli strike on Gaza."}) + "\n")
    code, out, _ = run(["code", str(f)], capsys)
    assert code == 0 and {json.loads(x)["article"]["id"] for x in out.splitlines()} == {"s-17"}


def test_ingest_events_and_errors(tmp_path, capsys, pipeline):
    db = tmp_path / "x.db"
    code, out, _ = run(["ingest", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED, "--db", str(db)], capsys)
    assert code == 0 and "stored 1 article" in out
    code, out, _ = run(["ingest", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED, "--db", str(db)], capsys)
    assert code == 0 and "1 already stored" in out
    code, out, _ = run(["events", "--db", str(db), "--dyad", "TUR:ARM", "--format", "jsonl"], capsys)
    assert code == 0 and out.strip()
    code, _, err = run(["events", "--db", str(tmp_path / "none.db")], capsys)
    assert code == 2 and "detente ingest" in err


def test_unknown_setting_value_and_bad_date(capsys):
    with pytest.raises(SystemExit):
        main(["code", "x.txt", "--published", "May 5"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "detente", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("detente ")


def test_eval_codes_the_article_beside_the_gold(shared_dir, capsys, pipeline):
    gold = shared_dir / "gold" / "pak-isr-normalization.gold.toml"
    code, out, _ = run(["eval", str(gold), "--json", "--min-recall", "0.5", "--min-precision", "0.6"], capsys)
    summary = json.loads(out)
    assert code == 0 and summary["recall"] >= 0.5
    code, out, _ = run(["eval", str(gold), "--min-recall", "1.01"], capsys)
    assert code == 1 and "recall=" in out


def test_eval_reads_an_events_file_and_reports(shared_dir, tmp_path, capsys, pipeline):
    gold = shared_dir / "gold" / "pak-isr-normalization.gold.toml"
    events = tmp_path / "ev.jsonl"
    run(
        [
            "code",
            str(shared_dir / "gold" / "pak-isr-normalization.txt"),
            "--published",
            "2023-05-20",
            "--out",
            str(events),
        ],
        capsys,
    )
    code, out, _ = run(["eval", str(gold), str(events), "-v"], capsys)
    assert code == 0 and any(line.startswith("ok") and "kasuri-meets-shalom" in line for line in out.splitlines())


def test_eval_bad_gold_file(tmp_path, capsys):
    bad = tmp_path / "g.toml"
    bad.write_text("[[event]]\nid = 'x'\n")
    code, _, err = run(["eval", str(bad), str(tmp_path / "ev.jsonl")], capsys)
    assert code == 2 and "lacks" in err


def test_actor_command_and_jsonl(tmp_path, capsys, monkeypatch, pipeline):
    code, out, _ = run(["actor", "Pakistan's foreign minister", "--date", "2005-09-01"], capsys)
    assert code == 0 and json.loads(out)["country"] == "PAK" and "GOV" in json.loads(out)["sectors"]
    code, out, _ = run(["actor", "a turkey dinner"], capsys)
    got = json.loads(out)
    assert got["country"] is None and got["reason"]
    f = tmp_path / "a.jsonl"
    f.write_text('{"text": "Imran Khan", "date": "2020-01-01"}\n{"text": "Imran Khan", "date": "2023-05-01"}\nx\n')
    code, out, _ = run(["actor", "--jsonl", str(f)], capsys)
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x.get("sectors") for x in lines[:2]] == [["GOV"], ["OPP"]] and "error" in lines[2]


def test_date_command_and_jsonl(tmp_path, capsys):
    code, out, _ = run(["date", "in late March", "--published", "2023-05-20"], capsys)
    assert code == 0 and json.loads(out) == {
        "start": "2023-03-21",
        "end": "2023-03-31",
        "precision": "month",
        "reason": "relative-to-publication",
    }
    f = tmp_path / "d.jsonl"
    f.write_text('{"text": "weeks later", "previous": "2005-09"}\n{"text": "last year"}\n')
    code, out, _ = run(["date", "--jsonl", str(f)], capsys)
    first, second = (json.loads(x) for x in out.splitlines())
    assert first["reason"] == "relative-to-previous" and second["precision"] == "unknown"


def test_extract_load_and_export_commands(tmp_path, capsys, pipeline):
    page = tmp_path / "p.html.gz"
    import gzip

    body = "Chilean and Peruvian ministers met in Lima on Monday to discuss trade and the maritime border. " * 3
    page.write_bytes(gzip.compress(f"<html><body><article><p>{body}</p></article></body></html>".encode()))
    code, out, _ = run(["extract", str(page)], capsys)
    rec = json.loads(out)
    assert code == 0 and rec["path"] == str(page) and rec["language"] == "en" and "Lima" in rec["text"]
    assert set(rec) == {"id", "path", "url", "title", "author", "published", "published_source", "language", "text"}
    db = tmp_path / "e.db"
    run(["ingest", str(EXAMPLE), "--published", EXAMPLE_PUBLISHED, "--db", str(db), "--quiet"], capsys)
    code, out, _ = run(["export", "--db", str(db), "--format", "gdelt", "--out", str(tmp_path / "e.tsv")], capsys)
    first = (tmp_path / "e.tsv").read_text().splitlines()[0].split("\t")
    assert code == 0 and "wrote" in out and first[0].isdigit() and len(first) > 61  # GDELT 2.0: no header
    code, _, err = run(["load", str(tmp_path / "nothing"), "--db", str(db)], capsys)
    assert code == 2 and "no Parquet partitions" in err


def test_help_examples_name_real_files_and_commands():
    from detente.cli import EPILOG

    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # noqa: SLF001
    for line in EPILOG.splitlines()[1:]:
        words = line.split()
        assert words[0] == "detente" and words[1] in commands, line
        for w in words[2:]:
            if w.startswith("examples/"):
                assert (ROOT / w).exists(), w
