"""Modality as a code: an action announced for the future is an intent, a threat or a refusal, not the action."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

# CAMEO's own reading: "will release the prisoners" is 0353 (intent to release), "will impose a curfew" 1323
# (threaten a curfew), "will not accept refugees" 12x (reject). Longest matching prefix of the action's code wins.
INTENT = {
    "04": "036",
    "045": "039",
    "05": "032",
    "057": "030",
    "06": "031",
    "061": "0311",
    "062": "0312",
    "063": "0313",
    "064": "0314",
    "07": "033",
    "071": "0331",
    "072": "0332",
    "073": "0333",
    "074": "0334",
    "08": "035",
    "081": "0351",
    "082": "0352",
    "083": "034",
    "0831": "0341",
    "084": "0353",
    "085": "0354",
    "086": "0355",
    "087": "0356",
}
REFUSAL = {
    "03": "120",
    "04": "125",
    "05": "120",
    "06": "121",
    "061": "1211",
    "062": "1212",
    "07": "122",
    "071": "1221",
    "072": "1222",
    "073": "1223",
    "074": "1224",
    "08": "124",
    "081": "1241",
    "082": "1242",
    "083": "123",
    "084": "1243",
    "085": "1244",
    "086": "1245",
    "087": "1246",
}
THREAT = {
    "14": "133",
    "15": "138",
    "16": "131",
    "161": "1313",
    "162": "1311",
    "163": "1312",
    "164": "134",
    "165": "135",
    "166": "136",
    "17": "137",
    "172": "132",
    "1721": "1321",
    "1722": "1322",
    "1723": "1323",
    "1724": "1324",
    "18": "1383",
    "19": "1384",
    "191": "1381",
    "192": "1382",
    "20": "1385",
}
_FUTURE = {"will", "shall", "'ll", "wo"}
# "would" announces only in reported speech or under a condition ("said it would free", "would meet him if");
# in narrative it is a past habit or a future-in-the-past ("Rosen would come to bat for Musharraf")
_WOULD = {"would", "'d"}
_ANNOUNCING = {
    "say",
    "announce",
    "tell",
    "state",
    "declare",
    "confirm",
    "add",
    "report",
    "indicate",
    "signal",
    "warn",
    "insist",
    "reiterate",
    "assert",
    "write",
}
_MAYBE = {"may", "might", "could", "can", "ca"}
CONDITION = {"if", "unless"}
# "is willing / ready / prepared to send", "plans to impose", "decided to allow"
_READY = {
    "willing",
    "ready",
    "prepared",
    "determined",
    "eager",
    "keen",
    "plan",
    "intend",
    "prepare",
    "decide",
    "want",
    "wish",
    "seek",
    "aim",
    "hope",
}


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
    reported = tok.dep_ == "ccomp" and tok.head.lemma_.lower() in _ANNOUNCING
    if auxes & _WOULD and (conditional or reported):
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


def recode(code: str, tok: Token) -> str:
    """The code of an action announced by verb tok: intent (03), refusal (12) or threat (13); else code itself."""
    state = announced(tok)
    if state is None:
        return code
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
