"""Actor resolution on a table of cases we wrote (phrases, dates, contexts), ambiguity cases included."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from detente.api import resolve_actor

DATA = Path(__file__).parent / "data" / "actor_cases.csv"
FLOORS = {"country": 0.90, "sectors": 0.75, "no_actor": 0.90}


def cases():
    with DATA.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def outcomes(pipeline):
    out = []
    for c in cases():
        got = resolve_actor(c["phrase"], date.fromisoformat(c["date"]), c["context"] or None)
        out.append((c, got))
    return out


def test_table_size():
    rows = cases()
    assert len(rows) >= 150 and sum(r["country"] == "EMPTY" for r in rows) >= 25


def _report(bad):
    return "\n".join(
        f"{c['phrase']!r} {c['date']}: want {c['country']} {c['sectors']} got {g['country']} "
        f"{g['sectors']} ({g['reason']})"
        for c, g in bad[:40]
    )


def test_countries(outcomes):
    named = [(c, g) for c, g in outcomes if c["country"] != "EMPTY"]
    bad = [(c, g) for c, g in named if g["country"] != c["country"]]
    acc = 1 - len(bad) / len(named)
    assert acc >= FLOORS["country"], f"country accuracy {acc:.3f}\n" + _report(bad)


def test_sectors(outcomes):
    with_sectors = [(c, g) for c, g in outcomes if c["country"] != "EMPTY" and c["sectors"]]
    bad = [(c, g) for c, g in with_sectors if not set(c["sectors"].split(";")) & set(g["sectors"])]
    acc = 1 - len(bad) / len(with_sectors)
    assert acc >= FLOORS["sectors"], f"sector accuracy {acc:.3f}\n" + _report(bad)


def test_ambiguous_and_non_actors_do_not_resolve(outcomes):
    empty = [(c, g) for c, g in outcomes if c["country"] == "EMPTY"]
    bad = [(c, g) for c, g in empty if g["country"] is not None]
    share = 1 - len(bad) / len(empty)
    assert share >= FLOORS["no_actor"], f"no-actor share {share:.3f}\n" + _report(bad)
    assert all(g["reason"] for _, g in empty)


@pytest.mark.parametrize(
    ("phrase", "when", "country", "sector"),
    [
        ("Imran Khan", "2020-01-01", "PAK", "GOV"),
        ("Imran Khan", "2023-05-01", "PAK", "OPP"),
        ("Pervez Musharraf", "2005-09-01", "PAK", "MIL"),
        ("Qamar Javed Bajwa", "2022-09-01", "PAK", "MIL"),
    ],
)
def test_office_holders_by_date(phrase, when, country, sector, pipeline):
    got = resolve_actor(phrase, date.fromisoformat(when))
    assert got["country"] == country and sector in got["sectors"]
