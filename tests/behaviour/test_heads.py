"""heads.csv (every state's heads of state and government, from the Wikidata snapshot) is consistent with the other
actor tables, and the resolver finds the snapshot's heads by name on a date inside their tenure.

The score is partly circular (heads.csv is built from the same snapshot): it checks that the table loads, that
office_holders.csv and leaders.csv do not shadow it, and that a dated query reaches the dated office.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from datetime import date

import pytest

from detente.actors.gazetteer import country_code, norm
from detente.api import resolve_actor
from detente.errors import QueryError

from ..conftest import SHARED
from ..test_leaders_data import header, key, problems, rows

SNAPSHOT = SHARED / "data" / "actors" / "wikidata-heads-2026" / "wikidata_heads.csv"
SNAPSHOT_YEAR = 2026  # open spells run to the snapshot
FLOOR = 0.95  # share of the snapshot's heads that resolve to their state mid-tenure
DATED_FLOOR = 0.90  # share of those that also carry the office's GOV sector on that date


@pytest.fixture(scope="module")
def heads():
    return rows("actors/heads.csv")


def test_header_matches_office_holders():
    assert header("actors/heads.csv") == header("actors/office_holders.csv")


def test_table_is_consistent(heads):
    iso = {r["iso3"] for r in rows("actors/countries.csv")}
    assert len(heads) > 200 and len({r["country"] for r in heads}) > 120
    assert {r["sectors"] for r in heads} <= {"GOV", "GOV;MIL"}
    others = [r["name"] for t in ("office_holders", "leaders") for r in rows(f"actors/{t}.csv")]
    assert problems(heads, iso, {"GOV", "MIL"}) == []
    # an alias of a head never names someone else in another table (one name up to case and accents is one person)
    owner = {norm(n) for n in others}
    mine = {norm(r["name"]) for r in heads}
    assert not [a for r in heads for a in filter(None, r["aliases"].split(";")) if norm(a) in owner - mine]


def test_no_person_duplicates_the_curated_table(heads):
    curated = {key(r["name"]) for r in rows("actors/office_holders.csv")}
    assert not [r["name"] for r in heads if key(r["name"]) in curated]


def test_year_precision_and_open_spells(heads):
    assert all(r["start"].endswith("-01-01") and (not r["end"] or r["end"].endswith("-12-31")) for r in heads)
    spells = {(r["name"], r["country"], r["start"], r["end"]) for r in heads}
    assert ("Edi Rama", "ALB", "2013-01-01", "") in spells
    assert ("Ilir Meta", "ALB", "2017-01-01", "2022-12-31") in spells
    names = {r["name"] for r in heads}
    assert "Horik II" not in names and not [n for n in names if re.fullmatch(r"Q\d+", n)]


def snapshot_cases() -> list[tuple[str, str, date, set[str]]]:
    """(name, ISO3, a date mid-tenure, every state the person heads then) for each head with a usable name."""
    with SNAPSHOT.open(encoding="utf-8", newline="") as fh:
        data = list(csv.DictReader(fh))
    spans = []
    for r in data:
        name, start = r["officeholderLabel"], int(r["start_year"])
        if re.fullmatch(r"Q\d+", name) or start < 1900:  # no English label; the 854 "Horik II" row
            continue
        try:
            iso = country_code(r["country"])
        except QueryError:
            continue
        first, last = date(start, 1, 1), date(int(r["end_year"] or SNAPSHOT_YEAR), 12, 31)
        spans.append((r["officeholder"], name, iso, first, last))
    # one person heading several states at once (Charles III of 15 realms) may resolve to any of them
    realms = defaultdict(list)
    for qid, _, iso, first, last in spans:
        realms[qid].append((iso, first, last))
    cases = []
    for qid, name, iso, first, last in spans:
        mid = date.fromordinal((first.toordinal() + last.toordinal()) // 2)
        states = {i for i, a, b in realms[qid] if a <= mid <= b}
        cases.append((name, iso, mid, states))
    return cases


def test_snapshot_heads_resolve_to_their_state_mid_tenure(shared_dir, pipeline):
    if not SNAPSHOT.is_file():
        pytest.skip(f"{SNAPSHOT} is absent")
    cases = snapshot_cases()
    assert len(cases) > 400
    got = [(c, resolve_actor(c[0], c[2])) for c in cases]
    bad = [(c, g) for c, g in got if g["country"] not in c[3]]
    right = [(c, g) for c, g in got if g["country"] in c[3]]
    acc = len(right) / len(cases)
    dated = sum("GOV" in g["sectors"] for _, g in right) / len(right)
    report = "\n".join(f"{n!r} {d}: want {iso} got {g['country']} ({g['reason']})" for (n, iso, d, _), g in bad)
    print(
        f"\nWikidata heads resolved to their state mid-tenure: {len(right)}/{len(cases)} = {acc:.3f}; GOV {dated:.3f}"
    )
    assert acc >= FLOOR, f"country accuracy {acc:.3f}\n{report}"
    assert dated >= DATED_FLOOR, f"only {dated:.3f} of the resolved heads hold an office on the date"


@pytest.mark.parametrize(
    ("phrase", "when", "country", "gov"),
    [
        ("Edi Rama", "2020-06-01", "ALB", True),  # a 2020 head queried in 2020
        ("Christopher Luxon", "2024-06-01", "NZL", True),
        ("Luxon", "2024-06-01", "NZL", True),  # a distinctive bare surname
        ("Micheál Martin", "2021-03-01", "IRL", True),
        ("Micheal Martin", "2025-06-01", "IRL", True),  # the accent-free spelling
        ("Alexander Van der Bellen", "2020-01-01", "AUT", True),
        # twenty years before the tenure: still the person of the table's country, but without the office
        ("Christopher Luxon", "2003-06-01", "NZL", False),
        ("Edi Rama", "1993-06-01", "ALB", False),
    ],
)
def test_heads_are_dated(phrase, when, country, gov, pipeline):
    got = resolve_actor(phrase, date.fromisoformat(when))
    assert got["country"] == country and ("GOV" in got["sectors"]) is gov, got


@pytest.mark.parametrize(
    "phrase",
    [
        "Moses",  # Tallis Obed Moses of Vanuatu: a common word and given name, no bare-surname alias
        "Drew",  # Terrance Drew of St Kitts and Nevis
        "Stocker",  # Christian Stocker of Austria
        "Pavel",  # Petr Pavel of the Czech Republic: a common given name
    ],
)
def test_common_words_do_not_name_a_head(phrase, pipeline):
    assert resolve_actor(phrase, date(2025, 6, 1))["country"] is None


def test_unverified_2026_claims_against_the_curated_table_are_left_out(pipeline):
    # the snapshot makes Andy Burnham UK prime minister in 2026; office_holders.csv has Keir Starmer in office
    burnham = resolve_actor("Andy Burnham", date(2026, 6, 1))
    assert "GOV" not in burnham["sectors"]
    assert "GOV" in resolve_actor("Keir Starmer", date(2026, 6, 1))["sectors"]
