"""The "rules" coder: triggers from the pattern lexicon, arguments from the dependency parse."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ...actors.resolve import NOT_STATES
from ...model import AT_HOME, Actor, Article, Event, Span, short_id
from ...nlp import sentences
from ...vocabulary import wordlist
from .. import arguments, modality
from ..patterns import Lexicon, ObjectPattern, Pattern, lexicon, object_patterns, triggers
from .registry import register

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from ...actors.gazetteer import Gazetteer
    from ...actors.resolve import ArticleActors
    from ...context import Context

VERSION = "0.1.0"
# Generic codes that a more specific event in a purpose clause replaces ("reached out to X to warn it").
_GENERIC = {"010", "020", "040", "060", "030", "050"}
_REPORTING = wordlist("reporting_verbs")
INTENT = wordlist("commitment_verbs")
_COMPLEMENT = ("xcomp", "ccomp")
_OTHER_CLAUSE = {"nsubj", "nsubjpass", "csubj", "ccomp", "advcl", "relcl", "conj", "parataxis", "xcomp", "acl"}
_INTO = ("into", "to", "in")
_NOT_OWNED = wordlist("not_owned_nouns")
_PARTITIVE = wordlist("partitive_words")
_PARTNER = ("to", "with", "against", "on", "from")
_TO_OBJECT = wordlist("to_object_verbs")


class RulesCoder:
    name = "rules"
    version = VERSION

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()
        self.broad = triggers()
        self.objects = object_patterns()
        # every word that can start an event, or name an act told of: a token with none of these as its lemma or
        # form is passed over at once (most tokens of a sentence)
        self.words = frozenset(
            {*self.lex.by_verb, *self.lex.by_noun, *(lemma for lemma, _ in self.broad), *self.objects, *_ACT_KINDS}
        )

    def code(self, ctx: Context) -> list[Event]:
        article, doc, actors = ctx.article, ctx.doc, ctx.actors
        events: list[Event] = []
        told: list[tuple[str, tuple[Actor, ...]]] = []  # (kind of act, its parties), in the order told
        for index, sent in enumerate(sentences(doc)):
            events.extend(self._sentence(article, index, sent, actors, told))
        return events

    # -- one sentence --------------------------------------------------------------------------------------

    def _sentence(
        self,
        article: Article,
        index: int,
        sent: SpacySpan,
        actors: ArticleActors,
        told: list[tuple[str, tuple[Actor, ...]]] | None = None,
    ) -> list[Event]:
        found: list[tuple[Token, Event]] = []
        by_token: dict[int, Event] = {}
        words = self.words
        triggers = [t for t in sent if t.lemma_.lower() in words or t.lower_ in words]
        # deepest tokens first, so that an intent verb sees the event of its complement clause
        depth = _depths(sent) if triggers else {}
        for tok in sorted(triggers, key=lambda t: (-depth[t.i], t.i)):
            candidates = self._candidates(tok)
            if not candidates:
                continue
            inherited = _complement_targets(tok, by_token)
            purpose = _purpose_targets(tok, by_token)
            fitting: list[tuple[int, int, Pattern]] = []
            lemmas = _context(tok) if any(p.context_not for p in candidates) else set()
            for order, pat in enumerate(candidates):
                if lemmas & set(pat.context_not):
                    continue
                verb = _match(tok, pat)
                if verb is None:
                    continue
                fitting.append((-pat.specificity_for(verb), order, pat))
            for _, _, pat in sorted(fitting, key=lambda f: (f[0], f[1])):
                event = self._event(article, index, sent, tok, pat, actors, inherited, purpose)
                if event is not None:
                    found.append((tok, event))
                    by_token[tok.i] = event
                    break
        taken = {tok.i for tok, _ in found}
        for tok in triggers:
            # "denied the reports, calling them false": a participle that glosses a coded act is that act
            gloss = tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp") and tok.head.i in taken
            if tok.i not in taken and not gloss:
                event = self._broad(article, index, sent, tok, actors)
                if event is not None:
                    found.append((tok, event))
        found.sort(key=lambda pair: pair[0].i)
        pairs = _prune_pairs(found)
        if told is not None:
            # the parties each act noun names itself: "the Turkish-Libyan border agreement", "talks between X and Y"
            named = {tok.i: _named_parties(tok, actors.gaz) for tok in triggers if tok.pos_ == "NOUN" and _kind(tok)}
            pairs = [(tok, _told_before(tok, ev, told, named)) for tok, ev in pairs]
            told.extend((kind, _parties(ev)) for tok, ev in pairs if (kind := _kind(tok)))
            # an act named with its parties is told of too, coded or not
            doc = sent.doc
            told.extend((kind, parties) for i, parties in named.items() if len(parties) > 1 and (kind := _kind(doc[i])))
        # an act aimed at no one we can place ("committed itself to green energy", "the sanctions", "EU sanctions") says
        # nothing about a relation: on the dev articles such events were never a coder's event
        aimed = [_at_home(tok, one) for tok, ev in pairs for one in _per_pair(ev, sent.doc)]
        return [e for e in aimed if any(a.country for a in e.target)]

    def _candidates(self, tok: Token) -> tuple[Pattern, ...]:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            return self.lex.by_verb.get(lemma, ())
        if tok.pos_ in ("NOUN", "PROPN") and not tok.ent_type_:
            return self.lex.by_noun.get(lemma, ()) or self.lex.by_noun.get(tok.lower_, ())
        return ()

    def _event(
        self,
        article: Article,
        index: int,
        sent: SpacySpan,
        tok: Token,
        pat: Pattern,
        actors: ArticleActors,
        inherited: tuple[Actor, ...] = (),
        purpose: tuple[Actor, ...] = (),
    ) -> Event | None:
        """The event a reviewed pattern codes at `tok`: its slots, the doer, the receiver (by the ranked strategies
        of _Aim), then the pattern's conditions on both."""
        slots = _slots(tok, pat)
        source = _doers(actors, tok, pat, slots)
        aim = _Aim(actors, tok, pat, source, slots)
        source, target = aim.sides(inherited, purpose)
        via = _gather(actors, tok.doc, slots.intermediary, aim.exclude)
        if pat.symmetric and not target and len(source) > 1:
            source, target = source[:1], source[1:]  # "France and Germany signed an agreement"
        if not source and slots.passive and _by_authorities(pat.code) and actors.story:
            # "his wife was taken into custody": the authorities of the story's country, as in the broad layer
            source = [_stand_in(tok, actors.story, "authorities (unnamed)", ("GOV",))]
        if not source and not slots.source and pat.code[:2] in _VIOLENCE and any(a.country for a in target):
            # "involved in the assassination of General X": violence whose doer the text leaves unnamed is kept,
            # its doer unknown, as in the broad layer
            source = [_stand_in(tok, None, "doer not named", ())]
        if not _accepted(pat, source, target):
            return None
        code = pat.code
        if pat.complement_aux and pat.code[:2] == "10" and _own_side(source, target):
            code = "010"  # "Johnson stated that Britain must leave": what a side says it must do is its statement
        if tok.pos_ in ("VERB", "AUX"):
            code = modality.recode(code, tok)  # "will withdraw" is an intent, "will not accept" a refusal
        confidence = _confidence(pat, source, target, tok)
        return self._made(article, actors.text, index, sent, tok, code, (source, target, via), confidence, pat)

    def _made(
        self,
        article: Article,
        text: str,
        index: int,
        sent: SpacySpan,
        tok: Token,
        code: str,
        sides: tuple[list[Actor], list[Actor], list[Actor]],
        confidence: float,
        pat: Pattern,
    ) -> Event:
        """The event record of a trigger: the whole sentence as evidence, an id stable across runs."""
        source, target, via = sides
        code = _force_code(code, source)
        start, end = _trim(sent)
        trigger = Span(tok.text, tok.idx, tok.idx + len(tok.text))
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
            evidence=Span(text[start:end], start, end),
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

    # -- the broad layer ------------------------------------------------------------------------------------

    def _broad(self, article: Article, index: int, sent: SpacySpan, tok: Token, actors: ArticleActors) -> Event | None:
        """A trigger no reviewed pattern took, from the broad table, with arguments by a ranked list of strategies.

        Doer: the subject (or the agent of a passive); receiver: the object, the passive subject or a partner
        preposition, else whose the object is. A side the text leaves unnamed takes the other side's country for
        acts a state does at home (arrests, rulings, bans, statements about its own politics), the story's country
        for a passive arrest or charge with no agent, and stays empty for violence by an unnamed doer."""
        pos = "VERB" if tok.pos_ == "VERB" and tok.dep_ not in ("amod", "compound") else ""  # not "Israeli-occupied"
        pos = pos or ("NOUN" if tok.pos_ == "NOUN" and not tok.ent_type_ and tok.dep_ != "compound" else "")
        lemma = tok.lemma_.lower()
        naming = self.broad.get((lemma, "NAMING")) if pos == "VERB" else None
        entry = self.broad.get((lemma, pos)) if pos else None
        if pos == "VERB" and (entry is None or not entry[1]) and lemma in self.objects:
            # "filed a lawsuit", "claimed the attack", "took him into custody": the generated pattern whose
            # object words the verb's own arguments hold says more than the verb's default
            entry = _object_code(tok, self.objects[lemma]) or entry
        if entry is None and naming is None:
            return None  # most tokens: no table lookup hit, so no parse walk
        verdict = [c for c in tok.children if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")]
        naming = naming if verdict else None
        entry = naming or entry
        if entry is None:
            return None
        code, ours = entry
        if naming is not None and any(t.lemma_.lower() in _LIKELIHOOD for v in verdict for t in v.subtree):
            return None  # "called it unlikely that the EU would pay": an expectation, no verdict on anyone
        if not ours and code[:2] in _VIOLENCE and _context(tok) & _ELECTORAL:
            return None  # "was defeated in Dunbartonshire East by an SNP candidate": a contest, not force
        if naming is not None and code.startswith("11") and _praise(verdict):
            code = "051"  # "called Biden a decent man"
        doc = tok.doc
        if pos == "VERB" and lemma in _ERGATIVE and not _acted_on(tok):
            return None  # "some museums and courts have shut": the subject is what closed, no one closed it
        if pos == "VERB":
            slots = arguments.verb_slots(tok, _BROAD_TARGET, ("via", "through"), ("by",))
        else:
            slots = arguments.noun_slots(tok, _BROAD_TARGET, ("by", "from"), ("via", "through"))
        if pos == "NOUN" and any(doc[i] not in tok.subtree for i in slots.source) and tok.head.lemma_ not in _LIGHT:
            return None  # "took part in the killing": a noun names its doer itself, or hangs from a light verb
        source = _gather(actors, doc, slots.source, set())
        if not any(a.country for a in source) and pos == "VERB" and not slots.passive and not slots.source and ours:
            source = _ancestor_doer(actors, tok) or source
        src_ids = {a.id for a in source if a.id}
        exclude = set(slots.source)
        target = [a for a in _gather(actors, doc, slots.target, exclude) if not (a.id and a.id in src_ids)]
        symmetric = code[:2] in ("04", "05", "06", "19")
        if symmetric and not slots.target and len({a.country for a in source if a.country}) > 1:
            source, target = source[:1], source[1:]  # "Obama and Putin will meet"
        if not any(a.country for a in target):
            owners = tuple(t.i for i in slots.target for t in _owner(doc[i]))
            target = [a for a in _gather(actors, doc, owners, exclude) if not (a.id and a.id in src_ids)] or target
        src_country = next((a.country for a in source if a.country), None)
        tgt_country = next((a.country for a in target if a.country), None)
        root = code[:2]
        if not ours and (src_country is None or tgt_country is None):
            return None  # a generated verb's default code holds only between two named sides
        if src_country is None and not slots.source and _by_authorities(code) and actors.story:
            # "five people were arrested", "he was charged with": the authorities of the story's country
            source = [_stand_in(tok, actors.story, "authorities (unnamed)", ("GOV",))]
            src_country = actors.story
        if src_country is None and root == "14" and pos == "NOUN" and actors.story and not _in_protest(tok):
            # "a Black Lives Matter protest had taken place", "weeks of protests against the bill": protesters the
            # text does not place are people of the story's country
            source = [_stand_in(tok, actors.story, "protesters of the story's country", ("CVL",))]
            src_country = actors.story
        if src_country is None and tgt_country is None:
            return None
        if src_country is None and (root not in _UNNAMED_DOER or slots.source):
            return None  # a doer the text names but we cannot place is not an unnamed one
        if src_country is None:
            # "a bomb killed five", "the base was hit by rockets": the doer is kept, unnamed
            source = [_stand_in(tok, None, "doer not named", ())]
        if tok.pos_ == "VERB":
            code = modality.recode(code, tok)
        kept = [a for a in source if a.country or a.reason == "doer not named"]
        confidence = 0.45 if pos == "VERB" else 0.4
        broad = Pattern(f"broad:{lemma}", code, symmetric=symmetric)
        return self._made(article, actors.text, index, sent, tok, code, (kept, target, []), confidence, broad)


def _in_protest(tok: Token) -> bool:
    """ "in protest at", "in protest against": the purpose of another act, not a protest of its own."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "as")


# The broad layer's receivers: the object and the partner prepositions.
_BROAD_TARGET = ("dobj", "against", "on", "at", "with", "to", "toward", "towards", "upon")
# Roots a state's authorities do with no named agent ("were arrested", "was charged", "were expelled").
_AUTHORITY_CODES = ("17", "116")  # coercion (arrests, charges, bans) and convictions: done by a state's organs


def _by_authorities(code: str) -> bool:
    """Whether an agentless passive of this code ("five were arrested", "he was convicted") is the authorities'."""
    return code.startswith(_AUTHORITY_CODES)


_LIGHT = wordlist("light_verbs")
_ERGATIVE = wordlist("ergative_verbs")
_ELECTORAL = wordlist("electoral_words")
_LIKELIHOOD = wordlist("likelihood_words")


def _acted_on(verb: Token) -> bool:
    """The verb has an object, or is a passive: someone did it to something."""
    return arguments.is_passive(verb) or any(c.dep_ in ("dobj", "attr", "oprd") for c in verb.children)


# Roots coded with the doer unknown ("a bomb killed five", "the base was hit by rockets").
_UNNAMED_DOER = {"18", "19", "20", "15"}
_VIOLENCE = ("18", "19", "20")  # of those, the acts whose reviewed patterns keep an unnamed doer too


_PRAISE = wordlist("praise_words")


def _praise(verdict: list[Token]) -> bool:
    return any(t.lemma_.lower() in _PRAISE for v in verdict for t in v.subtree)


# Nouns (and the verbs that tell the same acts) by kind of act, for "the agreement" or "the talks" that an article
# told of before: "Turkey and Libya signed a maritime deal ... Greece denounced the agreement".
_ACT_KINDS = {
    **dict.fromkeys(
        "agreement deal accord pact treaty memorandum memoranda arrangement ceasefire truce sign agree".split(),
        "agreement",
    ),
    **dict.fromkeys(
        "talks contacts contact meeting summit negotiations dialogue meet negotiate discuss gather convene conclusions "
        "communique".split(),
        "talks",
    ),
    **dict.fromkeys("attack strike airstrike bombing raid assault shelling attack bomb shell".split(), "attack"),
}
_DEFINITE = wordlist("definite_determiners")


def _kind(tok: Token) -> str | None:
    """The kind of act a word names, by lemma or form ("talks", whose lemma is "talk")."""
    return _ACT_KINDS.get(tok.lemma_.lower()) or _ACT_KINDS.get(tok.lower_)


def _told_before(
    tok: Token, ev: Event, told: list[tuple[str, tuple[Actor, ...]]], named: dict[int, tuple[Actor, ...]]
) -> Event:
    """An act aimed at "the agreement", "the contacts" or "the attack" the article told of before is aimed at
    that act's parties, not at no one (and so not at the doer's own country); one that names its parties
    ("the Turkey-Libya deal") at those."""
    own = {a.country for a in ev.source}

    def parties_named(act: Token) -> tuple[Actor, ...]:
        return tuple(a for a in named.get(act.i, ()) if a.country not in own)

    if (
        tok.tag_ == "VBG"
        and tok.dep_ in ("advcl", "xcomp")
        and any(c.dep_ == "dobj" and c.lower_ in ("it", "this") for c in tok.children)
    ):
        # "commented on the Turkish-Libyan agreement, calling it void": "it" is the act its head verb names
        heard = [*tok.head.children, *(g for c in tok.head.children if c.dep_ == "prep" for g in c.children)]
        parties = next((p for act in heard if (p := parties_named(act))), ())
        if parties:
            return replace(ev, target=parties)
    if any(a.country for a in ev.target):
        return ev
    if tok.pos_ in ("VERB", "AUX"):
        objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "oprd")]
        # "denounced the conclusions of the summit"
        objects += [g for o in objects for g in arguments.pobjs(o, ("of",))]
    else:
        objects = [tok]  # "Italy's minister joined the talks as an observer": the talks told before
    for obj in objects:
        kind = _kind(obj)
        if kind is None or obj.pos_ != "NOUN":
            continue
        parties = parties_named(obj)
        if parties:
            return replace(ev, target=parties)
        if not any(c.dep_ == "det" and c.lower_ in _DEFINITE or c.dep_ == "poss" for c in obj.children):
            continue
        # the last such act told with both its sides, else the last told at all
        same = [parties for earlier_kind, parties in reversed(told) if earlier_kind == kind]
        if same:
            parties = min(same, key=lambda p: len(p) < 2)
            others = tuple(
                _stand_in(obj, a.country, "the parties of the act told before", ())
                for a in parties
                if a.country not in own
            )
            return replace(ev, target=others) if others else ev
    return ev


