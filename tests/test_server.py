"""The REST API over a real uvicorn server on 127.0.0.1: endpoints, filters, pagination, errors and safety."""

import json
import re
from datetime import date
from urllib.parse import urlsplit

import httpx
import pytest

from detente.settings import Settings

from .conftest import EXAMPLE, EXAMPLE_PUBLISHED, start_server

INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE events; --",
    'x" OR 1=1 --',
    "%",
    "_",
    "\\",
    "1) UNION SELECT * FROM articles --",
]
XSS_TEXT = (
    "<script>alert('stored')</script> Qatar hosted a delegation of Afghan officials in Doha on Monday, "
    "the foreign ministry said."
)


def is_error(resp: httpx.Response, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline):
    """A store with the example article (Turkey–Armenia) behind a server that also takes writes (no key)."""
    from detente.api import ingest

    db = str(tmp_path_factory.mktemp("server") / "api.db")
    settings = Settings(db=db, max_body_bytes=50_000)
    ingest([str(EXAMPLE)], published=date.fromisoformat(EXAMPLE_PUBLISHED), settings=settings)
    url, stop = start_server(settings)
    with httpx.Client(base_url=url, timeout=60) as client:
        yield client
    stop()


def all_events(client: httpx.Client, **params) -> list[dict]:
    """Every event the filters select, following each page's `next` URL."""
    out = []
    resp = client.get("/api/events", params=params)
    while True:
        assert resp.status_code == 200, resp.text
        page = resp.json()
        out += page["events"]
        if page["next"] is None:
            return out
        resp = client.get(page["next"])


def test_events_page_through_with_the_cursor(server):
    everything = server.get("/api/events", params={"limit": 500}).json()
    assert everything["next"] is None and len(everything["events"]) >= 5
    paged = all_events(server, limit=2)
    assert [e["id"] for e in paged] == [e["id"] for e in everything["events"]]
    assert len({e["id"] for e in paged}) == len(paged)
    first = server.get("/api/events", params={"limit": 2}).json()
    cursor = first["next_cursor"]
    assert len(first["events"]) == 2 and isinstance(cursor, str) and "date" not in cursor
    # the raw cursor works as the cursor parameter too, and the `next` URL is just that request
    by_cursor = server.get("/api/events", params={"limit": 2, "cursor": cursor}).json()
    assert by_cursor == server.get(first["next"]).json()
    assert [e["id"] for e in by_cursor["events"]] == [e["id"] for e in everything["events"][2:4]]
    err = is_error(server.get("/api/events", params={"cursor": first["next"]}), 400, "bad_request")
    assert "next_cursor" in err["message"] and "GET that URL" in err["message"]


