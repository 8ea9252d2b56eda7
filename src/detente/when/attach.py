"""Dates attached to events: each event's own time expression, else the story's (the narrative day, the date the
sentence before was about), read in order through the article; a past event is never dated after publication."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..model import Event, EventDate
from ..nlp import entity_at, sentence_of, sentences, text_of
from ..vocabulary import wordlist

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..context import Context

from .expressions import add_years, normalise, resolve

_REPORTING_PRESENT = {"VBZ", "VBP"}
# how far back a day-precise date may lie and still be the day a news report's past-tense events happened on
NARRATIVE_DAYS = 14
NARRATIVE_MONTH_DAYS = 60  # a month (or part of one) named in a report still sets its story's time within ~2 months
_NO_OFFSETS = 2  # depth at which _date_token stops following "a day after" links
# a past-tense sentence without a date of its own continues the story of the sentence just before it, in the
# same paragraph
CONTINUING_SENTENCES = 1
_DEFERRING = wordlist("deferring_verbs")
_RECORD = wordlist("record_words")
_FUTURE_HEADS = wordlist("future_heads")
_DAY_PARTS = wordlist("day_parts")
_OFFSET = re.compile(
    r"(?:(an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|a couple of|\d+)\s+)?"
    r"(day|week|month|year|decade)s?\s+(after|before|later|earlier)"
)


def expressions(sent: Span) -> list[tuple[Span, Token]]:
    """Time expressions in a sentence with the token they modify; numbers that are names ("SPICE 2000") are not."""
    out = []
    by_sentence = sent.doc.user_data.get("detente_dates")
    if by_sentence is None:  # Span.ents scans the whole document: bucket the dates once per doc
        by_sentence = {}
        for e in sent.doc.ents:
            if e.label_ == "DATE":
                by_sentence.setdefault(sentence_of(e.root).start, []).append(e)
        sent.doc.user_data["detente_dates"] = by_sentence
    for ent in by_sentence.get(sent.start, []):
        if ent.label_ != "DATE":
            continue
        if ent.root.dep_ in ("nummod", "compound", "amod") and ent.root.head.pos_ == "PROPN":
            continue
        if ent.text.lower() in ("annual", "daily", "weekly", "monthly", "yearly"):
            continue
        out.append((ent, _anchor(ent)))
    return out


def _anchor(ent: Span) -> Token:
    tok = ent.root
    while tok.dep_ in ("pobj", "prep", "npadvmod", "conj", "cc", "prt") and tok.head.i != tok.i:
        if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX"):
            break  # "is under sanctions, and was condemned on October 8": the second verb's own date
        tok = tok.head  # a particle is its verb's: "pulled out of talks over the weekend"
    return tok


def _baseline(ent: Span) -> bool:
    """A date things are measured against, not when anything happened: "compared to March 2008", "up from
    a year ago", "than in 2005", "its lowest level since 1997" (a "since" under a noun, not a verb)."""
    doc = ent.doc
    before = [t.lower_ for t in doc[max(0, ent.start - 2) : ent.start]]
    word = before[-1] if before else ""
    if word in ("than", "versus", "vs", "vs.") or before[-2:] in (["compared", "to"], ["compared", "with"]):
        return True
    if word == "since" and (doc[ent.start - 1].head.pos_ not in ("VERB", "AUX") or _superlative(doc[ent.start - 1])):
        return True
    if (
        ent.root.dep_ in ("dobj", "nsubj", "nsubjpass")
        and ent.root.head.pos_ in ("VERB", "AUX")
        and not _COUNTED_ON.search(ent.text)  # "issued the following day": the parser's object is a time still
    ):
        return True  # "ended the day at 8,017", "today is a great day": a participant, not when the verb happened
    if word == "from" and not re.search(r"\b(?:to|until|through|and)\b|-", ent.text.lower()):
        nxt = doc[ent.end].lower_ if ent.end < len(doc) else ""
        when_clause = any(c.dep_ in ("relcl", "acl") for c in ent.root.children)  # "from 2008, when it lost"
        return nxt not in ("to", "until", "through", "till", "-") and not when_clause
    return False


