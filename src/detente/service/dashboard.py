"""The web dashboard's HTML pages: Jinja2 templates, always autoescaped, assets served locally (no CDN)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from .. import __version__
from ..errors import NotFound
from ..store import read

WEB = Path(__file__).parent.parent / "web"
router = APIRouter(include_in_schema=False)


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(WEB / "templates")),
        autoescape=True,  # every value is escaped: an article holding <script> shows as text
        undefined=jinja2.StrictUndefined,
    )


def render(name: str, **context: Any) -> HTMLResponse:
    html = _env().get_template(name).render(version=__version__, **context)
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})


# Scripts and styles from this server only: a stored <script> could not run even if it slipped through.
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'"


def segments(text: str, marks: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """Cut text at every mark boundary: (piece, space-separated classes of the marks covering it)."""
    cuts = {0, len(text)}
    for start, end, _ in marks:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    edges = sorted(cuts)
    out = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        if lo == hi:
            continue
        classes = sorted({cls for start, end, cls in marks if start <= lo and hi <= end})
        out.append((text[lo:hi], " ".join(classes)))
    return out


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    st = request.app.state.stores.get()
    return render(
        "index.html",
        articles=read.recent_articles(st.db, 15),
        dyads=read.top_dyads(st.db, 30),
        needs_key=bool(request.app.state.settings.api_key),
    )


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, event: str | None = None) -> HTMLResponse:
    """An article with the chosen event's evidence highlighted and its actors marked (all events without one)."""
    st = request.app.state.stores.get()
    art = read.article(st.db, article_id)
    if art is None:
        raise NotFound(f"no article {article_id!r} in the store; go back to the dashboard at /")
    chosen = [e for e in art["events"] if e["id"] == event] or art["events"]
    marks: list[tuple[int, int, str]] = []
    for ev in chosen:
        marks.append((ev["evidence"]["start"], ev["evidence"]["end"], "evidence"))
        marks.append((ev["trigger"]["start"], ev["trigger"]["end"], "trigger"))
        marks += [(x["start"], x["end"], f"actor {x['role']}") for x in ev["actors"]]
    return render("article.html", article=art, pieces=segments(art["text"], marks), chosen=chosen)
