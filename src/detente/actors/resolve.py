"""Mentions to Actors: a noun phrase in a parsed article becomes country + sectors + name, with a reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ..model import Actor
from ..nlp import entity_at, sentence_of, sentences, text_of
from ..vocabulary import wordlist
from .gazetteer import Entry, Gazetteer, norm

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NAMED = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"}  # spaCy tags some surnames PRODUCT
QUANTITIES = wordlist("quantity_nouns")
GATHERINGS = wordlist("gathering_nouns")
_TRAVEL = wordlist("travel_verbs")
PERSON_PRONOUNS = wordlist("person_pronouns")
THING_PRONOUNS = wordlist("thing_pronouns")
PLURAL_PRONOUNS = wordlist("plural_pronouns")
INDEFINITE_PRONOUNS = wordlist("indefinite_pronouns")
RESIDENCE_VERBS = wordlist("residence_verbs")
_ORG_WORDS = wordlist("organisation_nouns")
_BASED = wordlist("based_words")
# Clause-level dependents that are not part of a noun phrase naming an actor.
_CLAUSE_DEPS = {"conj", "cc", "relcl", "acl", "advcl", "ccomp", "xcomp", "preconj", "dep", "parataxis"}
_FORMER = wordlist("former_words")
# An ambiguous name ("Georgia", "Jordan") counts only as the named-entity type that means the country.
_PLACE_ENTS = {"GPE", "NORP", "LOC", ""}
_PART_ENTS = {"GPE", "LOC", "FAC", "ORG"}  # "West Darfur State" may come tagged as an organisation


def _bare_name(tok: Token) -> bool:
    """A capitalised proper noun standing alone as a clause's subject: someone the text names and we cannot place."""
    return (
        tok.pos_ == "PROPN"
        and tok.dep_ in ("nsubj", "nsubjpass")
        and tok.text[:1].isupper()
        and not tok.text.isupper()
        and not any(c.dep_ in ("compound", "amod", "det", "poss") for c in tok.children)
    )


# named owners whose country a thing of theirs takes: "the Biden campaign", "Egypt's delegation"
_OWNER_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


# The reason of a country guessed from the article as a whole: the last fallback, never remembered for a name.
STORY_REASON = "context: the country the article is about"
# Reasons that are guesses, which an article's own description of a person outranks.
_GUESSES = frozenset({STORY_REASON, "title"})
_SIDE_TAKING = ("anti", "anti-", "pro", "pro-")  # "pro-Russian", "anti-Syria": the side someone takes
_SURNAME_IN_OFFICE = "office holder of the day by title and surname"


