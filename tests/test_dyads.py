"""Dyad series, the signals ladder, change detection, alerts and their CLI commands, on hand-made events."""

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pytest

from detente.analysis import alerts, certainty_weights, detect, load_watchlist, series, signals
from detente.analysis.changes import zscores
from detente.analysis.dyads import period_of, periods
from detente.analysis.report import sparkline
from detente.analysis.signals import ladder
from detente.cli import main
from detente.errors import DetenteError, SettingsError
from detente.events.ontology import codes
from detente.model import Actor, Article, Event, EventDate, Result, Span
from detente.store import Store


def actor(country, sectors=("GOV",)):
    return Actor(name=f"{country} official", country=country, sectors=tuple(sectors), text=country, start=0, end=3)


def event(article, n, cameo, src, tgt, day, *, end=None, precision="day", certainty="asserted", via=None, **kw):
    start = date.fromisoformat(day)
    return Event(
        id=f"e:{article.id}:{n}",
        article_id=article.id,
        sentence_index=n,
        evidence=Span(f"{src} {cameo} {tgt} on {day} ({article.source})", 0, 10),
        trigger=Span("x", 0, 1),
        cameo=cameo,
        source=(actor(src, kw.get("src_sectors", ("GOV",))),),
        target=(actor(tgt, kw.get("tgt_sectors", ("GOV",))),) if tgt else (),
        intermediary=(actor(via),) if via else (),
        date=EventDate(start, date.fromisoformat(end) if end else start, precision, "explicit"),
        place=kw.get("place"),
        certainty=certainty,
        symmetric=cameo.startswith("04"),
    )


def add(store, text, published, source, *specs):
    article = Article.from_text(text, published=date.fromisoformat(published), source=source)
    evs = tuple(
        event(article, i, *spec[:4], **spec[4]) if len(spec) > 4 else event(article, i, *spec)
        for i, spec in enumerate(specs)
    )
    assert store.add(Result(article, (), evs))
    return article


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "d.db")
    add(s, "a1", "2023-01-20", "Wire A", ("040", "PAK", "ISR", "2023-01-10"), ("016", "PAK", None, "2023-01-12"))
    # the same meeting from another outlet, plus a hypothetical and a negated event
    add(
        s,
        "a2",
        "2023-01-22",
        "Paper B",
        ("040", "ISR", "PAK", "2023-01-10"),
        ("057", "PAK", "ISR", "2023-06-01", {"certainty": "hypothetical"}),
        ("054", "PAK", "ISR", "2023-01-22", {"certainty": "negated"}),
    )
    add(
        s,
        "a3",
        "2023-03-05",
        "Wire A",
        ("061", "PAK", "ISR", "2023-03-01", {"via": "ARE"}),
        ("111", "ISR", "PAK", "2023-03-02"),
        ("190", "ISR", "PAK", "2023-03-03"),
    )
    add(s, "a4", "2023-03-06", "Paper C", ("061", "PAK", "ISR", "2023-03-01", {"via": "ARE", "certainty": "denied"}))
    add(s, "a5", "2023-03-07", "Paper D", ("040", "IND", "CHN", "2023-03-07"))
    yield s
    s.close()


def test_periods_and_labels():
    assert period_of(date(2023, 1, 4), "week") == ("2023-W01", date(2023, 1, 2))
    assert period_of(date(2023, 5, 31), "quarter") == ("2023-Q2", date(2023, 4, 1))
    assert [p for p, _ in periods(date(2022, 11, 5), date(2023, 2, 1), "month")] == [
        "2022-11",
        "2022-12",
        "2023-01",
        "2023-02",
    ]
    assert [p for p, _ in periods(date(2022, 1, 1), date(2024, 1, 1), "year")] == ["2022", "2023", "2024"]
    with pytest.raises(DetenteError, match="use one of"):
        period_of(date(2023, 1, 1), "decade")


def test_weights_table():
    w = certainty_weights()
    assert w["asserted"] == 1.0 and w["hypothetical"] == 0.0 and w["negated"] == 0.0
    assert w["asserted"] >= w["reported"] >= w["claimed"] >= w["disputed"] >= w["denied"] >= w["hypothetical"]


