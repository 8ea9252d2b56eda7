"""How much resolving an actor costs once loaded: exact names, parsed phrases, mentions inside a parsed article.

    python benchmarks/actors.py [--repeat N]

Prints the machine, then microseconds per phrase for each path. The target (issue 4) is well under a
millisecond per phrase for the resolver itself; a phrase given without a parsed context also pays one spaCy
parse, reported separately.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from detente import nlp  # noqa: E402
from detente.actors import ArticleActors, gazetteer, resolve_phrase  # noqa: E402

NAMES = [
    "Pakistan",
    "the United States",
    "Islamabad",
    "the Kremlin",
    "Mossad",
    "Lashkar-e-Taiba",
    "the World Bank",
    "Qamar Javed Bajwa",
    "Imran Khan",
    "Pervez Musharraf",
    "Al Jazeera",
    "Geo News",
    "NATO",
    "Hezbollah",
]
PHRASES = [
    "Pakistan's foreign minister",
    "Israeli troops",
    "then-army chief Gen. Qamar Javed Bajwa",
    "the head of Pakistan's Inter-Services Intelligence",
    "Emirati businessmen",
    "a turkey dinner",
    "Turkish journalists",
    "former prime minister Imran Khan",
    "the Indian Air Force",
    "Jordan Peterson",
]
ARTICLE = (
    "In September 2005, Pakistan's foreign minister met Israel's top diplomat in Istanbul. Weeks later, "
    "Pakistani President Pervez Musharraf shook hands with Israeli Prime Minister Ariel Sharon in New York. "
    "The military leader later addressed the American Jewish Congress. Indian troops and Chinese soldiers "
    "clashed in the Galwan Valley, and the two countries traded accusations. "
) * 5


def per_call(fn, items, repeat: int) -> float:
    """Median microseconds per item over `repeat` rounds."""
    rounds = []
    for _ in range(repeat):
        t = time.perf_counter()
        for item in items:
            fn(item)
        rounds.append((time.perf_counter() - t) / len(items) * 1e6)
    return statistics.median(rounds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    model = nlp.load()
    gaz = gazetteer()
    when = date(2022, 9, 1)
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, spaCy model "
        f"{model.meta['name']} {model.meta['version']}"
    )
    print(f"gazetteer: {len(gaz.names):,} names, {len(gaz.offices):,} office holders")

    exact = per_call(lambda p: resolve_phrase(model, gaz, p, when), NAMES, args.repeat)
    parsed = per_call(lambda p: resolve_phrase(model, gaz, p, when), PHRASES, max(3, args.repeat // 4))
    doc = model(ARTICLE)
    heads = [t for t in doc if t.pos_ in ("PROPN", "NOUN") and t.dep_ in ("nsubj", "dobj", "pobj", "poss")]

    def in_article(_: object) -> None:
        actors = ArticleActors(gaz, doc, when)
        for h in heads:
            actors.resolve(h)

    article_us = per_call(in_article, [None], args.repeat)
    print(f"{'path':<48} {'us/phrase':>10}")
    print(f"{'exact known name (no parse)':<48} {exact:>10.1f}")
    print(f"{'phrase with one spaCy parse':<48} {parsed:>10.1f}")
    print(
        f"{'mention in a parsed article (resolver only)':<48} {article_us / len(heads):>10.1f}"
        f"   ({len(heads)} mentions, article setup included)"
    )
    ok = exact < 1000 and article_us / len(heads) < 1000
    print(f"resolver under 1 ms per phrase: {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