def _named_parties(act: Token, gaz: Gazetteer) -> tuple[Actor, ...]:
    """The states an act's own noun phrase names as its parties: "the Turkish-Libyan agreement", "the Turkey-Libya
    deal", "the memoranda of understanding between Turkey and Libya"."""
    words = [t for t in act.lefts for t in t.subtree]
    between = [
        p for t in act.subtree if t.dep_ == "prep" and t.lower_ == "between" for p in t.subtree if p.dep_ != "prep"
    ]
    found: dict[str, Actor] = {}
    for t in (*words, *between):
        if t.ent_type_ not in ("GPE", "NORP", "") or not t.text[:1].isupper():
            continue
        # an ambiguous name ("Turkey", "Jordan") is the state where the tagger reads a place
        entry = next(
            (e for e in gaz.lookup(t.text) if e.kind == "country" and (not e.ambiguous or t.ent_type_ == "GPE")),
            None,
        )
        if entry is not None and entry.country and entry.country not in found:
            found[entry.country] = _stand_in(t, entry.country, "a party the act's own phrase names", ())
    return tuple(found.values())


def _parties(ev: Event) -> tuple[Actor, ...]:
    """The named sides of an act, one actor per country, stand-ins left out."""
    out: dict[str, Actor] = {}
    for a in (*ev.source, *ev.target):
        if a.country and a.country not in out and not a.reason.startswith(("no receiver", "authorities")):
            out[a.country] = a
    return tuple(out.values())


