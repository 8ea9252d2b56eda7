"""/docs and /redoc served offline from the files fastapi-offline ships, with no request to another host."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from .schemas import DOCS_CSP

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


def add_docs(app: FastAPI) -> None:
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
