"""Name tables for actors: countries, organisations, role titles and dated office holders."""

from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from ..data import open_data
from ..data.cache import built
from ..errors import DataFileError, QueryError
from ..vocabulary import wordlist

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


@lru_cache(maxsize=1 << 16)  # the resolver asks for the same few thousand phrases of each article many times
def norm(text: str) -> str:
    """Key for name lookups: case, accents, quotes, hyphens and a leading 'the' do not matter."""
    t = text.translate(_QUOTES).lower().replace("-", " ")
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    t = re.sub(r"'s\b", "", t) if t.endswith("'s") else t
    t = " ".join(t.split()).strip(" .,;:\"'()")  # split/join: the same as collapsing \s+, without a regex
    return t[4:] if t.startswith("the ") else t


@dataclass(frozen=True, slots=True)
class Entry:
    """One way of naming an actor."""

    kind: str  # country | region | org | person | title | group
    name: str
    country: str | None
    sectors: tuple[str, ...]
    id: str
    ambiguous: bool = False
    subkind: str = ""  # countries: name/alias/demonym/capital/metonym; orgs: igo/armed/...

    def __reduce__(self) -> tuple[type[Entry], tuple[object, ...]]:
        # the cached tables hold tens of thousands: rebuilding from a tuple loads far faster than slot state
        return Entry, (self.kind, self.name, self.country, self.sectors, self.id, self.ambiguous, self.subkind)


@dataclass(frozen=True, slots=True)
class Office:
    country: str
    sectors: tuple[str, ...]
    role: str
    start: date
    end: date | None

    def __reduce__(self) -> tuple[type[Office], tuple[object, ...]]:
        return Office, (self.country, self.sectors, self.role, self.start, self.end)


_COMPASS = wordlist("compass_words")
_REGION_KINDS = wordlist("region_kinds")
# former states and names that mean something else than a part of today's state
_NOT_PARTS = frozenset({"east germany", "eastern germany"})


def _is_acronym(text: str) -> bool:
    core = text.strip().removeprefix("the ").removeprefix("The ")
    if " " in core or core.upper() != core:  # most names fail here, before any per-letter work
        return False
    return 0 < sum(c.isalpha() for c in core) <= 5


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def slug(text: str) -> str:
    """The id part the tables give a name: one id for one spelling up to case and accents (build scripts too)."""
    return re.sub(r"[^a-z0-9]+", "-", norm(text)).strip("-")


class Gazetteer:
    """All actor names, keyed by normalized text; built once per process."""

    def __init__(self) -> None:
        self.names: dict[str, list[Entry]] = defaultdict(list)
        self.acronyms: dict[str, list[Entry]] = defaultdict(list)
        self.titles: dict[str, tuple[str, ...]] = {}
        self.places: set[str] = set()
        self.groups: dict[str, tuple[str, ...]] = {}
        self.offices: dict[str, list[Office]] = defaultdict(list)
        self.surnames: dict[str, list[str]] = defaultdict(list)  # an office holder's last name -> person ids
        self.country_names: dict[str, str] = {}
        self.max_words = 1

    def add(self, text: str, entry: Entry) -> None:
        key = norm(text)
        if not key:
            return
        # "RAW", "WHO", "ICE" name agencies only in capitals; "raw materials" is no spy service
        bucket = self.acronyms[key] if _is_acronym(text) else self.names[key]
        if all(e.id != entry.id or e.subkind != entry.subkind for e in bucket):
            bucket.append(entry)
        self.max_words = max(self.max_words, key.count(" ") + 1)

    def lookup(self, text: str) -> list[Entry]:
        key = norm(text)
        found = self.names.get(key, [])
        if key in self.acronyms and _is_acronym(text):
            found = self.acronyms[key] + found
        return found

    def part_of(self, text: str) -> Entry | None:
        """A named part of a state that the tables lack as such: "South Lebanon", "West Darfur State",
        "Anbar Governorate". Only a compass word before, or a kind of region after, a region or state name."""
        words = norm(text).split()
        core = list(words)
        while core and core[-1] in _REGION_KINDS:
            core.pop()
        while core and core[0] in _COMPASS:
            core.pop(0)
        if not core or len(core) == len(words) or " ".join(words) in _NOT_PARTS:
            return None
        hits = [
            e
            for e in self.names.get(" ".join(core), [])
            if not e.ambiguous and (e.kind == "region" or (e.kind == "country" and e.subkind in ("name", "alias")))
        ]
        if len({e.country for e in hits}) != 1 or hits[0].country is None:
            return None
        return Entry("region", text, hits[0].country, (), f"region:{slug(text)}", False, "region")

    def actor_noun(self, words: list[str]) -> bool:
        """Whether a common noun (with the words before it) can stand for an actor: a title, group or place."""
        for size in (3, 2, 1):
            if len(words) < size:
                continue
            key = norm(" ".join(words[-size:]))
            for k in (key, key[:-1] if key.endswith("s") else key, key[:-2] if key.endswith("es") else key):
                if k in self.titles or k in self.groups or k in self.places:
                    return True
        return False

    def office_at(self, person_id: str, when: date | None) -> list[Office]:
        spans = self.offices.get(person_id, [])
        if when is None:
            return []
        return [o for o in spans if o.start <= when and (o.end is None or when <= o.end)]

    def offices_of(self, person_id: str) -> list[Office]:
        return self.offices.get(person_id, [])

    def holders_named(self, surname: str, when: date | None, sectors: Iterable[str]) -> set[str]:
        """The countries where someone of this surname held an office of one of `sectors` on `when`: "President
        Moon" in 2019 is South Korea's; two such countries leave the reader to decide."""
        wanted = set(sectors)
        return {
            o.country
            for pid in self.surnames.get(norm(surname), ())
            for o in self.office_at(pid, when)
            if wanted & set(o.sectors)
        }