def _stand_in(tok: Token, country: str | None, why: str, sectors: tuple[str, ...]) -> Actor:
    """An actor the text implies but does not name, placed on the trigger."""
    return Actor(
        name=country or "unnamed",
        country=country,
        sectors=sectors,
        text=tok.text,
        start=tok.idx,
        end=tok.idx + len(tok.text),
        id=None,
        reason=why,
    )


def _slots(tok: Token, pat: Pattern) -> arguments.Slots:
    """Where the pattern's sides sit around the trigger, a verb's or a noun's."""
    if tok.pos_ in ("VERB", "AUX"):
        slots = arguments.verb_slots(tok, pat.target, pat.intermediary, pat.source)
        if pat.inverse:
            objs = _objects(tok, pat.object_prep)
            # "received assurances from the government" hangs the giver on the object; "received U.S. aid"
            # names it as the object's nationality
            givers = (
                arguments.pobjs(tok, pat.source)
                or [g for o in objs for g in arguments.pobjs(o, pat.source)]
                or [g for o in objs if _word_in(o, pat.object) for g in _nationality(o, ("NORP", "GPE", "ORG"))]
            )
            giver = tuple(o.i for o in givers)
            slots = arguments.Slots(giver, slots.source, slots.intermediary, slots.passive)
    else:
        slots = arguments.noun_slots(tok, pat.target, pat.source, pat.intermediary, joint=pat.symmetric)
    return slots


