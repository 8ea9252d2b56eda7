"""Soak: ingest the Wikinews corpus in a loop while API readers hammer the same store, for a bounded time.

    python benchmarks/soak.py [--seconds 600] [--readers 4] [--batch 20]

Everything runs on 127.0.0.1: a real uvicorn server over the store, reader threads, and the ingest loop in this
process (each round gives the articles a round number, so they are new texts). Reports articles, events, API
requests, errors (must be 0), peak RSS, and whether RSS grows after the warm-up (the first round).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from detente.model import Article  # noqa: E402
from detente.pipeline import Pipeline  # noqa: E402
from detente.service import create_app  # noqa: E402
from detente.settings import Settings  # noqa: E402
from detente.store import Store  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews"


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def corpus() -> list[tuple[str, str]]:
    csv.field_size_limit(1 << 27)
    out = []
    for f in sorted(DATA.glob("*.csv")):
        with f.open(encoding="utf-8") as fh:
            out += [(r["text"].strip(), r.get("date", "")[:10]) for r in csv.DictReader(fh) if r.get("text")]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--batch", type=int, default=20)
    ap.add_argument("--articles", type=int, default=60, help="corpus articles per round (rounds repeat them)")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"no corpus at {DATA}", file=sys.stderr)
        return 2
    texts = corpus()[: args.articles]
    tmp = Path(tempfile.mkdtemp())
    db = tmp / "soak.db"
    settings = Settings(db=str(db))
    with Store(db):
        pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    requests = errors = 0
    lock = threading.Lock()

    def reader() -> None:
        nonlocal requests, errors
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                for path in ("/api/events?limit=50", "/api/events?dyad=USA:RUS", "/api/incidents?limit=20"):
                    try:
                        ok = client.get(base + path).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    with lock:
                        requests += 1
                        errors += not ok

    readers = [threading.Thread(target=reader, daemon=True) for _ in range(args.readers)]
    for t in readers:
        t.start()
    pipe = Pipeline(settings)
    start = time.monotonic()
    samples: list[tuple[float, float]] = []
    articles = events = 0
    rnd = 0
    with Store(db) as store:
        while time.monotonic() - start < args.seconds:
            rnd += 1
            for i in range(0, len(texts), args.batch):
                if time.monotonic() - start >= args.seconds:
                    break
                from datetime import date

                batch = [
                    Article.from_text(f"{t}\n\n(Round {rnd}.)", published=date.fromisoformat(d) if d else None)
                    for t, d in texts[i : i + args.batch]
                ]
                for res in pipe.run(batch):
                    if hasattr(res, "events") and store.add(res):  # type: ignore[arg-type]
                        articles += 1
                        events += len(res.events)  # type: ignore[union-attr]
                samples.append((time.monotonic() - start, rss_mb(), rnd))
    stop.set()
    for t in readers:
        t.join(timeout=10)
    server.should_exit = True
    elapsed = time.monotonic() - start
    first_round = next((s for s, _, n in samples if n > 1), elapsed / 3)
    warm = [r for s, r, _ in samples if s >= first_round]
    growth = (max(warm) - min(warm)) if warm else 0.0
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; {elapsed:.0f} s, {args.readers} readers"
    )
    print(f"articles {articles}, events {events}, API requests {requests}, errors {errors} (must be 0)")
    by_round: dict[int, float] = {}
    for _, r, n in samples:
        by_round[n] = r  # RSS at the end of each round
    print("RSS at the end of each round (MB): " + ", ".join(f"{v:.0f}" for v in by_round.values()))
    print(
        f"rounds {rnd}; peak RSS {max(r for _, r, _ in samples):.0f} MB; RSS range after the first round (warm-up: "
        f"every word, table and cache seen once) {growth:.0f} MB ({'flat' if growth < 100 else 'GROWING'})"
    )
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
