"""Event places: where the event happened (not the actors' nationality), named through the place index (places.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .actors.gazetteer import Gazetteer
from .model import Event, Place
from .nlp import entity_at, sentence_of
from .places import country_place, lookup
from .vocabulary import wordlist

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .context import Context

_PLACE_PREPS = wordlist("place_prepositions")
_SUBJECT_PREPS = frozenset({"in", "at"})
_OF = frozenset({"of"})
_AROUND = wordlist("around_prepositions")
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_ATTACK_ROOTS = {"18", "19", "20"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_TOPIC_PREPS = wordlist("topic_prepositions")
_OTHER_CLAUSES = {"relcl", "ccomp", "advcl", "conj", "parataxis", "xcomp", "nsubj", "nsubjpass", "csubj"}
_TERRITORIAL_VERBS = wordlist("territorial_verbs")
_KIND_NOUNS = wordlist("place_kind_nouns")
_NOT_PLACE_ENTS = {"DATE", "TIME", "NORP", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "EVENT"}
# Temporal clauses share the main event's place: "was shot while filming protests in X".
_SAME_SCENE_MARKS = {"when", "as"}
_DIRECTIONS = wordlist("direction_words")
_LATER = wordlist("later_words")


def place_events(ctx: Context, events: list[Event]) -> list[Event]:
    """Each event's place. The context's tables hold the user's actors: a user's organisation named like a town
    is an actor, not a place."""
    patterns = {p.id: p for p in ctx.lex.patterns}
    out = []
    for ev in events:
        pat = patterns.get(ev.pattern)
        out.append(replace(ev, place=_place_of(ctx.doc, ev, pat.place if pat else "venue", ctx.gaz)))
    return out


def _place_of(doc: Doc, ev: Event, rule: str, names: Gazetteer) -> Place | None:
    span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
    if span is None:
        return None
    trigger = span.root
    venue = _venue(trigger, names)
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


def _venue(trigger: Token, names: Gazetteer) -> Place | None:
    """A place phrase about the trigger: "met ... in Istanbul", "unloaded at the port of Haifa".

    Nearest evidence first: the place a territorial verb acts on ("captured Badme"), the verb's own place
    phrases (shared by "shot and killed ... in X"), a fronted "In X, ...", place phrases deeper in the clause
    ("killed in clashes in X"), a city the verb acts on, a temporal clause ("shot while filming in X"), and last
    the subject's place ("Iraqis in Tikrit demonstrated")."""
    territorial = trigger.lemma_.lower() in _TERRITORIAL_VERBS
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    if territorial:  # passive subjects of "captured" are mostly people: only a known place or "the X base"
        patients = [(o, "patient") for o in objects]
        patients += [(c, "passive") for c in trigger.children if c.dep_ == "nsubjpass"]
        place = _first_place(patients, names)
        if place is not None:
            return place
    for tier in (_direct_pobjs(trigger), _fronted_pobjs(trigger), _clause_pobjs(trigger, territorial)):
        place = _first_place([(t, "weak") for t in tier], names)
        if place is not None:
            return place
    if not territorial:  # a city bombed or visited is where it happened; a country so acted on is a target
        for obj in objects:
            place = _place_in(obj, names, "patient")
            if place is not None and place.lat is not None:
                return place
    scene = [p for head in _sharing_verbs(trigger) for c in head.children if c.dep_ == "advcl" for p in _scene(c)]
    return _first_place([(t, "weak") for t in (*scene, *_subject_pobjs(trigger), *_described_pobjs(trigger))], names)


def _scene(clause: Token) -> list[Token]:
    """Place phrases of an adverbial clause set at the same scene: all of "when a bomb exploded near X" and
    "while filming protests in X"; a bare participle ("killed fighting in X", but also "shot, adding to
    tension over elections in Y") lends only its own phrases; "after", "because" and "while Y happened" none."""
    marks = {c.lower_ for c in clause.children if c.dep_ in ("mark", "advmod") and c.i < clause.i}
    if "while" in marks:  # "while filming", not the contrast in "while a protest took place in Y"
        same = not any(c.dep_ in _SUBJECTS for c in clause.children)
    else:
        same = bool(marks & _SAME_SCENE_MARKS)
    if same:
        return [*_direct_pobjs(clause), *_clause_pobjs(clause, False), *_kind_objects(clause)]
    if clause.tag_ == "VBG" and not any(c.dep_ == "mark" for c in clause.children):
        return _direct_pobjs(clause)
    return []