def _doers(actors: ArticleActors, tok: Token, pat: Pattern, slots: arguments.Slots) -> list[Actor]:
    doc = tok.doc
    source = _gather(actors, doc, slots.source, set())
    if (
        not any(a.country for a in source)
        and tok.pos_ in ("VERB", "AUX")
        and not pat.inverse
        and not _actor_subject(actors, tok)
    ):
        # a misparsed or abstract subject ("deploys anti-Semitism to attack X"): the nearest clause above
        # with an actor for a subject does it
        source = _ancestor_doer(actors, tok) or source
    return source


class _Aim:
    """Who a reviewed pattern's event is aimed at: its own receiver slots first, then, while none is found, a
    ranked list of strategies (each with the sentence it was written for)."""

    def __init__(
        self, actors: ArticleActors, tok: Token, pat: Pattern, source: list[Actor], slots: arguments.Slots
    ) -> None:
        self.actors, self.tok, self.pat, self.source, self.slots = actors, tok, pat, source, slots
        self.doc = tok.doc
        self.src_ids = {a.id for a in source if a.id}
        self.exclude = {i for i in slots.source}
        self.preps = tuple(r for r in pat.target if r not in ("dobj", "dative"))  # the receiver's prepositions

    def others(self, heads: tuple[int, ...] | list[Actor]) -> list[Actor]:
        """Receivers that are not the doer itself."""
        found = _gather(self.actors, self.doc, heads, self.exclude) if isinstance(heads, tuple) else heads
        return [a for a in found if not (a.id and a.id in self.src_ids and a.country is not None)]

    def heads(self) -> tuple[int, ...]:
        """The receiver's head tokens as the pattern places them."""
        tok, pat, slots, actors, doc = self.tok, self.pat, self.slots, self.actors, self.doc
        src_ids, exclude, preps = self.src_ids, self.exclude, self.preps
        target_heads = slots.target
        if pat.complement_aux:
            # the one who must act is the receiver of the demand, not whoever was told about it
            target_heads = (
                tuple(g.i for c in obliged(tok, pat.complement_aux) for g in arguments.clause_subjects(c))
                or target_heads
            )
        if not target_heads and tok.pos_ in ("VERB", "AUX") and not pat.object:
            # "discussed transit routes with Turkish officials": the partner attached to the object
            target_heads = _inside(tuple(c for c in tok.children if c.dep_ == "dobj"), preps)
        if not target_heads and "dobj" in pat.target and tok.pos_ in ("VERB", "AUX") and not _own_infinitive(tok):
            # "demanded that the US cancel the visit", "urged Tokyo to ...": the subject of the complement
            target_heads = tuple(
                c.i
                for comp in tok.children
                if comp.dep_ in ("ccomp", "xcomp")
                for c in comp.children
                if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("PROPN", "NOUN")
            )
        if not target_heads and pat.object:
            # "rejected a U.S. request to question detainees held by X", "dismissed an appeal from X": whoever made
            # the fixed object, else "floated the idea of building ties with Israel": the receiver inside it
            objs = _objects(tok, pat.object_prep)
            owners = tuple(
                t.i
                for o in objs
                if _word_in(o, pat.object)
                for t in (
                    [c for c in o.children if c.dep_ == "poss"]
                    + arguments.pobjs(o, preps)
                    + _nationality(o, ("NORP", "GPE", "ORG"))
                    + _makers(o, tok)
                )
            )
            if any(not (a.id and a.id in src_ids) for a in _gather(actors, doc, owners, exclude)):
                target_heads = owners
            else:
                target_heads = _inside(tuple(objs), preps)

        return target_heads

    def sides(self, inherited: tuple[Actor, ...], purpose: tuple[Actor, ...]) -> tuple[list[Actor], list[Actor]]:
        """The doers and receivers: the receiver slots, then each strategy in turn while no receiver is found."""
        tok, pat, doc, preps, others = self.tok, self.pat, self.doc, self.preps, self.others
        source = self.source
        target_heads = self.heads()
        target = others(target_heads)
        groups = _by_country(tuple(source))
        if pat.symmetric and not target and len(groups) > 1:
            # "the ministers of Egypt, Greece and France gathered to discuss the Turkish-Libyan deal": the parties
            # meet each other; what they discuss is a topic, not a partner
            source, target = list(groups[0]), [a for g in groups[1:] for a in g]
        if pat.code[:2] == "14":
            # "staged a hunger strike in protest against abuses by the army", "blocked streets in Hong Kong in
            # defiance of the authorities": what is protested or defied, else whose it is, before any place
            protested = [
                o
                for p in arguments.pobjs(tok, ("in",))
                if p.lemma_.lower() in ("protest", "defiance")
                for o in arguments.pobjs(p, ("against", "of", "at", "over"))
            ]
            target = (
                others(tuple(o.i for o in protested))
                or others(tuple(t.i for o in protested for t in _owner(o)))
                or target
            )
        if not target and target_heads and tok.pos_ in ("VERB", "AUX"):
            # "extend the curfew in Abidjan in response to ...": the verb's own phrase named no one, the object's does
            target = others(_inside(tuple(_objects(tok, pat.object_prep)), preps))
        if not target and target_heads:
            # "captured the town of Goma", "denounced Serbia's suppression", "fired at targets in Jericho", "cut
            # off electricity to the Azerbaijani republic": the object names no actor, so the receiver is its
            # possessor, its of-phrase, its nationality or its place
            target = others(tuple(t.i for i in target_heads for t in _owner(doc[i])))
        if not target and tok.pos_ in ("VERB", "AUX"):
            # "opposed French mediation", "rejected an Australian ultimatum", "agreed to US mediation": whose the
            # object is
            objs = [o for o in _objects(tok, pat.object_prep) if not pat.object or _word_in(o, pat.object)]
            if not objs and tok.lemma_.lower() in _TO_OBJECT:
                objs = arguments.pobjs(tok, ("to",))
            target = others(
                tuple(
                    t.i
                    for o in objs
                    for t in [c for c in o.children if c.dep_ == "poss"] or _nationality(o, ("NORP", "GPE", "ORG"))
                )
            )
        if not target and inherited:
            # "threatened to break off relations with Congo": the receiver of what is threatened
            target = others(list(inherited))
        lent: list[Token] = []  # what a complement clause acts on, when the clause itself coded nothing
        if not target and tok.pos_ in ("VERB", "AUX"):
            # "agreed to lift the blockade on Eritrea", the complement coded nothing: its object or partner
            lent = [
                t
                for c in _lending(tok)
                for o in [x for x in c.children if x.dep_ in ("dobj", "dative")] + arguments.pobjs(c, _PARTNER)
                for t in [o, *arguments.pobjs(o, _PARTNER)]
            ]
            target = others(tuple(t.i for t in lent))
        if not target and tok.pos_ in ("VERB", "AUX"):
            # "threatened to shell Iraqi towns", "to resume attacks in Israel", "refused to commit to assistance to
            # the US-led war": whose or where the complement's object is
            target = others(
                tuple(t.i for c in _lending(tok) for o in c.children if o.dep_ == "dobj" for t in _owner(o))
            ) or others(tuple(t.i for o in lent if o.dep_ == "pobj" for t in _owner(o)))
        if not target and pat.object and tok.pos_ in ("VERB", "AUX"):
            # "renewed its demand that Israel lift the closure": whoever the fixed object's clause says must act
            clauses = [
                c
                for c in [*tok.children, *(x for o in _objects(tok, pat.object_prep) for x in o.children)]
                if c.dep_ in ("ccomp", "acl") and c.pos_ in ("VERB", "AUX")
            ]
            subjects = tuple(g.i for c in clauses for g in c.children if g.dep_ in arguments.SUBJ | arguments.PASS_SUBJ)
            target = others(subjects)
            if subjects and {a.country for a in target} <= {a.country for a in source}:
                # "denied reports that it had pressed Ankara": the clause is the doer's own act, so its receiver
                # is the one the statement is about
                target = (
                    others(tuple(o.i for c in clauses for o in [*_objects(c, ""), *arguments.pobjs(c, _PARTNER)]))
                    or target
                )
        if not target and "for" in pat.prep:
            # "called for NATO members to increase spending": whom the appeal wants to act
            target = others(
                tuple(
                    g.i
                    for c in tok.children
                    if _for_clause_mark(c)
                    for g in c.children
                    if g.dep_ in arguments.SUBJ | arguments.PASS_SUBJ
                )
            )
        if not any(a.country for a in target) and purpose:
            # "opened the bridge to allow deliveries to Afghanistan", "began a hunger strike to protest X's
            # policy": the receiver of what the act is for
            target = others(list(purpose)) or target
        if (
            not any(a.country for a in target)
            and tok.pos_ in ("VERB", "AUX")
            and modality.recode(pat.code, tok).startswith("13")
        ):
            # "threatened to strike unless Israel withdraws": a threat is aimed at whoever must meet its condition
            target = others(tuple(s.i for s in _condition_subjects(tok))) or target
        if not target and pat.code[:2] >= "10":
            # "mobilized reservists for a war against Iraq": a hostile act's "against" names its receiver
            # ("engaged in ethnic cleansing against X": on the light verb of a nominal act)
            scope = _phrase(tok) + ([tok.head] if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "pobj" else [])
            scope += [tok.head.head] if tok.dep_ == "pobj" and tok.head.head.pos_ in ("VERB", "AUX") else []
            target = others(tuple(o.i for t in scope for o in arguments.pobjs(t, ("against",))))
        return source, target


