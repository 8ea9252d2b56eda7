"""The /api routes: code and store an article; events, dyads, series, signals, timelines, incidents and
articles read back a page at a time."""

from __future__ import annotations

import hmac
import json
import threading
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from .. import __version__, queries
from ..actors.gazetteer import country_code
from ..errors import InputError, NotFound, QueryError
from ..model import Article, Skip
from ..settings import Settings
from ..store import Store, read
from .http import Stores, known_query_only, paging
from .schemas import (
    CURSOR_DOC,
    DYAD_SIDE,
    ERRORS,
    LIMIT_DOC,
    SIDE_DOC,
    ArticleIn,
    DyadsPage,
    EventsPage,
    IncidentsPage,
    TimelinePage,
)


def api_router(s: Settings, stores: Stores, code_lock: threading.Lock) -> APIRouter:
    """The /api routes over the stores, coding with the one pipeline in turns."""

    def require_key(request: Request) -> None:
        if not s.api_key:
            return
        given = request.headers.get("x-api-key") or ""
        auth = request.headers.get("authorization") or ""
        if not given and auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        if not hmac.compare_digest(given.encode(), s.api_key.encode()):
            raise HTTPException(401, "this server needs an API key for writes; send it in the X-API-Key header")

    api = APIRouter(prefix="/api", dependencies=[Depends(known_query_only)], responses=ERRORS)
    # Routes call stores.get() themselves: FastAPI may run a dependency and its route in different threads.

    @api.post("/articles", status_code=201, dependencies=[Depends(require_key)])
    def post_article(body: ArticleIn, response: Response) -> dict[str, Any]:
        """Code an article (text, HTML or a URL to fetch) and store it; returns its events.

        URLs are fetched with the server's limits and never from private or loopback addresses unless the
        `allow_private_urls` setting is on. A text already stored is not coded again (status 200, stored false).
        """
        st = stores.get()
        given = [k for k in ("text", "html", "url") if getattr(body, k)]
        if len(given) != 1:
            raise QueryError("send exactly one of 'text', 'html' or 'url'")
        results: list[dict[str, Any]] = []
        skips: list[dict[str, str]] = []
        for item in _articles(body, s):
            if isinstance(item, Skip):
                skips.append({"input": item.input, "reason": item.reason})
                continue
            results.append(_code_one(item, st, s, code_lock))
        if not results:
            raise InputError("; ".join(x["reason"] for x in skips) or "nothing to code")
        if not any(r["stored"] for r in results):
            response.status_code = 200
        return {"results": results, "skips": skips}

    @api.get("/events", response_model=None, responses={200: {"model": EventsPage}})
    async def get_events(
        request: Request,
        dyad: str | None = Query(
            None, description="A:B (PAK:ISR or Pakistan:Israel), either direction unless directed"
        ),
        directed: bool = False,
        actor: str | None = Query(None, description="actor name (substring, any case) or actor id"),
        country: str | None = Query(None, description="ISO3 country of any actor of the event"),
        type: str | None = Query(None, description="PLOVER type, e.g. CONSULT"),
        quad_class: int | None = Query(None, ge=1, le=4),
        certainty: str | None = Query(None, description="asserted, reported, claimed, disputed, denied, ..."),
        since: Annotated[date | None, Query(description="events that end on or after this date")] = None,
        until: Annotated[date | None, Query(description="events that start on or before this date")] = None,
        q: str | None = Query(None, description="text the evidence sentence contains (any case)"),
        limit: int = Query(50, ge=1, le=queries.MAX_LIMIT, description=LIMIT_DOC),
        cursor: str | None = Query(None, description=CURSOR_DOC),
    ) -> Response:
        """Stored events, oldest event date first, a page at a time: GET each page's `next` URL until it is null."""
        st = stores.get()
        f = queries.EventFilter(
            dyad=queries.parse_dyad(dyad) if dyad else None,
            directed=directed,
            actor=actor,
            country=country,
            type=type,
            quad_class=quad_class,
            certainty=certainty,
            since=since,
            until=until,
            q=q,
        )
        records, nxt = read.events_page(st.db, f, limit=limit, cursor=cursor)
        links = json.dumps(paging(request, nxt), separators=(",", ":"))  # '{"next":...,"next_cursor":...}'
        body = '{"events":[' + ",".join(records) + "]," + links[1:]
        return Response(body.encode("utf-8"), media_type="application/json")

    @api.get("/dyads", response_model=None, responses={200: {"model": DyadsPage}})
    def get_dyads(
        request: Request,
        limit: int = Query(30, ge=1, le=queries.MAX_LIMIT, description=LIMIT_DOC),
        cursor: str | None = Query(None, description=CURSOR_DOC),
    ) -> dict[str, Any]:
        """Country pairs with the most events, either direction, a page at a time (GET `next` until it is null)."""
        st = stores.get()
        dyads, nxt = read.top_dyads_page(st.db, limit, cursor)
        return {"dyads": dyads, **paging(request, nxt)}

    @api.get("/dyads/{a}/{b}/series")
    def get_series(
        a: str = PathParam(..., pattern=DYAD_SIDE, description=SIDE_DOC),
        b: str = PathParam(..., pattern=DYAD_SIDE, description=SIDE_DOC),
        by: str = Query("month", pattern="^(week|month|quarter|year)$"),
        basis: str = Query("event", pattern="^(event|report)$"),
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        """Incidents per period (counts by QuadClass and PLOVER type, Goldstein), with the flagged months."""
        st = stores.get()
        from ..analysis import detect, series
        from ..records import change_record, point_record

        a, b = country_code(a), country_code(b)
        ser = series(st, a, b, by=by, basis=basis, directed=directed, since=since, until=until)
        changes = detect(st, a, b, directed=directed)
        return {
            "dyad": list(ser.dyad),
            "directed": ser.directed,
            "by": ser.by,
            "basis": ser.basis,
            "undated": ser.undated,
            "coverage": ser.coverage,
            "points": [point_record(p) for p in ser.points],
            "changes": [change_record(c) for c in changes],
        }

    @api.get("/dyads/{a}/{b}/signals")
    def get_signals(
        a: str = PathParam(..., pattern=DYAD_SIDE, description=SIDE_DOC),
        b: str = PathParam(..., pattern=DYAD_SIDE, description=SIDE_DOC),
        directed: bool = False,
    ) -> dict[str, Any]:
        """The relation-signals ladder of the dyad: each rung with its count, first and last seen."""
        st = stores.get()
        from ..analysis import signals
        from ..records import rung_record

        a, b = country_code(a), country_code(b)
        return {"dyad": [a, b], "rungs": [rung_record(r) for r in signals(st, a, b, directed=directed)]}

    @api.get("/dyads/{a}/{b}/timeline", response_model=None, responses={200: {"model": TimelinePage}})
    def get_timeline(
        request: Request,
        a: str = PathParam(..., pattern=DYAD_SIDE, description=SIDE_DOC),
        b: str = PathParam(..., pattern=DYAD_SIDE, description=SIDE_DOC),
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
        limit: int = Query(50, ge=1, le=queries.MAX_LIMIT, description=LIMIT_DOC),
        cursor: str | None = Query(None, description=CURSOR_DOC),
    ) -> dict[str, Any]:
        """Incidents between the two sides in the order they happened, each with every report of it, a page at a
        time (GET `next` until it is null)."""
        st = stores.get()
        from ..incidents import page
        from ..records import incident_record

        start = queries.decode_offset(cursor)
        a, b = country_code(a), country_code(b)
        flt = queries.IncidentFilter((a, b), directed, since, until)
        incs, undated = page(st.db, flt, limit=limit + 1, offset=start)
        found, nxt = _more(incs, start, limit)
        return {
            "dyad": [a, b],
            "incidents": [incident_record(i) for i in found],
            "undated_left_out": undated,
            **paging(request, nxt),
        }

    @api.get("/incidents", response_model=None, responses={200: {"model": IncidentsPage}})
    def get_incidents(
        request: Request,
        dyad: str | None = Query(None, description="A:B (PAK:ISR or Pakistan:Israel), either direction"),
        min_sources: int = Query(1, ge=1, description="only incidents told by this many publishers or more"),
        since: date | None = None,
        until: date | None = None,
        limit: int = Query(50, ge=1, le=queries.MAX_LIMIT, description=LIMIT_DOC),
        cursor: str | None = Query(None, description=CURSOR_DOC),
    ) -> dict[str, Any]:
        """Incidents (one real-world action, all its reports), oldest first, a page at a time (GET `next` until it
        is null)."""
        st = stores.get()
        from ..incidents import page
        from ..records import incident_record

        start = queries.decode_offset(cursor)
        flt = queries.IncidentFilter(queries.parse_dyad(dyad) if dyad else None, False, since, until, min_sources)
        incs, undated = page(st.db, flt, limit=limit + 1, offset=start)
        found, nxt = _more(incs, start, limit)
        return {"incidents": [incident_record(i) for i in found], "undated_left_out": undated, **paging(request, nxt)}

    @api.get("/articles/{article_id:path}")
    def get_article(article_id: str) -> dict[str, Any]:
        """An article's text with every event's evidence, trigger and actor spans (character offsets)."""
        st = stores.get()
        art = read.article(st.db, article_id)
        if art is None:
            raise NotFound(f"no article {article_id!r} in the store; list events to find article ids")
        return art

    @api.get("/health", include_in_schema=False)
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    return api


def _articles(body: ArticleIn, s: Settings) -> Iterator[Article | Skip]:
    from ..api import read_articles
    from ..ingest import article_from_record

    if body.url:
        yield from read_articles([body.url], published=body.published, source=body.source, settings=s)
        return
    record: dict[str, object] = {
        "text": body.text,
        "html": body.html,
        "published": body.published.isoformat() if body.published else None,
        "title": body.title,
        "source": body.source,
    }
    yield article_from_record(record, "request body")


def _code_one(article: Article, st: Store, s: Settings, lock: threading.Lock) -> dict[str, Any]:
    from ..api import code_and_store, records
    from ..records import article_record

    existing = read.article_id_for_hash(st.db, article.content_hash)
    if existing is not None:
        art = read.article(st.db, existing) or {}
        meta = {k: art.get(k) for k in ("id", "url", "title", "published", "source")}
        return {"article": meta, "stored": False, "events": read.event_records(st.db, existing)}
    with lock:
        result, stored = code_and_store(article, st, s)
    return {"article": article_record(result.article), "stored": stored, "events": records(result)}


def _more(items: list[Any], start: int, limit: int) -> tuple[list[Any], str | None]:
    """A page fetched with one row more than asked, and the cursor of the next page (None on the last)."""
    nxt = queries.encode_offset(start + limit) if len(items) > limit else None
    return items[:limit], nxt
