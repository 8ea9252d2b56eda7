"""The REST API over the store (FastAPI): thin routes over the Python API, one JSON error shape everywhere."""

from __future__ import annotations

import functools
import hmac
import json
import logging
import re
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__, queries
from .actors.gazetteer import country_code
from .errors import DetenteError, InputError, NotFound, QueryError, SettingsError
from .model import Article, Skip
from .settings import Settings
from .store import Store, read

log = logging.getLogger("detente.server")

WEB = Path(__file__).parent / "web"
DYAD_SIDE = r"^[^/]{2,60}$"  # an ISO3 code, a country name or a demonym: country_code() decides
SIDE_DOC = "one side: ISO3 code, country name or demonym (PAK, Pakistan, Pakistani), or IGO / NGO"
_STATUS_CODES = {
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


class DyadsPage(Paged):
    dyads: list[dict[str, Any]] = Field(description='{"a", "b", "events"}, most events first')


class TimelinePage(Paged):
    dyad: list[str]
    incidents: list[dict[str, Any]] = Field(description="incidents, in the order they happened")


def paging(request: Request, cursor: str | None) -> dict[str, str | None]:
    """`next` (the full URL of the next page: this request's URL with the cursor set) and `next_cursor`."""
    url = str(request.url.include_query_params(cursor=cursor)) if cursor else None
    return {"next": url, "next_cursor": cursor}


def query_names(route: APIRoute) -> tuple[str, ...]:
    """The query parameters a route declares, its own and its dependencies', in declaration order."""
    names: tuple[str, ...] | None = getattr(route, "_detente_query_names", None)
    if names is None:
        found: dict[str, None] = {}
        todo: list[Dependant] = [route.dependant]
        while todo:
            dep = todo.pop(0)
            for field in dep.query_params:
                model = field.field_info.annotation
                if isinstance(model, type) and issubclass(model, BaseModel):  # a Query() model: its fields
                    found.update((f.alias or name, None) for name, f in model.model_fields.items())
                else:
                    found[field.alias] = None
            todo += dep.dependencies
        names = tuple(found)
        setattr(route, "_detente_query_names", names)  # noqa: B010 - a cache on the route object (not hashable)
    return names


async def known_query_only(request: Request) -> None:
    """Refuse query parameters the route does not declare: a misspelt filter or `?next=` must not pass unseen."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = query_names(route)
    unknown = [k for k in request.query_params if k not in allowed]
    if not unknown:
        return
    names = ", ".join(repr(k) for k in unknown)
    what = f"unknown query parameter{'s' if len(unknown) > 1 else ''} {names} for {request.method} {request.url.path}"
    if not allowed:
        raise UnknownParameter(f"{what}; this endpoint takes no query parameters")
    hint = ""
    if "cursor" in allowed and {"next", "next_cursor", "page", "offset"} & set(unknown):
        hint = "; to page, GET the previous page's 'next' URL (or pass its 'next_cursor' as 'cursor')"
    raise UnknownParameter(f"{what}; the allowed ones are {', '.join(allowed)}{hint}")


class BodyLimit:
    """ASGI middleware: refuse request bodies over `limit` bytes (413) before any route reads them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        msg = f"request body is over the limit of {self.limit:,} bytes; send less or raise the max_body_bytes setting"
        await error(413, "body_too_large", msg)(scope, receive, send)


class ArticleIn(BaseModel):
    """An article to code: exactly one of text, html or url, with optional metadata."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = None
    html: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None
    source: str | None = None


class Stores:
    """One store connection per server thread (SQLite connections stay in the thread that opened them)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._local = threading.local()
        Store(db).close()  # create or migrate once, up front

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store(self.db)
        return store


def create_app(settings: Settings | None = None, *, watcher: Any = None) -> FastAPI:
    """The API and dashboard over `settings.db`; `watcher` (a watch.Watcher) polls feeds while the app runs."""
    s = settings or Settings.load()
    stores = Stores(s.db)
    code_lock = threading.Lock()  # one spaCy pipeline per process; coding requests take turns

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        if watcher is not None:
            threading.Thread(target=watcher.run, args=(stop,), name="detente-watch", daemon=True).start()
        try:
            yield
        finally:
            stop.set()

    app = FastAPI(
        lifespan=lifespan,
        title="detente",
        version=__version__,
        description="Evidence-linked political event data from English news. Errors are "
        '`{"error": {"code", "message"}}`. List endpoints return a page at a time with `next`, the full URL of the '
        "next page (every parameter of the request kept; null on the last page), and `next_cursor`, the same "
        "position for the `cursor` parameter. A query parameter an endpoint does not take is an error (400 "
        "`unknown_parameter`, naming the allowed ones). Write endpoints need the `X-API-Key` header when the "
        "server has a key.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = s
    app.state.stores = stores
    app.add_middleware(BodyLimit, limit=s.max_body_bytes)
    _error_handlers(app)
    _docs(app)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

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
        from .analysis import detect, series
        from .records import change_record, point_record

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
        from .analysis import signals
        from .records import rung_record

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
        from .incidents import load
        from .records import incident_record

        start = queries.decode_offset(cursor)
        a, b = country_code(a), country_code(b)
        incs = load(st.db, dyad=(a, b), directed=directed, since=since, until=until)
        page, nxt = _slice(incs, start, limit)
        return {"dyad": [a, b], "incidents": [incident_record(i) for i in page], **paging(request, nxt)}

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
        from .incidents import load
        from .records import incident_record

        start = queries.decode_offset(cursor)
        incs = load(st.db, dyad=queries.parse_dyad(dyad) if dyad else None, since=since, until=until)
        page, nxt = _slice([i for i in incs if i.independent_sources >= min_sources], start, limit)
        return {"incidents": [incident_record(i) for i in page], **paging(request, nxt)}

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

    app.include_router(api)

    from .dashboard import router as dashboard

    app.include_router(dashboard)

    return app


def _articles(body: ArticleIn, s: Settings) -> Iterator[Article | Skip]:
    from .api import read_articles
    from .ingest import article_from_record

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
    from .api import code_and_store, records
    from .records import article_record

    existing = read.article_id_for_hash(st.db, article.content_hash)
    if existing is not None:
        art = read.article(st.db, existing) or {}
        meta = {k: art.get(k) for k in ("id", "url", "title", "published", "source")}
        return {"article": meta, "stored": False, "events": read.event_records(st.db, existing)}
    with lock:
        result, stored = code_and_store(article, st, s)
    return {"article": article_record(result.article), "stored": stored, "events": records(result)}


def _slice(items: list[Any], start: int, limit: int) -> tuple[list[Any], str | None]:
    """A page of a list held in memory, and the cursor of the next page (None on the last)."""
    nxt = queries.encode_offset(start + limit) if start + limit < len(items) else None
    return items[start : start + limit], nxt


def _error_handlers(app: FastAPI) -> None:
    def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such endpoint {request.url.path}; see /docs for the API"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs for the API"
        return error(exc.status_code, code, message)

    def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path"))
            parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
        return error(422, "invalid_request", "; ".join(parts) + "; see /docs for the expected parameters")

    def detente_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, UnknownParameter):
            return error(400, "unknown_parameter", str(exc))
        if isinstance(exc, NotFound):
            return error(404, "not_found", str(exc))
        if isinstance(exc, QueryError | SettingsError):
            return error(400, "bad_request", str(exc))
        if isinstance(exc, InputError):
            return error(422, "unprocessable_input", str(exc))
        return error(400, "detente_error", str(exc))

    def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return error(500, "internal_error", "internal server error; the server log has the details")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(DetenteError, detente_error)
    app.add_exception_handler(Exception, internal_error)


# A URL hard-coded as an element's src in bundled JS (ReDoc's side menu loads its logo from cdn.redoc.ly).
_REMOTE_SRC = re.compile(r"""(\bsrc\s*:\s*)(["'])https?://[^"']*\2""")


def _docs_assets() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def offline_js(text: str) -> str:
    """Bundled JS with every hard-coded remote src made an empty data: URL (the image fails and is not shown)."""
    return _REMOTE_SRC.sub(r"\1\2data:,\2", text)


@functools.cache
def _redoc_js() -> bytes:
    return offline_js((_docs_assets() / "redoc.standalone.js").read_text(encoding="utf-8")).encode()


def _docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc served from the files the fastapi-offline package ships: no CDN, works offline.

    Neither page makes a request to another host: no Google fonts, no logo, no online validator (and a
    Content-Security-Policy that would block one)."""

    @app.get("/static/docs/redoc.standalone.js", include_in_schema=False)
    def redoc_script() -> Response:  # before the mount below, which would serve the file as shipped
        return Response(_redoc_js(), media_type="text/javascript; charset=utf-8")

    app.mount("/static/docs", StaticFiles(directory=str(_docs_assets())), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="detente API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from validator.swagger.io
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url="/openapi.json",
            title="detente API",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page
