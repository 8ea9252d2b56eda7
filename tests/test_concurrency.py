"""serve answers reads while ingest and watch write the same SQLite file: no lock errors, no lost writes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import httpx
import pytest

from detente.settings import Settings
from detente.store import Store

from .conftest import EXAMPLE

WIRE = (
    "{city} - {a} President met {b} Foreign Minister in {city} on Monday to discuss trade, report {n}. "
    "The two sides agreed to meet again next month."
)
PAIRS = [
    ("Kenyan", "Ethiopian", "Nairobi"),
    ("Turkish", "Armenian", "Ankara"),
    ("Egyptian", "Jordanian", "Cairo"),
    ("Indian", "Chinese", "Delhi"),
]


@pytest.mark.slow
def test_reads_during_ingest_and_watch(tmp_path, live_server, static_site, pipeline):
    db = tmp_path / "shared.db"
    with Store(db):
        pass  # the schema exists before readers arrive
    base = live_server(Settings(db=str(db)))
    # articles for `ingest` (a subprocess) and a feed for `watch` (another subprocess)
    src = tmp_path / "in"
    src.mkdir()
    for n in range(24):
        a, b, city = PAIRS[n % len(PAIRS)]
        (src / f"{n:02d}.txt").write_text(WIRE.format(a=a, b=b, city=city, n=n))
    root, site = static_site
    items = []
    for n in range(6):
        (root / f"story{n}.html").write_text(
            f"<html><body><article><p>{EXAMPLE.read_text()} Update {n}.</p></article></body></html>"
        )
        items.append(f"<item><title>S{n}</title><link>{site}/story{n}.html</link></item>")
    (root / "feed.xml").write_text(f"<rss version='2.0'><channel><title>t</title>{''.join(items)}</channel></rss>")

    errors: list[str] = []
    served = 0
    stop = threading.Event()

    def reader() -> None:
        nonlocal served
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                for path in ("/api/events?limit=20", "/api/events?dyad=KEN:ETH", "/api/incidents"):
                    r = client.get(base + path)
                    if r.status_code != 200:
                        errors.append(f"{path}: {r.status_code} {r.text[:200]}")
                    served += 1

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    env_py = [sys.executable, "-m", "detente"]
    ingest = subprocess.Popen(
        [*env_py, "ingest", str(src), "--db", str(db), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watch = subprocess.Popen(
        [*env_py, "watch", f"{site}/feed.xml", "--once", "--db", str(db), "--allow-private-urls", "true"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out_i, err_i = ingest.communicate(timeout=240)
        out_w, err_w = watch.communicate(timeout=240)
    finally:
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert ingest.returncode == 0, err_i
    assert watch.returncode == 0, err_w
    assert "locked" not in err_i + err_w
    assert not errors, errors[:5]
    assert served > 10
    with Store(db) as s:
        counts = s.counts()
        assert s.integrity() == "ok"
    assert counts.articles == 24 + 6, (counts, out_i, err_w)
    r = httpx.get(base + "/api/events?limit=500", timeout=10)
    body = r.json()
    assert r.status_code == 200 and len(body.get("events", body.get("items", []))) > 0
    print(json.dumps({"reads": served, "articles": counts.articles, "events": counts.events}))
