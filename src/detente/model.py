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
# What the text says did not or may not happen: not an event that took place.
UNREALISED: frozenset[str] = frozenset({"denied", "hypothetical", "negated"})
# The reason of a receiver that is only the doer's own country, taken because the text named none.
AT_HOME = "no receiver named: the doer's own country"


def after_publication(start: date | None, published: date | None, certainty: str) -> bool:
    """A date no report can support: what happened cannot have happened after it was reported (only what may
    yet happen, a hypothetical event, lies ahead)."""
    return start is not None and published is not None and start > published and certainty != "hypothetical"


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


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None

    def __reduce__(self) -> tuple[type[Place], tuple[object, ...]]:
        # the cached place index holds tens of thousands: a tuple loads far faster than slot state
        return Place, (self.name, self.country, self.lat, self.lon, self.geonameid)


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


# Certainties from the strongest claim that something happened to the weakest; an incident takes the
# strongest any of its reports gives it.
CERTAINTY_STRENGTH: dict[str, int] = {c: len(CERTAINTIES) - i for i, c in enumerate(CERTAINTIES)}
_Day = date  # Incident has a field named `date`


@dataclass(frozen=True)
class Account:
    """One report of an incident: which article and publisher told it, when, and how sure that text is."""

    event_id: str
    article_id: str
    publisher: str
    published: date | None
    certainty: Certainty
    attributed_to: str | None
    sentence_index: int
    evidence: str
    mentions: int = 1  # how many times this article tells the action (repeated mentions are one account)
    denial: bool = False  # a denial of the incident, linked to it (its own event is the denial, CAMEO 016)


@dataclass(frozen=True)
class Incident:
    """One real-world action, told by one or more reports; its fields come from the best-evidenced report."""

    id: str
    cameo: str
    cameo_name: str
    plover_type: str
    quad_class: int
    goldstein: float
    date: EventDate
    place: Place | None
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    intermediary: tuple[Actor, ...]
    certainty: Certainty
    evidence: Span
    article_id: str
    accounts: tuple[Account, ...]
    spread: tuple[_Day, _Day] | None = None  # the range the dated reports span around the incident's date

    @property
    def mentions(self) -> int:
        return sum(a.mentions for a in self.accounts)

    @property
    def publishers(self) -> tuple[str, ...]:
        return tuple(sorted({a.publisher for a in self.accounts}))

    @property
    def independent_sources(self) -> int:
        return len(self.publishers)

    @property
    def first_report(self) -> _Day | None:
        days = [a.published for a in self.accounts if a.published]
        return min(days) if days else None

    @property
    def last_report(self) -> _Day | None:
        days = [a.published for a in self.accounts if a.published]
        return max(days) if days else None

    @property
    def certainties(self) -> dict[str, int]:
        """How many reports give each certainty: the disagreements (one outlet asserts, a government denies)."""
        out: dict[str, int] = {}
        for a in self.accounts:
            out[a.certainty] = out.get(a.certainty, 0) + 1
        return out


@dataclass
class IngestReport:
    """What one ingest did: articles coded, texts already stored, events written, inputs skipped and why."""

    articles: int = 0
    duplicates: int = 0
    events: int = 0
    skips: list[Skip] = field(default_factory=list)
