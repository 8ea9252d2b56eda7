"""The app: the API routes, the dashboard and the offline docs over one store, with feeds watched alongside."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..settings import Settings
from .docs import add_docs
from .http import BodyLimit, Stores, add_error_handlers
from .routes import api_router

WEB = Path(__file__).parent.parent / "web"


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
    add_error_handlers(app)
    add_docs(app)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

    app.include_router(api_router(s, stores, code_lock))

    from .dashboard import router as dashboard

    app.include_router(dashboard)

    return app
