"""The dashboard in headless Chromium: pick PAK–ISR, the chart renders, a click shows the highlighted sentence."""

import os
import shutil
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from detente.settings import Settings

from .conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 20_000


def chromium() -> str:
    """Debian's chromium (scripts/test installs it where apt is usable); skip, saying why, when it is absent."""
    for candidate in (os.environ.get("DETENTE_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    reason = "chromium is not installed (apt-get install -y chromium, or run bash scripts/test as root)"
    print(f"SKIP dashboard tests: {reason}")
    pytest.skip(reason)


@contextmanager
def headless_page():
    """(playwright's sync_api, a fresh page, the console errors it logs) in headless Chromium, closed after."""
    exe = chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
    )
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=FLAGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(WAIT_MS)
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            yield sync_api, page, errors
        finally:
            browser.close()


@pytest.fixture()
def browser_page(tmp_path):
    exe = chromium()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'"
    )
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=exe, headless=True, args=FLAGS
        )
        context.set_default_timeout(WAIT_MS)

        def only_loopback(route):
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", only_loopback)
        page = context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            yield page, errors
        finally:
            context.close()
    assert not outside, f"the dashboard reached beyond 127.0.0.1: {outside}"


def test_dashboard_pak_isr(tmp_path, shared_dir, live_server, browser_page, pipeline):
    from detente.api import ingest

    page, errors = browser_page
    settings = Settings(db=str(tmp_path / "dash.db"))
    report = ingest(
        [str(shared_dir / "gold" / "pak-isr-normalization.txt")], published=date(2023, 5, 20), settings=settings
    )
    assert report.articles == 1 and report.events > 0
    base = live_server(settings)

    page.goto(base + "/")
    assert page.title() == "detente"
    page.fill("#side-a", "PAK")
    page.fill("#side-b", "ISR")
    page.click("#show-dyad")
    page.wait_for_selector("#chart svg.series rect.bar")
    assert page.locator("#chart svg.series rect.bar").count() > 0
    assert page.locator("#chart svg.series circle.goldstein-dot").count() > 0
    page.wait_for_selector("#ladder li.rung")
    assert page.locator("#ladder li.rung.seen").count() > 0
    rows = page.locator("#rows tr.event-row")
    rows.first.wait_for()
    assert rows.count() >= 5
    expected = rows.first.locator("td").last.inner_text()

    rows.first.click()
    mark = page.locator("#article-text mark.evidence")
    mark.first.wait_for()
    highlighted = " ".join(t.strip() for t in mark.all_inner_texts())
    assert " ".join(expected.split()) == " ".join(highlighted.split())
    assert page.locator("#article-text .actor").count() > 0
    assert page.is_visible("#article-panel")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-pak-isr.png"), full_page=True)
    assert not errors, errors


def test_dashboard_paste_box_shows_a_script_as_text(tmp_path, live_server, browser_page, pipeline):
    page, errors = browser_page
    base = live_server(Settings(db=str(tmp_path / "paste.db")))
    page.goto(base + "/")
    page.evaluate("window.__pwned = false")
    text = (
        '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true"> '
        "In September 2005, Pakistani Foreign Minister Khurshid Kasuri met Israeli Foreign Minister Silvan Shalom "
        "in Istanbul."
    )
    page.fill("#paste-text", text)
    page.fill("#paste-published", "2023-05-20")
    page.click("#paste-form button[type=submit]")
    page.wait_for_selector("#paste-result tr.event-row", timeout=60_000)
    page.wait_for_selector("#article-text mark.evidence")
    assert "<script>window.__pwned = true</script>" in page.inner_text("#article-text")
    assert page.locator("#article-text script, #article-text img").count() == 0
    assert page.evaluate("window.__pwned") is False
    assert not errors, errors
