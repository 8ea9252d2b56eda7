"""How sure the text is: asserted, reported, claimed, disputed, denied, hypothetical or negated, and by whom."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .model import Event

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

MODALS = {"may", "might", "could", "would", "should", "can", "must", "will", "shall", "'ll", "ca", "wo"}
HEDGE_ADJ = {
    "unlikely",
    "likely",
    "possible",
    "probable",
    "able",
    "ready",
    "willing",
    "set",
    "poised",
    "expected",
    "due",
    "eager",
    "keen",
    "prepared",
    "reluctant",
    "impossible",
}
INTENT_VERBS = {
    "want",
    "seek",
    "plan",
    "hope",
    "need",
    "intend",
    "try",
    "aim",
    "expect",
    "consider",
    "wish",
    "propose",
    "threaten",
    "promise",
    "pledge",
    "vow",
    "prepare",
    "attempt",
    "offer",
    "mull",
    "weigh",
    "contemplate",
    "push",
    "urge",
    "ask",
    "call",
    "demand",
    "refuse",
    "decline",
    "fail",
    "continue",
}
DENY_VERBS = {"deny", "refute", "dismiss", "reject", "rebut"}
DISPUTE_WORDS = {"disputed", "unconfirmed", "unverified", "contested", "alleged", "dubious", "questionable"}
CLAIM_NOUNS = {"claim", "report", "allegation", "rumor", "rumour", "speculation", "assertion"}
REPORT_VERBS = {
    "say",
    "report",
    "tell",
    "state",
    "announce",
    "claim",
    "allege",
    "confirm",
    "insist",
    "add",
    "write",
    "note",
    "argue",
    "assert",
    "suggest",
    "believe",
    "accord",
}
REPORT_ADVS = {"reportedly", "allegedly", "purportedly", "apparently", "supposedly", "ostensibly"}
NEGATIONS = {"not", "n't", "never", "no"}
CONDITIONAL_MARKS = {"if", "unless", "whether"}
# Nouns that make the event they govern a possibility: "the prospect of ties", "pave the way for recognition".
PROSPECT_NOUNS = {
    "prospect",
    "possibility",
    "idea",
    "effort",
    "bid",
    "push",
    "plan",
    "proposal",
    "way",
    "hope",
    "speculation",
    "attempt",
    "talk",
    "option",
    "chance",
    "call",
    "offer",
    "threat",
    "need",
    "goal",
    "aim",
    "intention",
    "willingness",
    "readiness",
    "path",
    "road",
    "prelude",
    "step",
    "move",
}


def _path(trigger: Token) -> list[Token]:
    """The trigger and the heads above it, up to the sentence root."""
    out = [trigger]
    tok = trigger
    for _ in range(15):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        out.append(tok)
    return out


def judge(trigger: Token, ev: Event | None = None) -> tuple[str, str | None]:
    """The certainty label for the event at `trigger`, with the named source when there is one."""
    path = _path(trigger)
    sent = trigger.sent
    verb_group = [trigger] + ([trigger.head] if trigger.dep_ in ("xcomp", "pcomp", "dobj") else [])
    # negated: "does not recognize", "never met"
    if any(c.lower_ in NEGATIONS and c.dep_ == "neg" for v in verb_group for c in v.children):
        return ("negated", None)
    # denied / disputed: the event sits under a denial or inside a disputed claim
    for tok in path[1:]:
        if tok.lemma_.lower() in DENY_VERBS and tok.pos_ == "VERB":
            return ("denied", _subject_text(tok))
        if tok.lemma_.lower() in CLAIM_NOUNS and any(
            c.lower_ in DISPUTE_WORDS or c.lemma_ == "dispute" for c in tok.children
        ):
            return ("disputed", None)
        if tok.lemma_.lower() == "dispute" and tok.pos_ == "VERB" and tok.dep_ not in ("amod",):
            return ("disputed", _subject_text(tok))
        if tok.lemma_.lower() in ("deny", "denial") and tok.pos_ == "NOUN":
            return ("denied", None)
    # hypothetical: modals, hedges, intentions, conditions and futures on the way up
    # "would come to his defence after he declared ...": would/could as the past's future, not a hypothesis
    past_narrative = any(
        t.tag_ == "VBD" and t.dep_ != "auxpass" and t.lemma_.lower() not in REPORT_VERBS for t in sent
    ) and not _conditional(sent)
    if trigger.pos_ in ("NOUN", "PROPN") and any(t.lemma_.lower() in PROSPECT_NOUNS for t in path[1:]):
        return ("hypothetical", None)
    for depth, tok in enumerate(path):
        if depth > 0 and path[depth - 1].dep_ == "ccomp":
            break
        for c in tok.children:
            low = c.lower_
            if c.dep_ == "aux" and low in MODALS:
                if low == "would" and past_narrative:
                    continue
                return ("hypothetical", None)
            if c.dep_ == "mark" and low in CONDITIONAL_MARKS:
                return ("hypothetical", None)
            if c.dep_ in ("acomp", "amod") and low in HEDGE_ADJ and tok.lemma_ == "be":
                return ("hypothetical", None)
            if c.dep_ == "neg" and depth > 0 and tok.lemma_.lower() in INTENT_VERBS | {"be"}:
                return ("hypothetical", None)
        if depth > 0 and tok.lemma_.lower() in INTENT_VERBS and tok.pos_ == "VERB" and _below_xcomp(path, depth):
            return ("hypothetical", None)
        if depth > 0 and tok.lower_ in HEDGE_ADJ:
            return ("hypothetical", None)
    # reported / claimed: "according to X", "is reported to", "X said (that) ..."
    for tok in sent:
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            src = next((g for c in tok.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None)
            text = _phrase_text(src) if src is not None else None
            return (_reported_or_claimed(text, ev), text)
    for depth, tok in enumerate(path):
        if any(c.lower_ in REPORT_ADVS for c in tok.children):
            return ("reported", None)
        if depth == 0:
            continue
        lemma = tok.lemma_.lower()
        if lemma in REPORT_VERBS and tok.pos_ == "VERB":
            if lemma == "report" and any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
                return ("reported", None)
            speaker = _subject_text(tok)
            if path[depth - 1].dep_ in ("ccomp", "xcomp", "conj") or lemma == "claim":
                label = "claimed" if lemma in ("claim", "insist", "allege", "assert") else "reported"
                return (_reported_or_claimed(speaker, ev, default=label), speaker)
    if any(c.lower_ in REPORT_ADVS for c in trigger.children):
        return ("reported", None)
    return ("asserted", None)


def _below_xcomp(path: list[Token], depth: int) -> bool:
    return path[depth - 1].dep_ in ("xcomp", "ccomp") or (
        depth >= 2 and path[depth - 1].dep_ in ("dobj",) and path[depth - 2].dep_ in ("xcomp", "acl")
    )


def _conditional(sent: Span) -> bool:
    return any(t.lower_ in CONDITIONAL_MARKS and t.dep_ == "mark" for t in sent)


def _subject_text(verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return _phrase_text(c)
    return None


def _phrase_text(tok: Token) -> str:
    left, right = tok.left_edge.i, tok.right_edge.i
    return tok.doc[left : right + 1].text.strip(' ,.\u201c\u201d"')


def _reported_or_claimed(speaker: str | None, ev: Event | None, default: str = "reported") -> str:
    """A party to the event who says it happened claims it; anyone else reports it."""
    if speaker and ev is not None:
        low = speaker.lower()
        for a in (*ev.source, *ev.target):
            last = a.name.split()[-1].lower() if a.name else ""
            if last and last in low.split():
                return "claimed"
        if low in ("some", "some claim", "critics", "supporters"):
            return "claimed"
    return default


def judge_events(doc: Doc, events: list[Event]) -> list[Event]:
    out = []
    for ev in events:
        span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
        if span is None:
            out.append(ev)
            continue
        label, source = judge(span.root, ev)
        out.append(replace(ev, certainty=label, attributed_to=source))  # type: ignore[arg-type]
    return out