def _own_side(source: list[Actor], target: list[Actor]) -> bool:
    """Every receiver is the doer's own state, named as a state ("Johnson said Britain must leave"), not a part of
    it a doer may make demands on ("activists said Abbas must resign")."""
    own = {a.country for a in source if a.country}
    named = [a for a in target if a.country]
    return bool(own and named) and all(a.country in own and a.id == f"country:{a.country}" for a in named)


def _accepted(pat: Pattern, source: list[Actor], target: list[Actor]) -> bool:
    """The pattern's conditions on the sides it found."""
    if pat.needs_source and not source:
        return False
    if pat.needs_target and not target:
        return False
    if not any(a.country for a in (*source, *target)):
        return False
    if pat.target_person and not any(_is_person(a) for a in target):
        return False
    if pat.target_named and not any(
        a.reason.startswith(("organisation", "country", "office holder", "named")) for a in target
    ):
        return False
    if pat.source_not_sectors and any(set(a.sectors) & set(pat.source_not_sectors) for a in source):
        return False
    return not pat.source_sectors or any(set(a.sectors) & set(pat.source_sectors) for a in source)


def _trigger_fits(tok: Token, pat: Pattern) -> bool:
    return _match(tok, pat) is not None


def _match(tok: Token, pat: Pattern) -> str | None:
    """Sense checks: particles and fixed objects of multiword triggers, required and forbidden prepositions.

    Returns the verb of the pattern that matched (the longest one: "refuse meet" before "refuse"), "" for a
    noun trigger, None when the pattern does not fit."""
    children = list(tok.children)
    matched: str | None = None
    if tok.pos_ in ("VERB", "AUX"):
        lemma = tok.lemma_.lower()
        near: set[str] | None = None
        for verb, words in pat.verbs_by_word.get(lemma, ()):
            if len(words) > 1 and near is None:
                near = {w for c in _dependents(tok) for w in (c.lemma_.lower(), c.lower_)}
                # "called the election for Biden", "called him on Friday": an object between the verb and its
                # preposition makes an ordinary preposition of it, not the particle of "call for" / "call on"
                first_obj = min((c.i for c in tok.children if c.dep_ == "dobj"), default=None)
                if first_obj is not None:
                    near -= {c.lower_ for c in tok.children if c.dep_ == "prep" and c.i > first_obj}
            if near is None or all(w in near for w in words[1:]):
                matched = verb
                break
        if matched is None:
            return None
    else:
        matched = ""
    if pat.object:
        objs = _objects(tok, pat.object_prep)
        # "on December 14 it was extended", "voted to lift it": the thing "it" stands for, told before
        objs += [r for o in objs if o.lower_ == "it" for r in arguments.referents(o)]
        if not any(_word_in(o, pat.object) for o in objs):
            return None
    if pat.not_object and any(_word_in(o, pat.not_object) for o in _objects(tok, "")):
        return None
    preps = {c.lower_ for c in children if c.dep_ in ("prep", "agent", "dative")}
    preps |= {m.lower_ for c in children for m in _for_clause_mark(c)}
    preps |= {g.lower_ for c in children if c.dep_ == "prt" for g in c.children if g.dep_ == "prep"}
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "dobj":
        # "opened a hearing into X": the parser hangs the noun's preposition on the light verb
        preps |= {c.lower_ for c in tok.head.children if c.dep_ == "prep" and c.i > tok.i}
    if pat.prep and not preps & set(pat.prep):
        return None
    if pat.complement_aux and not obliged(tok, pat.complement_aux):
        return None
    if pat.not_prep and preps & set(pat.not_prep):
        return None
    return matched


