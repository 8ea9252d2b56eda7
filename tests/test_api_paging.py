"""Paging over a real uvicorn server on 127.0.0.1: every list endpoint's `next` URL, followed to the end, gives
the whole list once; a query parameter an endpoint does not declare is a 400 naming it and the allowed ones."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from detente.settings import Settings

from .conftest import EXAMPLE, EXAMPLE_PUBLISHED, start_server


@pytest.fixture(scope="module")
def api(tmp_path_factory, pipeline):
    """The example article (Turkey–Armenia: 10 events, 9 incidents, 3 dyads) behind a server: (client, base URL)."""
    from detente.api import ingest

    settings = Settings(db=str(tmp_path_factory.mktemp("paging") / "paging.db"))
    ingest([str(EXAMPLE)], published=date.fromisoformat(EXAMPLE_PUBLISHED), settings=settings)
    url, stop = start_server(settings)
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client, url
    stop()


# (path, filters, the key of the list): every GET endpoint that returns a list, with and without filters
LISTS = [
    ("/api/events", {}, "events"),
    ("/api/events", {"dyad": "ARM:TUR", "directed": "false", "since": "2000-01-01"}, "events"),
    ("/api/incidents", {}, "incidents"),
    ("/api/incidents", {"dyad": "TUR:ARM", "min_sources": "1"}, "incidents"),
    ("/api/dyads", {}, "dyads"),
    ("/api/dyads/TUR/ARM/timeline", {}, "incidents"),
    ("/api/dyads/arm/tur/timeline", {"until": "2030-12-31"}, "incidents"),
]


def ident(item: dict) -> str:
    return item.get("id") or f"{item['a']}:{item['b']}"


@pytest.mark.parametrize(("path", "filters", "key"), LISTS)
def test_following_next_gives_the_whole_list_once(api, path, filters, key):
    client, base = api
    whole = client.get(path, params={**filters, "limit": 500})
    assert whole.status_code == 200, whole.text
    assert whole.json()["next"] is None and whole.json()["next_cursor"] is None
    expected = [ident(x) for x in whole.json()[key]]
    assert len(expected) >= 3, "the example store should give this list several pages"
    asked = {**filters, "limit": "2"}
    resp = client.get(path, params=asked)
    seen: list[str] = []
    pages = 0
    while True:
        assert resp.status_code == 200, resp.text
        page = resp.json()
        ids = [ident(x) for x in page[key]]
        assert ids and not set(ids) & set(seen), f"page {pages + 1} repeats {set(ids) & set(seen)}"
        seen += ids
        pages += 1
        assert pages <= len(expected), "the next URLs do not come to an end"
        if page["next"] is None:
            assert page["next_cursor"] is None
            break
        # a ready URL: absolute, this server and path, every parameter of the request kept, the cursor set
        url = urlsplit(page["next"])
        assert f"{url.scheme}://{url.netloc}" == base and url.path == urlsplit(str(resp.url)).path
        assert parse_qs(url.query) == {**{k: [v] for k, v in asked.items()}, "cursor": [page["next_cursor"]]}
        resp = httpx.get(page["next"], timeout=30)  # a client that knows nothing but the URL
    assert seen == expected
    assert pages == -(-len(expected) // 2)


def test_timeline_pages_are_the_dyads_incidents(api):
    client, _ = api
    whole = client.get("/api/dyads/TUR/ARM/timeline").json()
    assert whole["dyad"] == ["TUR", "ARM"] and whole["next"] is None
    first = client.get("/api/dyads/TUR/ARM/timeline", params={"limit": 1}).json()
    assert first["dyad"] == ["TUR", "ARM"] and [i["id"] for i in first["incidents"]] == [whole["incidents"][0]["id"]]
    assert first["next"].endswith(f"/api/dyads/TUR/ARM/timeline?limit=1&cursor={first['next_cursor']}")


def routes(client: httpx.Client) -> list[tuple[str, str, list[str]]]:
    """(method, path with its path parameters filled, declared query parameters) of every /api operation in /docs."""
    fill = {"{a}": "TUR", "{b}": "ARM", "{article_id}": "a:0000000000000000"}
    out = []
    for path, ops in client.get("/openapi.json").json()["paths"].items():
        for method, op in ops.items():
            query = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
            for k, v in fill.items():
                path = path.replace(k, v)
            out.append((method.upper(), path, query))
    return out


def test_unknown_query_parameters_are_refused_everywhere(api):
    client, _ = api
    ops = routes(client)
    assert len(ops) >= 8 and all(path.startswith("/api/") for _, path, _ in ops)
    for method, path, allowed in ops:
        body = {"text": "Qatar hosted talks."} if method == "POST" else None
        resp = client.request(method, path, params={"colour": "red", "limit": "2"}, json=body)
        assert resp.status_code == 400, (method, path, resp.text)
        err = resp.json()
        assert set(err) == {"error"} and err["error"]["code"] == "unknown_parameter", err
        message = err["error"]["message"]
        assert "'colour'" in message, message
        assert ("'limit'" in message) == ("limit" not in allowed), message
        assert all(name in message for name in allowed), (message, allowed)
        if not allowed:
            assert "takes no query parameters" in message
    # a POST that names an unknown parameter codes nothing
    assert client.get("/api/events", params={"q": "Qatar hosted talks"}).json()["events"] == []


def test_next_as_a_parameter_is_refused_with_how_to_page(api):
    client, _ = api
    first = client.get("/api/events", params={"limit": 2}).json()
    resp = client.get("/api/events", params={"limit": 2, "next": first["next_cursor"]})
    assert resp.status_code == 400, resp.text
    message = resp.json()["error"]["message"]
    assert "'next'" in message and "cursor" in message and "dyad" in message and "'next' URL" in message
    # the refusal comes before any check of the other parameters
    assert client.get("/api/events", params={"limit": 0, "nxt": "x"}).json()["error"]["code"] == "unknown_parameter"
    # the parameters an endpoint does take still work, repeated or blank
    assert client.get("/api/events", params=[("limit", "1"), ("limit", "2")]).status_code == 200
    assert client.get("/api/events", params={"q": ""}).status_code == 200


def test_docs_describe_the_paging_contract(api):
    """The OpenAPI parameters and responses say what the server does: `next` is a URL, `cursor` its cursor."""
    client, _ = api
    spec = client.get("/openapi.json").json()
    paged = [
        p
        for p, ops in spec["paths"].items()
        if "cursor" in [x["name"] for x in ops.get("get", {}).get("parameters", [])]
    ]
    assert sorted(paged) == ["/api/dyads", "/api/dyads/{a}/{b}/timeline", "/api/events", "/api/incidents"]
    schemas = spec["components"]["schemas"]
    for path in paged:
        op = spec["paths"][path]["get"]
        cursor = next(x for x in op["parameters"] if x["name"] == "cursor")
        assert "`next_cursor`" in cursor["description"] and "`next` URL" in cursor["description"], cursor
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        props = schemas[ref]["properties"]
        assert "full URL" in props["next"]["description"] and "`cursor`" in props["next_cursor"]["description"]
        assert op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert "unknown_parameter" in spec["info"]["description"] and "`next`" in spec["info"]["description"]


def test_dashboard_load_more_follows_next(api):
    """The dashboard's Load more button pages the actor's events and the dyad's timeline by their `next` URLs."""
    from .test_dashboard import headless_page

    client, base = api
    events = len(client.get("/api/events", params={"country": "TUR", "limit": 500}).json()["events"])
    incidents = len(client.get("/api/dyads/TUR/ARM/timeline", params={"limit": 500}).json()["incidents"])
    asked: list[str] = []
    with headless_page() as (sync_api, page, errors):

        def small_pages(route):  # the dashboard asks for 200 a page; 2 makes this store several pages
            url = route.request.url
            asked.append(url)
            route.continue_(url=url.replace("limit=200", "limit=2"))

        page.route("**/api/**", small_pages)
        page.goto(base + "/")
        for show, total in (("actor", events), ("dyad", incidents)):
            if show == "actor":
                page.fill("#actor", "TUR")
                page.click("#show-actor")
            else:
                page.fill("#side-a", "TUR")
                page.fill("#side-b", "ARM")
                page.click("#show-dyad")
            rows = page.locator("#rows tr.event-row")
            sync_api.expect(rows).to_have_count(2)  # (the dashboard's CSP forbids evaluated JS: no wait_for_function)
            for _ in range(total):
                if page.is_hidden("#more"):
                    break
                before = rows.count()
                page.click("#more")
                rows.nth(before).wait_for()
            assert rows.count() == total and page.is_hidden("#more"), (show, rows.count(), total)
            assert f"({total})" in page.inner_text("#table-title")
    assert any("cursor=" in u for u in asked) and not errors, (asked, errors)