_COUNTED_ON = re.compile(r"\b(?:following|next|previous|preceding|same)\b", re.IGNORECASE)


def _superlative(since: Token) -> bool:
    """ "(posted) its first loss since 1992", "(reach) its lowest level since 2003": a record, not a span."""
    head = since.head
    near = [head, *(c for c in head.children if c.dep_ in ("dobj", "attr", "nsubj", "nsubjpass", "pobj", "prep"))]
    near += [g for t in list(near) for g in t.children if g.dep_ == "pobj"]
    if head.dep_ in ("relcl", "acl", "xcomp") and head.head.pos_ in ("NOUN", "PROPN"):
        near.append(head.head)  # "the first president to refuse to do so since 1976"
    return any(t.tag_ in ("JJS", "RBS") or t.lower_ in _RECORD for n in near for t in (n, *n.children))


def _main_clause(tok: Token) -> bool:
    for _ in range(12):
        if tok.head.i == tok.i:
            return True
        if tok.dep_ in ("advcl", "relcl", "ccomp", "conj", "xcomp", "acl", "parataxis"):
            return False
        tok = tok.head
    return False


def _bounded(ent: Span, found: EventDate, published: date | None) -> EventDate:
    """ "since 2003" is a span from 2003 to the report; "by 2012", "until March" from the report to then.

    A deferral or a negation moves the event itself to the date: "delayed until October", "not due until May".
    """
    prev = ent.doc[ent.start - 1] if ent.start > 0 else None
    word = prev.lower_ if prev is not None else ""
    if prev is None or found.start is None or found.end is None or word not in ("since", "by", "until", "till"):
        return found
    text = f"{word} {found.text}" if found.text and not found.text.lower().startswith(word) else found.text
    if word == "since":
        end = max(found.end, published) if published else found.end
        return replace(found, end=end, precision="span", text=text)
    if word in ("until", "till") and _defers(prev.head):
        return replace(found, text=text)
    start = min(found.start, published) if published else found.start
    return replace(found, start=start, precision="span", text=text)


def _defers(head: Token) -> bool:
    for tok in (head, head.head):
        if tok.lemma_.lower() in _DEFERRING or any(c.dep_ == "neg" for c in tok.children):
            return True
    return False


def _relation(ent: Span, anchor: Token, trigger: Token) -> str:
    """own: the expression modifies the trigger's clause; subordinate: a temporal clause under it; else other.

    Going up from the trigger, a coordination is crossed only by an expression fronted before it ("In January,
    X visited Ankara and discussed ..."), never by one inside the first conjunct ("flew in April and is expected
    to enter service"); a reporting verb's date ("said on Tuesday that ...") is not the event's. A "sentence"
    expression is one fronted before the main verb it modifies ("Between 2018 and 2020, there were ...").
    """
    tok = trigger
    for _ in range(12):
        if tok.i == anchor.i or (tok.dep_ == "relcl" and ent.start <= tok.head.i < ent.end):
            return "own"  # the expression's own clause, or a "when" clause on it ("in 2008, when it lost ...")
        if tok.head.i == tok.i:
            break
        if tok.dep_ == "conj" and ent.start > tok.head.i:
            break
        if tok.dep_ in ("ccomp", "relcl", "parataxis"):
            break
        tok = tok.head
    verb = anchor
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if ent.start < trigger.i and ent.end <= verb.i and _main_clause(anchor):
        return "sentence"
    if _trailing_in_conjunct(ent, anchor, trigger):
        return "own"
    cur = anchor
    for _ in range(12):  # below the trigger: its own complements, or a temporal clause ("after he declared ...")
        if cur.i == trigger.i:
            return "subordinate"
        if cur.head.i == cur.i or cur.dep_ in ("relcl", "ccomp", "conj", "parataxis"):
            return "other"
        if cur.dep_ == "pcomp" and cur.head.lower_ == "with":
            return "other"  # "shot shoppers, with the death toll rising on Monday": a later state of things
        cur = cur.head
    return "other"


