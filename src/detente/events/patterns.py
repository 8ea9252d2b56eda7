"""The pattern lexicon: verb and noun triggers with their CAMEO code and argument slots, read from TOML."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property

from ..data import list_data, load_toml, open_data
from ..data.cache import built
from ..errors import DataFileError
from ..vocabulary import wordlist
from .ontology import is_code

_FIELDS = {
    "id",
    "code",
    "verbs",
    "nouns",
    "target",
    "source",
    "symmetric",
    "place",
    "needs_target",
    "needs_source",
    "object",
    "not_object",
    "context_not",
    "target_person",
    "source_not_sectors",
    "source_sectors",
    "prep",
    "not_prep",
    "confidence",
    "note",
    "object_prep",
    "intermediary",
    "target_named",
    "complement_aux",
    "inverse",
}
_PLACES = {"venue", "target", "source"}


@dataclass(frozen=True)
class Pattern:
    """One way news says an event happened. Read by people: keep every field obvious."""

    id: str
    code: str
    verbs: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    target: tuple[str, ...] = ("dobj",)  # "dobj" and/or prepositions whose object is the target
    source: tuple[str, ...] = ("by", "from")  # extra prepositions naming the source of a nominal event
    symmetric: bool = False
    place: str = "venue"  # where it happened absent "in X": venue only, else the target's or source's country
    needs_target: bool = True
    needs_source: bool = True
    object: tuple[str, ...] = ()  # the direct object (or object of object_prep) must be one of these lemmas
    object_prep: str = ""  # look for `object` as the object of this preposition instead ("come to bat")
    not_object: tuple[str, ...] = ()
    prep: tuple[str, ...] = ()  # the trigger must govern one of these prepositions
    not_prep: tuple[str, ...] = ()
    context_not: tuple[str, ...] = ()  # any of these lemmas in the sentence means another sense
    target_person: bool = False  # only when the target is a person (verbal "attack" on a politician)
    target_named: bool = False  # only when the target is named (a country, organisation or person), not a group
    source_not_sectors: tuple[str, ...] = ()
    source_sectors: tuple[str, ...] = ()  # the doer must hold one of these ("ruled" is a court's act)
    intermediary: tuple[str, ...] = ("via", "through")
    # the trigger's "that" clause must carry one of these modals; its subject is the target ("said that Sudan
    # must return the helicopter" is a demand on Sudan)
    complement_aux: tuple[str, ...] = ()
    # the subject is the receiver and the object of a `source` preposition the doer ("received arms from X")
    inverse: bool = False
    confidence: float = 0.6
    note: str = ""
    file: str = field(default="", compare=False)

    @property
    def specificity(self) -> int:
        """How narrow the pattern's sense checks are, not counting the trigger words."""
        return (
            bool(self.object) * 4
            + bool(self.prep) * 2
            + bool(self.target_person) * 2
            + bool(self.source_not_sectors)
            + bool(self.source_sectors) * 2
            + bool(self.target_named)
            + bool(self.context_not)
            + bool(self.complement_aux) * 4
        )

    @cached_property
    def verbs_by_word(self) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
        """The verbs (with their words) under their first word, longest first: "refuse meet" is tried before
        "refuse". Worked out once: the coder asks for every candidate token."""
        found: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for verb in sorted(self.verbs, key=lambda v: -len(v.split())):
            words = tuple(verb.lower().split())
            found[words[0]].append((verb, words))
        return {k: tuple(v) for k, v in found.items()}

    def specificity_for(self, verb: str) -> int:
        """Specificity when `verb` (one of `verbs`, or "" for a noun) matched: a multiword verb adds 4 per extra
        word that had to be found, a single word nothing ("refuse meet" is narrower than "refuse")."""
        return self.specificity + 4 * (len(verb.split()) - 1) if verb else self.specificity


@dataclass(frozen=True)
class Lexicon:
    patterns: tuple[Pattern, ...]
    by_verb: dict[str, tuple[Pattern, ...]]
    by_noun: dict[str, tuple[Pattern, ...]]


