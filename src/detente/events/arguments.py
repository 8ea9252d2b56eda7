"""Argument structure over the dependency parse: who is the doer and who the receiver of a trigger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..vocabulary import wordlist

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJ = {"nsubj", "csubj"}
PASS_SUBJ = {"nsubjpass", "csubjpass"}
OBJECT_CONTROL = wordlist("object_control_verbs")


STATIVE = wordlist("stative_verbs")


@dataclass(frozen=True)
class Slots:
    """Heads of the phrases that fill an event's roles (token indices into the Doc)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    intermediary: tuple[int, ...]
    passive: bool


def is_passive(v: Token) -> bool:
    if any(c.dep_ in PASS_SUBJ or c.dep_ == "auxpass" for c in v.children):
        return True
    return v.tag_ == "VBN" and v.dep_ in ("acl", "amod") and v.head.pos_ in ("NOUN", "PROPN")


def stative_subject(v: Token) -> Token | None:
    """The subject of an adjectival passive without a by-agent ("Israel is opposed to ..."), else None."""
    if v.lemma_.lower() not in STATIVE or agent_of(v) is not None:
        return None
    for c in v.children:
        if c.dep_ == "nsubjpass":
            return _relative(c)
    if v.dep_ == "acomp" and v.head.lemma_ == "be":  # "Greece is opposed to ...", parsed as an adjective
        for c in v.head.children:
            if c.dep_ in SUBJ:
                return _relative(c)
    return None


def pobjs(tok: Token, preps: tuple[str, ...]) -> list[Token]:
    """Objects of the given prepositions under tok (also under a particle: "reached out to X")."""
    out: list[Token] = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            out.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp") and c.pos_ != "VERB")
        elif child.dep_ == "prt":
            out.extend(pobjs(child, preps))
    return out


STATEMENT_NOUNS = wordlist("statement_nouns")


def agent_of(v: Token) -> Token | None:
    for child in v.children:
        if child.dep_ == "agent":
            for c in child.children:
                if c.dep_ == "pobj":
                    return c
    if not is_passive(v):
        return None
    for prep in (c for c in v.children if c.dep_ == "prep" and c.lower_ in ("in", "through", "via")):
        for noun in (g for g in prep.children if g.dep_ == "pobj" and g.lemma_.lower() in STATEMENT_NOUNS):
            for by in (g for g in noun.children if g.dep_ == "prep" and g.lower_ == "by"):
                for c in by.children:
                    if c.dep_ == "pobj":
                        return c
    return None


def subject_of(v: Token, depth: int = 0) -> Token | None:
    """The doer of verb v, following control and coordination up the tree when v has none of its own."""
    if depth > 6:
        return None
    for child in v.children:
        if child.dep_ in SUBJ:
            return _relative(child)
    if is_passive(v):
        agent = agent_of(v)
        if agent is not None:
            return agent
        if any(c.dep_ in PASS_SUBJ for c in v.children):
            return None
    head = v.head
    if head.i == v.i:
        return None
    if v.dep_ == "xcomp" and head.lemma_ in OBJECT_CONTROL:
        for child in head.children:
            if child.dep_ == "dobj":
                return child
    if v.dep_ in ("xcomp", "advcl", "conj", "ccomp") and head.pos_ in ("VERB", "AUX"):
        # a raising passive ("is reported to have discussed") passes its subject down
        for child in head.children:
            if child.dep_ in PASS_SUBJ and v.dep_ == "xcomp":
                return _relative(child)
        return subject_of(head, depth + 1)
    if v.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.pos_ in ("VERB", "AUX"):
        # "resorted to throwing stones": the governing verb's doer; "accused Y of attacking": its object's
        gov = head.head
        obj = next((c for c in gov.children if c.dep_ == "dobj"), None)
        return obj if obj is not None else subject_of(gov, depth + 1)
    if v.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp":
        return subject_of(head.head, depth + 1)  # "Syria is willing to withdraw", "ready to host"
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
    if v.dep_ in ("acl", "relcl") and infinitive and head.dep_ in ("dobj", "pobj"):
        # "converged for a rally to protest X", "approved a plan to attack Y": the doer of the verb above
        gov = head.head.head if head.dep_ == "pobj" else head.head
        if gov.pos_ in ("VERB", "AUX"):
            return subject_of(gov, depth + 1)
    if v.dep_ == "relcl":
        return head
    if v.dep_ == "acl" and v.tag_ in ("VBG", "VBD") and head.pos_ in ("NOUN", "PROPN"):
        # "a video of Musharraf addressing an audience"; a finite verb parsed as a modifier ("Palestinian youths
        # resorted to ...") is the main verb of its head noun
        return head
    return None


