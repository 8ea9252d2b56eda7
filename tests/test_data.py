"""Every shipped data file loads, is consistent, and says where its facts come from."""

import csv
import tomllib
from collections import Counter
from datetime import date

import pytest

from detente.data import list_data, open_data
from detente.events.ontology import codes
from detente.events.patterns import lexicon

SECTORS = {
    "GOV",
    "MIL",
    "SPY",
    "COP",
    "JUD",
    "LEG",
    "BUS",
    "MED",
    "NGO",
    "OPP",
    "REB",
    "CVL",
    "REL",
    "EDU",
    "LAB",
    "HLH",
    "ELI",
    "PTY",
    "REF",
    "AGR",
    "IGO",
    "MNC",
    "ENV",
    "SEP",
    "UAF",
    "IMG",
    "CRM",
    "DEV",
    "HRI",
}


def rows(name):
    with open_data(name) as fh:
        return list(csv.DictReader(fh))


def test_every_data_file_has_a_source_and_licence():
    with open_data("SOURCES.toml") as fh:
        sources = tomllib.loads(fh.read())
    files = [f for f in list_data() if f != "SOURCES.toml"]
    for name in files:
        folder = name.split("/")[0] + "/"
        key = name if name in sources or folder not in sources else folder
        assert key in sources, f"data/{name} has no entry in data/SOURCES.toml"
        assert sources[key].get("source") and sources[key].get("licence"), name


def test_cameo_table_and_crosswalk():
    table = codes()
    assert len(table) >= 300
    for code, c in table.items():
        assert code.startswith(c.root) and c.root in table
        assert -10 <= c.goldstein <= 10 and c.quad_class in (1, 2, 3, 4)
        assert c.plover.type
    assert table["016"].plover.type == "STATEMENT" and table["020"].plover.type == "APPEAL"
    assert table["190"].quad_class == 4 and table["042"].quad_class == 1


def test_patterns_load_and_cover_the_roots():
    lex = lexicon()
    roots = {p.code[:2] for p in lex.patterns}
    for root in ("01", "02", "04", "06", "07", "10", "11", "12", "17", "18", "19"):
        assert root in roots


def test_countries_consistent():
    iso = set()
    seen = Counter()
    for r in rows("actors/countries.csv"):
        iso.add(r["iso3"])
        seen[(r["iso3"], r["kind"], r["text"])] += 1
        assert r["kind"] in {"name", "alias", "demonym", "capital", "metonym"}
        assert r["ambiguous"] in {"0", "1"}
    assert not [k for k, n in seen.items() if n > 1]
    assert len(iso) >= 240


def test_organizations_and_titles_consistent():
    iso = {r["iso3"] for r in rows("actors/countries.csv")} | {"IGO", "NGO", "MNC"}
    names = Counter()
    for r in rows("actors/organizations.csv"):
        assert r["country"] in iso, r
        assert set(r["sectors"].split(";")) <= SECTORS, r
        names[r["name"].lower()] += 1
    assert not [k for k, n in names.items() if n > 1]
    for r in rows("actors/sectors.csv"):
        assert set(filter(None, r["sectors"].split(";"))) <= SECTORS and r["kind"] in {"title", "group", "standin"}, r


def test_office_holders_dates_parse_and_order():
    iso = {r["iso3"] for r in rows("actors/countries.csv")}
    data = rows("actors/office_holders.csv")
    assert len(data) > 100
    for r in data:
        start = date.fromisoformat(r["start"])
        if r["end"]:
            assert start <= date.fromisoformat(r["end"]), r
        assert r["country"] in iso, r
        assert set(r["sectors"].split(";")) <= {"GOV", "MIL", "SPY", "OPP", "LEG", "JUD"}, r


@pytest.mark.parametrize("field", ["verbs", "nouns"])
def test_pattern_triggers_are_lowercase_lemmas(field):
    for p in lexicon().patterns:
        for trig in getattr(p, field):
            assert trig == trig.lower(), (p.id, trig)


def test_modality_codes_pair_real_cameo_codes():
    table = rows("modality-codes.csv")
    known = set(codes())
    assert {r["kind"] for r in table} == {"intent", "refusal", "threat"}
    for r in table:
        assert r["action"] in known and r["code"] in known, r
        # an intent is a 03x code, a refusal 12x, a threat 13x: the announcement, not the act
        assert r["code"][:2] == {"intent": "03", "refusal": "12", "threat": "13"}[r["kind"]], r
    assert len({(r["kind"], r["action"]) for r in table}) == len(table)


def test_international_officials_are_igo_spells_in_order():
    data = rows("actors/international_officials.csv")
    with open_data("actors/international_officials.csv") as a, open_data("actors/office_holders.csv") as b:
        assert next(csv.reader(a)) == next(csv.reader(b))
    assert len(data) >= 20
    for r in data:
        start = date.fromisoformat(r["start"])
        assert not r["end"] or start <= date.fromisoformat(r["end"]), r
        assert r["country"] == "IGO" and r["sectors"] == "IGO" and r["role"], r