def _tuple(value: object, where: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise DataFileError(f"{where}: '{key}' must be a string or a list of strings")


def parse_pattern(raw: dict[str, object], where: str) -> Pattern:
    unknown = set(raw) - _FIELDS
    if unknown:
        raise DataFileError(f"{where}: unknown field(s) {sorted(unknown)}; known: {sorted(_FIELDS)}")
    if "id" not in raw or "code" not in raw:
        raise DataFileError(f"{where}: every [[pattern]] needs 'id' and 'code'")
    code = str(raw["code"])
    if not is_code(code):
        raise DataFileError(f"{where}: CAMEO code {code!r} does not exist (see data/cameo.csv)")
    kwargs: dict[str, object] = {"id": str(raw["id"]), "code": code}
    for key in (
        "verbs",
        "nouns",
        "target",
        "source",
        "object",
        "not_object",
        "context_not",
        "source_not_sectors",
        "source_sectors",
        "prep",
        "not_prep",
        "intermediary",
        "complement_aux",
    ):
        if key in raw:
            kwargs[key] = _tuple(raw[key], where, key)
    for key in ("symmetric", "needs_target", "needs_source", "target_person", "target_named", "inverse"):
        if key in raw:
            if not isinstance(raw[key], bool):
                raise DataFileError(f"{where}: '{key}' must be true or false")
            kwargs[key] = raw[key]
    for key in ("place", "note", "object_prep"):
        if key in raw:
            kwargs[key] = str(raw[key])
    if "confidence" in raw:
        value = raw["confidence"]
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise DataFileError(f"{where}: 'confidence' must be a number from 0 to 1")
        kwargs["confidence"] = float(value)
    pat = Pattern(**kwargs)  # type: ignore[arg-type]
    if not pat.verbs and not pat.nouns:
        raise DataFileError(f"{where}: pattern {pat.id!r} has neither 'verbs' nor 'nouns'")
    if pat.place not in _PLACES:
        raise DataFileError(f"{where}: 'place' must be one of {sorted(_PLACES)}")
    return pat


def build(patterns: list[Pattern]) -> Lexicon:
    seen: dict[str, str] = {}
    by_verb: dict[str, list[Pattern]] = defaultdict(list)
    by_noun: dict[str, list[Pattern]] = defaultdict(list)
    for p in patterns:
        if p.id in seen:
            raise DataFileError(f"pattern id {p.id!r} appears in {seen[p.id]} and {p.file}; ids must be unique")
        seen[p.id] = p.file
        for v in p.verbs:
            by_verb[v.split()[0].lower()].append(p)
        for n in p.nouns:
            by_noun[n.lower()].append(p)

    def order(items: list[Pattern]) -> tuple[Pattern, ...]:
        return tuple(sorted(items, key=lambda p: -p.specificity))  # per matched verb: rules.py re-ranks

    return Lexicon(
        tuple(patterns), {k: order(v) for k, v in by_verb.items()}, {k: order(v) for k, v in by_noun.items()}
    )


@cache
def lexicon() -> Lexicon:
    """Every pattern in data/patterns/*.toml, indexed by trigger lemma."""
    patterns: list[Pattern] = []
    for name in list_data("patterns", ".toml"):
        doc = load_toml(name)
        for i, raw in enumerate(doc.get("pattern", [])):
            p = parse_pattern(raw, f"data/{name} [[pattern]] #{i + 1}")
            patterns.append(Pattern(**{**p.__dict__, "file": name}))
    return build(patterns)


@cache
def triggers() -> dict[tuple[str, str], tuple[str, bool]]:
    """The broad trigger layer: (lemma, "VERB" | "NOUN") -> CAMEO code, for words no reviewed pattern took.

    data/patterns/triggers.csv (ours) wins over data/patterns/petrarch-verbs.csv (generated from PETRARCH-2's
    verb dictionary by scripts/build_verbs.py), whose verbs without particles or required words give their
    default code. A code of "-" in triggers.csv keeps a verb out (too general to code on its own). The flag says
    whether the entry is ours: a generated verb codes only between two sides the text names."""
    out: dict[tuple[str, str], tuple[str, bool]] = {}
    with open_data("patterns/triggers.csv") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            code = row["code"]
            if code != "-" and not is_code(code):  # "-": listed to keep a too-general verb out
                raise DataFileError(f"data/patterns/triggers.csv row {i + 2}: CAMEO code {code!r} does not exist")
            out.setdefault((row["lemma"].lower(), row["pos"]), (code, True))
    for lemma, code in _generated().defaults.items():
        out.setdefault((lemma, "VERB"), (code, False))
    return {k: v for k, v in out.items() if v[0] != "-"}


_GLUE = wordlist("petrarch_glue_words")


@dataclass(frozen=True)
class ObjectPattern:
    """A generated verb pattern: the verb, with its particle, codes `code` when its arguments hold `words`
    ("file ... lawsuit" 115, "claim ... attack" 015, "take ... custody" 173)."""

    particle: str
    words: frozenset[str]
    code: str


@dataclass(frozen=True)
class _Generated:
    defaults: dict[str, str]  # verb lemma -> its default code (no particle, no required words)
    objects: dict[str, tuple[ObjectPattern, ...]]


@cache
def _generated() -> _Generated:
    """data/patterns/petrarch-verbs.csv, read once for both of its uses (and kept built between runs)."""
    return built("petrarch-verbs", _read_generated, ("patterns/petrarch-verbs.csv", "cameo.csv"))


def _read_generated() -> _Generated:
    """The generated table's two uses.

    Object patterns keep at most three content words and no force (roots 15-20): force is the reviewed patterns'
    job, and PETRARCH-2's "use ... missile" names a weapon, not an act."""
    name = "patterns/petrarch-verbs.csv"
    defaults: dict[str, str] = {}
    objects: dict[str, list[ObjectPattern]] = defaultdict(list)
    with open_data(name) as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            lemma, code = row["lemma"].lower(), row["code"]
            if row["kind"] == "default" and not row["particle"] and not row["words"]:
                if not is_code(code):
                    raise DataFileError(f"data/{name} row {i + 2}: CAMEO code {code!r} does not exist")
                defaults.setdefault(lemma, code)
            elif row["kind"] == "pattern" and code and is_code(code) and code[:2] < "15":
                words = frozenset(w for w in row["words"].split() if w not in _GLUE)
                if words and len(words) <= 3:
                    objects[lemma].append(ObjectPattern(row["particle"], words, code))
    ordered = {k: tuple(sorted(v, key=lambda p: (-len(p.words), -bool(p.particle)))) for k, v in objects.items()}
    return _Generated(defaults, ordered)


def object_patterns() -> dict[str, tuple[ObjectPattern, ...]]:
    """verb lemma -> its PETRARCH-2 object patterns, the most specific first."""
    return _generated().objects
