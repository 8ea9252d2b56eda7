"""Shared fixtures: one pipeline (one spaCy load) per test session, paths to the shared datasets."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"
EXAMPLE = ROOT / "examples" / "ankara-yerevan-thaw.txt"
EXAMPLE_PUBLISHED = "2026-03-14"


def pytest_configure(config):
    """Built tables go to a cache of the run's own, so a run neither reads nor leaves a user's cache."""
    import os
    import tempfile

    if "DETENTE_CACHE_DIR" not in os.environ:
        config._detente_cache = tempfile.mkdtemp(prefix="detente-cache-")
        os.environ["DETENTE_CACHE_DIR"] = config._detente_cache


def pytest_unconfigure(config):
    import shutil

    folder = getattr(config, "_detente_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pipeline():
    from detente.api import pipeline as shared

    return shared()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the shared datasets and gold files live beside the repository")
    return SHARED


@pytest.fixture()
def code(pipeline):
    """Code one text and return its event records."""
    from datetime import date

    from detente.api import records

    def run(text: str, published: str | None = "2024-06-15"):
        pub = date.fromisoformat(published) if published else None
        return records(pipeline.code_text(text, published=pub))

    return run


def start_server(settings, watcher=None):
    """A real uvicorn server on 127.0.0.1 (a free port) for create_app(settings): (base URL, stop function)."""
    import socket
    import threading
    import time

    import uvicorn

    from detente.service import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings, watcher=watcher), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start within 20 s")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return f"http://127.0.0.1:{port}", stop


@pytest.fixture()
def live_server():
    """Start real uvicorn servers for create_app(settings) during a test; all stopped after it."""
    stops = []

    def start(settings, watcher=None) -> str:
        url, stop = start_server(settings, watcher)
        stops.append(stop)
        return url

    yield start
    for stop in stops:
        stop()


@pytest.fixture()
def static_site(tmp_path):
    """A plain HTTP server on 127.0.0.1 serving files from a folder (pages and feeds for URL ingestion tests)."""
    import functools
    import http.server
    import threading

    root = tmp_path / "site"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