def obliged(tok: Token, auxes: tuple[str, ...]) -> list[Token]:
    """Clauses under tok that say what someone must do: "said that Sudan must return", "a reminder to Iraq that
    it must cooperate", "insisted Israel has to withdraw"."""
    out = []
    for c in tok.children:
        if c.dep_ not in ("ccomp", "acl", "relcl") or c.pos_ not in ("VERB", "AUX"):
            continue
        if c.dep_ == "relcl" and any(g.tag_ in ("WDT", "WP") for g in c.children):
            continue  # "a resolution which must ...": a relative clause, not the content of a demand
        modal = any(g.dep_ == "aux" and g.lower_ in auxes for g in c.children)
        # "has to withdraw": the obligation is carried by "have" with an infinitive
        modal = modal or ("have to" in auxes and c.lemma_ == "have" and any(g.dep_ == "xcomp" for g in c.children))
        if modal and any(g.dep_ in arguments.SUBJ | arguments.PASS_SUBJ for g in c.children):
            out.append(c)
    return out


def _context(tok: Token) -> set[str]:
    """The words that can change a trigger's sense: its own phrase and the words it hangs from ("withdrew from
    the race", "demanded their withdrawal"), not an unrelated clause of the same sentence, nor a time of day
    ("before 19:00 local time" is not "killing time")."""
    # nor a participle that only modifies a name ("Vietnamese-led forces" have not "taken the lead")
    words = {t.lemma_.lower() for t in tok.subtree if not _timely(t) and not (t.dep_ == "amod" and t.tag_ == "VBN")}
    words.update(t.lemma_.lower() for t in tok.ancestors)
    words.update(t.lemma_.lower() for t in tok.head.children if t.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"))
    return words


def _timely(t: Token) -> bool:
    """A word of a time expression: "19:00 local time", "Saturday evening"."""
    return t.ent_type_ in ("TIME", "DATE") or any(
        c.ent_type_ in ("TIME", "DATE") and c.dep_ == "nummod" for c in t.children
    )


def _inside(objs: tuple[Token, ...], preps: tuple[str, ...]) -> tuple[int, ...]:
    """Objects of `preps` anywhere inside the given objects: "discussed routes with Turkish officials"."""
    return tuple(o.i for obj in objs for t in obj.subtree for o in arguments.pobjs(t, preps))


def _nationality(tok: Token, kinds: tuple[str, ...] = ("NORP", "GPE")) -> list[Token]:
    """ "an Australian ultimatum", "the Azerbaijani republic": the country adjective of a noun (not of a
    language or a cuisine: "the Russian language" belongs to no state)."""
    if tok.lemma_.lower() in _NOT_OWNED:
        return []
    return [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.ent_type_ in kinds]


_MAKING = wordlist("making_verbs")


def _makers(thing: Token, verb: Token) -> list[Token]:
    """Who leads or made a thing that `verb` acts on: "the US-led coalition", "a coalition led by Saudi Arabia",
    "the United States announced a coalition ... which was joined by" (not the doer of `verb` itself: "launched
    artillery fire", "organized a strike")."""
    out = [
        g
        for c in thing.children
        if c.dep_ in ("amod", "acl") and c.lemma_.lower() in _MAKING
        for g in c.children
        if g.dep_ in ("npadvmod", "compound")
    ]
    out += [
        a for c in thing.children if c.dep_ == "acl" and c.lemma_.lower() in _MAKING and (a := arguments.agent_of(c))
    ]
    head = thing.head
    making = thing.dep_ == "dobj" and head.i != verb.i and head.lemma_.lower() in _MAKING
    if making and (maker := arguments.subject_of(head)) is not None:
        out.append(maker)
    return out


def _phrase(tok: Token) -> list[Token]:
    """tok's own phrase: its subtree without subordinate clauses, subjects or coordinated verbs."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ not in _OTHER_CLAUSE)
    return out


def _word_in(tok: Token, words: tuple[str, ...]) -> bool:
    """Lexicon words are written as news writes them, singular or plural ("troops", "force")."""
    lemma = tok.lemma_.lower()
    return lemma in words or tok.lower_ in words or lemma + "s" in words


def _depths(sent: SpacySpan) -> dict[int, int]:
    """Each token's distance from its sentence root, in one pass over the heads."""
    head = {t.i: t.head.i for t in sent}
    depth: dict[int, int] = {}
    for i in head:
        path: list[int] = []
        while i not in depth and head[i] != i and len(path) < 50:
            path.append(i)
            i = head[i]
        base = depth.get(i, 0)
        for n, j in enumerate(reversed(path), 1):
            depth[j] = base + n
        depth.setdefault(i, base)
    return depth


def _complements(tok: Token) -> list[Token]:
    """The verbs of an intent verb's complement clause, coordinated ones included."""
    if tok.lemma_.lower() not in INTENT or tok.pos_ not in ("VERB", "AUX"):
        return []
    out = []
    for c in tok.children:
        if c.dep_ in _COMPLEMENT and c.pos_ in ("VERB", "AUX"):
            out.append(c)
            out.extend(g for g in c.children if g.dep_ == "conj" and g.pos_ in ("VERB", "AUX"))
    return out


def _lending(tok: Token) -> list[Token]:
    """Complements whose receiver is the intent's receiver; not when the intent has an addressee of its own
    ("urged the EC to support the PLO": the EC is urged, whoever the PLO is)."""
    if any(c.dep_ in ("dobj", "dative") for c in tok.children):
        return []
    return _complements(tok)


def _complement_targets(tok: Token, by_token: dict[int, Event]) -> tuple[Actor, ...]:
    for c in _lending(tok):
        ev = by_token.get(c.i)
        if ev is not None and ev.target:
            return ev.target
    return ()


def _owner(tok: Token) -> list[Token]:
    """Whose or where a thing that names no actor is: "the town of Goma", "Serbia's suppression", "the US-led war",
    "reforms by the government", "Iraqi towns", "targets in Jericho", "power lines leading into Kabul", "crimes
    committed by X"."""
    return (
        [c for c in tok.children if c.dep_ == "poss"]
        # "the US-led war against Iraq": whoever leads it
        or [
            g
            for c in tok.children
            if c.dep_ == "amod" and c.lemma_ == "lead"
            for g in c.children
            if g.dep_ == "npadvmod"
        ]
        or arguments.pobjs(tok, ("by",))  # "violations by Algerian forces": the doer of the act
        or [g for o in arguments.pobjs(tok, ("of",)) for g in (o, *(c for c in o.children if c.dep_ == "conj"))]
        or _nationality(tok)
        or arguments.pobjs(tok, ("in", "inside", "near"))
        or [o for c in tok.children if c.dep_ == "acl" for o in arguments.pobjs(c, _INTO)]
        or [a for c in tok.children if c.dep_ == "acl" and (a := arguments.agent_of(c)) is not None]
    )


def _own_infinitive(tok: Token) -> bool:
    """tok has a to-infinitive of its own doer ("threatened to shell X"): a clause beside it is no "that" clause
    naming whom the demand is on."""
    return any(
        c.dep_ == "xcomp" and not any(g.dep_ in arguments.SUBJ | arguments.PASS_SUBJ for g in c.children)
        for c in tok.children
    )


def _purpose_targets(tok: Token, by_token: dict[int, Event]) -> tuple[Actor, ...]:
    """Receivers of the events coded in tok's purpose clauses ("opened the bridge to allow deliveries to X")."""
    if tok.pos_ not in ("VERB", "AUX"):
        return ()
    for c in tok.children:
        if c.dep_ != "advcl" or c.pos_ not in ("VERB", "AUX"):
            continue
        if not any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            continue
        ev = by_token.get(c.i)
        if ev is not None and ev.target:
            return ev.target
    return ()


def _condition_subjects(tok: Token) -> list[Token]:
    """Subjects of the "if"/"unless" clauses of tok or of its complement ("threatened to boycott the vote unless
    the president resigns")."""
    return [
        s
        for v in (tok, *_complements(tok))
        for c in modality.marked_clauses(v, modality.CONDITION)
        for s in arguments.clause_subjects(c)
    ]


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
        out.extend(_for_clause_mark(c))
    return out


def _for_clause_mark(c: Token) -> list[Token]:
    """ "called for NATO members to increase spending": the parser makes "for" the mark of a clause, not a prep."""
    return [m for m in c.children if m.dep_ == "mark" and m.lower_ == "for"] if c.dep_ == "advcl" else []


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
    if arguments.stative_subject(tok) is not None:  # "is opposed to French mediation": the object of the prep
        objs = [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ in ("pobj", "pcomp")]
    else:
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
        objs = [a for o in objs for a in arguments.antecedents(o)]  # "a coalition ... which was joined by X"
    # "suspended part of its aid program": the object is what the part is of
    objs += [
        g
        for o in objs
        if o.lemma_.lower() in _PARTITIVE or o.ent_type_ in ("MONEY", "QUANTITY", "CARDINAL")
        for g in arguments.pobjs(o, ("of", "in", "worth"))
    ]  # "$2 billion in aid", "tons of food"
    return objs + [c for o in objs for c in o.children if c.dep_ == "conj"]


def _gather(actors: ArticleActors, doc: Doc, heads: tuple[int, ...], exclude: set[int]) -> list[Actor]:
    out: list[Actor] = []
    for i in heads:
        tok = doc[i]
        if tok.lemma_.lower() in _NOT_OWNED:
            continue  # "restrictions on the Russian language": a language is nobody's receiver
        if tok.ent_type_ in ("DATE", "TIME"):
            # a day is no one's receiver, but "met with President Assad Tuesday" is parsed with the day as head
            named = [c for c in tok.children if c.dep_ == "compound" and c.ent_type_ not in ("DATE", "TIME")]
            if not named:
                continue
            tok = named[-1]
        found = actors.resolve(tok, exclude)
        if not found and tok.pos_ == "NOUN":
            # "Algerian landowners", "the Taliban religious faction": a head the tables do not know, named by a
            # nationality or an organisation in front of it
            found = [a for c in _nationality(tok, ("NORP", "GPE", "ORG")) for a in actors.resolve(c, exclude)] or [
                # "Ugandan opposition candidates" with the demonym tagged as a person's name
                a
                for c in tok.children
                if c.dep_ in ("amod", "compound", "nmod")
                for a in actors.resolve(c, exclude)
                if a.reason.startswith("country")
            ]
        for a in found:
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
    elif _unasserted(tok):
        # announced, negated or modal actions are coded right less often (their code depends on reading the
        # modality, and half of them are not events at all): on the PLOVER GSR about 4 in 10 against 8 in 10
        score -= 0.1
    return round(max(0.05, min(0.95, score)), 2)


_MODALS = wordlist("modals_with_contracted_would")


def _unasserted(tok: Token) -> bool:
    if modality.announced(tok) is not None:
        return True
    return any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _MODALS) for c in tok.children)