def _described_pobjs(trigger: Token) -> list[Token]:
    """Last resort: a clause describing a participant ("gunmen who were hiding near his house in X", "soldiers
    who returned fire in X") puts them, and so the event, there. Not one about what they own ("troops which
    have bases in X"); one on a prepositional object lends only its own phrases ("the attack, which was
    followed by an explosion in Y" is another event)."""
    out: list[Token] = []
    args = [c for c in trigger.children if c.dep_ in (*_SUBJECTS, "dobj", "agent")]
    args += [g for a in args if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
    others = [g for c in trigger.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    for arg in (*args, *others):
        for clause in (c for c in arg.children if c.dep_ in ("relcl", "acl") and c.lemma_ != "have"):
            out += _direct_pobjs(clause)
            out += _kind_objects(clause)
            if arg in args:
                out += _clause_pobjs(clause, False)
    return out


def _kind_objects(verb: Token) -> list[Token]:
    """ "defending the X army base", "escape the city of X": an object that is a place by its kind."""
    return [o for o in verb.children if o.dep_ == "dobj" and _is_kind(o)]


def _first_place(objs: list[tuple[Token, str]], names: Gazetteer) -> Place | None:
    for obj, trust in objs:
        place = _place_in(obj, names, trust)
        if place is not None:
            return place
    return None


def _pobjs(prep: Token, preps: frozenset[str] = _PLACE_PREPS) -> list[Token]:
    """Objects of a place preposition: "in Gaza", "in and near the town of X", "off Mogadishu" (parsed as a
    particle and a bare noun); not "at" in "Abu Muslim at-Turkmani"."""
    if prep.lower_ not in preps or (prep.i + 1 < len(prep.doc) and prep.nbor().text == "-"):
        return []
    if prep.dep_ == "prt":
        return [c for c in prep.head.children if c.i == prep.i + 1 and c.dep_ in ("npadvmod", "dobj")]
    if prep.dep_ != "prep":
        return []
    out = [c for c in prep.children if c.dep_ == "pobj"]
    if not out:  # "in and near the town": the object hangs on the last conjunct
        out = [c for p in prep.children if p.dep_ == "conj" for c in p.children if c.dep_ == "pobj"]
    return out


def _sharing_verbs(trigger: Token) -> list[Token]:
    """Verbs whose place phrases are the trigger's too: the verb it completes ("began to march in X") and, in
    "shot and killed ... in X", a coordinated verb without a subject of its own."""
    heads = [trigger]
    if trigger.dep_ in ("xcomp", "conj") and trigger.head.pos_ in ("VERB", "AUX"):
        heads.append(trigger.head)
    if not any(not _is_when(p) for c in trigger.children for p in _pobjs(c)):  # "captured in X and deported to Y"
        heads += [
            c
            for c in trigger.children
            if c.dep_ == "conj"
            and c.pos_ == "VERB"
            and not any(g.dep_ in _SUBJECTS or g.lower_ in _LATER for g in c.children)
        ]
    return heads


def _direct_pobjs(trigger: Token) -> list[Token]:
    """The verb's own place phrases; those after it first ("In Gaza, troops shot ... near the X crossing")."""
    out: list[Token] = []
    for head in _sharing_verbs(trigger):
        for child in head.children:
            out += _pobjs(child)
            if child.dep_ in ("advmod", "npadvmod"):  # "Weeks later in New York"
                out += [p for g in child.children for p in _pobjs(g)]
            if child.dep_ in ("compound", "nmod") and child.ent_type_ in _PLACE_ENTS and trigger.pos_ == "NOUN":
                out.append(child)  # "the Mumbai attacks"
    return sorted(out, key=lambda t: (t.i < trigger.i, abs(t.i - trigger.i)))


def _fronted_pobjs(trigger: Token) -> list[Token]:
    """A fronted "In Vienna, ..." on the main verb covers the events after it."""
    root = sentence_of(trigger).root
    if root.i == trigger.i:
        return []
    return [p for c in root.children if c.i < trigger.i for p in _pobjs(c)]


def _clause_pobjs(trigger: Token, territorial: bool) -> list[Token]:
    """Place phrases anywhere in the trigger's clause, nearest first: "captured by soldiers in northern Iraq",
    "killed in fighting in X"; of a verb sharing it, only a chain of place phrases from its object or its own
    place phrase ("shot and killed a motorist in X", "killed outside a school in X"). A territorial verb's
    passive subject counts: "the area around Kut is patrolled"."""
    skip = _OTHER_CLAUSES - {"nsubjpass"} if territorial else _OTHER_CLAUSES
    stack = [c for c in trigger.children if c.dep_ not in skip]
    located: list[Token] = []
    for head in _sharing_verbs(trigger)[1:]:  # along place phrases only: not "face charges for a part in Y"
        frontier = [o for c in head.children for o in ([c] if c.dep_ == "dobj" else _pobjs(c))]
        for _ in range(3):
            frontier = [p for t in frontier for c in t.children for p in (*_pobjs(c), *_pobjs(c, _OF))]
            located += frontier
    while stack:
        tok = stack.pop()
        if tok.dep_ == "prep" and tok.lower_ in _TOPIC_PREPS:
            continue  # "warned it about threats to targets in India": what was said about, not where
        located += _pobjs(tok)
        stack.extend(c for c in tok.children if c.dep_ not in _OTHER_CLAUSES)
    return sorted(located, key=lambda t: abs(t.i - trigger.i))


def _subject_pobjs(trigger: Token) -> list[Token]:
    """Where the subject is, when nothing else says: "a policeman in Amara was killed" (not through an
    apposition: "X, the head of police in Y, was killed" says where X worked)."""
    out: list[Token] = []
    for head in _sharing_verbs(trigger)[:2]:
        for subj in (c for c in head.children if c.dep_ in _SUBJECTS):
            for tok in (subj, *_of_chain(subj)):
                out += [p for c in tok.children for p in _pobjs(c, _SUBJECT_PREPS)]
    return out


def _of_chain(tok: Token) -> list[Token]:
    """ "the outskirts of the city of Homs" -> [city, Homs]."""
    chain: list[Token] = []
    frontier = [tok]
    for _ in range(3):
        frontier = [g for t in frontier for p in t.children for g in _pobjs(p, _OF)]
        chain.extend(frontier)
    return chain


def _place_in(obj: Token, names: Gazetteer, trust: str = "weak") -> Place | None:
    """The place a noun phrase names, most specific first: "Fallujah", "the city of Homs", "the south Baghdad
    neighbourhood of Al-Bayaa", "the Thantho district of Yala province", "the capital, Abidjan", "Grozny's
    streets", "Somalia's capital". A name missing from the index (a village, a district) is kept without
    coordinates when it is clearly a place: see `_named` for how much `trust` the position lends."""
    kind = _is_kind(obj)
    if any(c.dep_ == "appos" and _is_kind(c) for c in obj.children):
        trust = "strong"  # "Jaffna, the capital of ...": the apposition says it is a place
    if not kind:
        own = _named(obj, trust, names)
        if own is not None:
            return own
    chain = _of_chain(obj)
    own = _named(obj, "strong", names) if kind else None
    for typed in (False, True):  # "the village of X" before "the X district of Y province"
        for tok in chain:
            if _is_kind(tok) is typed:
                place = _named(tok, "strong" if kind or typed else trust, names)
                if place is not None:
                    return place
        if not typed and own is not None:
            return own
    for tok in obj.children:
        if tok.dep_ == "appos":  # "the commercial capital, Abidjan"
            place = _named(tok, "strong" if kind else trust, names)
            if place is not None:
                return place
    if kind:  # "a town northeast of Baghdad", "the area around Kut", "the entrance to Heathrow"
        around = [(g, "strong") for c in obj.children for g in _pobjs(c, _AROUND)]
        for tok in (c for c in obj.children if c.dep_ == "advmod" and c.lower_ in _DIRECTIONS):
            around += [(g, "weak") for p in tok.children for g in _pobjs(p, _OF)]
        place = _first_place(around, names)
        if place is not None:
            return place
    for tok in obj.children:
        if tok.dep_ in ("compound", "nmod", "poss"):  # "a U.S. airstrike" names a nationality
            place = _named(tok, "known", names)
            if place is not None and (place.lat is not None or kind):
                return place
    return None


def _is_kind(tok: Token) -> bool:
    return tok.pos_ == "NOUN" and tok.lower_ in _KIND_NOUNS


def _named(tok: Token, trust: str, names: Gazetteer) -> Place | None:
    """The place a name token stands for, given how much its position says it is a place: "strong" ("the village
    of X", "X district": a person- or organisation-labelled name may be a village spaCy does not know), "weak"
    (after "in": a place entity or an unlabelled proper noun), "patient" (the object of "captured": a place
    entity, not a person), "passive" ("X was captured": an indexed place, not a person), "known" (only a place
    in the index)."""
    ent = entity_at(tok)
    if ent is not None and ent.label_ in _NOT_PLACE_ENTS and not (ent.label_ == "NORP" and _is_city(ent.text)):
        return None  # a date, a number, a nationality (but "In Samarra" mislabelled as one)
    if _is_kind(tok):
        name = _name_run(tok.i - 1, tok)
        if name and _is_acronym(name):
            return None  # "the MFO base", "the UN buffer zone": an organisation's
        place = lookup(name) if name else None
        if (place is not None and place.lat is None) or (place is None and name and _is_country_word(name, names)):
            return None  # "a U.S. base", "the French-Swiss border": a nationality, not the name
        return place or (Place(name, None) if name and trust != "known" else None)
    labelled = ent is not None and (ent.label_ in _PLACE_ENTS or ent.end - ent.start > 1 or trust != "strong")
    name = _strip_kind(ent.text) if ent is not None and labelled else _name_run(tok.i, tok)
    if not name:
        return None
    label = ent.label_ if ent is not None else ""
    person_like = label in ("PERSON", "ORG")
    place = lookup(name)
    if place is not None:
        if person_like and trust != "strong" and _is_actor_name(name, names):
            return None  # spaCy calls "Sanaa" a person and "Karachi" an organisation; real ones are not places
        if label == "PERSON" and trust in ("patient", "passive"):
            return None  # "Arad was captured": the one captured is mostly a person
        return place
    if trust in ("known", "passive") or _is_acronym(name) or _is_country_word(name, names):
        return None  # "MFO": an organisation's acronym; "U.S." missing from the index
    kind_named = name.rpartition(" ")[2].lower() in _KIND_NOUNS  # "the Baliem Valley", "Darulaman Palace"
    if person_like and trust != "strong" and not kind_named:
        return None
    if ent is None and trust == "patient" and not kind_named:
        return None
    return Place(name, None)


def _name_run(end: int, tok: Token) -> str | None:
    """The proper-noun words ending at `end` inside `tok`'s phrase: "Oaxaca City", "Deir ez-Zor", "al-Tijara"
    in "al-Tijara neighbourhood", "Kawkab" in "Kawkab army base". None if no capitalised word."""
    doc = tok.doc
    subtree = range(tok.left_edge.i, tok.i + 1)
    while end in subtree and end != tok.i and not _name_word(doc[end]) and doc[end].dep_ in ("compound", "amod"):
        end -= 1  # "Kawkab army base"
    i = end
    while i in subtree and (_name_word(doc[i]) or _joined(doc[i])):
        i -= 1
    words = doc[i + 1 : end + 1]
    while len(words) and not words[0].text[:1].isupper() and not _joined(words[0]):
        words = words[1:]  # "Shiite-dominated Sadr city" -> "Sadr"
    if not len(words):
        return None
    return _strip_kind(words.text)


def _name_word(tok: Token) -> bool:
    ent = entity_at(tok)
    if ent is not None and ent.label_ in _NOT_PLACE_ENTS and not (ent.label_ == "NORP" and _is_city(tok.text)):
        return False  # "Iraqi", but not "Aleppo" mislabelled as a nationality
    return tok.pos_ == "PROPN" or (tok.pos_ == "ADJ" and tok.is_title and not tok.is_sent_start)


def _joined(tok: Token) -> bool:
    """A hyphen or a lowercase article inside a name: "al-Tijara", "Deir ez-Zor"."""
    doc = tok.doc
    if tok.text == "-":
        return tok.i > 0 and tok.i + 1 < len(doc) and _name_word(doc[tok.i + 1]) and not doc[tok.i - 1].is_punct
    return tok.is_lower and len(tok) <= 3 and tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-"


def _strip_kind(name: str) -> str:
    """ "the Aleppo province" -> "Aleppo"; "Oaxaca City" keeps its capital."""
    name = name.removeprefix("the ").removeprefix("The ").removesuffix("'s").removesuffix("\u2019s")
    first, _, last = name.rpartition(" ")
    return first if first and last in _KIND_NOUNS else name


def _is_city(name: str) -> bool:
    place = lookup(name)
    return place is not None and place.lat is not None


def _is_when(tok: Token) -> bool:
    ent = entity_at(tok)
    return ent is not None and ent.label_ in ("DATE", "TIME")


def _is_acronym(name: str) -> bool:
    return name.isupper() and len(name) <= 5


def _is_country_word(text: str, names: Gazetteer) -> bool:
    return any(e.kind == "country" for e in names.lookup(text))


def _is_actor_name(text: str, names: Gazetteer) -> bool:
    return any(e.kind in ("person", "org") for e in names.lookup(text))
