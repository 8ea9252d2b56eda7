"""How the store scales: bulk ingest of coded events, a monthly dyad series over a million events, clustering cost.

    python benchmarks/store.py [--events 1000000] [--cluster-events 20000] [--db PATH] [--keep]

Builds a store of synthetic coded events (40 countries with a skewed choice of dyads, 10 events per article,
dates 2000-2025, mixed CAMEO codes and certainties), written through `Store.add_many` inside `Store.bulk_load`
(one commit per 2,000 articles; the index rebuild at the end is counted) with incident clustering deferred
(`Store(cluster=False)`); generating the events is not counted. It then clusters the big store
(`Store.cluster_pending`, timed and printed: series count incidents, so they need them), and times
`analysis.series(store, a, b, by="month")` for a mid-size dyad (PAK-ISR) and the busiest (USA-CHN), and one
deep page of the busiest dyad's incidents as GET /api/incidents?dyad= reads it. It also times clustering inline
(the default ingest) on a smaller store. Targets (issues 7 and 17): series < 200 ms with 1,000,000 events, the
busiest dyad included; ingest >= 20,000 events/s. Prints the machine beside the figures. Not run in CI;
bounded by --events.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from detente.analysis import series  # noqa: E402
from detente.incidents import page  # noqa: E402
from detente.model import Actor, Article, Event, EventDate, Result, Span, short_id  # noqa: E402
from detente.queries import IncidentFilter  # noqa: E402
from detente.store import Store  # noqa: E402

COUNTRIES = [
    "USA", "CHN", "RUS", "IND", "IRN", "PAK", "TUR", "SAU", "ISR", "ARE", "QAT", "EGY", "AFG", "IRQ", "SYR",
    "JOR", "LBN", "PSE", "UKR", "GBR", "FRA", "DEU", "JPN", "KOR", "PRK", "BGD", "LKA", "NPL", "ARM", "AZE",
    "GEO", "KAZ", "UZB", "ETH", "KEN", "NGA", "BRA", "MEX", "CAN", "AUS",
]  # fmt: skip
CODES = ["010", "016", "020", "030", "036", "040", "042", "043", "051", "057", "061", "064", "071", "111", "112",
         "120", "130", "138", "163", "173", "190", "193", "195"]  # fmt: skip
CERTAINTY = ["asserted"] * 6 + ["reported", "claimed", "disputed", "denied", "hypothetical", "negated"]
EPOCH = date(2000, 1, 1)
PER_ARTICLE = 10


def machine() -> str:
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def synthetic(n_events: int, seed: int = 7) -> Iterator[Result]:
    rng = random.Random(seed)
    weights = [1.0 / (i + 1) for i in range(len(COUNTRIES))]
    for n in range(n_events // PER_ARTICLE):
        day = EPOCH + timedelta(days=rng.randrange(9400))
        article = Article.from_text(f"synthetic article {n}", published=day, source=f"outlet {n % 97}")
        evs = []
        for i in range(PER_ARTICLE):
            a, b = rng.choices(COUNTRIES, weights, k=2)
            while a == b:
                b = rng.choices(COUNTRIES, weights)[0]
            when = day - timedelta(days=rng.randrange(30))
            mention = Span(f"{a} and {b}", 0, 7)
            evs.append(
                Event(
                    id=short_id("e", article.id, i),
                    article_id=article.id,
                    sentence_index=i,
                    evidence=Span(f"{a} did {i} to {b} in sentence {i} of article {n}", 0, 40),
                    trigger=Span("did", 4, 7),
                    cameo=rng.choice(CODES),
                    source=(Actor(a, a, ("GOV",), mention.text, 0, 3),),
                    target=(Actor(b, b, ("GOV",), mention.text, 8, 11),),
                    date=EventDate(when, when, "day", "explicit", None),
                    certainty=rng.choice(CERTAINTY),  # type: ignore[arg-type]
                    confidence=0.8,
                )
            )
        yield Result(article, (), tuple(evs))


def ingest(path: Path, n_events: int, cluster: bool, bulk: bool = False) -> tuple[float, int]:
    """Seconds spent in Store.add (generation excluded) and events stored."""
    spent, stored = 0.0, 0
    with Store(path, cluster=cluster) as store:
        batch: list[Result] = []
        gen = synthetic(n_events)
        with store.bulk_load() if bulk else nullcontext():
            while True:
                batch = [r for _, r in zip(range(2000), gen, strict=False)]
                if not batch:
                    break
                t0 = time.perf_counter()
                store.add_many(batch)
                spent += time.perf_counter() - t0
                stored += sum(len(r.events) for r in batch)
            t0 = time.perf_counter()
        spent += time.perf_counter() - t0  # rebuilding the indexes counts
    return spent, stored


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--cluster-events", type=int, default=20_000)
    ap.add_argument("--db", help="where to build the big store (default: a temporary file)")
    ap.add_argument("--keep", action="store_true", help="keep the store afterwards")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    tmp = Path(tempfile.mkdtemp(prefix="detente-bench-"))
    big = Path(args.db) if args.db else tmp / "big.db"
    big.unlink(missing_ok=True)

    spent, stored = ingest(big, args.events, cluster=False, bulk=True)
    print(
        f"bulk ingest (add_many in bulk_load, index rebuild counted): {stored:,} events in {spent:.1f} s "
        f"= {stored / spent:,.0f} events/s"
    )
    size = sum(p.stat().st_size for p in big.parent.glob(big.name + "*"))
    print(f"store file size: {size / 2**20:,.0f} MiB ({size / stored:,.0f} bytes/event)")

    with Store(big) as store:
        t0 = time.perf_counter()
        done = store.cluster_pending()
        took = time.perf_counter() - t0
        n_incidents = store.db.execute("SELECT COUNT(*) FROM incidents").fetchone()[0]
        print(
            f"clustering the big store: {done:,} events into {n_incidents:,} incidents in {took:.0f} s "
            f"= {done / took:,.0f} events/s"
        )
        for a, b in (("PAK", "ISR"), ("USA", "CHN")):  # a mid-size dyad, and the busiest as a stress case
            series(store, a, b, by="month")  # warm the page cache once
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                s = series(store, a, b, by="month")
                times.append(time.perf_counter() - t0)
            n = sum(p.incidents for p in s.points)
            print(
                f"monthly dyad series {a}-{b} over {stored:,} events: median {statistics.median(times) * 1000:.0f} ms, "
                f"max {max(times) * 1000:.0f} ms ({n:,} incidents in {len(s.points)} months, "
                f"{s.coverage:,} articles mention both)"
            )
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            found, _ = page(store.db, IncidentFilter(("USA", "CHN")), limit=50, offset=30_000)
            times.append(time.perf_counter() - t0)
        print(
            f"a page of 50 USA-CHN incidents at offset 30,000 (GET /api/incidents): median "
            f"{statistics.median(times) * 1000:.0f} ms ({len(found)} incidents)"
        )

    spent2, stored2 = ingest(tmp / "inline.db", args.cluster_events, cluster=True)
    print(f"ingest with clustering inline (the default): {stored2 / spent2:,.0f} events/s")

    if not args.keep:
        for p in tmp.glob("*"):
            p.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()
