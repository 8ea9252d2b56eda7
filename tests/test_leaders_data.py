"""leaders.csv (historical leaders from the Phoenix dictionary) is well formed and fits the other actor tables."""

import csv
import re
from collections import Counter
from datetime import date

import pytest

from detente.data import open_data

# Standard CAMEO actor role/sector codes (the CAMEO 1.1b3 manual's domestic role codes).
CAMEO_SECTORS = {
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM", "CVL", "LAB",
    "LEG", "HLH", "REF", "ELI", "AGR", "DEV", "ENV", "HRI", "REL", "MOD", "RAD", "UAF", "IGO", "NGO", "MNC",
}  # fmt: skip


def rows(name):
    with open_data(name) as fh:
        return list(csv.DictReader(fh))


def header(name):
    with open_data(name) as fh:
        return next(csv.reader(fh))


def key(text):
    """Same normalisation as the builder: lower-case, hyphens and dots as spaces."""
    return " ".join(re.sub(r"[-.]", " ", text.lower()).split())


def problems(data, iso, sectors, other_names=()):
    """Every rule leaders.csv must keep, as a list of messages (empty when the table is fine)."""
    out = []
    seen = Counter((r["name"], r["country"], r["role"], r["start"]) for r in data)
    out += [f"duplicate row {k}" for k, n in seen.items() if n > 1]
    owner = {}
    for r in data:
        owner.setdefault(key(r["name"]), r["name"])
    for n in other_names:
        owner.setdefault(key(n), n)
    for r in data:
        if r["country"] not in iso:
            out.append(f"unknown country {r['country']} for {r['name']}")
        try:
            start = date.fromisoformat(r["start"])
            end = date.fromisoformat(r["end"]) if r["end"] else None
        except ValueError:
            out.append(f"bad date in {r}")
            continue
        if end and start > end:
            out.append(f"start after end for {r['name']} {r['start']}")
        codes = set(filter(None, r["sectors"].split(";")))
        if not codes <= sectors:
            out.append(f"unknown sectors {codes - sectors} for {r['name']}")
        if not codes and r["role"] != "elite":
            out.append(f"no sectors on a non-elite row for {r['name']}")
        if not r["name"].strip() or not r["role"].strip():
            out.append(f"empty name or role in {r}")
        for a in filter(None, r["aliases"].split(";")):
            other = owner.get(key(a))
            if other and other != r["name"]:
                out.append(f"alias {a!r} of {r['name']} is the name of {other}")
    return out


@pytest.fixture(scope="module")
def leaders():
    return rows("actors/leaders.csv")


@pytest.fixture(scope="module")
def iso():
    return {r["iso3"] for r in rows("actors/countries.csv")}


@pytest.fixture(scope="module")
def sectors():
    used = {s for r in rows("actors/sectors.csv") for s in r["sectors"].split(";") if s}
    return used | CAMEO_SECTORS


def test_header_matches_office_holders():
    assert header("actors/leaders.csv") == header("actors/office_holders.csv")


def test_table_is_consistent(leaders, iso, sectors):
    assert len(leaders) > 1000
    holders = [r["name"] for r in rows("actors/office_holders.csv")]
    assert problems(leaders, iso, sectors, holders) == []


def test_known_leaders_are_dated(leaders):
    spells = {(r["name"], r["country"], r["sectors"], r["start"]) for r in leaders}
    assert ("Robert Mugabe", "ZWE", "GOV", "1980-04-18") in spells
    assert ("Jean-Bertrand Aristide", "HTI", "GOV", "1991-02-07") in spells
    # the dictionary froze in 2014: open spells end at 2014-12-31, none is left open
    assert all(r["end"] for r in leaders)


def test_no_person_duplicates_the_curated_table(leaders):
    curated = {key(r["name"]) for r in rows("actors/office_holders.csv")}
    assert not [r["name"] for r in leaders if key(r["name"]) in curated]


def test_checks_catch_bad_rows(iso, sectors):
    good = {"name": "A B", "aliases": "", "country": "ZWE", "sectors": "GOV", "role": "government"}
    bad = [
        {**good, "start": "1990-01-01", "end": "1989-01-01"},
        {**good, "start": "1990-01-01", "end": "1989-01-01"},
        {**good, "country": "XXX", "start": "1990-13-01", "end": ""},
        {**good, "name": "C D", "sectors": "FOO", "start": "1990-01-01", "end": ""},
        {**good, "name": "E F", "sectors": "", "start": "1990-01-01", "end": ""},
        {**good, "name": "G H", "aliases": "A-B", "start": "1990-01-01", "end": ""},
    ]
    found = "\n".join(problems(bad, iso, sectors))
    for text in ("duplicate row", "start after end", "bad date", "unknown sectors", "no sectors", "is the name of"):
        assert text in found