def test_monthly_series_counts_incidents_once(store):
    s = series(store, "PAK", "ISR")
    by = {p.period: p for p in s.points}
    assert list(by) == ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06"]
    jan = by["2023-01"]
    # the meeting is told twice (two outlets, both directions) and counts once; the negated event weighs 0
    assert jan.incidents == 2 and jan.weighted == 1.0 and jan.quad == (2, 0, 0, 0)
    assert jan.plover == {"CONSULT": 1, "SUPPORT": 1}
    mar = by["2023-03"]
    # shipment (asserted by one, denied by another: one incident, weight of the strongest), criticism, force
    assert mar.incidents == 3 and mar.quad == (0, 1, 1, 1) and mar.weighted == 3.0
    table = codes()
    assert mar.goldstein_sum == pytest.approx(sum(table[c].goldstein for c in ("061", "111", "190")))
    assert by["2023-06"].weighted == 0.0 and by["2023-02"].incidents == 0
    # coverage: articles that mention both PAK and ISR (a1..a4), per article with the event basis
    assert s.coverage == 4 and jan.per_article == pytest.approx(1.0 / 4)
    assert series(store, "PAK", "ISR", directed=True).points[0].incidents == 2
    assert [p.incidents for p in series(store, "ISR", "PAK", directed=True).points] == [1, 0, 2]


def test_report_basis_and_quarters(store):
    s = series(store, "PAK", "ISR", by="quarter", basis="report")
    (q1,) = s.points
    assert q1.period == "2023-Q1" and q1.incidents == 6 and q1.coverage == 4
    y = series(store, "ISR", "PAK", by="year")
    assert [p.period for p in y.points] == ["2023"]
    assert series(store, "PAK", "NOR").points == ()


def test_signals_ladder(store):
    rungs = {r.id: r for r in signals(store, "PAK", "ISR")}
    assert rungs["indirect-trade"].count == 1 and rungs["indirect-trade"].sources == 2
    assert rungs["official-meeting"].count == 1 and str(rungs["official-meeting"].first_seen) == "2023-01-10"
    assert rungs["denial"].count == 1  # the denied account of the shipment
    assert rungs["hostile-act"].count == 1 and rungs["statement-against"].count == 1
    assert rungs["statement-for"].count == 0  # hypothetical and negated events are no signal
    assert [r.id for r in signals(store, "PAK", "ISR")] == [r for r, _ in ladder().rungs]


def test_signals_data_is_consistent():
    table = codes()
    lad = ladder()
    for rule in lad.rules:
        for prefix in rule.cameo:
            assert any(c.startswith(prefix) for c in table), prefix
        assert all(q in (1, 2, 3, 4) for q in rule.quad)


def test_zscore_and_change_detection(tmp_path):
    assert zscores([0, 0, 0], min_history=3) == [None, None, None]
    (*_, last) = zscores([1, 1, 1, 1, 1, 1, 5], min_history=6)
    assert last == (1.0, 0.0, 4.0)
    s = Store(tmp_path / "c.db")
    for m in range(1, 10):
        add(s, f"quiet {m}", f"2022-{m:02d}-20", "Wire", ("040", "IND", "PAK", f"2022-{m:02d}-10"))
    specs = [("190", "IND", "PAK", f"2022-10-{d:02d}") for d in range(1, 30, 7)]
    add(s, "burst", "2022-10-31", "Wire", *specs)
    flagged = detect(s, "IND", "PAK")
    assert [c.period for c in flagged] == ["2022-10"]
    assert flagged[0].direction == "up" and len(flagged[0].incident_ids) == 5
    s.close()