def _object_code(verb: Token, patterns: tuple[ObjectPattern, ...]) -> tuple[str, bool] | None:
    """The code of the most specific object pattern the verb's arguments fit, flagged as generated: like a
    verb's default, it codes only between two sides the text names."""
    words: set[str] = set()
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            continue  # "according to witnesses" is who says so, and no "accord" entered
        if c.dep_ in ("dobj", "nsubjpass", "prep", "prt", "dative", "attr", "oprd"):
            kept = [t for t in c.subtree if not _timely(t)]
            words.update(t.lemma_.lower() for t in kept)
            words.update(t.lower_ for t in kept)
    for p in patterns:
        if (not p.particle or p.particle in particles) and p.words <= words:
            return p.code, False
    return None


# sectors whose force is a state's armed force, not one person's violence
_ARMED = frozenset({"MIL", "COP", "GOV", "SPY"})  # a lone "gunman" the tables call REB is still one man
_ONE_MAN = wordlist("lone_attacker_nouns")


def _force_code(code: str, source: list[Actor]) -> str:
    """Whose force it is decides its kind: soldiers killing is conventional force (190), one gunman shooting is
    unconventional violence (180), whatever the verb's own code says."""
    if code in ("180", "1823") and any("MIL" in a.sectors for a in source):
        return "190"
    if code == "190" and source and not any(set(a.sectors) & _ARMED for a in source) and _one_man(source):
        return "180"
    return code