class ArticleActors:
    """Resolves noun phrases of one parsed article, remembering who was named for later references."""

    def __init__(self, gaz: Gazetteer, doc: Doc, published: date | None) -> None:
        self.gaz = gaz
        self.doc = doc
        self.text = text_of(doc)
        self.published = published
        self.known: dict[str, Actor] = {}  # normalized name or surname -> first good resolution
        self.surnames: dict[str, Actor] = {}  # surname of a person named in full -> that person, however placed
        self.mentions: list[tuple[int, Actor, bool]] = []  # (token index, actor, is_person), in text order
        self.story: str | None = None  # while the story's own country is being counted, no story yet
        self.story = self._story_country()
        for ent in doc.ents:
            if ent.label_ not in NAMED:
                continue
            actor = self._resolve_head(ent.root)
            if ent.label_ == "PERSON" and (actor is None or (actor.id is None and actor.reason in _GUESSES)):
                actor = self._described(ent) or actor
            if actor is None:
                continue
            self._remember(ent, actor, self._modified(ent, actor))
        # what the article names is known from here on, so one phrase always resolves alike and is remembered:
        # the coder asks again for each pattern it tries on a trigger
        self._resolved: dict[tuple[int, frozenset[int]], list[Actor]] = {}
        self._active: set[tuple[int, frozenset[int]]] = set()  # phrases being resolved, outermost first

    # -- public -------------------------------------------------------------------------------------------

    def resolve(self, head: Token, exclude: set[int] | None = None) -> list[Actor]:
        """Actors named by the phrase headed by `head`, one per coordinated member ("X and Y")."""
        key = (head.i, frozenset(exclude or ()))
        found = self._resolved.get(key)
        if found is None:
            if key in self._active:  # "a lot of them": the group "them" stands for must not be "a lot of them"
                return []
            self._active.add(key)
            try:
                found = self._resolved[key] = self._resolve(head, exclude)
            finally:
                self._active.discard(key)
        return list(found)

    def _resolve(self, head: Token, exclude: set[int] | None = None) -> list[Actor]:
        out: list[Actor] = []
        pair = self._the_two(head) or self._the_group(head)
        if pair:
            return pair
        counted = _counted(head)
        if counted is not None:  # "scores of Sierra Leonean and Liberian refugees": every member
            return self.resolve(counted, exclude)
        conjuncts = _conjuncts(head)
        for tok in conjuncts:
            actor = self._resolve_head(tok, exclude or set())
            if actor is None:
                continue
            out.append(actor)
            out.extend(self._shared_head(tok, actor))
        return out

    def _the_group(self, tok: Token) -> list[Actor]:
        """ "The ministers of Egypt, Greece and France met in Cairo. They called on Turkey ...": a plural pronoun
        whose sentence names no group of its own stands for the last subject that was one (two countries or more),
        within the two sentences before."""
        if tok.lower_ not in PLURAL_PRONOUNS:
            return []
        sent = sentence_of(tok)
        index = next((n for n, s in enumerate(sentences(self.doc)) if s.start == sent.start), 0)
        for earlier in reversed(sentences(self.doc)[max(0, index - 2) : index + 1]):
            subjects = [
                t
                for t in earlier
                if t.dep_ in ("nsubj", "nsubjpass")
                and t.i < tok.i
                and (t.pos_ != "PRON" or t.lower_ in PLURAL_PRONOUNS)
            ]
            for subj in reversed(subjects):
                # "They concluded ... They called on Turkey": an earlier "they" passes on the group it stood for
                # ("They" mistagged as a name is a pronoun still)
                found = self._the_group(subj) if subj.lower_ in PLURAL_PRONOUNS else self.resolve(subj)
                group = [a for a in found if a.country]
                if len({a.country for a in group}) > 1:
                    return [
                        replace(a, text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), reason="pronoun")
                        for a in group
                    ]
        return []

    def _the_two(self, tok: Token) -> list[Actor]:
        """ "the two countries": the last two countries named before."""
        if tok.lower_ not in ("countries", "sides", "nations", "states", "neighbours", "neighbors"):
            return []
        if not any(c.lower_ == "two" for c in tok.children):
            return []
        found: list[Actor] = []
        for i, actor, is_person in reversed(self.mentions):
            if i < tok.i and not is_person and actor.country and actor.country not in {a.country for a in found}:
                found.append(
                    replace(
                        actor,
                        text=_span_text(tok, self.text),
                        start=tok.left_edge.idx,
                        end=tok.idx + len(tok.text),
                        reason="the two named before",
                    )
                )
            if len(found) == 2:
                return found[::-1]
        return []

    def _shared_head(self, tok: Token, actor: Actor) -> list[Actor]:
        """ "Hungarian and Romanian officials", "the ministers of Egypt, Greece and France": one actor per
        coordinated nationality or country."""
        extra: list[Actor] = []

        def add(entry: Entry | None) -> None:
            if (
                entry is not None
                and entry.country
                and entry.country not in {actor.country} | {a.country for a in extra}
            ):
                extra.append(replace(actor, country=entry.country, id=None, reason="coordinated nationality"))

        mods = [
            *tok.children,
            *(g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"),
        ]
        for mod in mods:
            if mod.dep_ not in ("amod", "nmod", "compound", "pobj") or mod.ent_type_ not in ("NORP", "GPE"):
                continue
            if not any(c.dep_ == "conj" for c in mod.children):
                continue
            for other in (c for c in mod.subtree if c.ent_type_ in ("NORP", "GPE") and c.dep_ in ("conj", mod.dep_)):
                add(self._entry_for_text(other.text, other))
        # "the Turkish-Libyan agreement": a hyphened pair of nationalities is both, one token or three
        for mod in (tok, *(c for c in tok.children if c.dep_ in ("amod", "compound"))):
            parts = [(p, mod) for p in mod.text.split("-")] if "-" in mod.text else []
            if any(c.lower_ == "-" for c in mod.children):
                parts = [(mod.text, mod)] + [
                    (c.text, c) for c in mod.children if c.dep_ in ("npadvmod", "amod", "compound")
                ]
            for text, where in parts:
                entry = self._entry_for_text(text, where)
                add(entry if entry is not None and entry.kind == "country" else None)
        return extra

    # -- internals -----------------------------------------------------------------------------------------

    def _modified(self, ent: Span, actor: Actor) -> Actor:
        """ "The Fijian rebels ... they": a later pronoun means the rebels, not the nationality alone."""
        root = ent.root
        head = root.head
        if (
            actor.id is None
            or not actor.id.startswith("country:")
            or root.dep_ not in ("amod", "compound", "nmod", "poss")
            or head.i == root.i
            or head.pos_ not in ("NOUN", "PROPN")
            or head.ent_type_
        ):
            return actor
        noun = self._resolve_head(head)
        if noun is None or noun.country != actor.country or not noun.sectors:
            return actor
        return noun

    def _described(self, ent: Span) -> Actor | None:
        """ "al-Muhandis was the deputy commander of the PMF", "X, the head of Y": a person the tables do not know
        is placed by the office the article gives them, here and wherever the article named them before."""
        root = ent.root
        told = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if root.dep_ == "nsubj" and root.head.lemma_ == "be":
            told += [c for c in root.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
        for noun in told:
            office = self._resolve_head(noun)
            if office is None or office.country is None or office.reason in _GUESSES or not office.sectors:
                continue
            actor = Actor(
                name=ent.text,
                country=office.country,
                sectors=office.sectors,
                text=ent.text,
                start=ent.start_char,
                end=ent.end_char,
                reason="described in the article",
            )
            surname = norm(ent[-1].text)
            for earlier in self.doc.ents:
                if earlier.start < ent.start and earlier.label_ == "PERSON" and norm(earlier[-1].text) == surname:
                    self.known.setdefault(norm(earlier.text), actor)  # "Abu Mahdi al-Muhandis ... al-Muhandis was"
            return actor
        return None

    def _remember(self, ent: Span, actor: Actor, mention: Actor | None = None) -> None:
        is_person = (ent.label_ == "PERSON" and not self._people(ent)) or (actor.id or "").startswith("person:")
        self.mentions.append((ent.root.i, mention or actor, is_person))
        if is_person and len(ent) > 1:
            self.surnames.setdefault(norm(ent[-1].text), mention or actor)
        if actor.country is None or actor.reason == STORY_REASON:
            return  # a guess from the story's country must not outrank what a later mention says of the name
        keys = {norm(ent.text)}
        if is_person and len(ent) > 1:
            keys.add(norm(ent[-1].text))
        for key in keys:
            self.known.setdefault(key, actor)

    def _resolve_head(self, tok: Token, exclude: set[int] | None = None) -> Actor | None:
        low = tok.lower_
        counted = _counted(tok)
        if counted is not None:  # "thousands of Iraqi Kurds", "scores of refugees"
            return self._resolve_head(counted, exclude)
        if tok.pos_ == "PRON" or low in PERSON_PRONOUNS | THING_PRONOUNS:
            return self._pronoun(tok, exclude or set())
        if low in ("countries", "sides", "nations", "states", "neighbours", "neighbors") and any(
            c.lower_ == "two" for c in tok.children
        ):
            return None  # resolved as a pair by resolve()
        phrase = _phrase(tok)
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
        text = self.text[start:end]
        name_span = _entity_of(tok)
        if name_span is None or name_span.label_ != "PERSON":
            # "Israel's top diplomat Silvan Shalom": the person named in apposition is the actor
            person = next(
                (t for t in phrase if t.dep_ == "appos" and t.head.i == tok.i and t.ent_type_ == "PERSON"),
                None,
            )
            if person is not None:
                tok, name_span = person, _entity_of(person)
        name = name_span.text if name_span is not None else _compound_name(tok)
        country: str | None = None
        sectors: list[str] = []
        actor_id: str | None = None
        reason = ""

        # 1. the name itself: a country, organisation or office holder we know, or someone named earlier
        entry = self._entry_for(name_span, tok) if name_span is not None else self._entry_for_text(name, tok)
        named_before = self.surnames.get(norm(name)) if " " not in name.strip() else None
        if entry is not None and named_before is not None and (entry.kind == "region" or entry.subkind == "capital"):
            # "Sudesh Amman ... Amman, who was described": the man named before, not Jordan's capital
            return replace(
                named_before,
                text=_span_text(tok, self.text),
                start=start,
                end=end,
                reason="named earlier in the article",
            )
        if (
            entry is not None
            and entry.subkind == "demonym"
            and (any(t.lower_ == "ethnic" for t in phrase) or _lives_in(tok))
        ):
            entry = None  # "ethnic Albanians in Serbia" live in Serbia; the demonym names no state
            name_span = None
            people = True
        else:
            people = False
        name_tokens = {t.i for t in name_span} if name_span is not None else {tok.i}
        if entry is None and not people:
            # names the tagger splits or pads: "the Pakistan-based Lashkar-e Taiba", "the aforementioned X"
            window = self._window_entry(tok, phrase)
            if window is not None:
                entry, first = window
                name = self.text[self.doc[first].idx : tok.idx + len(tok.text)]
                name_tokens = set(range(first, tok.i + 1))
        if entry is not None:
            country, actor_id, reason = entry.country, entry.id, _why(entry)
            sectors.extend(entry.sectors)
            if entry.kind == "country" and entry.subkind == "demonym" and tok.pos_ in ("NOUN", "PROPN"):
                sectors.append("CVL")
            if entry.kind == "person":
                # undated text: every role the person held (most people in the table held one kind)
                offices = (
                    self.gaz.office_at(entry.id, self.published) if self.published else self.gaz.offices_of(entry.id)
                )
                sectors.extend(s for o in offices for s in o.sectors)
        elif name_span is not None and norm(name_span.text) in self.known:
            prior = self.known[norm(name_span.text)]
            country, actor_id, reason = prior.country, prior.id, "named earlier in the article"
            name = prior.name if len(prior.name) > len(name) else name
            sectors.extend(prior.sectors)

        elif name_span is not None and (name_span.label_ in ("ORG", "NORP", "FAC") or self._people(name_span)):
            # an unknown organisation that carries its country in its name: "Indian Air Force", "Pakistan Army"
            country = self._country_inside(name_span)
            if country is not None:
                reason = "country named inside the organisation's name"

        elif (
            name_span is not None
            and name_span.label_ in ("GPE", "LOC")
            and name_span.text[:1].isupper()
            and not self.gaz.lookup(_no_poss(name_span.text))  # "Georgia", "Jordan": ambiguous names stay so
        ):
            # a town the tables do not name as an actor, "shelled targets in Jericho": its country, as a place
            country = _city_country(_no_poss(name_span.text))
            if country is not None:
                reason = "place in the country"

        if people:
            sectors.append("CVL")  # "the Albanians of southern Serbia": a people, placed by the phrase
        elif entry is None and name_span is None and tok.pos_ in ("NOUN", "PROPN"):
            # "a Cuban cigar", "French fries": a country's adjective makes no actor of an object
            lead = [t.lower_ for t in phrase if t.i <= tok.i][-3:]
            if not self.gaz.actor_noun(lead[:-1] + [tok.lemma_.lower()]) and not self.gaz.actor_noun(lead):
                owner = self._owner(tok)
                if owner is not None:
                    return owner
                if not (self.story and _bare_name(tok)):
                    return None
                # "Katigbak apologized": a name the tagger left unlabelled, doing something in the story's country
                return Actor(
                    name=tok.text,
                    country=self.story,
                    sectors=(),
                    text=tok.text,
                    start=tok.idx,
                    end=tok.idx + len(tok.text),
                    reason=STORY_REASON,
                )

        # 2. the words around it: "Pakistan's foreign minister", "an Israeli organization", "head of the ISI"
        mod_country, mod_sectors, former = self._context(
            tok, phrase, name_span, name_tokens if entry is not None else set()
        )
        if country is None and mod_country is not None:
            country, reason = mod_country, reason or "context"
        if (
            entry is None
            and name_span is not None
            and (name_span.label_ == "NORP" or self._people(name_span))
            and tok.tag_ in ("NNS", "NNPS")
            and country is not None
            and not sectors
            and not mod_sectors
        ):
            sectors.append("CVL")  # "Iraqi Kurds", "Sri Lankan Tamils": a people, as "Pakistanis" is
        elif entry is not None and entry.subkind == "metonym" and mod_country and mod_country != country:
            country, actor_id, reason = mod_country, None, "context"  # "Pakistan's Foreign Office" is not Britain's
        elif entry is not None and entry.kind == "person" and not former:
            # "U.N. mediator Diego Cordovez", "NATO Secretary General Jens Stoltenberg": the body the title names
            # is whom the person acts for, whatever the country of their other offices
            acting_for = self._title_country(tok, phrase, name_tokens)
            if acting_for is not None and acting_for != country:
                country, reason = acting_for, _BODY_IN_TITLE
        if country is None and entry is None and name_span is None and mod_sectors:
            earlier = self._description(tok, set(mod_sectors))
            if earlier is not None:
                return earlier
        if not former or entry is None or entry.kind != "person":
            sectors.extend(mod_sectors)
        if country is None and entry is None and name_span is None and sectors and _bare(tok) and tok.dep_ == "conj":
            # "Israeli helicopters and tanks": a bare second noun shares the first one's nationality
            conj_head = self._resolve_head(tok.head) if tok.head.pos_ in ("NOUN", "PROPN") else None
            if conj_head is not None and conj_head.country and conj_head.reason == "context" and conj_head.id is None:
                country, reason = conj_head.country, "context"
        named = [t for t in name_span or () if norm(t.text) not in self.gaz.titles]
        if country is None and entry is None and len(named) == 1 and mod_sectors:
            # "Prime Minister Johnson", "President Moon": a title and a surname name the office holder of the day
            held = self.gaz.holders_named(named[0].text, self.published, mod_sectors)
            if len(held) == 1:
                country, reason = held.pop(), _SURNAME_IN_OFFICE
        if (
            country is None
            and entry is None
            and sectors
            and (name_span is None or name_span.label_ in ("NORP", "ORG", "PERSON"))
            and (not set(sectors) & _FOREIGN_PRONE or "GOV" in sectors)
        ):
            # "police", "demonstrators", "Shona rebels": local actors take the country of the scene;
            # an unknown titled person ("President Laurent Gbago") only that of a place, never a country named
            # beside ("welcomed South African leader de Klerk")
            titled = name_span is not None and name_span.label_ == "PERSON"
            scene = self._scene_country(tok, phrase, places_only=titled)
            if scene is None and self.story is not None and not set(sectors) & _MOBILE:
                scene = self.story, STORY_REASON
            if scene is not None:
                country, reason = scene
        if (
            country is None
            and entry is None
            and self.story is not None
            and name_span is not None
            and (
                # someone the tables do not know, in a story about one country: most likely one of its own
                (name_span.label_ == "PERSON" and not self._people(name_span) and not former)
                # "the Democratic National Committee", "the Election Commission": a body of a state's own politics
                or (name_span.label_ == "ORG" and bool({t.lower_ for t in name_span} & _DOMESTIC_BODIES))
            )
        ):
            country, reason = self.story, STORY_REASON
        if country is None and not sectors and entry is None:
            return None
        if name_span is None and country is None and not sectors:
            return None
        uniq = tuple(dict.fromkeys(s for s in sectors if s))
        return Actor(
            name=name,
            country=country,
            sectors=uniq,
            text=text,
            start=start,
            end=end,
            id=actor_id,
            reason=reason or "title",
        )

    def _owner(self, tok: Token) -> Actor | None:
        """ "the Biden campaign", "the president's legal team", "Trump's refusal": a thing of a named owner acts
        for the owner's country."""
        if tok.pos_ != "NOUN":
            return None
        owner = next(
            (
                c
                for c in tok.children
                if (c.dep_ == "poss" and (c.ent_type_ in _OWNER_ENTS or self._title_word(c)))  # "the president's"
                or (c.dep_ == "compound" and c.ent_type_ in ("PERSON", "ORG"))  # not "a Panama hat", "India ink"
            ),
            None,
        )
        held = self._resolve_head(owner) if owner is not None else None
        if held is None or not held.country:
            return None
        start = tok.left_edge.idx
        return Actor(
            name=self.text[start : tok.idx + len(tok.text)],
            country=held.country,
            sectors=(),
            text=self.text[start : tok.idx + len(tok.text)],
            start=start,
            end=tok.idx + len(tok.text),
            reason="whose it is",
        )

    def _story_country(self) -> str | None:
        """The one country an article is about: the places, states, peoples and office holders it names counted,
        those of the lead (the first two sentences with a verb) three times, and the first well ahead of the
        second. None when the story is shared."""
        counts: dict[str, float] = {}
        if len(sentences(self.doc)) < _STORY_SENTENCES:
            return None  # a sentence or two is no story: its actors keep what their own sentence says
        lead = [s for s in sentences(self.doc) if any(t.pos_ in ("VERB", "AUX") for t in s)][:2]
        lead_end = lead[-1].end if lead else 0
        for ent in self.doc.ents:
            if ent.label_ not in NAMED or _sponsor(ent.root) or self._armed_modifier(ent.root):
                continue
            text = _no_poss(ent.text)
            entries = [
                e for e in self.gaz.lookup(text) if not e.ambiguous and e.kind in ("country", "region", "person")
            ]
            country: str | None = None
            if entries:
                country = entries[0].country if len({e.country for e in entries}) == 1 else None
            elif ent.label_ in ("GPE", "LOC") and text[:1].isupper():
                country = self._place_country(text)
            if country is None or country in NOT_STATES:
                continue
            counts[country] = counts.get(country, 0.0) + (3.0 if ent.start < lead_end else 1.0)
        ranked = sorted(counts.values(), reverse=True)
        if not ranked or ranked[0] < 2 or (len(ranked) > 1 and ranked[0] < 1.5 * ranked[1]):
            return None
        return max(counts, key=lambda c: counts[c])

    def _title_country(self, tok: Token, phrase: list[Token], name_tokens: set[int]) -> str | None:
        """The state or international body named right before a person's title: "UN" in "UN envoy X"."""
        first = min(name_tokens)
        title = [t for t in phrase if t.i < first]
        if not title or not any(self._title_word(t) for t in title):
            return None
        for t in reversed(title):
            span = _entity_of(t)
            if span is None or _name_root(span).i != t.i or t.dep_ not in ("compound", "amod", "nmod", "poss"):
                continue
            if _sponsor(t) or any(w.lower_ in _FORMER for w in title):
                return None
            entry = self._entry_for(span, t)
            if entry is not None and entry.kind in ("org", "country") and entry.subkind != "metonym" and entry.country:
                return entry.country if entry.kind == "country" or entry.country == "IGO" else None
            return None
        return None

    def _title_word(self, tok: Token) -> bool:
        key = norm(tok.lower_)
        return key in self.gaz.titles or key.replace(" ", "") in {"secretarygeneral", "envoy", "mediator"}

    def _people(self, span: Span) -> bool:
        """ "Bosnian Serbs" tagged as a person: a nationality before a plural name is a people, not someone."""
        if span.label_ != "PERSON" or len(span) < 2 or span.root.i != span.end - 1 or span.root.tag_ != "NNPS":
            return False
        return any(e.kind == "country" and e.subkind == "demonym" for e in self.gaz.lookup(span[0].text))

    def _entry_for(self, span: Span, tok: Token) -> Entry | None:
        texts = [span.text, _no_poss(span.text)]
        words = texts[1].split()
        if len(words) > 1 and words[-1].lower() in _ORG_WORDS:
            texts.append(" ".join(words[:-1]))  # "the Fatah Party", "the Hamas movement"
        for text in texts:
            hit = self._pick(self.gaz.lookup(text), span.label_, text)
            if hit is not None and (text is not texts[-1] or len(texts) == 2 or hit.kind == "org"):
                return hit
        if span.label_ in _PART_ENTS and texts[1][:1].isupper():
            return self.gaz.part_of(texts[1])  # "South Lebanon", "West Darfur State"
        return None

    def _country_inside(self, span: Span) -> str | None:
        """The country an unknown organisation names: "Indian Air Force", "United Bus Company of Tehran",
        "the United States Department of State" (names of two or three words too)."""
        doc = span.doc
        if span.label_ == "NORP" and span.root.i == span.end - 1:
            # "Pakistani Americans", "Kurdish Iraqis": people of the nationality the name ends with
            people = self._pick(self.gaz.lookup(span.root.text), "NORP")
            if people is not None and people.kind == "country" and people.subkind == "demonym":
                return people.country
        for size in (3, 2, 1):
            for first in range(span.start, span.end - size + 1):
                last = first + size - 1
                if size == 1 and first == span.root.i == span.end - 1:
                    continue
                named = self._pick(self.gaz.lookup(doc[first : last + 1].text), "GPE")
                if named is None or named.kind not in ("country", "region"):
                    continue
                after_of = first > span.start and doc[first - 1].lower_ == "of"
                if named.subkind in ("name", "alias", "demonym", "region") or (named.subkind == "capital" and after_of):
                    return named.country
        return None

    def _title_head(self, tok: Token) -> bool:
        key = norm(tok.head.lower_)
        return key in self.gaz.titles or key in self.gaz.groups or key[:-1] in self.gaz.groups

    def _entry_for_text(self, text: str, tok: Token) -> Entry | None:
        hit = self._pick(self.gaz.lookup(text), tok.ent_type_, text)
        words = text.split()
        if hit is None and len(words) > 1 and words[-1].lower() in _ORG_WORDS:
            # "the Hamas movement": an organisation we know, with a generic word after its name
            shorter = self._pick(self.gaz.lookup(" ".join(words[:-1])), tok.ent_type_)
            hit = shorter if shorter is not None and shorter.kind == "org" else None
        return hit

    def _pick(self, entries: list[Entry], label: str, surface: str = "") -> Entry | None:
        if surface and surface.islower():  # "fine china", "a turkey dinner": names are capitalised
            entries = [e for e in entries if e.kind not in ("country", "region")]
        if not entries:
            return None
        if label == "PERSON":
            # spaCy tags some places as people ("visited Kyiv"); an ambiguous name stays a person ("Jordan")
            people = [e for e in entries if e.kind == "person"]
            if people:
                return people[0]
        usable = [e for e in entries if not (e.ambiguous and label not in _PLACE_ENTS)]
        if not usable:
            return None
        order = {"org": 0, "person": 1, "country": 2}
        usable.sort(key=lambda e: order.get(e.kind, 3))
        story = self.story
        if story is not None and usable[0].kind in ("country", "region") and usable[0].country != story:
            # a name shared by a state and a part of another ("Georgia"): in a story about the other, its part
            local = [e for e in usable if e.kind in ("country", "region") and e.country == story]
            return local[0] if local else usable[0]
        return usable[0]

    def _window_entry(self, tok: Token, phrase: list[Token]) -> tuple[Entry, int] | None:
        """The longest known name that ends at the head token, inside its phrase."""
        if tok.pos_ != "PROPN":
            return None
        starts = [t.i for t in phrase if t.i < tok.i and tok.i - t.i < 8]
        end = tok.idx + len(tok.text)
        for first in starts:
            hit = self._pick(self.gaz.lookup(self.text[self.doc[first].idx : end]), "")
            if hit is not None and not hit.ambiguous:
                return hit, first
        return None

    def _context(
        self, tok: Token, phrase: list[Token], name_span: Span | None, known_name: set[int]
    ) -> tuple[str | None, list[str], bool]:
        """Country and sectors that the phrase's modifiers give the head.

        Words inside a name we already know ("American Jewish Congress", "World Bank") are not titles.
        """
        own = ({t.i for t in name_span} if name_span is not None else {tok.i}) | known_name
        country: str | None = None
        sectors: list[str] = []
        former = False
        words = [t for t in phrase if t.i not in own]
        # titles and group nouns, longest first ("foreign minister" before "minister")
        lowered = [t.lower_ for t in phrase]
        used: set[int] = {j for j, t in enumerate(phrase) if t.i in known_name}
        for size in (4, 3, 2, 1):
            for i in range(len(phrase) - size + 1):
                if any(j in used for j in range(i, i + size)):
                    continue
                key = norm(" ".join(lowered[i : i + size]))
                hit = self.gaz.titles.get(key) or self.gaz.groups.get(key)
                if hit is None and size == 1 and key.endswith("s"):
                    hit = self.gaz.groups.get(key[:-1]) or self.gaz.titles.get(key[:-1])
                if hit:
                    sectors.extend(hit)
                    used.update(range(i, i + size))
                    if i > 0 and (lowered[i - 1] in _FORMER or lowered[i - 1].startswith(("ex-", "then-"))):
                        former = former or not lowered[i - 1].startswith("then")
        if any(t.lower_ in _FORMER or t.lower_.startswith("ex-") for t in phrase if t.i < tok.i):
            former = True
        # countries and organisations named inside the phrase, nearest to the head first
        for t in sorted(words, key=lambda w: (_located(w, tok), _depth_from(w, tok), abs(w.i - tok.i))):
            if t.pos_ in ("PUNCT", "DET", "ADP", "CCONJ") or t.i in own or _sponsor(t) or _ethnic(t):
                continue
            span = _entity_of(t)
            if span is not None and span[0].lower_ in _SIDE_TAKING:
                continue  # "Pro-Russian separatists", one entity to the tagger: a side taken, not a nationality
            if span is not None and any(w.dep_ == "cc" for w in span):
                span = None  # "Hungarian and Romanian": one entity to the tagger, two nationalities here
            if span is not None and _name_root(span).i != t.i:
                continue
            if span is not None:
                entry = self._entry_for(span, t)
                if entry is None and t.dep_ == "poss" and self._title_head(t):
                    # "Niger's ambassador", "Chad's army": a possessive on a title reads as the country
                    entry = next((e for e in self.gaz.lookup(_no_poss(span.text)) if e.kind == "country"), None)
                if entry is None and norm(span.text) in self.known:
                    prior = self.known[norm(span.text)]
                    found_country: str | None = prior.country
                    if prior.id and prior.id.startswith("org:") and not sectors:
                        sectors.extend(prior.sectors)
                else:
                    found_country = entry.country if entry else None
                    if entry and entry.kind == "org" and t.dep_ == "pobj":
                        sectors.extend(entry.sectors)
                    if entry is None and span.label_ in ("ORG", "FAC"):
                        found_country = self._country_inside(span)
                    elif entry is None and span.label_ in ("GPE", "LOC") and _under_based(t, tok):
                        found_country = _city_country(span.text)
            else:
                entry = self._entry_for_text(t.text, t)
                if entry is not None and entry.kind == "person":
                    entry = None  # "Thames Valley Police": an untagged word that is someone's surname names no one
                found_country = entry.country if entry else None
            if found_country and country is None:
                country = found_country
        return country, sectors, former

    def _scene_country(self, tok: Token, phrase: list[Token], places_only: bool = False) -> tuple[str, str] | None:
        """The country where a generic actor's sentence happens: its one place, else its one named country.

        Places ("in Hong Kong", "in eastern Beirut") come first; otherwise the country must be the only one the
        sentence names, leaving out armed forces ("Israeli troops" may act abroad), people, ambiguous names and
        sponsors ("anti-Syria"). Two candidates give nothing: no guess.
        """
        own = {t.i for t in phrase} | _attribution(tok)
        # "workers who had lived in Dubai": where someone lived or worked does not make them its nationals
        own |= {
            t.i for c in tok.children if c.dep_ in ("relcl", "acl") and c.lemma_ in RESIDENCE_VERBS for t in c.subtree
        }
        places: set[str] = set()
        named: set[str] = set()
        doubt = False  # a name that may be a country ("Macedonia's border"): then no guess from the others
        for ent in tok.sent.ents:
            if any(t.i in own for t in ent):
                continue
            root = ent.root
            town = _town_of(root)  # "the city of Bukavu", whatever the tagger calls it
            if ent.label_ not in ("GPE", "LOC", "NORP", "FAC", "ORG") and not town:
                continue
            if _sponsor(root) or _ethnic(root) or self._armed_modifier(root):
                continue
            if len(ent) == 1 and norm(ent.text) in self.surnames:
                continue  # "Amman, who was described ...": the man named before, no place
            if root.dep_ == "pobj" and root.head.lower_ in ("to", "into") and root.head.head.lemma_ in _TRAVEL:
                continue  # "officers traveled to Canada": where they went, not whose they are
            if town and ent.label_ not in _PLACE_ENTS:
                country = _city_country(ent.text)
            else:
                country, unsure = self._country_of_name(ent)
                doubt = doubt or unsure
            if country is None:
                continue
            (places if (town or ent.label_ in ("GPE", "LOC", "FAC")) and _in_place(root) else named).add(country)
        if len(places) == 1:
            return next(iter(places)), "context: the place its sentence names"
        if not places and len(named) == 1 and not doubt and not places_only:
            return next(iter(named)), "context: the one country its sentence names"
        return None

    def _country_of_name(self, ent: Span) -> tuple[str | None, bool]:
        """A state for a named place or state body, unambiguous only (cities via geonames), and whether the name
        could have been a country that we may not count ("Macedonia", "Georgia")."""
        text = _no_poss(ent.text)
        entries = self.gaz.lookup(text)
        if entries:
            entry = self._pick(entries, ent.label_, text)
            unsure = any(e.kind == "country" and e.ambiguous for e in entries)
            if entry is None or entry.ambiguous or entry.kind == "person":
                return None, unsure
            if entry.kind == "org" and not set(entry.sectors) & _STATE_SECTORS:
                return None, False  # "told AFP": a news agency, company or NGO says nothing of the scene
            return (entry.country if entry.country and entry.country not in NOT_STATES else None), False
        if ent.label_ in ("ORG", "FAC"):
            return self._country_inside(ent), False
        if ent.label_ not in ("GPE", "LOC"):
            return None, False
        if not text[:1].isupper():
            return _city_country(text), False
        return self._place_country(text), False

    def _place_country(self, text: str) -> str | None:
        """The state of a capitalised place name: a city geonames knows, else a named part of a state ("in South
        Lebanon")."""
        part = self.gaz.part_of(text)
        return _city_country(text) or (part.country if part is not None else None)

    def _armed_modifier(self, tok: Token) -> bool:
        """ "Israeli" in "Israeli troops": armed men and refugees may be abroad; their country is not the scene's."""
        if tok.dep_ not in ("amod", "compound", "poss", "nmod", "npadvmod") or tok.head.i == tok.i:
            return False
        noun = tok.head
        if noun.pos_ == "VERB" and noun.dep_ in ("amod", "compound") and noun.head.i != noun.i:
            noun = noun.head  # "Vietnamese-led forces"
        key = norm(noun.lower_)
        hit = self.gaz.groups.get(key) or self.gaz.titles.get(key)
        if hit is None and key.endswith("s"):
            hit = self.gaz.groups.get(key[:-1]) or self.gaz.titles.get(key[:-1])
        return bool(hit and set(hit) & _MOBILE)

    def _description(self, tok: Token, sectors: set[str]) -> Actor | None:
        """ "the military leader", "the former military ruler": the last person named with such a role."""
        if not any(c.lower_ == "the" for c in tok.children) or tok.tag_ != "NN":
            return None
        for i, actor, is_person in reversed(self.mentions):
            if i < tok.i and is_person and actor.country and set(actor.sectors) & sectors:
                return replace(
                    actor,
                    text=_span_text(tok, self.text),
                    start=tok.left_edge.idx,
                    end=tok.idx + len(tok.text),
                    reason="description of someone named earlier",
                )
        return None

    def _pronoun(self, tok: Token, exclude: set[int]) -> Actor | None:
        if tok.lower_ in INDEFINITE_PRONOUNS:
            return None
        wants_person = tok.lower_ in PERSON_PRONOUNS
        plural = tok.lower_ in PLURAL_PRONOUNS
        if tok.lower_ in THING_PRONOUNS:  # the plural ones too
            wants_person = False
        if wants_person and tok.dep_ == "nsubj" and tok.head.dep_ in ("relcl", "advcl", "ccomp"):
            # "Mitsotakis met with President Trump, where he denounced the deal", "the Queen announced she will
            # comply": the subject of the clause it hangs from, before the nearest name
            verb = tok.head.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head  # "met with President Trump in Washington, where he ...": up to "met"
            main = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            held = self._resolve_head(main) if main is not None and main.pos_ == "PROPN" else None
            if held is not None and held.country and _is_person_actor(held):
                return replace(held, text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), reason="pronoun")
        for i, actor, is_person in reversed(self.mentions):
            if i >= tok.i or i in exclude:
                continue
            if plural and self.doc[i].dep_ == "pobj" and self.doc[i].head.lower_ in _SCENE_PREPS:
                continue  # "demonstrators in Baghdad ... their anger": a scene is not "they"
            if is_person != wants_person or actor.country is None:
                continue
            return replace(actor, text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), reason="pronoun")
        return None


