"""One phrase to one actor, for `detente actor` and the API: the resolver used outside an article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from .gazetteer import Gazetteer
from .resolve import ArticleActors, at_date

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Token


@dataclass(frozen=True)
class Resolution:
    name: str | None
    country: str | None
    sectors: tuple[str, ...]
    id: str | None
    reason: str

    def record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "sectors": list(self.sectors),
            "id": self.id,
            "reason": self.reason,
        }


def resolve_phrase(
    nlp: Language, gaz: Gazetteer, phrase: str, when: date | None = None, context: str | None = None
) -> Resolution:
    """Who `phrase` names on `when`, read inside `context` when given; country None (with why) when no one."""
    if not phrase.strip():
        return Resolution(None, None, (), None, "empty phrase")
    if not context:
        quick = _exact(gaz, phrase, when)
        if quick is not None:
            return quick
    text, start = (context, context.find(phrase)) if context and phrase in context else (phrase, 0)
    doc = nlp(text)
    span = doc.char_span(start, start + len(phrase), alignment_mode="expand")
    if span is None:
        return Resolution(None, None, (), None, "phrase not found in its context")
    head = _head(span.root, span.start, span.end)
    actors = ArticleActors(gaz, doc, when)
    found = [a for a in actors.resolve(head) if a.start < span.end_char and a.end > span.start_char]
    if not found:
        return Resolution(None, None, (), None, "no country, organisation, office holder or title recognised")
    a = at_date(gaz, found[0], when)
    if a.country is None:
        return Resolution(a.name, None, a.sectors, a.id, f"{a.reason or 'title'}; no country in the phrase")
    return Resolution(a.name, a.country, a.sectors, a.id, a.reason)


def _exact(gaz: Gazetteer, phrase: str, when: date | None) -> Resolution | None:
    """A phrase that is exactly a known, unambiguous name needs no parse (microseconds, not milliseconds)."""
    if phrase.strip().islower():
        return None
    entries = [e for e in gaz.lookup(phrase) if not e.ambiguous]
    if len({(e.kind, e.id) for e in entries}) != 1:
        return None
    e = entries[0]
    if e.kind == "person":
        offices = gaz.office_at(e.id, when) if when else gaz.offices_of(e.id)
        if when and not offices:
            return None  # out of office on that date: let the parse look at titles
        sectors = tuple(dict.fromkeys(x for o in offices for x in o.sectors))
        return Resolution(e.name, offices[0].country if offices else e.country, sectors, e.id, "office holder")
    if e.kind == "country":
        sectors = ("GOV",) if e.subkind in ("capital", "metonym") else ()
        if e.subkind == "demonym" and phrase.strip()[-1:] == "s":
            sectors = ("CVL",)
        return Resolution(e.name, e.country, sectors, e.id, f"country {e.subkind}")
    if e.kind == "region":
        return Resolution(e.name, e.country, (), e.id, "region of the country")
    return Resolution(
        e.name, e.country, e.sectors, e.id, f"organisation ({e.subkind})" if e.subkind else "organisation"
    )


def _head(root: Token, start: int, end: int) -> Token:
    """The noun the phrase is about ("Pakistan's foreign minister" -> minister), staying inside the phrase."""
    tok = root
    while tok.head.i != tok.i and start <= tok.head.i < end and tok.dep_ in ("compound", "amod", "poss"):
        tok = tok.head
    return tok