def _one_man(source: list[Actor]) -> bool:
    return all(a.text.split()[-1].lower() in _ONE_MAN for a in source if a.text)


def _per_pair(ev: Event, doc: Doc) -> list[Event]:
    """One event per (source country, target country) pair, as a coder counts them and a dyad series needs:
    "condemned by Egypt, Greece and Cyprus" is three condemnations; "an agreement between Turkey and Libya"
    with no receiver named is the first party's act towards the second; "the delegations of Cyprus, Greece and
    Israel met" is a meeting of each pair of the three."""
    sources = _by_country(ev.source)
    targets = _by_country(ev.target)
    if len(sources) <= 1 and len(targets) <= 1:
        return [ev]
    if not targets and ev.cameo_root in _SYMMETRIC_ROOTS and len(sources) > 1:
        sources, targets = sources[:1], sources[1:]
    joint = ev.cameo_root in _SYMMETRIC_ROOTS and len(sources) == 1 and len(targets) > 1
    if joint and _one_group(doc, (*sources[0], *(a for t in targets for a in t))):
        parties = [*sources, *targets]
        return [_pair(ev, a, b) for n, a in enumerate(parties) for b in parties[n + 1 :]]
    return [_pair(ev, s, t) for s in sources for t in targets or [()]]


def _one_group(doc: Doc, actors: tuple[Actor, ...]) -> bool:
    """Whether the actors were named together, as one list ("Cyprus, Greece and Israel") or one word standing for
    it ("their"), rather than as a doer and its partners."""
    firsts = set()
    for a in actors:
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is None:
            return False
        tok = span.root
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        firsts.add(tok.i)
    return len(firsts) == 1


def _by_country(actors: tuple[Actor, ...]) -> list[tuple[Actor, ...]]:
    """Actors grouped by country, in order; actors with no country stay with the first group (or alone)."""
    groups: dict[str | None, list[Actor]] = {}
    for a in actors:
        groups.setdefault(a.country, []).append(a)
    placed = [tuple(g) for c, g in groups.items() if c is not None]
    if None in groups:
        if not placed:
            return [tuple(groups[None])]
        placed[0] = (*placed[0], *groups[None])
    return placed


def _pair(ev: Event, source: tuple[Actor, ...], target: tuple[Actor, ...]) -> Event:
    eid = short_id(
        "e", ev.id, *(f"{a.name}/{a.country}" for a in source), "->", *(f"{a.name}/{a.country}" for a in target)
    )
    return replace(ev, id=eid, source=source, target=target)


# roots whose two parties act together: "Turkey and Libya agreed" is one party's act towards the other
_SYMMETRIC_ROOTS = frozenset({"03", "04", "05", "06"})


def _at_home(tok: Token, ev: Event) -> Event:
    """An act with a named doer and no named receiver ("declared a state of emergency", "protesters marched",
    "rejected the demarcation") is aimed at the doer's own country, as a coder codes it."""
    country = next((a.country for a in ev.source if a.country), None)
    if country is None or country in NOT_STATES or any(a.country for a in ev.target):
        return ev  # an international body has no home to aim at
    if ev.cameo_root == "16":
        return ev  # sanctions and cut ties are aimed at someone else, named or not
    if ev.target and ev.cameo_root >= "15" and ev.cameo_root != "17":
        # "forces clashed with rioters": force against someone unplaced is not force at home; an arrest of "a
        # 66-year-old man" is (coercion is what a state does to people in its hands)
        return ev
    return replace(ev, target=(*ev.target, _stand_in(tok, country, AT_HOME, ())))


def _prune_pairs(found: list[tuple[Token, Event]]) -> list[tuple[Token, Event]]:
    """One event per action: a generic trigger gives way to its purpose clause; repeats of a dyad merge."""
    drop: set[int] = set()
    coded = {tok.i for tok, _ in found}
    for i, (tok_b, _) in enumerate(found):
        # "agreed to lift the sanctions": the lifting is what was agreed, not an event of its own
        if any(a.i in coded and tok_b in _complements(a) for a in tok_b.ancestors):
            drop.add(i)
        # "provided aid to Haiti": the noun is the verb's object, one action
        if tok_b.pos_ in ("NOUN", "PROPN") and tok_b.dep_ == "dobj" and tok_b.head.i in coded:
            drop.add(i)
        # "killed the general in an airstrike": the noun is the means of the verb's act, one action
        means = (
            tok_b.dep_ == "pobj" and tok_b.head.lower_ in ("in", "with", "by", "through") and tok_b.head.head.i in coded
        )
        if tok_b.pos_ in ("NOUN", "PROPN") and means and tok_b.head.head.pos_ in ("VERB", "AUX"):
            drop.add(i)
    for i, (tok_a, ev_a) in enumerate(found):
        if ev_a.cameo not in _GENERIC:
            continue
        for j, (tok_b, ev_b) in enumerate(found):
            if (
                i != j
                and tok_b.head.i == tok_a.i
                and tok_b.dep_ in ("advcl", "xcomp")
                and ev_b.cameo not in _GENERIC
                and tok_b not in _complements(tok_a)
            ):
                drop.add(i)
    out: list[tuple[Token, Event]] = []
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
        out.append((tok, ev))
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
