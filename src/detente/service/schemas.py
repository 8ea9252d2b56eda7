"""What the REST API says about itself: request and response models, the error shape and the paging contract
in words, for /docs."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..errors import QueryError

DYAD_SIDE = r"^[^/]{2,60}$"  # an ISO3 code, a country name or a demonym: country_code() decides
SIDE_DOC = "one side: ISO3 code, country name or demonym (PAK, Pakistan, Pakistani), or IGO / NGO"
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
}
# The paging contract, said the same way in every list endpoint's parameters and responses (/docs).
LIMIT_DOC = "how many items a page holds"
CURSOR_DOC = (
    "where the page starts: the `next_cursor` of the previous page. Simpler: GET the previous page's `next` URL, "
    "which carries this cursor and every other parameter of the request"
)
NEXT_DOC = "the full URL of the next page (this request's parameters with its cursor); null on the last page"
NEXT_CURSOR_DOC = "the next page's cursor alone, for the `cursor` parameter; null on the last page"
# Docs pages: scripts and styles as Swagger UI and ReDoc need them, but nothing from any other host.
DOCS_CSP = "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; object-src 'none'; base-uri 'none'"


def error(status: int, code: str, message: str) -> JSONResponse:
    """The one error shape: {"error": {"code", "message"}}, the message saying what to do."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class UnknownParameter(QueryError):
    """A query parameter the endpoint does not take (400 unknown_parameter)."""


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, machine-readable: bad_request, unknown_parameter, not_found, ...")
    message: str = Field(description="what went wrong and what to do instead")


class ErrorOut(BaseModel):
    """Every error the API returns."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": ErrorOut,
        "description": "a query parameter the endpoint does not take (code `unknown_parameter`; the message lists "
        "the allowed ones), an invalid cursor or filter value (code `bad_request`)",
    },
    422: {"model": ErrorOut, "description": "a parameter or body of the wrong type or out of range"},
}


class Paged(BaseModel):
    """The paging fields of every list response."""

    next: str | None = Field(description=NEXT_DOC)
    next_cursor: str | None = Field(description=NEXT_CURSOR_DOC)


class EventsPage(Paged):
    events: list[dict[str, Any]] = Field(description="event records, oldest event date first")


class IncidentsPage(Paged):
    incidents: list[dict[str, Any]] = Field(description="incidents, oldest first, each with every report of it")
    undated_left_out: int = Field(description="undated incidents a since/until filter left out (0 without one)")


class DyadsPage(Paged):
    dyads: list[dict[str, Any]] = Field(description='{"a", "b", "events"}, most events first')


class TimelinePage(Paged):
    dyad: list[str]
    incidents: list[dict[str, Any]] = Field(description="incidents, in the order they happened")
    undated_left_out: int = Field(description="undated incidents a since/until filter left out (0 without one)")


class ArticleIn(BaseModel):
    """An article to code: exactly one of text, html or url, with optional metadata."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = None
    html: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None
    source: str | None = None
