"""Exports as each ecosystem reads them: typed Parquet, GDELT 2.0 rows, PLOVER JSONL, CSV with its CSVW types."""

from __future__ import annotations

import copy
import csv
import json
from datetime import date

import pytest

from detente.errors import DetenteError
from detente.export import CSV_DTYPES, GDELT_COLUMNS, GDELT_EXTRA_COLUMNS, PLOVER_TYPES, export

TEXT = (
    "Chile and Peru talk trade\n\n"
    "Chilean Foreign Minister Alberto van Klaveren met Peruvian Foreign Minister "
    "Javier Gonzalez in Lima on Monday.\n"
    "Peru accused Chile of spying."
)
COL = {name: i for i, name in enumerate(GDELT_COLUMNS + GDELT_EXTRA_COLUMNS)}


@pytest.fixture(scope="module")
def coded(pipeline):
    from detente.api import records

    return records(pipeline.code_text(TEXT, published=date(2024, 6, 15)))


@pytest.fixture()
def meeting(coded):
    """The coded meeting in Lima, copied so a test may change it."""
    found = [r for r in coded if r["cameo"].startswith("04") and (r["place"] or {}).get("name") == "Lima"]
    assert found, f"the coder no longer finds the meeting in Lima: {[r['cameo'] for r in coded]}"
    return copy.deepcopy(found[0])


def variant(rec, suffix, **changes):
    out = copy.deepcopy(rec)
    out["id"] = rec["id"] + suffix
    out.update(changes)
    return out


@pytest.fixture()
def mixed(meeting):
    """The meeting as it was coded, and the same sentence told as denied, negated and hypothetical."""
    meeting["certainty"] = "asserted"
    return [meeting] + [variant(meeting, f"-{c}", certainty=c) for c in ("denied", "negated", "hypothetical")]


def lines(path):
    return path.read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------------------------------------- GDELT


def test_gdelt_columns_are_gdelt_2s_61_in_codebook_order():
    assert len(GDELT_COLUMNS) == 61 and len(set(GDELT_COLUMNS)) == 61
    assert GDELT_COLUMNS[:6] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code")
    assert GDELT_COLUMNS[14:16] == ("Actor1Type3Code", "Actor2Code")
    assert GDELT_COLUMNS[25:35] == (
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
    )
    assert GDELT_COLUMNS[35] == "Actor1Geo_Type" and GDELT_COLUMNS[42] == "Actor1Geo_FeatureID"
    assert GDELT_COLUMNS[51:59] == tuple(
        f"ActionGeo_{f}"
        for f in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    )
    assert GDELT_COLUMNS[59:] == ("DATEADDED", "SOURCEURL")
    assert {"DetenteEventID", "Certainty"} <= set(GDELT_EXTRA_COLUMNS)


def test_gdelt_rows_have_61_fields_then_ours_and_no_header(tmp_path, meeting):
    meeting["date"] = {**meeting["date"], "start": "2015-02-18", "end": "2015-02-18", "precision": "day"}
    meeting["article"] = {**meeting["article"], "url": "https://news.example/chile-peru"}
    out = tmp_path / "e.tsv"
    assert export([meeting], "gdelt", out) == 1
    (line,) = lines(out)
    row = line.split("\t")
    assert len(row) == 61 + len(GDELT_EXTRA_COLUMNS)
    assert row[0].isdigit() and int(row[0]) < 2**53  # GLOBALEVENTID: an integer, exact in a double
    assert row[1:5] == ["20150218", "201502", "2015", "2015.1342"]  # FractionDate: GDELT's day-of-year / 365
    assert row[COL["EventCode"]] == meeting["cameo"] and row[COL["EventCode"]].startswith("04")
    assert row[COL["EventRootCode"]] == "04" and row[COL["QuadClass"]] == "1"
    assert row[COL["Actor1CountryCode"]] == "CHL" and row[COL["Actor1Code"]].startswith("CHL")
    assert row[COL["Actor2CountryCode"]] == "PER"
    # the action's place: a world city, its country in FIPS 10-4 (Peru is PE), GDELT's geography code
    assert row[COL["ActionGeo_Type"]] == "4" and row[COL["ActionGeo_FullName"]] == "Lima"
    assert row[COL["ActionGeo_CountryCode"]] == "PE"
    assert float(row[COL["ActionGeo_Lat"]]) == pytest.approx(-12.04, abs=0.1)
    assert row[COL["DATEADDED"]] == "20240615000000" and len(row[COL["DATEADDED"]]) == 14
    assert row[COL["SOURCEURL"]] == "https://news.example/chile-peru"
    assert row[COL["DetenteEventID"]] == meeting["id"] and row[COL["Certainty"]] == "asserted"