def _rows(name: str) -> list[dict[str, str]]:
    try:
        with open_data(name) as fh:
            return list(csv.DictReader(fh))
    except DataFileError:
        return []


def _load_countries(g: Gazetteer) -> None:
    for row in _rows("actors/countries.csv"):
        iso, kind, text = row["iso3"], row["kind"], row["text"]
        metonym = kind in ("capital", "metonym")
        sectors = ("GOV",) if metonym else ()
        g.add(text, Entry("country", text, iso, sectors, f"country:{iso}", row.get("ambiguous") == "1", kind))
        if kind == "name" and iso not in g.country_names:
            g.country_names[iso] = text


def _load_regions(g: Gazetteer) -> None:
    """Provinces and well-known regions ("Darfur", "Chechnya", "Sindh"): part of one state, never the state."""
    for row in _rows("actors/regions.csv"):
        iso, text = row["iso3"], row["text"]
        g.add(text, Entry("region", text, iso, (), f"region:{slug(text)}", row.get("ambiguous") == "1", "region"))


def _load_orgs(g: Gazetteer) -> None:
    for row in _rows("actors/organizations.csv"):
        country = row["country"] or None
        entry = Entry(
            "org",
            row["name"],
            country,
            _split(row["sectors"]),
            f"org:{slug(row['name'])}",
            False,
            row.get("kind", ""),
        )
        for text in (row["name"], *_split(row["aliases"])):
            g.add(text, entry)


def _load_titles(g: Gazetteer) -> None:
    for row in _rows("actors/sectors.csv"):
        kind = row.get("kind")
        if kind == "standin":  # "the Israeli port", "the Israeli raid": stands for its country, no sector
            g.places.add(norm(row["term"]))
            continue
        target = g.groups if kind == "group" else g.titles
        target[norm(row["term"])] = _split(row["sectors"])


# curated 2000-today offices first; then every state's heads of state and government from Wikidata (year precision,
# to 2026); the Phoenix-derived table adds leaders and ministers before 2015. A name in two tables is the first's.
_FAMILY_FIRST = wordlist("family_name_first")
_HOLDER_TABLES = (
    "actors/office_holders.csv",
    "actors/heads.csv",
    "actors/leaders.csv",
    "actors/international_officials.csv",  # spells at a body of states: whoever they were before, then its own
)


def _load_holders(g: Gazetteer) -> None:
    for table in _HOLDER_TABLES:
        _load_holder_table(g, table)