def test_alerts_since_last_run(store, tmp_path):
    wl = tmp_path / "watch.toml"
    wl.write_text('dyads = ["PAK:ISR"]\n')
    w = load_watchlist(wl)
    first = alerts(store, w, mark=False)
    assert first and all(a.kind == "new incident" for a in first if a.incident)
    assert alerts(store, w) == first  # peeking did not move the marker
    assert alerts(store, w) == []
    add(store, "a6", "2023-03-08", "Paper E", ("061", "PAK", "ISR", "2023-03-02", {"via": "ARE"}))
    add(store, "a7", "2023-07-08", "Paper E", ("042", "PAK", "ISR", "2023-07-02"))
    kinds = sorted(a.kind for a in alerts(store, w) if a.incident)
    assert kinds == ["new incident", "new report"]
    bad = tmp_path / "bad.toml"
    bad.write_text('dyads = ["PAKISR"]\n')
    with pytest.raises(SettingsError, match="PAK:ISR"):
        load_watchlist(bad)
    with pytest.raises(SettingsError, match="create it"):
        load_watchlist(tmp_path / "none.toml")


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_commands(store, tmp_path, capsys):
    db = ["--db", store.path]
    code, out, _ = run(["dyad", "PAK", "ISR", *db], capsys)
    assert code == 0 and "2023-01" in out and any(ch in out for ch in "▁▂▃▄▅▆▇█")
    code, out, _ = run(["dyad", "PAK", "ISR", "--by", "quarter", "--format", "jsonl", *db], capsys)
    assert code == 0 and json.loads(out.splitlines()[0])["period"] == "2023-Q1"
    code, out, _ = run(["dyad", "PAK", "ISR", "--format", "csv", *db], capsys)
    assert code == 0 and list(csv.DictReader(io.StringIO(out)))[0]["incidents"] == "2"
    chart = tmp_path / "chart.html"
    code, _, err = run(["dyad", "PAK", "ISR", "--plot", str(chart), *db], capsys)
    page = chart.read_text()
    assert (
        code == 0
        and "<svg" in page
        and "<script" not in page
        and "http" not in page.replace("http://www.w3.org/2000/svg", "")
    )
    for cmd in (["timeline", "PAK", "ISR"], ["incidents"], ["signals", "PAK", "ISR"]):
        for fmt in ("table", "jsonl", "csv"):
            code, out, err = run([*cmd, "--format", fmt, *db], capsys)
            assert code == 0 and out.strip(), (cmd, fmt, err)
    code, out, _ = run(["incidents", "--min-sources", "2", "--format", "jsonl", *db], capsys)
    assert [json.loads(x)["independent_sources"] for x in out.splitlines()] == [2, 2]
    wl = tmp_path / "w.toml"
    wl.write_text('dyads = ["PAK:ISR"]\n')
    code, out, _ = run(["alerts", "--watchlist", str(wl), *db], capsys)
    assert code == 0 and "new incident" in out
    code, out, _ = run(["alerts", "--watchlist", str(wl), *db], capsys)
    assert code == 0 and "nothing new" in out
    code, _, err = run(["timeline", "PAK", "ISR", "--db", str(tmp_path / "none.db")], capsys)
    assert code == 2 and "detente ingest" in err


def test_png_needs_matplotlib(store, tmp_path, capsys):
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        code, _, err = run(["dyad", "PAK", "ISR", "--plot", str(tmp_path / "c.png"), "--db", store.path], capsys)
        assert code == 2 and "detente[plot]" in err
    else:
        code, _, _ = run(["dyad", "PAK", "ISR", "--plot", str(tmp_path / "c.png"), "--db", store.path], capsys)
        assert code == 0 and (tmp_path / "c.png").stat().st_size > 0


def test_sparkline():
    assert sparkline([]) == "" and sparkline([0, 1, 2]) == " ▅█"


def test_date_filters_leave_undated_incidents_out_and_count_them(tmp_path, capsys):
    """CLI, Python and API agree: with --since/--until only dated incidents come back, and the undated ones
    the filter left out are counted, not shown as if they happened in the range."""
    import httpx

    from detente.incidents import page
    from detente.queries import IncidentFilter
    from detente.settings import Settings

    from .conftest import start_server

    db = tmp_path / "u.db"
    with Store(db) as s:
        add(s, "dated", "2023-01-20", "Wire A", ("040", "PAK", "ISR", "2023-01-10"))
        undated = Article.from_text("undated", published=date(2023, 1, 22), source="Paper B")
        ev = event(undated, 0, "111", "PAK", "ISR", "2023-01-01")
        assert s.add(Result(undated, (), (replace(ev, date=EventDate.unknown()),)))
        everything, hidden = page(s.db, IncidentFilter(("PAK", "ISR")))
        assert [i.date.start is None for i in everything] == [False, True] and hidden == 0
        dated, hidden = page(s.db, IncidentFilter(("PAK", "ISR"), since=date(2000, 1, 1)))
        assert [i.cameo for i in dated] == ["040"] and hidden == 1
        assert [i.cameo for i in page(s.db, IncidentFilter(until=date(2030, 1, 1)))[0]] == ["040"]
    for cmd in (["incidents", "--dyad", "PAK:ISR"], ["timeline", "PAK", "ISR"]):
        assert main([*cmd, "--since", "2000-01-01", "--db", str(db), "--format", "jsonl"]) == 0
        out, err = capsys.readouterr()
        assert [json.loads(line)["cameo"] for line in out.splitlines()] == ["040"]
        assert "1 undated incident(s) left out" in err
    url, stop = start_server(Settings(db=str(db)))
    try:
        for path in ("/api/incidents?dyad=PAK:ISR&since=2000-01-01", "/api/dyads/PAK/ISR/timeline?until=2030-01-01"):
            body = httpx.get(url + path, timeout=30).json()
            assert [i["cameo"] for i in body["incidents"]] == ["040"] and body["undated_left_out"] == 1
        assert len(httpx.get(url + "/api/incidents", timeout=30).json()["incidents"]) == 2
    finally:
        stop()
