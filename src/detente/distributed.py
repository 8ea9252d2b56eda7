"""The Dask runner: the same per-chunk function as local workers, on a cluster, with Parquet partitions out.

`detente ingest --dask local|tcp://HOST:PORT --out DIR` reads inputs on the client, sends chunks of tens of
articles to the workers (each loads spaCy once), and writes one Parquet partition per chunk:
DIR/articles/part-NNNNN.parquet (text, metadata, sentences) and DIR/events/part-NNNNN.parquet (flat columns plus
the full JSON record). `detente load DIR` puts them into the store; DuckDB and pandas read them as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import DetenteError
from .model import Article, IngestReport, Result, Skip
from .output import flat
from .records import article_row, event_record, result
from .settings import Settings

_WORKER_PIPELINE: Any = None


def code_chunk(chunk: list[Article], settings: Settings) -> list[Result | Skip]:
    """Runs on a Dask worker: one Pipeline (one spaCy load) per worker process, reused for every chunk."""
    global _WORKER_PIPELINE
    from .pipeline import Pipeline

    if _WORKER_PIPELINE is None or _WORKER_PIPELINE.settings != settings:
        _WORKER_PIPELINE = Pipeline(settings)
    return list(_WORKER_PIPELINE.run_chunk(list(chunk)))


def _client(scheduler: str, workers: int) -> Any:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise DetenteError("the Dask runner needs dask distributed: pip install 'detente[dask]'") from exc
    if scheduler == "local":
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        )
        return Client(cluster)  # type: ignore[no-untyped-call]
    return Client(scheduler)  # type: ignore[no-untyped-call]


def run(
    items: Iterable[Article | Skip],
    out_dir: str | Path,
    *,
    scheduler: str = "local",
    settings: Settings | None = None,
    chunk_size: int = 20,
    client: Any = None,
) -> IngestReport:
    """Code `items` on a Dask cluster into Parquet partitions under out_dir; skips stay on the client.

    Pass a connected `client` to reuse a running cluster (it is left open); otherwise one is made and closed.
    """
    s = replace(settings or Settings(), workers=1)
    out = Path(out_dir)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "events").mkdir(parents=True, exist_ok=True)
    report = IngestReport()
    own = client is None
    if client is None:
        client = _client(scheduler, (settings or Settings()).workers if scheduler == "local" else 0)
    try:
        from dask.distributed import as_completed

        futures = {}
        for n, chunk in enumerate(_chunks(items, chunk_size, report)):
            futures[client.submit(code_chunk, chunk, s, pure=False)] = n
        for future, results in as_completed(futures, with_results=True):  # type: ignore[no-untyped-call]
            write_partition(out, futures[future], results)
            for r in results:
                if isinstance(r, Result):
                    report.articles += 1
                    report.events += len(r.events)
                else:
                    report.skips.append(r)
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    return report


def _chunks(items: Iterable[Article | Skip], size: int, report: IngestReport) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        if isinstance(item, Skip):
            report.skips.append(item)
            continue
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_partition(out: Path, n: int, results: list[Result | Skip]) -> None:
    """Two Parquet files for one chunk, written to a temporary name and renamed, so a reader never sees half."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    coded = [r for r in results if isinstance(r, Result)]
    arts = [article_row(r.article, r.sentences) for r in coded]
    events = []
    for r in coded:
        for ev in r.events:
            rec = event_record(ev, r.article)
            events.append(
                {
                    **{k: (str(v) if v is not None else None) for k, v in flat(rec).items()},
                    "record": json.dumps(rec, ensure_ascii=False),
                }
            )
    for kind, rows in (("articles", arts), ("events", events)):
        path = out / kind / f"part-{n:05d}.parquet"
        tmp = path.with_suffix(".tmp")
        table = pa.Table.from_pylist(rows) if rows else pa.table({"id": pa.array([], pa.string())})
        pq.write_table(table, tmp)
        tmp.replace(path)


def partitions(out_dir: str | Path) -> list[Path]:
    """The article partitions under a run's directory; none is an error, found before anything is opened."""
    parts = sorted((Path(out_dir) / "articles").glob("part-*.parquet"))
    if not parts:
        raise DetenteError(
            f"{out_dir}: no Parquet partitions (articles/part-*.parquet); "
            "make them with: detente ingest --dask local --out DIR"
        )
    return parts


def read_partitions(out_dir: str | Path) -> Iterator[Result]:
    """Results back from a partition directory, article by article."""
    import pyarrow.parquet as pq

    out = Path(out_dir)
    for part in partitions(out_dir):
        events_file = out / "events" / part.name
        by_article: dict[str, list[dict[str, Any]]] = {}
        if events_file.exists():
            for row in pq.read_table(events_file).to_pylist():
                if row.get("record"):
                    rec = json.loads(row["record"])
                    by_article.setdefault(rec["article"]["id"], []).append(rec)
        for row in pq.read_table(part).to_pylist():
            if row.get("text"):
                yield result(row, by_article.get(row["id"], []))