def _load_holder_table(g: Gazetteer, table: str) -> None:
    for row in _rows(table):
        pid = f"person:{slug(row['name'])}"
        try:
            start = date.fromisoformat(row["start"])
            end = date.fromisoformat(row["end"]) if row["end"] else None
        except ValueError as exc:
            raise DataFileError(f"{table}: bad date for {row['name']}: {exc}") from exc
        g.offices[pid].append(Office(row["country"], _split(row["sectors"]), row["role"], start, end))
        words = norm(row["name"]).split()
        family = words[0] if row["country"].lower() in _FAMILY_FIRST and len(words) > 1 else words[-1]
        if pid not in g.surnames[family]:
            g.surnames[family].append(pid)
        entry = Entry("person", row["name"], row["country"], (), pid)
        for text in (row["name"], *_split(row["aliases"])):
            g.add(text, entry)


def _load_user(g: Gazetteer, path: str) -> None:
    """User actors (TOML [[actor]] name, aliases, country, sectors) win over the built-in tables."""
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"actors_file {path}: cannot load ({exc}); fix the file or unset actors_file") from exc
    for i, a in enumerate(doc.get("actor", [])):
        if "name" not in a:
            raise DataFileError(f"actors_file {path}: [[actor]] #{i + 1} needs a 'name'")
        entry = Entry("org", a["name"], a.get("country"), tuple(a.get("sectors", [])), f"user:{slug(a['name'])}")
        for text in (a["name"], *a.get("aliases", [])):
            g.names[norm(text)] = [entry]
            g.max_words = max(g.max_words, norm(text).count(" ") + 1)


def gazetteer(actors_file: str = "") -> Gazetteer:
    """The tables, built once per process and actors file (gazetteer() and gazetteer("") are one build)."""
    return _build(actors_file or "")


@cache
def _build(actors_file: str) -> Gazetteer:
    g = built("gazetteer", _built_in, ACTOR_TABLES)  # a fresh copy each time: the user's actors go into this one
    if actors_file:
        _load_user(g, actors_file)
    return g


ACTOR_TABLES = (
    "actors/countries.csv",
    "actors/regions.csv",
    "actors/organizations.csv",
    "actors/sectors.csv",
    *_HOLDER_TABLES,
)


def _built_in() -> Gazetteer:
    g = Gazetteer()
    _load_countries(g)
    _load_regions(g)
    _load_orgs(g)
    _load_titles(g)
    _load_holders(g)
    return g


# Sides a dyad can name besides states: the codes the resolver gives international and non-governmental bodies.
NON_STATE_CODES = ("IGO", "NGO")


@cache
def _side_codes() -> dict[str, str]:
    """Every way a user may name a dyad's side: ISO3 code, name, alias or demonym."""
    codes: dict[str, str] = {}
    rows = _rows("actors/countries.csv")
    for row in sorted(rows, key=lambda r: r.get("ambiguous") == "1"):  # "Turkey" is ambiguous in text, not here
        codes.setdefault(row["iso3"].lower(), row["iso3"])
        if row["kind"] in ("name", "alias", "demonym"):
            codes.setdefault(norm(row["text"]), row["iso3"])
    for code in NON_STATE_CODES:
        codes[code.lower()] = code
    return codes


def countries_named(text: str) -> frozenset[str]:
    """The countries a text names by name, alias or demonym ("reports of Israel-Pakistan trade": ISR, PAK)."""
    codes = _side_codes()
    words = re.findall(r"[A-Z][A-Za-z']+", text)
    found = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            gram = " ".join(words[i : i + n])
            code = codes.get(norm(gram))
            if code and code not in NON_STATE_CODES and (gram.isupper() or norm(gram) != code.lower()):
                found.add(code)
    return frozenset(found)


def country_code(text: str) -> str:
    """The code stored events carry for a side named as 'PAK', 'Pakistan' or 'Pakistani'.

    Filters compare codes, so a name passed through as is would match nothing and return an empty answer that
    looks like news; an unknown name is refused with the nearest codes instead.
    """
    import difflib

    codes = _side_codes()
    key = text.strip()
    found = codes.get(key.lower()) or codes.get(norm(key))
    if found:
        return found
    near = difflib.get_close_matches(norm(key), list(codes), n=6, cutoff=0.75)
    hint = ", ".join(dict.fromkeys(codes[n] for n in near))
    raise QueryError(
        f"unknown country {text!r}"
        + (f" (did you mean {hint}?)" if hint else "")
        + "; give an ISO3 code (PAK), a country name (Pakistan) or a demonym (Pakistani), "
        + f"or {' or '.join(NON_STATE_CODES)} for international and non-governmental bodies"
    )
