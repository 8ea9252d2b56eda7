"""The one data model every stage passes along: frozen dataclasses, no loose dicts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Precision = Literal["day", "month", "year", "span", "unknown"]
DateReason = Literal["explicit", "relative-to-publication", "relative-to-previous", "publication-fallback", "unknown"]
Certainty = Literal["asserted", "reported", "claimed", "disputed", "denied", "hypothetical", "negated"]

CERTAINTIES: tuple[str, ...] = (
    "asserted",
    "reported",
    "claimed",
    "disputed",
    "denied",
    "hypothetical",
    "negated",
)


def content_hash(text: str) -> str:
    """Identity of an article's text, so the same story ingested twice is stored once."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def short_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}:{digest[:16]}"


@dataclass(frozen=True)
class Article:
    """A document as detente stored it: offsets everywhere index `text`."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    path: str | None = None
    content_hash: str = ""
    author: str | None = None
    published_source: str | None = None  # record | page | url | argument: where `published` came from
    language: str | None = None

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        id: str | None = None,
        url: str | None = None,
        title: str | None = None,
        published: date | None = None,
        source: str | None = None,
        path: str | None = None,
        author: str | None = None,
        published_source: str | None = None,
        language: str | None = None,
    ) -> Article:
        digest = content_hash(text)
        return cls(
            id=id or f"a:{digest[:16]}",
            text=text,
            url=url,
            title=title,
            published=published,
            source=source,
            path=path,
            content_hash=digest,
            author=author,
            published_source=published_source if published else None,
            language=language,
        )


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Actor:
    """A resolved mention: who, of which country, in which sectors, and why we think so."""

    name: str
    country: str | None
    sectors: tuple[str, ...]
    text: str
    start: int
    end: int
    id: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class EventDate:
    start: date | None
    end: date | None
    precision: Precision = "unknown"
    reason: DateReason = "unknown"
    text: str | None = None

    @classmethod
    def unknown(cls) -> EventDate:
        return cls(None, None, "unknown", "unknown", None)


@dataclass(frozen=True)
class Place:
    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass(frozen=True)
class Plover:
    type: str
    mode: str | None
    context: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """One coded event, carrying its evidence so any number can be traced to its sentence."""

    id: str
    article_id: str
    sentence_index: int
    evidence: Span
    trigger: Span
    cameo: str
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    intermediary: tuple[Actor, ...] = ()
    date: EventDate = field(default_factory=EventDate.unknown)
    place: Place | None = None
    certainty: Certainty = "asserted"
    attributed_to: str | None = None
    confidence: float = 0.5
    coder: str = "rules"
    coder_version: str = "0.1.0"
    symmetric: bool = False
    pattern: str = ""

    @property
    def cameo_root(self) -> str:
        return self.cameo[:2]


@dataclass(frozen=True)
class Skip:
    """An input that could not be coded, with a reason a person can act on."""

    input: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Result:
    """What coding one article produced."""

    article: Article
    sentences: tuple[Sentence, ...]
    events: tuple[Event, ...]
