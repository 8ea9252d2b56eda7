"""Every source kind on real parts: a local HTTP server on 127.0.0.1, gzip and WARC files, feeds, and bad input."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
from datetime import date

import pytest

from detente.errors import InputError
from detente.ingest import read_inputs
from detente.ingest.fetch import canonical_url, check_target
from detente.model import Article, Skip

BODY = (
    "Officials in Lima said Peruvian and Chilean delegations met on Monday to discuss the border and trade. "
    "The talks, the first in two years, ended with a pledge to meet again in Santiago next month."
)
PAGE = (
    "<html><head><title>Border talks resume</title><meta property='article:published_time' "
    "content='2024-03-05'></head><body><article><h1>Border talks resume</h1><p>{body}</p><p>{body}</p>"
    "</article></body></html>"
)
SPANISH = (
    "<html><body><article><p>" + "La reunión entre los ministros de los dos países se celebró el martes en la "
    "capital, donde se discutieron las rutas comerciales y la frontera común. " * 3 + "</p></article></body></html>"
)


def feed(base: str) -> str:
    items = "".join(
        f"<item><title>Item {i}</title><link>{base}/page{i}.html</link>"
        f"<pubDate>Tue, 0{i} Apr 2024 10:00:00 GMT</pubDate></item>"
        for i in (1, 2)
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>{items}</channel></rss>"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        routes = {
            "/page1.html": ("text/html", PAGE.format(body=BODY)),
            "/page2.html": ("text/html", PAGE.format(body=BODY.replace("Monday", "Friday"))),
            "/feed.xml": ("application/rss+xml", feed(base)),
            "/spanish.html": ("text/html", SPANISH),
            "/empty.html": ("text/html", "<html><body><nav>Home</nav></body></html>"),
        }
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/page1.html?utm_source=x")
            self.end_headers()
            return
        if self.path.split("?")[0] not in routes:
            self.send_error(404)
            return
        ctype, text = routes[self.path.split("?")[0]]
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def read(inputs, **kw):
    kw.setdefault("allow_private_urls", True)
    return list(read_inputs(inputs, **kw))


def test_url_page_date_and_redirect_dedupe(server):
    items = read([f"{server}/page1.html", f"{server}/redirect"])
    arts = [i for i in items if isinstance(i, Article)]
    assert len(arts) == 1, items  # the redirect lands on the same page: coded once
    a = arts[0]
    assert "delegations met on Monday" in a.text and a.title == "Border talks resume"
    assert a.published == date(2024, 3, 5) and a.published_source == "page" and a.language == "en"


def test_feed_follows_items_and_404s_are_skips(server):
    items = read([f"{server}/feed.xml", f"{server}/missing-feed.xml"])
    arts = [i for i in items if isinstance(i, Article)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert len(arts) == 2
    assert len(skips) == 1 and "HTTP 404" in skips[0].reason


def test_non_english_and_bodiless_pages_are_skipped(server):
    items = read([f"{server}/spanish.html", f"{server}/empty.html"])
    reasons = [i.reason for i in items if isinstance(i, Skip)]
    assert any("not English" in r for r in reasons) and any("no article text" in r for r in reasons)


def test_private_addresses_are_refused_unless_allowed(server):
    (skip,) = read([f"{server}/page1.html"], allow_private_urls=False)
    assert isinstance(skip, Skip) and "private or local address" in skip.reason
    for url in ("http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data", "http://localhost/x", "http://[::1]/x"):
        with pytest.raises(InputError, match="private or local"):
            check_target(url, allow_private=False)
    (skip,) = read(["file:///etc/passwd"], allow_private_urls=False)
    assert "only http and https" in skip.reason


def test_canonical_url():
    assert canonical_url("HTTPS://Example.com:443/a/b/?utm_source=x&id=2#top") == "https://example.com/a/b?id=2"


def test_gzip_warc_glob_and_bad_files(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    (tmp_path / "story.html.gz").write_bytes(gzip.compress(PAGE.format(body=BODY.replace("Lima", "Lomé")).encode()))
    (tmp_path / "truncated.html.gz").write_bytes(gzip.compress(PAGE.format(body=BODY).encode())[:60])
    (tmp_path / "blob.html").write_bytes(bytes(range(256)) * 40)
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for n, body in enumerate((BODY, BODY.replace("Lima", "Quito"))):
        payload = PAGE.format(body=body).encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(
            writer.create_warc_record(
                f"http://news.example/{n}", "response", payload=io.BytesIO(payload), http_headers=headers
            )
        )
    (tmp_path / "crawl.warc.gz").write_bytes(buf.getvalue())
    items = read([str(tmp_path / "*.gz"), str(tmp_path / "blob.html")])
    arts = [i for i in items if isinstance(i, Article)]
    reasons = {i.input.rsplit("/", 1)[-1]: i.reason for i in items if isinstance(i, Skip)}
    assert len(arts) == 3 and {a.url for a in arts if a.url} >= {"http://news.example/0", "http://news.example/1"}
    assert "truncated gzip" in reasons["truncated.html.gz"] or "not a valid gzip" in reasons["truncated.html.gz"]
    assert "binary" in reasons["blob.html"]


def test_gzip_bomb_is_refused(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 5_000_000))
    (skip,) = read([str(tmp_path / "bomb.txt.gz")], max_bytes=1_000_000)
    assert "max_bytes" in skip.reason


def test_fifty_megabyte_page_is_skipped_with_its_size(tmp_path):
    big = tmp_path / "big.html"
    with big.open("wb") as fh:
        fh.write(b"<html><body><p>" + b"word " * 10_000_000 + b"</p></body></html>")
    (skip,) = read([str(big)])
    assert "over the max_bytes limit" in skip.reason


def test_batch_with_bad_inputs_codes_the_rest(tmp_path, server, capsys, pipeline):
    from detente.cli import main

    (tmp_path / "good.txt").write_text(BODY)
    (tmp_path / "bin.html").write_bytes(b"\x00\x01" * 100)
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(BODY.encode())[:30])
    code = main(
        ["code", str(tmp_path), f"{server}/missing.xml", f"{server}/spanish.html", "--allow-private-urls", "true"]
    )
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out.splitlines()[0])["cameo"]
    assert "skipped 4" in err