_DATED_ACTS = wordlist("dated_act_nouns")


def _describes_object(ent: Span, anchor: Token, trigger: Token) -> bool:
    """ "has a June 1 deadline", "described the events of today", "has a deadline set at June 1": an expression
    inside an object noun phrase dates the thing named, not the event the verb above it reports."""
    noun = _object_noun(ent, anchor)
    return noun is not None and not any(t.i == trigger.i for t in noun.subtree)


def _object_noun(ent: Span, anchor: Token) -> Token | None:
    """The object noun an expression modifies from inside its noun phrase, if it does."""
    root = ent.root
    if root.dep_ == "pobj" and root.head.dep_ == "prep":
        noun = root.head.head
    elif root.dep_ in ("compound", "nmod", "poss", "amod", "nummod"):
        noun = root.head
    elif anchor.dep_ == "acl":
        noun = anchor.head
    else:
        return None
    if noun.dep_ == "acl" and noun.pos_ == "VERB":  # "a deadline set at June 1"
        noun = noun.head
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    if noun.dep_ not in ("dobj", "attr", "oprd", "dative") and not (
        noun.dep_ == "pobj" and noun.lemma_.lower() in _DATED_ACTS
    ):
        return None
    return noun


def _steps(trigger: Token, anchor: Token) -> int:
    """How many heads up from the trigger the expression's anchor is: of two expressions on the clauses above an
    event, the nearer one is its own ("had difficulties during the past week after ... pulled out of talks over
    the weekend")."""
    tok = trigger
    for n in range(12):
        if tok.i == anchor.i:
            return n
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return 12


def _trailing_in_conjunct(ent: Span, anchor: Token, trigger: Token) -> bool:
    """ "..., but will now receive it next month": parsers hang a trailing date on the first conjunct; when no
    verb stands between the trigger's conjunct and the date, the date is the conjunct's."""
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ != "conj" or ent.start <= verb.i or not any(a.i == anchor.i for a in verb.ancestors):
        return False
    between = ent.doc[verb.i + 1 : ent.start]
    return not any(t.pos_ in ("VERB", "AUX") or t.dep_ == "cc" for t in between)


def _expression_text(ent: Span) -> str:
    """The expression with its span preposition ("Between 2018 and 2020") and an offset word ("a day after");
    "since", "by" and "until" are read by _bounded."""
    doc = ent.doc
    start = ent.start
    if start > 0 and doc[start - 1].lower_ in ("between", "from") and doc[start - 1].dep_ == "prep":
        start -= 1
    text = doc[start : ent.end].text
    nxt = doc[ent.end] if ent.end < len(doc) else None
    if (
        nxt is not None
        and nxt.lower_ in ("later", "earlier", "ago", "after", "before")
        and nxt.lower_ not in text.lower()
        and not _heads_phrase(ent, nxt)
    ):
        text = f"{text} {nxt.text}"
    return text


def _heads_phrase(ent: Span, word: Token) -> bool:
    """ "(rebounded late in) the day after falling ...": an "after" that opens a phrase of its own, after an
    expression that is no amount ("a day after the vote" is one), is not part of the expression."""
    if not any(c.dep_ in ("pobj", "pcomp") for c in word.children):
        return False
    return not _OFFSET.fullmatch(normalise(f"{ent.text} {word.lower_}"))


def _offset_of(ent: Span, trigger: Token) -> tuple[str, str] | None:
    """ "(X came) a day after [trigger ...]": (amount, word) when the trigger sits in the clause the offset is
    measured from, so the trigger's date is the main clause's date moved the other way."""
    doc = ent.doc
    follows = ent.end < len(doc) and doc[ent.end].lower_ in ("after", "before")
    word = _amount(ent) if follows else next((t for t in reversed(ent) if t.lower_ in ("after", "before")), None)
    if word is None or not _OFFSET.fullmatch(normalise(f"{doc[ent.start : word.i].text} {word.lower_}")):
        return None
    under = [t.i for t in word.subtree] + [t.i for t in word.head.subtree if t.dep_ == "advcl" and t.i > word.i]
    if trigger.i in under and trigger.i > word.i:
        return doc[ent.start : word.i].text, word.lower_
    return None