def clause_subjects(clause: Token) -> list[Token]:
    """The subjects of a clause, coordinated ones included ("unless the US and Britain withdraw")."""
    return [
        g
        for s in clause.children
        if s.dep_ in SUBJ | PASS_SUBJ
        for g in (s, *(x for x in s.children if x.dep_ == "conj"))
    ]


def _relative(tok: Token) -> Token:
    """ "who"/"which" stand for the noun the relative clause modifies."""
    if tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


def antecedents(tok: Token) -> list[Token]:
    """What a relative pronoun may stand for, nearest first: the noun its clause hangs from, then the nouns above
    it through clauses that modify them ("a coalition to patrol the Gulf which was joined by X": the parser hangs
    the clause on "Gulf", the coalition is what was joined); any other token stands for itself."""
    cur = _relative(tok)
    if cur is tok:
        return [tok]
    out = [cur]
    for _ in range(2):
        clause = cur.head
        if cur.dep_ not in ("dobj", "pobj") or clause.dep_ not in ("relcl", "acl") or clause.head.pos_ != "NOUN":
            break
        cur = clause.head
        out.append(cur)
    return out


def referents(it: Token, sentences_back: int = 2) -> list[Token]:
    """What "it" may stand for, nearest first: the nouns heading a subject or object earlier in its sentence, then
    in the sentences before. Only a caller that checks the noun's sense (a pattern's object words) may use them."""
    doc = it.doc
    first = it.sent.start
    for _ in range(sentences_back):
        if first == 0:
            break
        first = doc[first - 1].sent.start
    return [
        t
        for t in reversed(doc[first : it.i])
        if t.pos_ == "NOUN" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "attr")
    ]


def verb_slots(
    v: Token, target_roles: tuple[str, ...], via: tuple[str, ...], source_preps: tuple[str, ...] = ()
) -> Slots:
    passive = is_passive(v)
    preps = tuple(r for r in target_roles if r != "dobj")
    target: list[Token] = []
    stative = stative_subject(v)
    if stative is not None:
        passive = False
        source: Token | None = stative
    elif passive:
        source = agent_of(v)
        if source is None:
            source = _nominal_agent(v)
        if source is None and source_preps:
            # "goods originating from X were unloaded at Y": the origin inside the passive subject
            for subj in (c for c in v.children if c.dep_ in PASS_SUBJ):
                found = [o for t in subj.subtree for o in pobjs(t, source_preps)]
                if not found and "from" in source_preps:  # "Armenian apricots were unloaded ..."
                    found = [
                        t for t in subj.subtree if t.dep_ in ("amod", "compound") and t.ent_type_ in ("NORP", "GPE")
                    ]
                if found:
                    source = found[0]
                    break
        if "dobj" in target_roles:
            target.extend(_relative(c) for c in v.children if c.dep_ in PASS_SUBJ)
            if not target and v.dep_ in ("acl", "amod"):
                target.append(v.head)
            if not target and v.dep_ == "conj":
                # "The civilians [were] imprisoned ... and were released by X": the shared subject
                target.extend(_relative(c) for c in v.head.children if c.dep_ in SUBJ | PASS_SUBJ)
    else:
        source = subject_of(v)
        if "dobj" in target_roles:
            target.extend(c for c in v.children if c.dep_ in ("dobj", "dative"))
        elif "dative" in target_roles:  # "Finland will give Tanzania a grant"
            target.extend(c for c in v.children if c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN", "PRON"))
    target.extend(pobjs(v, preps))
    return Slots(
        source=(source.i,) if source is not None else (),
        target=tuple(t.i for t in target),
        intermediary=tuple(t.i for t in pobjs(v, via)),
        passive=passive,
    )


def _nominal_agent(v: Token) -> Token | None:
    """ "killed in attacks perpetrated by X": the doer hides in a nominal event under the verb."""
    for child in v.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "during", "by"):
            for obj in child.children:
                if obj.dep_ != "pobj":
                    continue
                for acl in obj.children:
                    if acl.dep_ == "acl":
                        agent = agent_of(acl)
                        if agent is not None:
                            return agent
                for mod in obj.children:
                    if mod.dep_ == "poss":
                        return mod
    return None


