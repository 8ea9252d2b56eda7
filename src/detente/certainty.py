"""How sure the text is: asserted, reported, claimed, disputed, denied, hypothetical or negated, and by whom."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .actors.gazetteer import Gazetteer
from .events.modality import announcement
from .model import Event
from .nlp import sentence_of
from .vocabulary import wordlist

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .context import Context

MODALS = wordlist("modals")
HEDGE_ADJ = wordlist("hedge_adjectives")
INTENT_VERBS = wordlist("intent_verbs")
REFUSAL_VERBS = wordlist("refusal_verbs")
DENY_VERBS = wordlist("denial_verbs")
DISPUTE_WORDS = wordlist("dispute_words")
CLAIM_NOUNS = wordlist("claim_nouns")
REPORT_VERBS = wordlist("report_verbs")
REPORT_ADVS = wordlist("report_adverbs")
NEGATIONS = wordlist("negations")
PERFORMATIVE_VERBS = wordlist("performative_verbs")
NEG_WORDS = wordlist("negative_words")
CLAIM_VERBS = wordlist("claim_verbs")
FORECAST_VERBS = wordlist("forecast_verbs")
CONFLICT_VERBS = wordlist("conflict_verbs")
CONDITIONAL_MARKS = wordlist("conditional_marks")
PROSPECT_NOUNS = wordlist("prospect_nouns")


_GOVERNING = wordlist("enabling_verbs")


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


def _negated(trigger: Token) -> bool:
    """ "did not meet", "never met", "No talks were held", "Nobody attended", "Neither X nor Y voted"."""
    group = [trigger] + ([trigger.head] if trigger.dep_ in ("xcomp", "pcomp", "dobj", "attr") else [])
    for v in group:
        for c in v.children:
            if c.dep_ == "neg" and c.lower_ in NEGATIONS:
                return True
            if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") or (c.dep_ == "det" and v.i == trigger.i):
                if c.lower_ in NEG_WORDS or c.lemma_.lower() in NEG_WORDS:
                    return True
                if any(g.dep_ in ("det", "preconj", "neg") and g.lower_ in NEG_WORDS for g in c.children):
                    return True
            if c.dep_ == "prep" and any(  # "At no point did ..."
                g.dep_ == "pobj" and any(d.lower_ == "no" for d in g.children) for g in c.children
            ):
                return True
    # "There was no meeting between X and Y": the existential's negative determiner
    return trigger.pos_ == "NOUN" and trigger.head.lemma_ == "be" and any(c.lower_ == "no" for c in trigger.children)


def _disputed(trigger: Token, path: list[Token]) -> tuple[bool, str | None]:
    for tok in path[1:]:
        lemma = tok.lemma_.lower()
        if lemma in CONFLICT_VERBS and tok.pos_ == "VERB":
            return True, None  # "Accounts differed on whether X met Y", "Reports conflicted over whether ..."
        if lemma in REPORT_VERBS and _contradicted(tok):
            return True, None  # "State media said the army repelled the attack, but monitors said ..."
        if lemma in CLAIM_NOUNS and any(c.lower_ in DISPUTE_WORDS or c.lemma_ == "dispute" for c in tok.children):
            return True, None
        if lemma == "dispute" and tok.pos_ == "VERB" and tok.dep_ != "amod":
            return True, _subject_text(tok)
        # "Unconfirmed reports say ...", "Unverified footage purportedly shows ..."
        if lemma in REPORT_VERBS | CLAIM_VERBS:
            for subj in (c for c in tok.children if c.dep_ == "nsubj"):
                if subj.lemma_.lower() in CLAIM_NOUNS and any(
                    c.lower_ in DISPUTE_WORDS for c in subj.children if c.dep_ in ("amod", "compound")
                ):
                    return True, None
    if any(c.lower_ in DISPUTE_WORDS - {"alleged"} for c in trigger.children if c.dep_ == "amod"):
        return True, None
    # "Allegations that X happened remain contested", "The alleged bombing ... remains contested"
    for tok in path:
        if tok.lemma_ in ("remain", "be") and any(c.lower_ in DISPUTE_WORDS for c in tok.children if c.dep_ == "acomp"):
            return True, None
    return False, None


def _future_in_past(verb: Token) -> bool:
    """ "Iran warned that it would retaliate", "said it would impose sanctions": "would" under a verb of saying or
    intent is what was to come then, not a narrated past."""
    return verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORT_VERBS | INTENT_VERBS | FORECAST_VERBS


def _contradicted(verb: Token) -> bool:
    """A report answered in the same sentence by another: "X said ..., but Y said ..." (either side)."""
    other = [c for c in verb.children if c.dep_ == "conj" and c.lemma_.lower() in REPORT_VERBS]
    if verb.dep_ == "conj" and verb.head.lemma_.lower() in REPORT_VERBS:
        other.append(verb.head)
    pivot = [verb, *other]
    return bool(other) and any(
        c.dep_ == "cc" and c.lower_ in ("but", "while", "whereas") for v in pivot for c in v.children
    )


def _performative(verb: Token) -> bool:
    """ "I would urge anyone to ...", "we would ask the government to ...": politeness, not a hypothesis."""
    return verb.lemma_.lower() in PERFORMATIVE_VERBS and any(
        c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in verb.children
    )


_ANNOUNCED_ROOTS = ("03", "12", "13")  # intents, refusals and threats: what modality.recode makes of announced acts


def judge(trigger: Token, ev: Event | None, gaz: Gazetteer) -> tuple[str, str | None]:
    """The certainty label for the event at `trigger`, with the named source when there is one."""
    path = _path(trigger)
    sent = sentence_of(trigger)
    # "said it will impose sanctions", "will not accept": coded as the threat or refusal, the event is the
    # announcement, which happened (the gold guide: a threat IS an event); its own future or negation is its content
    told = ev is not None and ev.cameo_root in _ANNOUNCED_ROOTS and announcement(trigger)
    if _negated(trigger) and not told:
        return ("negated", None)
    # denied / disputed: the event sits under a denial or inside a disputed claim
    for tok in path[1:]:
        if tok.lemma_.lower() in DENY_VERBS and tok.pos_ == "VERB":
            return ("denied", _subject_text(tok))
        if tok.lemma_.lower() in ("deny", "denial") and tok.pos_ == "NOUN":
            return ("denied", None)
    disputed, by = _disputed(trigger, path)
    if disputed:
        return ("disputed", by)
    # hypothetical: modals, hedges, intentions, conditions and futures on the way up
    # "would come to his defence after he declared ...": would as the past's future, not a hypothesis
    past_narrative = any(
        t.tag_ == "VBD" and t.dep_ != "auxpass" and t.lemma_.lower() not in REPORT_VERBS for t in sent
    ) and not _conditional(sent)
    if trigger.pos_ in ("NOUN", "PROPN") and any(t.lemma_.lower() in PROSPECT_NOUNS for t in path[1:]):
        return ("hypothetical", None)
    if trigger.dep_ == "acl" and trigger.head.lemma_.lower() in PROSPECT_NOUNS:
        return ("hypothetical", None)  # "plans to attack diplomats", "a plot to kill the ambassador"
    for depth, tok in enumerate(path):
        if depth > 0 and path[depth - 1].dep_ == "ccomp" and tok.lemma_.lower() not in _GOVERNING:
            break  # "said that X met": what a speaker says stands on its own; "would allow people to" does not
        if depth == 0 and told:
            continue
        if depth > 0 and path[depth - 1].dep_ == "conj" and _own_subject(path[depth - 1]):
            break  # "was expected to end, but it was extended": a clause with its own subject keeps its own mood
        for c in tok.children:
            low = c.lower_
            if c.dep_ == "aux" and low in MODALS:
                if low == "would" and past_narrative and not _future_in_past(tok):
                    continue
                if low == "would" and _performative(tok):
                    continue
                return ("hypothetical", None)
            if c.dep_ == "mark" and low in CONDITIONAL_MARKS:
                return ("hypothetical", None)
            if c.dep_ in ("acomp", "amod") and low in HEDGE_ADJ and tok.lemma_ == "be":
                return ("hypothetical", None)
            if c.dep_ == "neg" and depth > 0 and tok.lemma_.lower() in INTENT_VERBS | {"be"}:
                return ("hypothetical", None)
        if depth > 0 and tok.lemma_.lower() in REFUSAL_VERBS and _below_xcomp(path, depth):
            return ("negated", None)  # "refused to meet", "failed to reach a deal": it did not happen
        if depth > 0 and tok.lemma_.lower() in INTENT_VERBS and _below_xcomp(path, depth):
            return ("hypothetical", None)
        if depth > 0 and tok.lower_ in HEDGE_ADJ:
            return ("hypothetical", None)
    label, by = _attribution(trigger, path, sent, ev, gaz)
    if told and label == "claimed" and ev is not None and _said_by_doer(by, ev, trigger, gaz):
        return ("asserted", by)  # "Chile said it will impose sanctions": the text asserts the threat was made
    return (label, by)


def _own_subject(clause: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children)


def _said_by_doer(speaker: str | None, ev: Event, trigger: Token, gaz: Gazetteer) -> bool:
    """The speaker of an announcement is its doer: the announcing clause's subject is a pronoun for the speaker,
    or the speaker names the doer's country."""
    if not speaker:
        return False
    subj = next((c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.pos_ == "PRON":
        return True
    return bool({a.country for a in ev.source if a.country} & _countries_in(speaker, gaz))


def _attribution(
    trigger: Token, path: list[Token], sent: Span, ev: Event | None, gaz: Gazetteer
) -> tuple[str, str | None]:
    """reported / claimed / asserted: "according to X", "is said to", "X said (that) ...", "..., officials said"."""
    for tok in sent:
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            src = next((g for c in tok.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None)
            text = _phrase_text(src) if src is not None else None
            return (_reported_or_claimed(text, ev, trigger, gaz), text)
    for depth, tok in enumerate(path):
        if any(c.lower_ in REPORT_ADVS for c in tok.children):
            return ("reported", None)
        if depth == 0:
            continue
        lemma = tok.lemma_.lower()
        if lemma in REPORT_VERBS | CLAIM_VERBS and tok.pos_ in ("VERB", "NOUN"):
            if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
                return ("reported", _agent_text(tok))  # "is said to have met", "we are told by diplomats"
            speaker = _subject_text(tok)
            if path[depth - 1].dep_ in ("ccomp", "xcomp", "conj") or lemma in CLAIM_VERBS:
                label = "claimed" if lemma in CLAIM_VERBS else "reported"
                return (_reported_or_claimed(speaker, ev, path[depth - 1], gaz, default=label), speaker)
    # "X did Y, officials said": the reporting clause hangs off the event's own clause
    for tok in path[-1:] + [trigger]:
        for c in tok.children:
            if (
                c.lemma_.lower() in REPORT_VERBS | CLAIM_VERBS
                and c.pos_ == "VERB"
                and c.dep_ in ("parataxis", "ccomp", "advcl", "conj")
                and c.i > trigger.i
            ):
                speaker = _subject_text(c)
                if speaker:
                    default = "claimed" if c.lemma_.lower() in CLAIM_VERBS else "reported"
                    return (_reported_or_claimed(speaker, ev, None, gaz, default=default), speaker)
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


def _agent_text(verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return _phrase_text(g)
    return None


def _reported_or_claimed(
    speaker: str | None, ev: Event | None, clause: Token | None, gaz: Gazetteer, default: str = "reported"
) -> str:
    """A party to the event who says it happened claims it; anyone else reports it.

    The speaker is a party when the event's actors share its country or name, or when the reported clause
    refers back to the speaker ("Iran says its navy seized ...", "India said its troops ...").
    """
    if not speaker:
        return default
    low = speaker.lower()
    if clause is not None:
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and (
            subj.lower_ in ("it", "they", "he", "she", "we")
            or any(c.dep_ == "poss" and c.lower_ in ("its", "their", "his", "her", "our") for c in subj.children)
        ):
            return "claimed"
    if ev is not None:
        speaker_countries = _countries_in(speaker, gaz)
        for a in (*ev.source, *ev.target):
            last = a.name.split()[-1].lower() if a.name else ""
            if (last and last in low.split()) or (a.country and a.country in speaker_countries):
                return "claimed"
    if low in ("some", "critics", "supporters"):
        return "claimed"
    return default


def _countries_in(text: str, g: Gazetteer) -> set[str]:
    out: set[str] = set()
    words = text.replace("’s", "").replace("'s", "").split()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            for e in g.lookup(" ".join(words[i : i + size])):
                if e.country and e.kind in ("country", "org") and not e.ambiguous:
                    out.add(e.country)
    return out


def judge_events(ctx: Context, events: list[Event]) -> list[Event]:
    """Each event's certainty; who is speaking is read with the context's tables (the user's actors too)."""
    out = []
    for ev in events:
        span = ctx.doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
        if span is None:
            out.append(ev)
            continue
        label, source = judge(span.root, ev, ctx.gaz)
        out.append(replace(ev, certainty=label, attributed_to=source))  # type: ignore[arg-type]
    return out