def _amount(ent: Span) -> Token | None:
    """The "after"/"before" that makes ent a distance between two events ("a year after ..."), else None."""
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].lower_ in ("after", "before"):
        word = doc[ent.end]
        if _OFFSET.fullmatch(normalise(f"{ent.text} {word.lower_}")):
            return word
    return None


def _offset_clause(trigger: Token) -> tuple[str, Token] | None:
    """ "(X came) a year after [trigger]": an after/before clause, its amount and the clause it hangs from."""
    tok = trigger
    for _ in range(8):
        marks = [c for c in tok.children if c.dep_ == "mark" and c.lower_ in ("after", "before")]
        if marks:
            head = tok.head
            for c in (*tok.children, *head.children):
                if c.dep_ == "npadvmod" and c.ent_type_ == "DATE":
                    ent = entity_at(c)
                    return f"{ent.text if ent is not None else c.text} {marks[0].lower_}", head
            return None
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def date_events(ctx: Context, events: list[Event]) -> list[Event]:
    """Give every event the date it happened, reading sentences in order so "weeks later" has an anchor.

    Two things carry over from sentence to sentence: the date the last sentence was about (what "weeks later"
    counts from) and the narrative day, the latest day-precise past date close to publication (what a
    past-tense event with no expression of its own is taken to share: "On Monday X met Y. He said ...").
    """
    doc, published = ctx.doc, ctx.published
    by_sentence: dict[int, list[Event]] = {}
    for ev in events:
        by_sentence.setdefault(ev.sentence_index, []).append(ev)
    previous: EventDate | None = None
    previous_at, previous_end = -10, 0
    text = text_of(doc)
    narrative: EventDate | None = None
    dated: dict[str, EventDate] = {}
    for index, sent in enumerate(sentences(doc)):
        exprs = [
            (ent, anchor, _resolve_expression(ent, published, previous))
            for ent, anchor in expressions(sent)
            if not _baseline(ent)
        ]
        continuing = index - previous_at <= CONTINUING_SENTENCES and "\n\n" not in text[previous_end : sent.start_char]
        recent = previous if continuing else None
        context = _Context(doc, sent, exprs, published, previous, narrative, recent)
        told: list[EventDate] = []  # dates of the events the sentence tells by a verb
        for ev in by_sentence.get(index, []):
            trig = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
            trigger = trig.root if trig is not None else sent.root
            dated[ev.id] = _date_token(context, trigger, 0)
            if trig is not None and trigger.pos_ in ("VERB", "AUX"):
                # "the November 27 agreement" names an act in passing: the story does not move to its date
                told.append(dated[ev.id])
        exprs = [e for e in exprs if e[2].start is not None]
        told_exprs = [e for e in exprs if not _names_thing(e[0])]
        anchor_date = _sentence_anchor(told_exprs, told)
        if anchor_date is not None:
            previous, previous_at, previous_end = anchor_date, index, sent.start_char + len(sent.text.rstrip())
        # "pointing to the December 31 attack" does not move the story to that day; "February sales" keep the
        # story in February (measured on SemEval: a month named in passing is most often the story's)
        narrative = (
            _narrative_day([e for e in exprs if e[2].precision != "day" or not _names_thing(e[0])], published)
            or narrative
        )
    return [replace(ev, date=dated.get(ev.id, ev.date)) for ev in events]


def _names_thing(ent: Span) -> bool:
    """ "the November 27 maritime border agreement", "the 2014 riots": a date inside a noun phrase dates that
    thing, not the sentence."""
    head = ent.root.head
    return (
        ent.root.dep_ in ("compound", "nmod", "amod", "nummod", "poss")
        and head.pos_ == "NOUN"
        and head.lower_ not in _DAY_PARTS
    )


