"""Event places: which place phrase is where the event at a verb happened (issue 5)."""

from __future__ import annotations

import pytest

from detente import nlp, places, where
from detente.actors import gazetteer
from detente.model import Place


def venue(sentence: str, verb: str) -> Place | None:
    doc = next(nlp.parse([sentence]))
    trigger = next(t for t in doc if t.text == verb)
    return where._venue(trigger, gazetteer())


def name_of(place: Place | None) -> str | None:
    return place.name if place is not None else None


def test_index_keeps_cities_countries_and_states():
    kabul = places.lookup("Kabul")
    assert kabul is not None and kabul.country == "AFG" and kabul.lat is not None and kabul.geonameid
    assert places.lookup("Ohio") == Place("Ohio", "USA", None, None, places.lookup("Ohio").geonameid)
    assert places.lookup("Kenya") == places.country_place("KEN")
    assert places.index() is places.index()  # built once


@pytest.mark.parametrize(
    ("sentence", "verb", "country"),
    [
        ("Gunmen shot and killed a policeman in Kirkuk on Monday.", "shot", "IRQ"),  # shared by "and killed"
        ("Protesters marched through Nairobi on Saturday.", "marched", "KEN"),
        ("A reporter was shot while covering a rally in Lahore.", "shot", "PAK"),  # same scene
        ("Two officers were killed in the southern city of Basra.", "killed", "IRQ"),
        ("Rebels captured Kandahar after a week of fighting.", "captured", "AFG"),  # the ground a verb takes
    ],
)
def test_cities(sentence, verb, country):
    place = venue(sentence, verb)
    assert place is not None and place.country == country and place.lat is not None


def test_a_country_is_a_place_too():
    place = venue("Thousands of workers demonstrated across Ukraine on Sunday.", "demonstrated")
    assert place == places.country_place("UKR")


def test_the_most_specific_place_wins():
    place = venue("A shell killed four civilians in the Bab Tuma neighbourhood near the old market.", "killed")
    assert place == Place("Bab Tuma", None)  # not in the index: kept by name, without coordinates
    place = venue("Troops shelled the village of Umm Quwaydir before dawn.", "shelled")
    assert name_of(place) == "Umm Quwaydir"


def test_kind_words_are_stripped_from_names():
    place = venue("Six soldiers were killed in Kandahar province on Friday.", "killed")
    assert place is not None and place.country == "AFG" and "province" not in place.name


@pytest.mark.parametrize(
    ("sentence", "verb"),
    [
        ("Two soldiers were killed in a U.S. airstrike.", "killed"),  # a nationality, not a place
        ("The bomb was detonated near the UN compound.", "detonated"),  # an organisation's acronym
        ("The soldier was captured last year and his brother was killed in Basra.", "captured"),  # another event
        ("He was shot twice and later died at a hospital in Nairobi.", "shot"),  # a later scene
        ("Farmers demonstrated on Friday, while ministers met in Geneva.", "demonstrated"),  # a contrast
        ("Militants have killed hundreds of people this year.", "killed"),
    ],
)
def test_no_place(sentence, verb):
    assert venue(sentence, verb) is None


def test_a_place_in_what_was_said_about_is_not_where_it_was_said(pipeline):
    res = pipeline.code_text("Egypt warned Israel about threats to Israeli tourists in Sinai.")
    warn = [e for e in res.events if e.trigger.text == "warned"]
    assert warn and warn[0].place is None
