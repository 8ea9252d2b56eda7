"""Article-body extraction against the article-extraction benchmark's human-checked bodies (token-level F1).

    python benchmarks/extraction.py [--limit N]

Reads ../shared/data/article-extraction/ (181 real pages, gzipped, with `articleBody` ground truth) and scores
detente's extraction (`detente.ingest.extract.from_html`) the way the benchmark defines it: whitespace tokens,
multiset overlap, precision/recall/F1 per page, averaged. Upstream figures on the same pages: trafilatura 2.0
F1 0.958, newspaper4k 0.949, readability-lxml 0.922. Issue 6 asks for F1 >= 0.93.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from detente.errors import InputError  # noqa: E402
from detente.ingest.extract import from_html  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction"


def prf(pred: str, gold: str) -> tuple[float, float, float]:
    p_tokens, g_tokens = Counter(pred.split()), Counter(gold.split())
    common = sum((p_tokens & g_tokens).values())
    if not p_tokens or not g_tokens:
        return (1.0, 1.0, 1.0) if p_tokens == g_tokens else (0.0, 0.0, 0.0)
    p, r = common / sum(p_tokens.values()), common / sum(g_tokens.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"no data at {DATA}", file=sys.stderr)
        return 2
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    items = sorted(truth.items())[: args.limit]
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; {len(items)} pages")
    scores, failed = [], 0
    t = time.perf_counter()
    for key, gold in items:
        html = gzip.decompress((DATA / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", errors="replace")
        try:
            text = from_html(html, key, gold.get("url")).text
        except InputError:
            text, failed = "", failed + 1
        scores.append(prf(text, gold.get("articleBody") or ""))
    secs = time.perf_counter() - t
    n = len(scores)
    p, r, f = (sum(s[i] for s in scores) / n for i in range(3))
    print(f"precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  (floor 0.93: {'PASS' if f >= 0.93 else 'FAIL'})")
    print(f"pages with no text extracted: {failed}; {n / secs:.1f} pages/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
