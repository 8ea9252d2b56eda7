"""The "rules" coder: triggers from the pattern lexicon, arguments from the dependency parse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Actor, Article, Event, Span, short_id
from .. import arguments
from ..patterns import Lexicon, Pattern, lexicon
from . import register

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from ...actors.resolve import ArticleActors

VERSION = "0.1.0"
# Generic codes that a more specific event in a purpose clause replaces ("reached out to X to warn it").
_GENERIC = {"010", "020", "040", "060", "030", "050"}
_REPORTING = {"say", "report", "tell", "state", "announce", "claim", "add", "confirm", "write", "note", "allege"}


class RulesCoder:
    name = "rules"
    version = VERSION

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()

    def code(self, article: Article, doc: Doc, actors: ArticleActors) -> list[Event]:
        events: list[Event] = []
        for index, sent in enumerate(doc.sents):
            events.extend(self._sentence(article, index, sent, actors))
        return events

    # -- one sentence --------------------------------------------------------------------------------------

    def _sentence(self, article: Article, index: int, sent: SpacySpan, actors: ArticleActors) -> list[Event]:
        lemmas = {t.lemma_.lower() for t in sent}
        found: list[tuple[Token, Event]] = []
        for tok in sent:
            for pat in self._candidates(tok):
                if lemmas & set(pat.context_not):
                    continue
                if not _trigger_fits(tok, pat):
                    continue
                event = self._event(article, index, sent, tok, pat, actors)
                if event is not None:
                    found.append((tok, event))
                    break
        return _prune(found)

    def _candidates(self, tok: Token) -> tuple[Pattern, ...]:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            return self.lex.by_verb.get(lemma, ())
        if tok.pos_ in ("NOUN", "PROPN") and not tok.ent_type_:
            return self.lex.by_noun.get(lemma, ()) or self.lex.by_noun.get(tok.lower_, ())
        return ()

    def _event(
        self, article: Article, index: int, sent: SpacySpan, tok: Token, pat: Pattern, actors: ArticleActors
    ) -> Event | None:
        if tok.pos_ in ("VERB", "AUX"):
            slots = arguments.verb_slots(tok, pat.target, pat.intermediary, pat.source)
        else:
            slots = arguments.noun_slots(tok, pat.target, pat.source, pat.intermediary)
        doc = tok.doc
        source = _gather(actors, doc, slots.source, set())
        if not any(a.country for a in source) and tok.pos_ in ("VERB", "AUX") and not _actor_subject(actors, tok):
            # a misparsed or abstract subject ("deploys anti-Semitism to attack X"): the nearest clause above
            # with an actor for a subject does it
            source = _ancestor_doer(actors, tok) or source
        src_ids = {a.id for a in source if a.id}
        exclude = {i for i in slots.source}
        target_heads = slots.target
        if not target_heads and tok.pos_ in ("VERB", "AUX") and not pat.object:
            # "discussed transit routes with Turkish officials": the partner attached to the object
            preps = tuple(r for r in pat.target if r not in ("dobj", "dative"))
            target_heads = tuple(
                o.i
                for obj in tok.children
                if obj.dep_ == "dobj"
                for t in obj.subtree
                for o in arguments.pobjs(t, preps)
            )
        if not target_heads and "dobj" in pat.target and tok.pos_ in ("VERB", "AUX"):
            # "demanded that the US cancel the visit", "urged Tokyo to ...": the subject of the complement
            target_heads = tuple(
                c.i
                for comp in tok.children
                if comp.dep_ in ("ccomp", "xcomp")
                for c in comp.children
                if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("PROPN", "NOUN")
            )
        if not target_heads and pat.object:
            # "floated the idea of building ties with Israel": the receiver inside the fixed object
            preps = tuple(r for r in pat.target if r not in ("dobj", "dative"))
            target_heads = tuple(
                o.i for obj in _objects(tok, pat.object_prep) for t in obj.subtree for o in arguments.pobjs(t, preps)
            )
        target = [
            a
            for a in _gather(actors, doc, target_heads, exclude)
            if not (a.id and a.id in src_ids and a.country is not None)
        ]
        via = _gather(actors, doc, slots.intermediary, exclude)
        if pat.symmetric and not target and len(source) > 1:
            source, target = source[:1], source[1:]  # "France and Germany signed an agreement"
        if pat.needs_source and not source:
            return None
        if pat.needs_target and not target:
            return None
        if not any(a.country for a in (*source, *target)):
            return None
        if pat.target_person and not any(_is_person(a) for a in target):
            return None
        if pat.target_named and not any(
            a.reason.startswith(("organisation", "country", "office holder", "named")) for a in target
        ):
            return None
        if pat.source_not_sectors and any(set(a.sectors) & set(pat.source_not_sectors) for a in source):
            return None
        code = pat.code
        if code in ("180", "1823") and any("MIL" in a.sectors for a in source):
            code = "190"  # killing by soldiers is conventional military force, not unconventional violence
        start, end = _trim(sent)
        trigger = Span(tok.text, tok.idx, tok.idx + len(tok.text))
        evidence = Span(actors.text[start:end], start, end)
        confidence = _confidence(pat, source, target, tok)
        eid = short_id(
            "e",
            article.id,
            index,
            code,
            trigger.start,
            "|".join(a.name for a in source),
            "|".join(a.name for a in target),
        )
        return Event(
            id=eid,
            article_id=article.id,
            sentence_index=index,
            evidence=evidence,
            trigger=trigger,
            cameo=code,
            source=tuple(source),
            target=tuple(target),
            intermediary=tuple(via),
            confidence=confidence,
            coder=self.name,
            coder_version=self.version,
            symmetric=pat.symmetric,
            pattern=pat.id,
        )


def _trigger_fits(tok: Token, pat: Pattern) -> bool:
    """Sense checks: particles and fixed objects of multiword triggers, required and forbidden prepositions."""
    children = list(tok.children)
    for verb in pat.verbs:
        words = verb.lower().split()
        if words[0] != tok.lemma_.lower():
            continue
        rest = words[1:]
        if all(any(c.lemma_.lower() == w or c.lower_ == w for c in _dependents(tok)) for w in rest):
            break
    else:
        if tok.pos_ in ("VERB", "AUX"):
            return False
    if pat.object:
        objs = _objects(tok, pat.object_prep)
        if not any(o.lemma_.lower() in pat.object or o.lower_ in pat.object for o in objs):
            return False
    if pat.not_object and any(o.lemma_.lower() in pat.not_object for o in _objects(tok, "")):
        return False
    preps = {c.lower_ for c in children if c.dep_ in ("prep", "agent", "dative")}
    preps |= {g.lower_ for c in children if c.dep_ == "prt" for g in c.children if g.dep_ == "prep"}
    if pat.prep and not preps & set(pat.prep):
        return False
    return not (pat.not_prep and preps & set(pat.not_prep))


def _actor_subject(actors: ArticleActors, tok: Token) -> bool:
    """The clause names its own doer ("as the opposition threatened"), even one without a country."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return (
                c.pos_ == "PRON"
                or bool(c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"))
                or actors.gaz.actor_noun([c.lemma_.lower()])
            )
    return False