def _resolve_expression(ent: Span, published: date | None, previous: EventDate | None) -> EventDate:
    """The expression, else its first comma part: spaCy merges "November 11, three days later" into one."""
    text = re.split(r"\s[-\u2013\u2014]\s", _expression_text(ent))[0]  # "until October - two years late"
    found = resolve(text, published, previous)
    head = text.split(",")[0]
    if found.start is None and head != text and not re.fullmatch(r".*\d{4}.*", text[len(head) :]):
        found = resolve(head, published, previous)
    return found


def _sentence_anchor(exprs: list[tuple[Span, Token, EventDate]], event_dates: list[EventDate]) -> EventDate | None:
    """The date later "weeks later"s count from: the sentence's events, else its first expression."""
    for d in event_dates:
        if d.reason in ("explicit", "relative-to-publication", "relative-to-previous") and d.text:
            return d
    for _, _, d in exprs:
        if d.reason in ("explicit", "relative-to-previous") or d.precision != "span":
            return d
    return None


def _narrative_day(exprs: list[tuple[Span, Token, EventDate]], published: date | None) -> EventDate | None:
    """A single day at most NARRATIVE_DAYS before publication, named in the sentence ("on Monday", "June 1")."""
    if published is None:
        return None
    for _, _, d in exprs:
        if d.start is None or d.end is None:
            continue
        if d.precision == "day" and 0 <= (published - d.start).days <= NARRATIVE_DAYS:
            # "X indicated on Monday ... and Y signalled on Tuesday that ...": the story has reached Tuesday
            latest, day = d, d.start
            for _, _, e in exprs:
                if e.start is not None and e.precision == "day" and day < e.start <= published:
                    latest, day = e, e.start
            return latest
        if d.precision == "month" and 0 <= (published - d.end).days <= NARRATIVE_MONTH_DAYS:
            return d  # "In late March, a container was unloaded ... The government denied": the news of weeks ago
    return None


class _Context:
    """What dating one event needs from its sentence and the discourse before it."""

    def __init__(
        self,
        doc: Doc,
        sent: Span,
        exprs: list[tuple[Span, Token, EventDate]],
        published: date | None,
        previous: EventDate | None,
        narrative: EventDate | None,
        recent: EventDate | None = None,
    ) -> None:
        self.doc, self.sent, self.published = doc, sent, published
        self.exprs, self.previous, self.narrative, self.recent = exprs, previous, narrative, recent


def _date_token(ctx: _Context, trigger: Token, depth: int) -> EventDate:
    """Same clause first, then a temporal clause under it, then a fronted sentence adverbial, then the discourse;
    an event inside an "a day after ..." clause is the main clause's date moved back."""
    published = ctx.published
    clause = _offset_clause(trigger)
    if clause is not None and depth < _NO_OFFSETS:
        amount, head = clause
        moved = _moved(ctx, amount, head, depth)
        if moved is not None:
            return moved
    relation = []
    tense = _tense(trigger)
    for ent, anchor, found in ctx.exprs:
        if _inside(ent, trigger):
            continue
        if (
            tense == "past"
            and trigger.pos_ in ("VERB", "AUX")
            and ent.start > 0
            and ent.doc[ent.start - 1].lower_ in ("until", "till")
        ):
            continue  # "released him on bail till October": when a state ends, not when the act was done
        offset = _offset_of(ent, trigger)
        if offset is not None:
            if depth < _NO_OFFSETS:
                moved = _moved(ctx, " ".join(offset), anchor, depth)
                if moved is not None:
                    return moved
            continue
        if _amount(ent):
            continue  # "came a year after ...": a distance between two events, not a date of either
        if found.start is not None and not _describes_object(ent, anchor, trigger):
            relation.append((_relation(ent, anchor, trigger), _bounded(ent, found, published), _steps(trigger, anchor)))
    # a verb told as done is not dated by a time still to come ("previously committed to a trial anticipated to
    # begin in January"); a noun's act may be the one put off ("the handover was postponed until October")
    told_done = trigger.pos_ in ("VERB", "AUX") and (tense == "past" or (tense == "other" and not _future(trigger)))
    for wanted in ("own", "subordinate", "sentence"):
        for kind, found, _ in sorted(relation, key=lambda r: r[2]):
            if kind == wanted and (not told_done or _before(found, published)):
                return _ahead(found, trigger, published)
    for carried in (ctx.recent, ctx.narrative) if tense == "past" else ():
        # a story told in order: "In September 2005 Kasuri met Shalom. Musharraf also addressed ..."
        if carried is not None and _before(carried, published):
            return replace(carried, reason="relative-to-previous", text=None)
    if published is not None:  # present reporting, and (measured on SemEval) past tense with nothing to go by
        return EventDate(published, published, "day", "publication-fallback")
    if tense == "past" and ctx.previous is not None and ctx.previous.start is not None:
        return replace(ctx.previous, reason="relative-to-previous", text=None)
    return EventDate.unknown()


