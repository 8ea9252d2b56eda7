"""The REST API over the store (FastAPI): thin routes over the Python API, one JSON error shape everywhere."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__, queries
from .errors import DetenteError, InputError, NotFound, QueryError, SettingsError
from .model import Article, Skip
from .settings import Settings
from .store import Store

log = logging.getLogger("detente.server")

WEB = Path(__file__).parent / "web"
DYAD_SIDE = r"^[A-Za-z]{2,5}$"
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


def error(status: int, code: str, message: str) -> JSONResponse:
    """The one error shape: {"error": {"code", "message"}}, the message saying what to do."""
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


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
        '`{"error": {"code", "message"}}`. Write endpoints need the `X-API-Key` header when the server has a key.',
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

    api = APIRouter(prefix="/api")
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

    @api.get(
        "/events",
        responses={200: {"description": '{"events": [event records], "next": cursor or null}'}},
    )
    async def get_events(
        dyad: str | None = Query(None, description="A:B, ISO3 countries, either direction unless directed"),
        directed: bool = False,
        actor: str | None = Query(None, description="actor name (substring, any case) or actor id"),
        country: str | None = Query(None, description="ISO3 country of any actor of the event"),
        type: str | None = Query(None, description="PLOVER type, e.g. CONSULT"),
        quad_class: int | None = Query(None, ge=1, le=4),
        certainty: str | None = Query(None, description="asserted, reported, claimed, disputed, denied, ..."),
        since: Annotated[date | None, Query(description="events that end on or after this date")] = None,
        until: Annotated[date | None, Query(description="events that start on or before this date")] = None,
        q: str | None = Query(None, description="text the evidence sentence contains (any case)"),
        limit: int = Query(50, ge=1, le=queries.MAX_LIMIT),
        cursor: str | None = Query(None, description="the 'next' value of the previous page"),
    ) -> Response:
        """Stored events, oldest event date first, a page at a time (follow `next` until it is null)."""
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
        records, nxt = queries.events_page(st.db, f, limit=limit, cursor=cursor)
        body = '{"events":[' + ",".join(records) + '],"next":' + json.dumps(nxt) + "}"
        return Response(body.encode("utf-8"), media_type="application/json")

    @api.get("/dyads")
    def get_dyads(limit: int = Query(30, ge=1, le=500)) -> dict[str, Any]:
        """Country pairs with the most events, either direction."""
        st = stores.get()
        return {"dyads": queries.top_dyads(st.db, limit)}

    @api.get("/dyads/{a}/{b}/series")
    def get_series(
        a: str = PathParam(..., pattern=DYAD_SIDE),
        b: str = PathParam(..., pattern=DYAD_SIDE),
        by: str = Query("month", pattern="^(week|month|quarter|year)$"),
        basis: str = Query("event", pattern="^(event|report)$"),
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        """Incidents per period (counts by QuadClass and PLOVER type, Goldstein), with the flagged months."""
        st = stores.get()
        from .analysis import detect, series
        from .analysis.changes import change_record
        from .analysis.dyads import point_record

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
        a: str = PathParam(..., pattern=DYAD_SIDE),
        b: str = PathParam(..., pattern=DYAD_SIDE),
        directed: bool = False,
    ) -> dict[str, Any]:
        """The relation-signals ladder of the dyad: each rung with its count, first and last seen."""
        st = stores.get()
        from .analysis import signals
        from .analysis.signals import rung_record

        return {"dyad": [a.upper(), b.upper()], "rungs": [rung_record(r) for r in signals(st, a, b, directed=directed)]}

    @api.get("/dyads/{a}/{b}/timeline")
    def get_timeline(
        a: str = PathParam(..., pattern=DYAD_SIDE),
        b: str = PathParam(..., pattern=DYAD_SIDE),
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        """Incidents between the two sides in the order they happened, each with every report of it."""
        st = stores.get()
        from .incidents import incident_record, load

        incs = load(st.db, dyad=(a.upper(), b.upper()), directed=directed, since=since, until=until)
        return {"dyad": [a.upper(), b.upper()], "incidents": [incident_record(i) for i in incs]}

    @api.get("/incidents")
    def get_incidents(
        dyad: str | None = Query(None, description="A:B, either direction"),
        min_sources: int = Query(1, ge=1, description="only incidents told by this many publishers or more"),
        since: date | None = None,
        until: date | None = None,
        limit: int = Query(50, ge=1, le=queries.MAX_LIMIT),
        cursor: str | None = None,
    ) -> dict[str, Any]:
        """Incidents (one real-world action, all its reports), oldest first, a page at a time."""
        st = stores.get()
        from .incidents import incident_record, load

        start = _offset(cursor)
        incs = load(st.db, dyad=queries.parse_dyad(dyad) if dyad else None, since=since, until=until)
        incs = [i for i in incs if i.independent_sources >= min_sources]
        page = incs[start : start + limit]
        nxt = _encode_offset(start + limit) if start + limit < len(incs) else None
        return {"incidents": [incident_record(i) for i in page], "next": nxt}

    @api.get("/articles/{article_id:path}")
    def get_article(article_id: str) -> dict[str, Any]:
        """An article's text with every event's evidence, trigger and actor spans (character offsets)."""
        st = stores.get()
        art = queries.article(st.db, article_id)
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
    from .output import article_record

    existing = queries.article_id_for_hash(st.db, article.content_hash)
    if existing is not None:
        art = queries.article(st.db, existing) or {}
        meta = {k: art.get(k) for k in ("id", "url", "title", "published", "source")}
        return {"article": meta, "stored": False, "events": queries.event_records(st.db, existing)}
    with lock:
        result, stored = code_and_store(article, st, s)
    return {"article": article_record(result.article), "stored": stored, "events": records(result)}


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        n = int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().removeprefix("o:"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        n = -1
    if n < 0:
        raise QueryError("invalid cursor; pass the 'next' value of the previous page unchanged")
    return n


def _encode_offset(n: int) -> str:
    return base64.urlsafe_b64encode(f"o:{n}".encode()).decode().rstrip("=")


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


def _docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc served from the files the fastapi-offline package ships: no CDN, works offline."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/static/docs", StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="detente API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="detente API",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        )