def test_gdelt_header_only_when_asked(tmp_path, meeting):
    export([meeting], "gdelt", tmp_path / "plain.tsv")
    export([meeting], "gdelt", tmp_path / "head.tsv", header=True)
    assert not lines(tmp_path / "plain.tsv")[0].startswith("GLOBALEVENTID")
    head, row = lines(tmp_path / "head.tsv")
    assert head.split("\t") == list(GDELT_COLUMNS + GDELT_EXTRA_COLUMNS)
    assert row == lines(tmp_path / "plain.tsv")[0]


def test_gdelt_leaves_out_nonfactual_events_unless_asked(tmp_path, mixed):
    out = tmp_path / "e.tsv"
    assert export(mixed, "gdelt", out) == 1
    assert [r.split("\t")[COL["Certainty"]] for r in lines(out)] == ["asserted"]
    assert export(mixed, "gdelt", out, include_nonfactual=True) == 4
    got = {r.split("\t")[COL["DetenteEventID"]]: r.split("\t")[COL["Certainty"]] for r in lines(out)}
    assert got == {r["id"]: r["certainty"] for r in mixed}


def test_gdelt_one_row_per_actor_pair_and_non_state_actors(tmp_path, meeting):
    un = {"name": "United Nations", "country": "IGO", "sectors": ["IGO"], "text": "the UN", "start": 0, "end": 6}
    meeting["source"] = meeting["source"][:1] + [un]
    out = tmp_path / "e.tsv"
    assert export([meeting], "gdelt", out) == 2
    rows = [line.split("\t") for line in lines(out)]
    assert len({r[0] for r in rows}) == 2 and {r[COL["DetenteEventID"]] for r in rows} == {meeting["id"]}
    igo = next(r for r in rows if r[COL["Actor1Name"]] == "United Nations")
    assert igo[COL["Actor1Code"]] == "IGO" and igo[COL["Actor1CountryCode"]] == ""
    assert igo[COL["Actor1Type1Code"]] == "IGO"
    export([meeting], "gdelt", tmp_path / "again.tsv")
    assert lines(tmp_path / "again.tsv") == lines(out)  # ids are stable across exports


# ---------------------------------------------------------------------------------------------- PLOVER