def test_event_filters(server):
    events = all_events(server, limit=500)

    def countries(e):
        return {x["country"] for role in ("source", "target", "intermediary") for x in e[role]}

    pair = server.get("/api/events", params={"dyad": "TUR:ARM"}).json()["events"]
    assert pair and all({"TUR", "ARM"} <= countries(e) for e in pair)
    assert {e["id"] for e in pair} == {e["id"] for e in server.get("/api/events?dyad=arm-tur").json()["events"]}
    directed = server.get("/api/events", params={"dyad": "TUR:ARM", "directed": "true"}).json()["events"]
    assert all(any(x["country"] == "TUR" for x in e["source"]) for e in directed) and len(directed) <= len(pair)
    got = server.get("/api/events", params={"country": "arm"}).json()["events"]
    assert got and all("ARM" in countries(e) for e in got)
    ptype = events[0]["plover"]["type"]
    got = server.get("/api/events", params={"type": ptype.lower()}).json()["events"]
    assert got == [e for e in events if e["plover"]["type"] == ptype]
    quad = events[0]["quad_class"]
    assert server.get("/api/events", params={"quad_class": quad}).json()["events"] == [
        e for e in events if e["quad_class"] == quad
    ]
    cert = events[0]["certainty"]
    assert server.get("/api/events", params={"certainty": cert}).json()["events"] == [
        e for e in events if e["certainty"] == cert
    ]
    dated = [e for e in events if e["date"]["start"]]
    day = sorted(e["date"]["start"] for e in dated)[len(dated) // 2]
    since = server.get("/api/events", params={"since": day}).json()["events"]
    assert since and all(e["date"]["end"] >= day for e in since)
    until = server.get("/api/events", params={"until": day}).json()["events"]
    assert until and all(e["date"]["start"] <= day for e in until)
    word = events[0]["trigger"]["text"].upper()
    got = server.get("/api/events", params={"q": word}).json()["events"]
    assert got and all(word.lower() in e["evidence"]["text"].lower() for e in got)
    name = events[0]["source"][0]["name"]
    got = server.get("/api/events", params={"actor": name[: max(3, len(name) // 2)].lower()}).json()["events"]
    assert events[0]["id"] in {e["id"] for e in got}


@pytest.mark.parametrize("param", ["dyad", "actor", "country", "type", "certainty", "q", "cursor", "since"])
def test_sql_injection_strings_are_only_values(server, param):
    before = len(all_events(server, limit=500))
    for value in INJECTIONS:
        resp = server.get("/api/events", params={param: value})
        if resp.status_code == 200:
            assert resp.json()["events"] == [] or param == "q" and value in ("%", "_", "\\")
        else:
            is_error(resp, resp.status_code)
            assert resp.status_code in (400, 422)
        assert server.get("/api/incidents", params={"dyad": value}).status_code in (200, 400)
        assert server.get(f"/api/articles/{value}").status_code == 404
    assert len(all_events(server, limit=500)) == before


def test_errors_have_one_shape(server):
    is_error(server.get("/api/nothing-here"), 404, "not_found")
    is_error(server.get("/api/articles/a:0000000000000000"), 404, "not_found")
    is_error(server.delete("/api/events"), 405, "method_not_allowed")
    is_error(server.get("/api/events", params={"limit": 0}), 422, "invalid_request")
    is_error(server.get("/api/events", params={"since": "yesterday"}), 422, "invalid_request")
    is_error(server.get("/api/events", params={"cursor": "not-a-cursor"}), 400, "bad_request")
    is_error(server.get("/api/events", params={"certainty": "maybe"}), 400, "bad_request")
    is_error(server.get("/api/events", params={"dyad": "TURARM"}), 400, "bad_request")
    assert "unknown country" in is_error(server.get("/api/dyads/T1R/ARM/series"), 400, "bad_request")["message"]
    is_error(server.get("/api/dyads/TUR/ARM/series", params={"by": "fortnight"}), 422, "invalid_request")
    is_error(server.get("/api/incidents", params={"cursor": "???"}), 400, "bad_request")
    is_error(server.post("/api/articles", content=b"{not json", headers={"content-type": "application/json"}), 422)
    is_error(server.post("/api/articles", json={}), 400, "bad_request")
    is_error(server.post("/api/articles", json={"text": "a", "url": "http://example.com/"}), 400)
    is_error(server.post("/api/articles", json={"text": "x", "colour": "red"}), 422, "invalid_request")
    is_error(server.post("/api/articles", json={"text": "   "}), 422, "unprocessable_input")


def test_dyad_series_signals_timeline_and_incidents(server):
    series = server.get("/api/dyads/TUR/ARM/series").json()
    assert series["dyad"] == ["TUR", "ARM"] and series["by"] == "month" and "changes" in series
    assert series["points"] and sum(p["incidents"] for p in series["points"]) >= 1
    assert all({"period", "quad1", "quad2", "quad3", "quad4", "goldstein_mean"} <= set(p) for p in series["points"])
    yearly = server.get("/api/dyads/tur/arm/series", params={"by": "year"}).json()
    assert all(len(p["period"]) == 4 for p in yearly["points"])
    rungs = server.get("/api/dyads/TUR/ARM/signals").json()["rungs"]
    assert rungs and all({"rung", "label", "count", "first_seen", "last_seen"} <= set(r) for r in rungs)
    timeline = server.get("/api/dyads/TUR/ARM/timeline").json()["incidents"]
    assert timeline and all(i["article_id"] and i["evidence"]["text"] for i in timeline)
    starts = [i["date"]["start"] for i in timeline if i["date"]["start"]]
    assert starts == sorted(starts)
    everything = server.get("/api/incidents", params={"limit": 500}).json()
    assert everything["next"] is None and len(everything["incidents"]) >= len(timeline)
    paged, cursor = [], None
    while True:
        page = server.get("/api/incidents", params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        paged += page["incidents"]
        cursor = page["next_cursor"]
        if not cursor:
            assert page["next"] is None
            break
    assert [i["id"] for i in paged] == [i["id"] for i in everything["incidents"]]
    only = server.get("/api/incidents", params={"dyad": "TUR:ARM"}).json()["incidents"]
    assert {i["id"] for i in only} == {i["id"] for i in timeline}
    assert server.get("/api/incidents", params={"min_sources": 5}).json()["incidents"] == []
    assert server.get("/api/dyads").json()["dyads"][0]["events"] >= 1


def test_article_has_text_and_event_spans(server):
    ev = server.get("/api/events", params={"limit": 1}).json()["events"][0]
    art = server.get(f"/api/articles/{ev['article']['id']}").json()
    assert art["id"] == ev["article"]["id"] and art["published"] == EXAMPLE_PUBLISHED
    assert art["events"]
    for e in art["events"]:
        span = e["evidence"]
        assert art["text"][span["start"] : span["end"]] == span["text"]
        for x in e["actors"]:
            assert art["text"][x["start"] : x["end"]] == x["text"] and x["role"] in ("source", "target", "intermediary")


def test_post_text_and_html_code_and_store(server):
    text = (
        "In September 2005, Pakistani Foreign Minister Khurshid Kasuri met Israeli Foreign Minister Silvan Shalom "
        "in Istanbul."
    )
    resp = server.post("/api/articles", json={"text": text, "published": "2023-05-20", "source": "Test Wire"})
    assert resp.status_code == 201, resp.text
    result = resp.json()["results"][0]
    assert result["stored"] and result["events"] and result["article"]["source"] == "Test Wire"
    assert any(e["cameo_root"] == "04" for e in result["events"])
    again = server.post("/api/articles", json={"text": text})
    assert again.status_code == 200 and again.json()["results"][0]["stored"] is False
    assert {e["id"] for e in again.json()["results"][0]["events"]} == {e["id"] for e in result["events"]}
    stored = server.get("/api/events", params={"dyad": "PAK:ISR"}).json()["events"]
    assert {e["id"] for e in result["events"]} <= {e["id"] for e in stored}
    html = (
        "<html><head><title>Talks in Ankara</title></head><body><article><p>Armenia's foreign minister travelled to "
        "Ankara on Tuesday and met the Turkish foreign minister to discuss reopening the border.</p></article>"
        "</body></html>"
    )
    resp = server.post("/api/articles", json={"html": html, "published": "2024-02-06"})
    assert resp.status_code == 201, resp.text
    assert resp.json()["results"][0]["article"]["published"] == "2024-02-06"


def test_oversized_body_is_refused(server):
    big = {"text": "Qatar hosted talks. " * 5_000}
    is_error(server.post("/api/articles", json=big), 413, "body_too_large")

    def chunks():
        for _ in range(100):
            yield b"x" * 1_000

    resp = server.post("/api/articles", content=chunks(), headers={"content-type": "application/json"})
    is_error(resp, 413, "body_too_large")


def test_stored_script_shows_as_text(server):
    resp = server.post("/api/articles", json={"text": XSS_TEXT, "title": "<script>alert('t')</script><b>bold</b>"})
    assert resp.status_code in (200, 201), resp.text
    aid = resp.json()["results"][0]["article"]["id"]
    page = server.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page.text
    assert "<script>alert" not in page.text and "<b>bold" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    article = server.get(f"/articles/{aid}")
    assert article.status_code == 200
    assert "&lt;script&gt;" in article.text and "&lt;/script&gt;" in article.text
    assert "<script>" not in article.text and "<b>bold" not in article.text
    assert 'class="evidence' in article.text
    # the JSON API returns the text as data (the dashboard puts it in the page as text nodes only)
    assert server.get(f"/api/articles/{aid}").json()["text"].startswith("<script>")


def test_dashboard_and_docs_are_offline(server):
    page = server.get("/")
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(r.startswith(("/", "?", "#")) for r in refs), refs
    for ref in (r for r in refs if r.startswith("/static/")):
        assert server.get(ref).status_code == 200, ref
    docs = server.get("/docs")
    assert docs.status_code == 200
    assets = re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", docs.text)
    assert assets and not [a for a in assets if "://" in a], assets
    for a in assets:
        assert server.get(a).status_code == 200, a
    assert "cdn" not in docs.text.lower()
    assert server.get("/redoc").status_code == 200 and "cdn" not in server.get("/redoc").text.lower()
    spec = server.get("/openapi.json").json()
    assert {"/api/events", "/api/articles", "/api/incidents", "/api/dyads/{a}/{b}/series"} <= set(spec["paths"])


def foreign_hosts(text: str, base: str) -> set[str]:
    """Hosts other than the test server's that a text names in an absolute (or scheme-relative) URL."""
    ours = urlsplit(base).netloc
    found = re.findall(r"(?:https?:)?//([A-Za-z0-9.-]+(?::\d+)?)", text)
    return {host for host in found if host != ours}


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_docs_name_no_other_host(server):
    """/docs, /redoc and /openapi.json (and the scripts the pages load) point nowhere but this server."""
    base = str(server.base_url).rstrip("/")
    for path in ("/docs", "/redoc"):
        page = server.get(path)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert not foreign_hosts(page.text, base), (path, foreign_hosts(page.text, base))
        assert "fonts.googleapis" not in page.text and "x-logo" not in page.text
        csp = page.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "//" not in csp and "*" not in csp, csp
        for asset in re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", page.text):
            assert asset.startswith("/static/docs/"), asset
            body = server.get(asset)
            assert body.status_code == 200, asset
            if asset.endswith((".js", ".css")):
                # an element src or a stylesheet url() hard-coded to another host is a request the page makes
                remote = re.findall(r"""(?:\bsrc\s*:\s*|url\(\s*)["']?(?:https?:)?//[^"')\s]+""", body.text)
                assert not remote, (asset, remote[:5])
                assert "cdn.redoc.ly" not in body.text, asset
    assert '"validatorUrl": null' in server.get("/docs").text  # no badge image from validator.swagger.io
    spec = server.get("/openapi.json").json()
    assert "x-logo" not in spec["info"] and not {"license", "contact", "termsOfService"} & set(spec["info"])
    urls = [s for s in strings(spec) if foreign_hosts(s, base)]
    assert not urls, urls


def test_docs_pages_make_no_request_to_another_host(server):
    """Swagger UI and ReDoc rendered in headless Chromium: every request goes to the server, none is blocked."""
    from .test_dashboard import headless_page

    base = str(server.base_url).rstrip("/")
    ours = urlsplit(base).netloc
    requested: list[str] = []
    with headless_page() as (_, page, errors):

        def record(route):
            requested.append(route.request.url)
            if urlsplit(route.request.url).netloc == ours or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", record)
        page.goto(base + "/redoc")
        page.get_by_text("API docs by Redocly").wait_for()
        page.get_by_text("/api/events").first.wait_for(state="attached")
        page.goto(base + "/docs")
        page.locator(".swagger-ui .opblock").first.wait_for()
        page.wait_for_load_state("networkidle")
    outside = [u for u in requested if urlsplit(u).netloc != ours and not u.startswith(("data:", "blob:"))]
    assert not outside, outside
    assert any(u.endswith("/openapi.json") for u in requested)
    assert not errors, errors


def test_api_key_guards_writes_only(tmp_path, live_server, pipeline):
    url = live_server(Settings(db=str(tmp_path / "k.db"), api_key="s3cret"))
    body = {"text": "Qatar hosted a delegation of Afghan officials in Doha on Monday."}
    with httpx.Client(base_url=url, timeout=60) as client:
        is_error(client.post("/api/articles", json=body), 401, "unauthorized")
        is_error(client.post("/api/articles", json=body, headers={"X-API-Key": "wrong"}), 401, "unauthorized")
        assert client.get("/api/events").status_code == 200
        assert client.post("/api/articles", json=body, headers={"X-API-Key": "s3cret"}).status_code == 201
        assert client.post("/api/articles", json=body, headers={"Authorization": "Bearer s3cret"}).status_code == 200


ARTICLE_HTML = (
    "<html><head><title>Doha talks</title></head><body><article><p>Qatar hosted a delegation of Afghan officials "
    "in Doha on Monday, the foreign ministry said. The delegation met Qatari ministers to discuss aid.</p>"
    "</article></body></html>"
)


def test_url_ingestion_refuses_private_targets_unless_allowed(tmp_path, live_server, static_site, pipeline):
    root, site = static_site
    (root / "page.html").write_text(ARTICLE_HTML)
    strict = live_server(Settings(db=str(tmp_path / "strict.db")))
    with httpx.Client(base_url=strict, timeout=60) as client:
        for target in (f"{site}/page.html", "http://localhost:9/x", "http://[::1]/x", "http://169.254.169.254/latest"):
            err = is_error(client.post("/api/articles", json={"url": target}), 422, "unprocessable_input")
            assert "refused" in err["message"] and "allow_private_urls" in err["message"]
        err = is_error(client.post("/api/articles", json={"url": "file:///etc/passwd"}), 422)
        assert "http" in err["message"]
        assert client.get("/api/events").json()["events"] == []
    allowed = live_server(Settings(db=str(tmp_path / "allowed.db"), allow_private_urls=True))
    with httpx.Client(base_url=allowed, timeout=60) as client:
        resp = client.post("/api/articles", json={"url": f"{site}/page.html", "published": "2024-06-03"})
        assert resp.status_code == 201, resp.text
        result = resp.json()["results"][0]
        assert result["article"]["url"] == f"{site}/page.html" and result["events"]


FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Test feed</title><link>{site}/</link><description>t</description>
<item><title>Doha talks</title><link>{site}/page.html</link><pubDate>Mon, 03 Jun 2024 09:00:00 GMT</pubDate></item>
<item><title>Thaw</title><link>{site}/thaw.html</link><pubDate>Sat, 14 Mar 2026 09:00:00 GMT</pubDate>
<description><![CDATA[{text}]]></description></item>
</channel></rss>
"""


def test_watch_polls_with_conditional_get(tmp_path, static_site, pipeline):
    from detente.service.watch import Watcher, parse_every
    from detente.store import Store

    root, site = static_site
    (root / "page.html").write_text(ARTICLE_HTML)
    (root / "feed.xml").write_text(FEED.format(site=site, text=EXAMPLE.read_text()))
    settings = Settings(db=str(tmp_path / "w.db"), allow_private_urls=True)
    lines: list[str] = []
    watcher = Watcher([f"{site}/feed.xml"], settings, every=parse_every("15m"), spacing=0, log=lines.append)
    with Store(settings.db) as store:
        first = watcher.poll(store)
        assert first.articles == 2 and first.events > 0 and not first.skips, first
        second = watcher.poll(store)
        assert second.not_modified == 1 and second.articles == 0, second
        assert store.counts().articles == 2
    assert any("not modified" in line for line in lines)
    assert parse_every("30s") == 30 and parse_every("1h") == 3600
    with pytest.raises(Exception, match="poll less often"):
        parse_every("1s")


def test_detente_serve_command(tmp_path):
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = tmp_path / "cli.db"
    cmd = [sys.executable, "-m", "detente", "serve", "--db", str(db), "--create", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(
                        "detente serve did not answer within 30 s: " + (proc.stderr.read() if proc.stderr else "")
                    )
                time.sleep(0.2)
        assert resp.json()["ok"] is True and db.exists()
        empty = {"events": [], "next": None, "next_cursor": None}
        assert json.loads(httpx.get(f"http://127.0.0.1:{port}/api/events").text) == empty
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2fetc/passwd",
        "/static/docs/../../server.py",
        "/static/%252e%252e/%252e%252e/etc/passwd",
        "/articles/..%2f..%2fetc%2fpasswd",
    ],
)
def test_path_traversal_is_refused(server, path):
    r = server.get(path)
    assert r.status_code in (400, 404), (path, r.status_code)
    assert "root:" not in r.text and "create_app" not in r.text
