"""Build src/detente/data/patterns/petrarch-verbs.csv from the PETRARCH-2 CAMEO verb dictionary.

The CAMEO verb dictionary (openeventdata/petrarch2 @ 676801c, dictionaries/CAMEO.2.0.txt, MIT,
Copyright (c) 2015 Open Event Data Alliance) lists English verbs in blocks with a CAMEO code and
pattern lines that refine the code by context words. This table carries over the facts only
(verb lemmas, context words, codes); no comments or prose. One row per verb default and per
pattern, with synonym sets (&NAME) expanded to one row per member. Rerun after changing the rules:

    .venv/bin/python scripts/build_verbs.py [path/to/CAMEO.2.0.txt]
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import sys
from collections import Counter
from pathlib import Path

from buildlib import arguments

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared/data/petrarch2/dictionaries/CAMEO.2.0.txt"
DATA = ROOT / "src/detente/data"
OUT = DATA / "patterns/petrarch-verbs.csv"
FIELDS = ["lemma", "particle", "words", "code", "kind"]
KINDS = {"default": 0, "pattern": 1, "discard": 2}

# Most rows one pattern may expand to: single sets (&WEAPON, 112 members) expand fully; products of
# sets (&MILITARY x &WEAPON) have their largest set cut, members kept in file order.
MAX_EXPANSION = 120
# Verbs that pattern notes name although no verb line lists them (URGE patterns sit in the DEMAND block).
NOTED_VERBS = {"urge"}
NOT_LEMMA = {"and", "or", "is"}
HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
CODE = re.compile(r"\[([^\]]*)\]")


def strip_comment(line: str) -> tuple[str, str]:
    """Split a line into its body and the text after '#' (';' also starts a comment)."""
    body, _, note = line.partition("#")
    return body.split(";", 1)[0].strip(), note.strip()


def norm(word: str) -> str:
    """Dictionary token -> lower-case words: '_' joins words, a trailing '_' is a match flag."""
    return " ".join(word.strip("+_").lower().replace("_", " ").split())


def read_code(raw: str, valid: set[str]) -> tuple[str | None, str]:
    """Return (code, status): '---' -> ('', discard); 'a:b' -> a; ':b' (reverse only) and unknown -> None."""
    raw = raw.strip().rstrip("!")
    if raw == "---":
        return "", "discard"
    first = raw.split(":", 1)[0]
    if not first:
        return None, "reverse-only code"
    return (first, "ok") if first in valid else (None, f"unknown code {first}")


def inflected(word: str, bases: set[str]) -> bool:
    """Whether a single-word verb looks like an inflected form of another listed verb."""
    for suffix, adds in (("ies", ("y",)), ("ing", ("", "e")), ("ed", ("", "e")), ("es", ("",)), ("s", ("",))):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            cands = [stem + a for a in adds]
            if len(stem) > 1 and stem[-1] == stem[-2] and suffix in ("ing", "ed"):
                cands.append(stem[:-1])  # stopped -> stop
            if any(c in bases for c in cands):
                return True
    return False


def expand(text: str, sets: dict[str, list[str]]) -> list[str] | None:
    """Context words of a pattern, one string per combination of synonym-set members (None: unknown set).

    Markers and brackets are dropped. If the sets multiply past MAX_EXPANSION, the largest set is cut
    (members in file order) until the product fits.
    """
    choices: list[list[str]] = []
    for tok in re.sub(r"[(){}]|_(?=[*&])|(?<=\*)_", " ", text).split():
        if tok.startswith("&"):
            members = sets.get(tok[1:])
            if not members:
                return None
            choices.append(list(dict.fromkeys(members)))
        elif tok.strip("*$+^%"):
            choices.append([norm(tok.strip("*$+^%"))])
    while math.prod(len(c) for c in choices) > MAX_EXPANSION:
        big = max(choices, key=len)
        big[:] = big[: max(1, len(big) * MAX_EXPANSION // math.prod(len(c) for c in choices))]
    return [" ".join(w for w in combo if w) for combo in itertools.product(*choices)]


def build(source: Path) -> tuple[list[tuple[str, str, str, str, str]], Counter[str]]:
    valid = {r["code"] for r in csv.DictReader((DATA / "cameo.csv").open(encoding="utf-8", newline=""))}
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    report: Counter[str] = Counter()
    sets: dict[str, list[str]] = {}
    current: list[str] | None = None
    forms: dict[str, str] = {}  # irregular form in braces -> its verb
    section = ""
    blocks: list[tuple[str, str, list[tuple[str, str]], list[tuple[str, str]]]] = []
    for line in lines:
        if line.startswith("#######"):
            section = line.strip("# ").split()[0]
            continue
        body, note = strip_comment(line)
        if not body:
            continue
        if section == "SYNONYM":
            if body.startswith("&"):
                current = sets.setdefault(body.split()[0][1:], [])
            elif body.startswith("+") and current is not None:
                current.append(norm(body.split()[0]))
        elif section == "VERB":
            if m := HEADER.match(body):
                blocks.append((m.group(1), m.group(2), [], []))
            elif body.startswith("-") and blocks:
                blocks[-1][3].append((body[1:], note))
            elif blocks:
                codes = CODE.findall(body)
                head_word = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", body).split()
                if head_word:
                    blocks[-1][2].append((norm(head_word[0]), codes[0] if codes else ""))
                    for form in " ".join(re.findall(r"\{([^}]*)\}", body)).split():
                        forms[norm(form)] = norm(head_word[0])

    everywhere = {w for _, _, verbs, _ in blocks for w, _ in verbs}
    singles = {w for w in everywhere if " " not in w}
    # Not lemmas: inflected forms of a listed verb (touring, angered by), conjoined verbs (shot and), 'is determined'.
    dropped = {w for w in everywhere if inflected(w.split()[0], singles - {w}) or NOT_LEMMA & set(w.split()[:2])}
    report["verb lines dropped: inflected form, conjunction or auxiliary"] = len(dropped)
    everywhere -= dropped
    rows: set[tuple[str, str, str, str, str]] = set()

    def add(verb: str, words: str, raw_code: str, kind: str) -> None:
        code, status = read_code(raw_code, valid)
        if code is None:
            report[f"{kind} rows skipped: {status}"] += 1
            return
        lemma, _, particle = verb.partition(" ")
        rows.add((lemma, particle, words, code, "discard" if status == "discard" else kind))

    def owner(name: str, names: list[str]) -> str | None:
        """The verb a pattern's note names: a verb of the block, the base of an inflected form, or a listed verb."""
        if name in names:
            return name
        first, _, rest = name.partition(" ")
        for base in names:
            b_first, _, b_rest = base.partition(" ")
            if forms.get(name) == base or (rest == b_rest and inflected(first, {b_first})):
                return base
        return name if name in everywhere or name in NOTED_VERBS else None

    for head, head_code, verbs, patterns in blocks:
        names = sorted({w for w, _ in verbs} - dropped)
        for word, code in verbs:
            if word not in dropped:
                add(word, "", code or head_code, "default")
        for text, note in patterns:
            codes = CODE.findall(text)
            words = expand(CODE.sub(" ", text), sets)
            if not codes or words is None:
                report["patterns dropped: no code or unknown synonym set"] += 1
                continue
            named = [norm(v) for v in note.split(",") if re.fullmatch(r"[A-Z_' -]+", v.strip())]
            owners: list[str | None] = [owner(v, names) for v in named or [norm(head)]]
            if not named and None in owners and len(names) == 1:
                owners = [*names]
            report["patterns: owner verb not found (dropped)"] += owners.count(None)
            for verb in dict.fromkeys(v for v in owners if v):
                for w in words:
                    add(verb, w, codes[-1], "pattern")
    report["synonym sets"] = len(sets)
    report["verb blocks"] = len(blocks)
    out = sorted(rows, key=lambda r: (r[0], r[1], KINDS[r[4]], r[3], r[2]))
    return out, report


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, DEFAULT_SOURCE, OUT, argv)
    rows, report = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(FIELDS)
        w.writerows(rows)
    print(f"{len(rows)} rows, {len({r[0] for r in rows})} lemmas -> {args.out}")
    for kind, n in sorted(Counter(r[4] for r in rows).items()):
        print(f"  kind {kind}: {n}")
    for k, v in sorted(report.items()):
        print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