PLOVER_FIELDS = {"id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "event_text"}


def test_plover_is_jsonl_with_the_manuals_fields(tmp_path, coded, meeting):
    out = tmp_path / "e.jsonl"
    assert export([meeting], "plover", out) == 1
    (obj,) = [json.loads(line) for line in lines(out)]
    assert PLOVER_FIELDS | {"quad_code", "text_info", "cite_info"} <= set(obj)
    assert obj["event"] == [meeting["plover"]["type"]] and obj["event"][0] in PLOVER_TYPES
    assert obj["detente_extension"] is False
    assert obj["actor"][0]["code"] == "CHL" and obj["recipient"][0]["code"] == "PER"
    assert obj["actor"][0]["entity_text"] == meeting["source"][0]["text"]
    assert obj["event_loc"]["resolved_place"] == "Lima" and obj["event_loc"]["country_code"] == "PER"
    assert obj["event_loc"]["resolution"] == 4
    assert obj["event_text"] == [meeting["evidence"]["text"]] and obj["cameo"] == meeting["cameo"]
    factual = [r for r in coded if r["certainty"] not in {"negated", "denied", "hypothetical"}]
    assert export(coded, "plover", out) == len(factual)
    for line in lines(out):
        assert set(json.loads(line)) >= PLOVER_FIELDS


def test_plover_marks_detente_types_as_extension(tmp_path, meeting):
    statement = variant(meeting, "-s", cameo="010", cameo_root="01")
    statement["plover"] = {"type": "STATEMENT", "mode": None, "context": []}
    appeal = variant(meeting, "-a", cameo="020", cameo_root="02")
    appeal["plover"] = {"type": "APPEAL", "mode": None, "context": []}
    out = tmp_path / "e.jsonl"
    export([meeting, statement, appeal], "plover", out)
    got = {o["id"]: (o["event"], o["detente_extension"]) for o in map(json.loads, lines(out))}
    assert got[statement["id"]] == (["STATEMENT"], True) and got[appeal["id"]] == (["APPEAL"], True)
    assert got[meeting["id"]][1] is False


def test_plover_leaves_out_nonfactual_unless_asked_then_marks_auxiliary_modes(tmp_path, mixed):
    out = tmp_path / "e.jsonl"
    assert export(mixed, "plover", out) == 1
    assert [json.loads(line)["certainty"] for line in lines(out)] == ["asserted"]
    assert export(mixed, "plover", out, include_nonfactual=True) == 4
    context = {o["certainty"]: o["context"] or [] for o in map(json.loads, lines(out))}
    assert "negation" in context["negated"] and "hypothetical" in context["hypothetical"]
    assert "negation" not in context["asserted"] and "hypothetical" not in context["asserted"]


# ---------------------------------------------------------------------------------------------- Parquet


def test_parquet_columns_are_typed(tmp_path, coded):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "e.parquet"
    assert export(coded, "parquet", out) == len(coded)
    table = pq.read_table(out)
    s = table.schema
    assert s.field("cameo").type == pa.string() and s.field("cameo_root").type == pa.string()
    assert s.field("goldstein").type == pa.float64() and s.field("confidence").type == pa.float64()
    assert s.field("place_lat").type == pa.float64() and s.field("place_lon").type == pa.float64()
    assert pa.types.is_integer(s.field("quad_class").type) and s.field("sentence_index").type == pa.int32()
    assert s.field("evidence_start").type == pa.int32() and s.field("trigger_end").type == pa.int32()
    for name in ("date_start", "date_end", "article_published"):
        assert s.field(name).type == pa.date32(), name
    assert s.field("plover_context").type == pa.list_(pa.string())
    actor = s.field("source").type
    assert pa.types.is_list(actor) and pa.types.is_struct(actor.value_type)
    fields = {f.name: f.type for f in actor.value_type}
    assert {"text", "name", "country", "sectors", "start", "end"} <= set(fields)
    assert fields["sectors"] == pa.list_(pa.string()) and fields["start"] == pa.int32()
    rows = table.to_pylist()
    assert [r["cameo"] for r in rows] == [r["cameo"] for r in coded]
    assert all(r["cameo"][0] in "012" for r in rows)  # leading zeros kept
    first = rows[0]
    assert first["date_start"] == date.fromisoformat(coded[0]["date"]["start"])
    assert first["article_published"] == date(2024, 6, 15)
    assert first["source"][0]["country"] == coded[0]["source"][0]["country"]
    assert json.loads(first["record"]) == coded[0]


def test_empty_parquet_export_keeps_the_schema(tmp_path, coded):
    import pyarrow.parquet as pq

    export(coded, "parquet", tmp_path / "full.parquet")
    assert export([], "parquet", tmp_path / "empty.parquet") == 0
    empty = pq.read_table(tmp_path / "empty.parquet")
    assert empty.num_rows == 0 and empty.schema.equals(pq.read_schema(tmp_path / "full.parquet"))


def test_parquet_reads_as_is_in_pandas(tmp_path, coded):
    pd = pytest.importorskip("pandas")
    out = tmp_path / "e.parquet"
    export(coded, "parquet", out)
    df = pd.read_parquet(out)
    assert list(df["cameo"]) == [r["cameo"] for r in coded]
    assert df["goldstein"].dtype.kind == "f" and df["quad_class"].dtype.kind == "i"
    assert df["date_start"].iloc[0] == date.fromisoformat(coded[0]["date"]["start"])


def test_parquet_reads_as_is_in_duckdb(tmp_path, coded):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "e.parquet"
    export(coded, "parquet", out)
    con = duckdb.connect()
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{out}')").fetchall())
    assert types["cameo"] == "VARCHAR" and types["goldstein"] == "DOUBLE" and types["date_start"] == "DATE"
    assert types["plover_context"] == "VARCHAR[]" and types["source"].startswith("STRUCT(")
    got = con.execute(f"SELECT cameo, source[1].country, date_start FROM '{out}' ORDER BY id").fetchall()
    want = sorted(coded, key=lambda r: r["id"])
    assert got == [(r["cameo"], r["source"][0]["country"], date.fromisoformat(r["date"]["start"])) for r in want]


# ---------------------------------------------------------------------------------------------- CSV, JSONL


def test_csv_keeps_codes_and_says_their_types(tmp_path, coded):
    out = tmp_path / "e.csv"
    assert export(coded, "csv", out) == len(coded)
    with out.open(encoding="utf-8", newline="") as fh:
        assert [r["cameo"] for r in csv.DictReader(fh)] == [r["cameo"] for r in coded]
    meta = json.loads((tmp_path / "e.csv-metadata.json").read_text())
    assert meta["url"] == "e.csv"
    columns = {c["name"]: c["datatype"] for c in meta["tableSchema"]["columns"]}
    with out.open(encoding="utf-8", newline="") as fh:
        assert list(columns) == next(csv.reader(fh))
    assert columns["cameo"] == "string" and columns["quad_class"] == "integer" and columns["goldstein"] == "double"
    assert "cameo" in CSV_DTYPES and "quad_class" not in CSV_DTYPES


def test_csv_cameo_round_trips_through_pandas_with_the_documented_dtypes(tmp_path, coded):
    pd = pytest.importorskip("pandas")
    out = tmp_path / "e.csv"
    export(coded, "csv", out)
    df = pd.read_csv(out, dtype=CSV_DTYPES)
    assert list(df["cameo"]) == [r["cameo"] for r in coded]
    assert df["quad_class"].dtype.kind == "i" and df["goldstein"].dtype.kind == "f"


def test_jsonl_keeps_every_event_as_the_contract(tmp_path, mixed):
    out = tmp_path / "e.jsonl"
    assert export(mixed, "jsonl", out) == len(mixed)
    assert [json.loads(line) for line in lines(out)] == mixed


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(DetenteError, match="unknown export format"):
        export([], "xml", tmp_path / "e.xml")


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv", "plover", "gdelt"])
def test_export_streams_its_records_once_in_bounded_pieces(tmp_path, meeting, monkeypatch, fmt):
    """A store's cursor is read once, and Parquet goes out a row group at a time, not as one table in memory."""
    import detente.export as ex

    monkeypatch.setattr(ex, "_PARQUET_ROWS", 3)
    pulled = []

    def records():
        for i in range(10):
            pulled.append(i)
            yield variant(meeting, f"-{i}")

    n = export(records(), fmt, tmp_path / f"out.{fmt}")
    assert pulled == list(range(10))
    assert n >= 10
    if fmt == "parquet":
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(tmp_path / "out.parquet").metadata
        assert (meta.num_rows, meta.num_row_groups) == (10, 4)
