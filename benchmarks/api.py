"""REST API latency under load: 50 concurrent clients on loopback against GET /api/events?dyad=PAK:ISR.

Builds a store of N synthetic events (10% of them PAK–ISR, the rest spread over other pairs), starts
`detente serve` on 127.0.0.1, and lets each client page through the dyad's events (first page, then up to
five `next` pages, then again) for a bounded time. Prints p50 / p99 latency and requests per second beside
the machine. The target: p99 under 100 ms.

    python benchmarks/api.py                      # 1,000,000 events, 30 s, 50 clients
    python benchmarks/api.py --events 100000 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["USA", "CHN", "RUS", "IND", "TUR", "IRN", "SAU", "ARE", "EGY", "GBR", "FRA", "DEU", "ARM", "AZE", "QAT"]
TYPES = [("040", "04", 1, 1.0, "CONSULT"), ("036", "03", 1, 4.0, "CONSULT"), ("111", "11", 3, -2.0, "ACCUSE")]
CERTAINTIES = ["asserted", "reported", "claimed", "disputed", "denied", "hypothetical"]


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def build(db: str, n: int, per_article: int = 20) -> None:
    """N synthetic events straight into the store's tables (the Store creates the schema and indexes)."""
    from detente.store import Store

    Store(db, cluster=False).close()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    rng = random.Random(8)
    con.execute("BEGIN")
    articles, events, actors = [], [], []
    base = 730_000  # ordinal day in 1999
    for i in range(n):
        aid = f"a:{i // per_article:016x}"
        if i % per_article == 0:
            pub = f"2020-{1 + (i // per_article) % 12:02d}-15"
            text = "Synthetic article. " * 20
            articles.append((aid, f"h{i // per_article}", None, None, pub, "bench", None, text, "2024-01-01T00:00:00"))
        if rng.random() < 0.1:
            src, tgt = ("PAK", "ISR") if rng.random() < 0.5 else ("ISR", "PAK")
        else:
            src, tgt = rng.sample(COUNTRIES, 2)
        cameo, root, quad, gold, ptype = rng.choice(TYPES)
        day = time.strftime("%Y-%m-%d", time.gmtime((base + rng.randrange(9000) - 719_163) * 86400))
        eid = f"e:{i:016x}"
        certainty = rng.choice(CERTAINTIES)
        sentence = f"Officials of {src} met officials of {tgt} on {day}."
        rec = {
            "id": eid,
            "article": {"id": aid, "url": None, "title": None, "published": "2020-01-15", "source": "bench"},
            "sentence_index": i % per_article,
            "evidence": {"text": sentence, "start": 0, "end": len(sentence)},
            "trigger": {"text": "met", "start": 17, "end": 20},
            "cameo": cameo,
            "cameo_root": root,
            "plover": {"type": ptype, "mode": None, "context": []},
            "quad_class": quad,
            "goldstein": gold,
            "source": [{"name": src, "country": src, "sectors": ["GOV"], "text": src, "start": 13, "end": 16}],
            "target": [{"name": tgt, "country": tgt, "sectors": ["GOV"], "text": tgt, "start": 34, "end": 37}],
            "intermediary": [],
            "date": {"start": day, "end": day, "precision": "day", "reason": "explicit", "text": day},
            "place": None,
            "certainty": certainty,
            "attributed_to": None,
            "confidence": 0.8,
            "symmetric": True,
            "coder": {"name": "bench", "version": "0", "pattern": "meet"},
        }
        events.append(
            (eid, aid, i % per_article, cameo, root, quad, gold, ptype, day, day, "day", "explicit", None, None,
             certainty, None, 0.8, json.dumps(rec))
        )  # fmt: skip
        actors.append((eid, "source", 0, src, src, "GOV", None, src, 13, 16))
        actors.append((eid, "target", 0, tgt, tgt, "GOV", None, tgt, 34, 37))
        if len(events) >= 20_000 or i == n - 1:
            con.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?)", articles)
            con.executemany(
                "INSERT INTO events(id, article_id, sentence_index, cameo, cameo_root, quad_class, goldstein, "
                "plover_type, date_start, date_end, date_precision, date_reason, place_name, place_country, "
                "certainty, attributed_to, confidence, record) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                events,
            )
            con.executemany(
                'INSERT INTO actors(event_id, role, position, name, country, sectors, actor_id, text, start, "end") '
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                actors,
            )
            articles, events, actors = [], [], []
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


async def client(base: str, deadline: float, latencies: list[float], errors: list[str], pages: int) -> None:
    """One keep-alive HTTP/1.1 connection on raw asyncio streams (a light client leaves the cores to the server)."""
    from urllib.parse import quote, urlsplit

    parts = urlsplit(base)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        while time.monotonic() < deadline:
            cursor = None
            for _ in range(pages):
                path = "/api/events?dyad=PAK:ISR" + (f"&cursor={quote(cursor)}" if cursor else "")
                t0 = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                body = await reader.readexactly(length)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors.append(f"{status} {body[:200]!r}")
                    break
                cursor = json.loads(body)["next_cursor"]
                if not cursor or time.monotonic() >= deadline:
                    break
    finally:
        writer.close()


async def load(base: str, clients: int, seconds: float, pages: int) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    t0 = time.monotonic()
    deadline = t0 + seconds
    await asyncio.gather(*(client(base, deadline, latencies, errors, pages) for _ in range(clients)))
    return latencies, errors, time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--pages", type=int, default=6, help="pages each client follows before starting over")
    ap.add_argument("--processes", type=int, default=1, help="server processes (detente serve --processes)")
    ap.add_argument("--db", help="reuse or keep this store (built when absent)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "bench.db")
    if not Path(db).exists():
        t0 = time.monotonic()
        build(db, args.events)
        print(f"built {args.events:,} synthetic events in {time.monotonic() - t0:.0f} s", file=sys.stderr)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [
        sys.executable,
        "-m",
        "detente",
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--processes",
        str(args.processes),
    ]
    server = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{base}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        httpx.get(f"{base}/api/events", params={"dyad": "PAK:ISR"}, timeout=60)  # warm the page cache
        latencies, errors, wall = asyncio.run(load(base, args.clients, args.seconds, args.pages))
    finally:
        server.terminate()
        server.wait(timeout=30)
        tmp.cleanup()
    if not latencies:
        print("no requests completed", file=sys.stderr)
        return 1
    lat = sorted(latencies)
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    print(f"machine: {machine()}")
    print(
        f"GET /api/events?dyad=PAK:ISR, {args.events:,} events stored, {args.clients} clients, {wall:.0f} s, "
        f"{args.processes} server process(es)"
    )
    print(f"requests: {len(lat):,}  errors: {len(errors)}  req/s: {len(lat) / wall:,.0f}")
    print(f"latency p50: {p50:.1f} ms  p99: {p99:.1f} ms  ({'under' if p99 < 100 else 'OVER'} the 100 ms target)")
    for e in errors[:5]:
        print(f"error: {e}", file=sys.stderr)
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
