"""Modality as a code: an action announced for the future is an intent, a threat or a refusal, not the action."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from ..data import open_data
from ..vocabulary import wordlist

if TYPE_CHECKING:
    from spacy.tokens import Token


def _codes(kind: str) -> dict[str, str]:
    """action code prefix -> the code its announcement as `kind` gets."""
    with open_data("modality-codes.csv") as fh:
        return {row["action"]: row["code"] for row in csv.DictReader(fh) if row["kind"] == kind}


# CAMEO's own reading: "will release the prisoners" is 0353 (intent to release), "will impose a curfew" 1323
# (threaten a curfew), "will not accept refugees" 12x (reject). Longest matching prefix of the action's code wins.
# The pairs are data: data/modality-codes.csv.
INTENT, REFUSAL, THREAT = (_codes(kind) for kind in ("intent", "refusal", "threat"))
_FUTURE = wordlist("future_auxiliaries")
# "would" announces only in reported speech or under a condition ("said it would free", "would meet him if");
# in narrative it is a past habit or a future-in-the-past ("Rosen would come to bat for Musharraf")
_WOULD = {"would", "'d"}
_ANNOUNCING = wordlist("announcing_verbs")
_MAYBE = wordlist("possibility_modals")
CONDITION = {"if", "unless"}
_READY = wordlist("readiness_words")


def _lookup(table: dict[str, str], code: str) -> str | None:
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def announced(tok: Token) -> tuple[bool, bool] | None:
    """(announced, negated) when verb tok is said of the future or of a readiness ("will withdraw", "is ready to
    send", "could lift ... if"), else None. A counterfactual ("would have attacked") is not announced."""
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if auxes & {"have", "'ve"} or tok.tag_ == "VBN" and not any(c.dep_ == "auxpass" for c in tok.children):
        return None
    if auxes & _FUTURE:
        return True, _negated(tok)
    conditional = bool(marked_clauses(tok, CONDITION))
    if auxes & _WOULD and (conditional or _reported(tok)):
        return True, _negated(tok)
    if auxes & _MAYBE and conditional:
        return True, _negated(tok)
    head = tok.head
    if tok.dep_ == "xcomp" and head.i != tok.i:
        if head.lemma_.lower() in _READY or head.lower_ in _READY:
            gov = head.head if head.dep_ == "acomp" else head
            return True, _negated(head) or _negated(gov)
        if head.lower_ == "going" and any(c.dep_ == "aux" for c in head.children):
            return True, _negated(head)
    return None


def _reported(tok: Token) -> bool:
    """tok is what an announcing verb says: "said it would", "announced he may"."""
    return tok.dep_ == "ccomp" and tok.head.lemma_.lower() in _ANNOUNCING


def _said_may(tok: Token) -> bool:
    """ "said he may declare", "said it could send troops": a possibility a speaker announces."""
    maybe = {c.lower_ for c in tok.children if c.dep_ == "aux"} & _MAYBE
    return bool(maybe) and _reported(tok) and not _negated(tok)


def announcement(tok: Token) -> bool:
    """Whether verb tok's own future, readiness or possibility makes its event an announcement: coded as an
    intent, threat or refusal (recode), that event is the announcement made, not the act announced."""
    return tok.pos_ in ("VERB", "AUX") and (announced(tok) is not None or _said_may(tok))


def recode(code: str, tok: Token) -> str:
    """The code of an action announced by verb tok: intent (03), refusal (12) or threat (13); else code itself."""
    state = announced(tok)
    if state is None:
        # "said he can and may declare a state of emergency": a hostile act a speaker says may come is a threat
        return (_lookup(THREAT, code) or code) if _said_may(tok) else code
    _, negated = state
    if negated:
        return _lookup(REFUSAL, code) or code
    if marked_clauses(tok, {"unless"}):
        # "will withdraw its force unless elections are held": a condition on the other side makes any announced
        # action a threat, a cooperative one included
        return _lookup(THREAT, code) or "130"
    return _lookup(INTENT, code) or _lookup(THREAT, code) or code


def marked_clauses(tok: Token, marks: set[str]) -> list[Token]:
    """The adverbial clauses of tok opened by one of `marks` ("if", "unless")."""
    return [
        c for c in tok.children if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
    ]
