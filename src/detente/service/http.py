"""HTTP plumbing shared by every route: paging links, refusing unknown query parameters, the body limit, one
store connection per thread, and errors as `{"error": {"code", "message"}}`."""

from __future__ import annotations

import logging
import threading

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import DetenteError, InputError, NotFound, QueryError, SettingsError
from ..store import Store
from .schemas import STATUS_CODES, UnknownParameter, error

log = logging.getLogger("detente.server")


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


def add_error_handlers(app: FastAPI) -> None:
    def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = STATUS_CODES.get(exc.status_code, "error")
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
