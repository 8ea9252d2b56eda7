"""What a reader may ask for, checked before it reaches the store: event filters, dyads named by code or name, and
the opaque cursors pages hand out (the SQL that answers is in store/read.py)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date

from .actors.gazetteer import country_code
from .errors import QueryError
from .model import CERTAINTIES

MAX_LIMIT = 500


@dataclass(frozen=True)
class IncidentFilter:
    """Which incidents a list, timeline or page selects; a date filter keeps dated incidents only."""

    dyad: tuple[str, str] | None = None
    directed: bool = False
    since: date | None = None
    until: date | None = None
    min_sources: int = 1


@dataclass(frozen=True)
class EventFilter:
    """What GET /api/events selects; every field is optional and all given ones must hold."""

    dyad: tuple[str, str] | None = None
    directed: bool = False
    actor: str | None = None
    country: str | None = None
    type: str | None = None
    quad_class: int | None = None
    certainty: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None

    def check(self) -> None:
        if self.certainty is not None and self.certainty not in CERTAINTIES:
            raise QueryError(f"unknown certainty {self.certainty!r}; use one of {', '.join(CERTAINTIES)}")
        if self.quad_class is not None and self.quad_class not in (1, 2, 3, 4):
            raise QueryError(f"quad_class must be 1, 2, 3 or 4, got {self.quad_class}")


def parse_dyad(value: str) -> tuple[str, str]:
    """'PAK:ISR', 'PAK-ISR' or 'Pakistan:Israel' to ('PAK', 'ISR')."""
    text = value.strip()
    if ":" not in text and "-" in text:  # PAK-ISR; a hyphen may also sit inside a name (Guinea-Bissau)
        for i in (i for i, ch in enumerate(text) if ch == "-"):
            try:
                return country_code(text[:i]), country_code(text[i + 1 :])
            except QueryError:
                continue
    parts = text.split(":") if ":" in text else text.split("-")
    if len(parts) != 2 or not all(p.strip() for p in parts):
        raise QueryError(f"expected a dyad like PAK:ISR (or Pakistan:Israel), got {value!r}")
    return country_code(parts[0]), country_code(parts[1])


def encode_cursor(key: str, event_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, event_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, event_id = json.loads(raw)
        if not isinstance(key, str) or not isinstance(event_id, str):
            raise ValueError("not two strings")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad_cursor(cursor) from exc
    return key, event_id


def bad_cursor(cursor: str) -> QueryError:
    """The error for a cursor this server did not hand out, saying how to page instead."""
    if "://" in cursor or "cursor=" in cursor:
        return QueryError("the cursor parameter takes a page's 'next_cursor', not its 'next' URL: GET that URL instead")
    return QueryError("invalid cursor; GET the previous page's 'next' URL, or pass its 'next_cursor' unchanged")


def encode_offset(n: int) -> str:
    """The cursor of a list paged by position (incidents, timelines, dyads)."""
    return base64.urlsafe_b64encode(f"o:{n}".encode()).decode().rstrip("=")


def decode_offset(cursor: str | None) -> int:
    """The position an encode_offset cursor stands for (0 without one); QueryError for anything else."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        n = int(raw.removeprefix("o:")) if raw.startswith("o:") else -1
    except (ValueError, binascii.Error, UnicodeDecodeError):
        n = -1
    if n < 0:
        raise bad_cursor(cursor)
    return n