_BEING = ("be", "remain", "stay", "come", "fall", "live", "find")  # "is / came / fell under sanctions"


def noun_slots(
    n: Token,
    target_preps: tuple[str, ...],
    source_preps: tuple[str, ...],
    via: tuple[str, ...],
    joint: bool = False,
) -> Slots:
    """The sides of an event noun. `joint`: an act the parties do together, whose "of" or "among" lists them all
    ("the trilateral meeting of Cyprus, Greece and Israel"), as "between" does for any act."""
    source: list[Token] = []
    preps = tuple(p for p in target_preps if p != "dobj")
    target: list[Token] = list(pobjs(n, preps))
    if not target:
        # "the withdrawal of troops from Panama": the receiver hangs off what the event is of
        target.extend(o for t in pobjs(n, ("of",)) for o in pobjs(t, tuple(p for p in preps if p != "of")))
    if not target and n.dep_ == "dobj" and n.head.pos_ in ("VERB", "AUX"):
        target.extend(pobjs(n.head, preps))  # "opened investigations against X": the light verb carries the "against"
    # "the meeting between X and Y"
    between = pobjs(n, ("between", "among", "of") if joint else ("between",))
    if between:
        first = between[0]
        others = [c for c in first.children if c.dep_ == "conj"]
        if others:
            source.append(first)
            target.extend(others)
    if not source:
        source.extend(c for c in n.children if c.dep_ == "poss")
    if not source:
        source.extend(pobjs(n, source_preps))
    if not source:
        for acl in n.children:
            if acl.dep_ == "acl" and (agent := agent_of(acl)) is not None:
                source.append(agent)
    if not source:
        # "an Israeli jet landing", "Pakistani strikes": a demonym or country name modifying the noun
        source.extend(
            c for c in n.children if c.dep_ in ("amod", "compound", "nmod") and c.ent_type_ in ("NORP", "GPE", "ORG")
        )
    if not source:
        # "used by the Indian Air Force in a strike on X", "launched attacks on X": the governing verb's doer
        gov = n.head
        light = n.dep_ == "dobj" or (n.dep_ == "pobj" and gov.lower_ in ("in", "during", "with"))
        if n.dep_ == "pobj":
            gov = gov.head
        if light and gov.pos_ in ("VERB", "AUX") and gov.i != n.i:
            doer = stative_subject(gov) or (agent_of(gov) if is_passive(gov) else subject_of(gov))
            if doer is not None and doer.i != n.i:
                source.append(doer)
    if not target and n.dep_ == "pobj" and n.head.lower_ == "under" and n.head.head.lemma_.lower() in _BEING:
        # "Turkey is already under EU sanctions", "has remained under an embargo since 2014": who is under them
        held = subject_of(n.head.head)
        target.extend([held] if held is not None else [])
    target = [t for t in target if t.i not in {s.i for s in source}]
    return Slots(
        source=tuple(s.i for s in source),
        target=tuple(t.i for t in target),
        intermediary=tuple(t.i for t in pobjs(n, via)),
        passive=False,
    )
