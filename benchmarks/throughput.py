"""End-to-end throughput against bare spaCy on the same texts, in one run.

    python benchmarks/throughput.py [--limit N] [--workers 1 2] [--batch-size 16] [--dask]

Reads the Wikinews corpus from ../shared/data/wikinews/, times bare `nlp.pipe` with the same model, components
and process count, then detente's `ingest` (extraction-free articles -> spaCy -> actors -> events -> dates ->
places -> certainty -> SQLite) and prints the ratio, articles/s, words/s and peak RSS. One-time loading (model,
tables) is excluded from both sides and reported on its own.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from detente import nlp  # noqa: E402
from detente.model import Article  # noqa: E402
from detente.pipeline import Pipeline  # noqa: E402
from detente.settings import Settings  # noqa: E402
from detente.store import Store  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews"


def corpus(limit: int | None) -> list[Article]:
    csv.field_size_limit(1 << 27)
    out: list[Article] = []
    for f in sorted(DATA.glob("*.csv")):
        with f.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row.get("text", "").strip():
                    out.append(Article.from_text(row["text"].strip(), title=row.get("title"), url=row.get("url")))
    return out[:limit] if limit else out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--dask", action="store_true", help="also time the Dask path on a 2-worker LocalCluster")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"no corpus at {DATA}", file=sys.stderr)
        return 2
    articles = corpus(args.limit)
    words = sum(len(a.text.split()) for a in articles)
    t = time.perf_counter()
    model = nlp.load()
    pipe = Pipeline(Settings(batch_size=args.batch_size))
    from detente.places import index

    index()
    load_s = time.perf_counter() - t
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, spaCy model "
        f"{model.meta['name']} {model.meta['version']}, components {model.pipe_names}"
    )
    print(f"corpus: {len(articles)} Wikinews articles, {words:,} words; one-time load {load_s:.1f}s")
    print(f"{'run':<26} {'seconds':>8} {'articles/s':>11} {'words/s':>9} {'ratio':>6}")
    for workers in args.workers:
        t = time.perf_counter()
        for _ in model.pipe((a.text for a in articles), batch_size=args.batch_size, n_process=workers):
            pass
        bare = time.perf_counter() - t
        pipe.settings = Settings(batch_size=args.batch_size, workers=workers)
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
            t = time.perf_counter()
            events = 0
            for res in pipe.run(articles):
                if hasattr(res, "events"):
                    store.add(res)  # type: ignore[arg-type]
                    events += len(res.events)  # type: ignore[union-attr]
            full = time.perf_counter() - t
        for name, secs in ((f"bare spaCy, {workers} proc", bare), (f"detente ingest, {workers} proc", full)):
            print(f"{name:<26} {secs:>8.1f} {len(articles) / secs:>11.1f} {words / secs:>9.0f} {bare / secs:>6.2f}")
        print(f"  events: {events}; end-to-end / bare spaCy throughput ratio {bare / full:.2f} (target >= 0.85)")
    if args.dask:
        from detente.distributed import run

        with tempfile.TemporaryDirectory() as tmp:
            pipe.settings = Settings(batch_size=args.batch_size, workers=2)
            t = time.perf_counter()
            local = sum(len(r.events) for r in pipe.run(articles) if hasattr(r, "events"))  # type: ignore[union-attr]
            local_s = time.perf_counter() - t
            from detente.distributed import _client, code_chunk

            t = time.perf_counter()
            client = _client("local", 2)
            client.run(code_chunk, [], pipe.settings)  # start-up: each worker loads spaCy once
            startup = time.perf_counter() - t
            t = time.perf_counter()
            rep = run(articles, Path(tmp) / "parts", scheduler="local", settings=pipe.settings, client=client)
            dask_s = time.perf_counter() - t
            client.close()
            client.cluster.close()
        print(
            f"dask LocalCluster, 2 workers: {dask_s:.1f}s vs local 2 procs {local_s:.1f}s "
            f"(overhead {dask_s / local_s - 1:+.0%}, target <= +25%); cluster start-up and model load "
            f"{startup:.1f}s once, not counted; events {rep.events} vs {local}"
        )
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"peak RSS: this process {peak_rss_mb():.0f} MB; largest worker process {children:.0f} MB "
        f"(target <= 600 MB per worker)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