def _ancestor_doer(actors: ArticleActors, tok: Token) -> list[Actor]:
    cur = tok
    for _ in range(4):
        if cur.head.i == cur.i or cur.dep_ not in ("ccomp", "advcl", "xcomp", "conj", "acl", "nsubj", "dobj"):
            return []
        if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in _REPORTING:
            return []  # never into a reporting clause: "Insurgents bombarded Aleppo, killing eight, media reported"
        cur = cur.head
        if cur.pos_ not in ("VERB", "AUX"):
            continue
        subj = arguments.subject_of(cur)
        if subj is not None:
            found = [a for a in actors.resolve(subj) if a.country]
            if found:
                return found
    return []


def _dependents(tok: Token) -> list[Token]:
    out = []
    for c in tok.children:
        out.append(c)
        if c.dep_ in ("dobj", "prep", "prt"):
            out.extend(c.children)
    return out


def _objects(tok: Token, prep: str) -> list[Token]:
    if prep:
        return [
            g
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ == prep
            for g in c.children
            if g.dep_ in ("pobj", "pcomp")
        ]
    if tok.pos_ in ("NOUN", "PROPN"):
        return [c for c in tok.children if c.dep_ in ("compound", "amod")] + arguments.pobjs(tok, ("of",))
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
    return objs + [c for o in objs for c in o.children if c.dep_ == "conj"]


def _gather(actors: ArticleActors, doc: Doc, heads: tuple[int, ...], exclude: set[int]) -> list[Actor]:
    out: list[Actor] = []
    for i in heads:
        if doc[i].ent_type_ in ("DATE", "TIME"):
            continue  # "met with Assad Tuesday": a day is no one's receiver
        for a in actors.resolve(doc[i], exclude):
            if all((a.start, a.end, a.country) != (b.start, b.end, b.country) for b in out):
                out.append(a)
    return out


def _is_person(a: Actor) -> bool:
    return (
        bool(a.id and a.id.startswith("person:"))
        or a.reason == "pronoun"
        or (a.country is not None and a.name[:1].isupper() and " " in a.name and not a.reason.startswith("country"))
    )


def _trim(sent: SpacySpan) -> tuple[int, int]:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return start, end


def _confidence(pat: Pattern, source: list[Actor], target: list[Actor], tok: Token) -> float:
    score = pat.confidence
    score += 0.1 if any(a.country for a in source) else -0.15
    if target:
        score += 0.1 if any(a.country for a in target) else -0.1
    if any(a.reason == "pronoun" for a in (*source, *target)):
        score -= 0.05
    if tok.pos_ in ("NOUN", "PROPN"):
        score -= 0.05
    return round(max(0.05, min(0.95, score)), 2)


def _prune(found: list[tuple[Token, Event]]) -> list[Event]:
    """One event per action: a generic trigger gives way to its purpose clause; repeats of a dyad merge."""
    drop: set[int] = set()
    for i, (tok_a, ev_a) in enumerate(found):
        if ev_a.cameo not in _GENERIC:
            continue
        for j, (tok_b, ev_b) in enumerate(found):
            if i != j and tok_b.head.i == tok_a.i and tok_b.dep_ in ("advcl", "xcomp") and ev_b.cameo not in _GENERIC:
                drop.add(i)
    out: list[Event] = []
    kept: dict[tuple[str, frozenset[str | None], frozenset[str | None]], Token] = {}
    for i, (tok, ev) in enumerate(found):
        if i in drop:
            continue
        key = (
            ev.cameo_root,
            frozenset(a.country for a in ev.source),
            frozenset(a.country for a in ev.target),
        )
        first = kept.get(key)
        # "attacked X, calling him Y" is one act told twice; "visited X and met Y" are two
        if first is not None and not _coordinated(first, tok):
            continue
        kept.setdefault(key, tok)
        out.append(ev)
    return out


def _coordinated(a: Token, b: Token) -> bool:
    return (
        (b.dep_ == "conj" and b.head.i == a.i)
        or (a.dep_ == "conj" and a.head.i == b.i)
        or (a.dep_ == "conj" and b.dep_ == "conj" and a.head.i == b.head.i)
    )


@register("rules")
def _factory() -> RulesCoder:
    return RulesCoder()