# Sectors of actors that often act outside their own country: no country from the scene for them.
_FOREIGN_PRONE = {"MIL", "SPY", "IGO", "NGO"}
_STORY_SENTENCES = 3  # fewer sentences than this make no story with a country of its own
_MOBILE = _FOREIGN_PRONE | {"REB", "REF"}
_DOMESTIC_BODIES = wordlist("domestic_bodies")
NOT_STATES = {"IGO", "NGO", "IMG"}  # codes of actors that belong to no state
_BODY_IN_TITLE = "office holder; body named in the title"
_STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "PTY", "REB", "OPP"}
_SCENE_PREPS = wordlist("scene_prepositions")


def _is_person_actor(actor: Actor) -> bool:
    return (actor.id or "").startswith("person:") or actor.reason in ("office holder", "named earlier in the article")


def _counted(tok: Token) -> Token | None:
    """What a quantity counts: "refugees" in "scores of refugees", and who a body met for the occasion is: "the
    delegations of Cyprus and Greece"; None when tok is neither (a named body, "the Assembly of Experts", is one)."""
    lemma = tok.lemma_.lower()
    if lemma not in QUANTITIES and (lemma not in GATHERINGS or tok.ent_type_):
        return None
    of = (g for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj")
    return next(of, None)


def _city_country(text: str) -> str | None:
    """The country of a city the geonames index knows ("Goma", "Karachi"), for places only, never for names."""
    from ..places import lookup  # late: the place index reads this package's tables, which load this module

    place = lookup(text)
    return place.country if place is not None else None


_TOWNS = wordlist("town_nouns")


def _town_of(tok: Token) -> bool:
    """ "the town of X": X is a place even when the tagger took it for a person."""
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lemma_.lower() in _TOWNS


def _under_based(tok: Token, head: Token) -> bool:
    """ "a newspaper based in Karachi": tok sits under the participle that says where head is based."""
    cur = tok
    for _ in range(6):
        if cur.head.i == cur.i or cur.i == head.i:
            return False
        if cur.dep_ == "acl" and cur.lemma_.lower() in _BASED and cur.head.i == head.i:
            return True
        cur = cur.head
    return False


_REPORTING = wordlist("attribution_verbs")


def _attribution(tok: Token) -> set[int]:
    """Tokens that only say who reports the sentence ("..., a spokesman for the U.S. embassy said",
    "according to Pentagon sources"), unless tok is among them: the reporter's country is not the scene's."""
    out: set[int] = set()
    sent = tok.sent
    root = sent.root
    if root.lemma_.lower() in _REPORTING:
        for c in root.children:
            if c.dep_ in ("nsubj", "nsubjpass", "agent", "dative") or (c.dep_ == "dobj" and root.lemma_ == "tell"):
                out.update(t.i for t in c.subtree)
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            out.update(x.i for x in t.subtree)
            out.update(x.i for x in t.doc[t.i + 1].subtree)
    return set() if tok.i in out else out


def _in_place(tok: Token) -> bool:
    """Under "in/at/near X" (through "of" and compounds): "in a residential sector of eastern Beirut"."""
    cur = tok
    for _ in range(12):
        if cur.head.i == cur.i:
            return False
        if cur.dep_ == "pobj" and cur.head.lower_ in _SCENE_PREPS:
            return True
        if cur.dep_ in ("pobj", "compound", "amod", "appos", "conj", "nmod") or (
            cur.dep_ == "prep" and cur.lower_ == "of"
        ):
            cur = cur.head
            continue
        return False
    return False


_SPONSORS = wordlist("sponsor_verbs")


def _sponsor(tok: Token) -> bool:
    """ "an Iran-backed militia", "an anti-Syria journalist": a country that is not the actor's own."""
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.lower_ in _SIDE_TAKING:
        return True
    if tok.i > 1 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ in ("anti", "pro"):
        return True
    return tok.head.lemma_.lower() in _SPONSORS and tok.head.i != tok.i and tok.dep_ in ("npadvmod", "compound")


def _lives_in(tok: Token) -> bool:
    """ "The Albanians of southern Serbia", "Kurds in Iraq": a people named with the country they live in."""
    if tok.pos_ not in ("NOUN", "PROPN") or not tok.text.endswith("s"):
        return False
    return any(
        p.dep_ == "prep"
        and p.lower_ in ("of", "in")
        and any(g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC") for g in p.children)
        for p in tok.children
    )


def _ethnic(tok: Token) -> bool:
    return any(c.lower_ == "ethnic" for c in tok.children) or (tok.i > 0 and tok.doc[tok.i - 1].lower_ == "ethnic")


def _no_poss(text: str) -> str:
    return text.replace("’s", "").replace("'s", "")


def _span_text(tok: Token, text: str) -> str:
    return text[tok.left_edge.idx : tok.idx + len(tok.text)]


def _why(entry: Entry) -> str:
    if entry.kind == "person":
        return "office holder"
    if entry.kind == "country":
        return f"country {entry.subkind or 'name'}"
    if entry.kind == "region":
        return "region of the country"
    return f"organisation ({entry.subkind})" if entry.subkind else "organisation"


def _bare(tok: Token) -> bool:
    """A noun with no modifier of its own that could name someone else ("tanks", not "the Syrian tanks")."""
    return not any(c.dep_ in ("amod", "compound", "poss", "det", "nmod", "prep") for c in tok.children)


def _conjuncts(head: Token) -> list[Token]:
    out = [head]
    for child in head.children:
        # "The US, Russia, and Switzerland": the tagger reads a list of places as appositions
        listed = child.dep_ == "appos" and child.ent_type_ == head.ent_type_ == "GPE"
        if (child.dep_ == "conj" or listed) and child.pos_ in ("NOUN", "PROPN", "PRON"):
            out.extend(_conjuncts(child))
    return out


def _phrase(tok: Token) -> list[Token]:
    """The tokens of the noun phrase headed by tok, without clauses or coordinated members."""
    keep = [tok]
    stack = [tok]
    while stack:
        cur = stack.pop()
        for child in cur.children:
            # coordinated modifiers stay ("Hungarian and Romanian officials"); coordinated heads are other actors
            coordinated_modifier = (
                cur.i != tok.i and cur.dep_ in ("amod", "compound", "nmod") and child.dep_ in ("cc", "conj")
            )
            based = child.dep_ == "acl" and child.lemma_.lower() in _BASED and child.tag_ == "VBN"
            if child.dep_ in _CLAUSE_DEPS and not coordinated_modifier and not based:
                continue
            if not based and (child.dep_ == "acl" or child.pos_ == "VERB" and child.dep_ not in ("amod", "compound")):
                continue
            keep.append(child)
            stack.append(child)
    keep.sort(key=lambda t: t.i)
    # trim to a contiguous run around the head
    lo = hi = keep.index(tok)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    run = keep[lo : hi + 1]
    while run and run[-1].pos_ == "PUNCT" and run[-1] is not tok:
        run.pop()
    while run and run[0].pos_ == "PUNCT" and run[0] is not tok:
        run.pop(0)
    return run


def _entity_of(tok: Token) -> Span | None:
    ent = entity_at(tok)
    return ent if ent is not None and ent.label_ in NAMED else None


def _name_root(span: Span) -> Token:
    """The head word of a name: "the United States government" parses "the" onto "government", which would
    make "the" the root of the name "the United States"."""
    return span[1:].root if len(span) > 1 and span[0].pos_ == "DET" else span.root


def _compound_name(tok: Token) -> str:
    # "Thames Valley Police": the compounds of compounds too, never a truncated "Valley Police"
    parts = [t for c in tok.lefts if c.dep_ == "compound" for t in c.subtree] + [tok]
    return " ".join(t.text for t in parts)


def _located(tok: Token, head: Token) -> bool:
    """True under "in/at/near X": where someone is says less about whose they are than "Ethiopian" or "of X"."""
    cur = tok
    for _ in range(20):
        if cur.i == head.i or cur.head.i == cur.i:
            return False
        if cur.dep_ == "prep" and cur.lower_ not in ("of", "from"):
            return True
        cur = cur.head
    return False


def _depth_from(tok: Token, head: Token) -> int:
    depth = 0
    cur = tok
    while cur.i != head.i and cur.head.i != cur.i and depth < 20:
        cur = cur.head
        depth += 1
    return depth


def at_date(gaz: Gazetteer, actor: Actor, when: date | None) -> Actor:
    """The actor's sectors as of the event's date: Imran Khan is GOV in 2020 and OPP in 2023."""
    if not actor.id or not actor.id.startswith("person:") or when is None:
        return actor
    offices = gaz.office_at(actor.id, when)
    if not offices:
        return actor
    from_titles = [s for s in actor.sectors if s not in {s2 for o in gaz.offices_of(actor.id) for s2 in o.sectors}]
    sectors = tuple(dict.fromkeys([s for o in offices for s in o.sectors] + from_titles))
    country = actor.country if actor.reason == _BODY_IN_TITLE else offices[0].country
    return replace(actor, country=country, sectors=sectors)
