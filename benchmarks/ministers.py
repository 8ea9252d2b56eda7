"""How many foreign and defence ministers since 2000 resolve to their own state, scored against Peppercat.

    python benchmarks/ministers.py [--misses misses.csv] [--top 30]

Why: ministers are the actors news names most after heads of state, and office_holders.csv covers them for a
few dozen states only. This reads Peppercat's dated office holders (shared/data/actors/peppercat, CC BY-NC:
read here for evaluation only, never copied into the tables), keeps the spells of foreign and defence
ministers of UN member states whose midpoint is on or after 2000-01-01, resolves each holder's bare name on
that midpoint with detente.api.resolve_actor, and counts it right when the country is the state's ISO3.
Prints the machine, the share right overall, by office and by period, and the states with most misses.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from detente.api import resolve_actor  # noqa: E402
from detente.evaluate import gold_span  # noqa: E402

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
LEADERS = SHARED / "actors" / "peppercat" / "leaders_historic_2023-01.csv"
COUNTRIES = SHARED / "actors" / "countries" / "countries.json"
SNAPSHOT = date(2023, 1, 19)  # an empty end in the historic file: still in office on this day
FROM = date(2000, 1, 1)
PERIODS = [("2000-2009", date(2000, 1, 1)), ("2010-2014", date(2010, 1, 1)), ("2015-2023", date(2015, 1, 1))]
# Peppercat's place names that countries.json spells otherwise.
EXTRA_PLACES = {"cabo verde": "CPV", "turkey": "TUR"}

# Junior posts: deputies, ministers of state, delegates, spokespeople, second ministers.
JUNIOR = re.compile(
    r"^(?:Deputy Minister|Vice|Assistant|Associate|Under|Parliamentary|State Minister|Minister of State|"
    r"Minister[ -][Dd]elegate|Second Minister|Secretary of State (?:to|for|of) |Head of)|Spoke",
)
_HEAD = r"^(?:(?:First |Second )?Deputy Prime Minister and )?(?:Federal |Cabinet )?(?:Minister|Secretary) (?:of|for) "
FOREIGN = re.compile(
    _HEAD + r"(?:the )?(?:(?:Foreign|External) (?:Affairs|Relations)\b|Foreign and \w+ Affairs|"
    r"Europe and Foreign Affairs|European and International Affairs|International Relations and Cooperation)"
    r"|^Minister with responsibility for External Affairs"
)
DEFENCE = re.compile(_HEAD + r"(?:the )?(?:National |Revolutionary )?(?:Defen[cs]e|Armed Forces)\b")
NOT_DEFENCE = re.compile(r"Defen[cs]e (?:Industry|Production|Materiel|Equipment|Science|People|and Space)")
# Posts whose title is a cabinet post in one state only ("Secretary of State" is a junior post elsewhere).
ONLY = {
    ("USA", "Secretary of State"): "foreign",
    ("GBR", "Secretary of State for Foreign and Commonwealth Affairs"): "foreign",
    ("GBR", "Secretary of State for Foreign, Commonwealth and Development Affairs"): "foreign",
    ("GBR", "Secretary of State for Defence"): "defence",
}


@dataclass(frozen=True)
class Spell:
    iso3: str
    office: str
    person: str
    start: date
    end: date

    @property
    def midpoint(self) -> date:
        return self.start + (self.end - self.start) / 2


def norm(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold().strip()


def un_members() -> dict[str, str]:
    """Normalised place name -> ISO3, for UN member states only."""
    places: dict[str, str] = {}
    for c in json.loads(COUNTRIES.read_text(encoding="utf-8")):
        if c.get("unMember"):
            for name in [c["name"]["common"], c["name"]["official"], *c.get("altSpellings", [])]:
                places.setdefault(norm(name), c["cca3"])
    return {**places, **EXTRA_PLACES}


def parse(text: str, last: bool) -> date | None:
    """A Wikidata date of day, month or year precision; `last` picks the end of a month or year."""
    try:
        bounds: tuple[date, date] = gold_span(text.strip())
    except ValueError:
        return None
    return bounds[1 if last else 0]


def office(iso3: str, position: str) -> str | None:
    label = position.strip()
    if (iso3, label) in ONLY:
        return ONLY[(iso3, label)]
    # New Zealand's page also lists the Cook Islands, Spain's the Catalan "foreign action" minister
    if JUNIOR.search(label) or "Cook Islands" in label or "Institutional Relations" in label:
        return None
    if FOREIGN.search(label):
        return "foreign"
    if DEFENCE.search(label) and not NOT_DEFENCE.search(label):
        return "defence"
    return None


def spells() -> tuple[list[Spell], Counter[str]]:
    places = un_members()
    skipped: Counter[str] = Counter()
    seen: set[tuple[str, str, str, date]] = set()
    out = []
    with LEADERS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            iso3 = places.get(norm(row["catalog"]))
            if iso3 is None:
                continue
            kind = office(iso3, row["position"])
            if kind is None:
                continue
            start = parse(row["start"], last=False)
            end = parse(row["end"], last=True) if row["end"].strip() else SNAPSHOT
            if start is None or end is None or end < start:
                skipped["undated or reversed"] += 1
                continue
            spell = Spell(iso3, kind, row["person"].strip(), start, min(end, SNAPSHOT))
            if spell.midpoint < FROM:
                continue
            key = (iso3, kind, row["personID"] or spell.person, start)
            if key in seen:  # one spell under two labels (India: External / Foreign Affairs)
                skipped["same spell, other label"] += 1
                continue
            seen.add(key)
            out.append(spell)
    return out, skipped


def period(d: date) -> str:
    return [name for name, start in PERIODS if d >= start][-1]


def share(right: int, total: int) -> str:
    return f"{right:>5}/{total:<5} {100 * right / total if total else 0:5.1f}%"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", type=Path, help="write the missed spells to this CSV")
    ap.add_argument("--top", type=int, default=30, help="states listed by number of misses")
    args = ap.parse_args()
    if not LEADERS.exists() or not COUNTRIES.exists():
        sys.exit(f"reference data not found: need {LEADERS.resolve()} and {COUNTRIES.resolve()}")
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    t0 = time.perf_counter()
    todo, skipped = spells()
    t1 = time.perf_counter()
    by: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    wrong = Counter[str]()
    for s in todo:
        rec = resolve_actor(s.person, s.midpoint)
        ok = rec["country"] == s.iso3
        for key in ("all", s.office, period(s.midpoint), f"{s.office} {period(s.midpoint)}", s.iso3):
            by[key]["total"] += 1
            by[key]["right"] += ok
        if not ok:
            wrong["no country" if rec["country"] is None else "another country"] += 1
            misses.append((s, rec))
    t2 = time.perf_counter()
    states = {s.iso3 for s in todo}
    print(
        f"spells: {len(todo)} ({len(states)} UN member states; midpoint on or after {FROM}); skipped "
        + (", ".join(f"{n} {why}" for why, n in skipped.items()) or "none")
    )
    print(f"time: {t1 - t0:.1f} s reading, {1000 * (t2 - t1) / max(1, len(todo)):.2f} ms per resolve_actor")
    print(f"\n{'':<20} {'right/total':>13} {'share':>6}")
    rows = ["all", "foreign", "defence"] + [p for p, _ in PERIODS]
    rows += [f"{o} {p}" for o in ("foreign", "defence") for p, _ in PERIODS]
    for key in rows:
        print(f"{key:<20} {share(by[key]['right'], by[key]['total'])}")
    print(f"misses: {sum(wrong.values())} ({', '.join(f'{n} {why}' for why, n in wrong.most_common())})")
    print(f"\ntop {args.top} states by misses")
    print(f"{'state':<6} {'misses':>6} {'spells':>6}  missed (office, midpoint year)")
    per_state = Counter(s.iso3 for s, _ in misses)
    for iso3, n in sorted(per_state.items(), key=lambda kv: (-kv[1], kv[0]))[: args.top]:
        names = [f"{s.person} ({s.office[0]} {s.midpoint.year})" for s, _ in misses if s.iso3 == iso3]
        shown = "; ".join(names[:4]) + (" ..." if len(names) > 4 else "")
        print(f"{iso3:<6} {n:>6} {by[iso3]['total']:>6}  {shown}")
    if args.misses:
        with args.misses.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["iso3", "office", "person", "start", "end", "midpoint", "got_country", "got_name", "reason"])
            for s, rec in misses:
                w.writerow(
                    [s.iso3, s.office, s.person, s.start, s.end, s.midpoint, rec["country"], rec["name"], rec["reason"]]
                )
        print(f"\nmisses written to {args.misses}")


if __name__ == "__main__":
    main()