def _before(carried: EventDate, published: date | None) -> bool:
    """Whether a date may carry to a past-tense event: known, and not after the article was published (a story
    published in 2019 that mentions the 2020 election tells nothing past of 2020)."""
    if carried.start is None:
        return False
    return published is None or carried.start <= published


def _moved(ctx: _Context, amount: str, head: Token, depth: int) -> EventDate | None:
    """The date of `head`'s clause shifted back by "a day after" (forward by "... before")."""
    base = _date_token(ctx, head, _NO_OFFSETS)  # its own "a year after" points back here: not again
    inherited = base.text is None and base.reason in ("publication-fallback", "relative-to-previous")
    if inherited and ctx.previous is not None and ctx.previous.start is not None:
        base = ctx.previous  # "(The gesture came a year after ...)": a distance is measured in the story told so far
    if base.start is None:
        return None
    swap = {"after": "before", "later": "before", "before": "after", "earlier": "after"}
    flipped = re.sub(r"\b(after|later|before|earlier)$", lambda m: swap[m.group(1).lower()], amount.strip(), flags=re.I)
    rel = resolve(flipped, published=None, previous=base)
    if rel.start is None:
        return None
    return replace(rel, text=amount.strip())


def _ahead(found: EventDate, trigger: Token, published: date | None) -> EventDate:
    """A bare weekday or month is the last such one, unless the event is still to come ("will vote on Tuesday",
    "not due until October")."""
    if (
        published is None
        or found.start is None
        or found.end is None
        or found.reason != "relative-to-publication"
        or found.start >= published
        or not _future(trigger)
    ):
        return found
    text = (found.text or "").lower()
    if re.fullmatch(r"(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\w*", text):
        later = found.start + timedelta(days=7)
        return replace(found, start=later, end=later)
    if found.precision == "month" and not re.search(r"\d{4}|last|this|next|earlier|ago", text):
        return replace(found, start=add_years(found.start, 1), end=add_years(found.end, 1))
    return found


def _inside(ent: Span, trigger: Token) -> bool:
    return ent.start <= trigger.i < ent.end


def _future(trigger: Token) -> bool:
    """The event is still to come: "will", "shall" or an expecting/scheduling verb above it."""
    tok = trigger
    for _ in range(6):
        if any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo") for c in tok.children):
            return True
        if tok.lemma_.lower() in _FUTURE_HEADS and tok is not trigger:
            return True
        if tok is not trigger and any(c.dep_ == "acomp" and c.lemma_.lower() in _FUTURE_HEADS for c in tok.children):
            return True  # "deliveries are due in October"
        if tok.head.i == tok.i or tok.dep_ in ("ccomp", "parataxis"):
            return False
        tok = tok.head
    return False


def _tense(trigger: Token) -> str:
    """present | past | other, from the nearest finite verb group (present perfect counts as present)."""
    verb = trigger
    for _ in range(5):
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        group = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        tags = {t.tag_ for t in group}
        if "VBD" in tags:
            return "past"
        if tags & _REPORTING_PRESENT or "MD" in tags:
            return "present"
        if verb.head.i == verb.i:
            break
        verb = verb.head
    return "other"
