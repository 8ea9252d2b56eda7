"""Build src/detente/data/actors/heads.csv from the Wikidata heads-of-state/government snapshot.

The curated office_holders.csv dates heads of state and government of 65 countries, and leaders.csv (Phoenix)
stops in 2014, so most of today's presidents, prime ministers and monarchs of the other states resolve to no one:
"Edi Rama" in 2020 or "Christopher Luxon" in 2024 give no country. The Wikidata snapshot in
shared/data/actors/wikidata-heads-2026 (CC0, via every-politician-scrapers/world-leaders-2021) names the holders
of every state's head-of-state and head-of-government posts who are in office or left in 2022, with the years of
their spells. This table carries those facts over (names, countries, offices, years), at year precision: a spell
2017-2020 is dated 2017-01-01 to 2020-12-31, an open spell has no end. office_holders.csv wins: a person it names
is left out here, and so are unverified 2026 claims that contradict it. Rerun after changing the rules below:

    .venv/bin/python scripts/build_heads.py [path/to/wikidata_heads.csv]
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

from build_leaders import NO_SURNAME, SURNAME_STOP, letters
from buildlib import ACTORS, arguments, read_csv, write_holders

from detente.actors.gazetteer import country_code, norm, slug

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared/data/actors/wikidata-heads-2026/wikidata_heads.csv"
OUT = ACTORS / "heads.csv"

# The snapshot's year: rows starting then may be premature or vandalised edits (see its README).
SNAPSHOT_YEAR = 2026
# Earlier start years are junk (the snapshot has a "Horik II" of Denmark from 854).
FIRST_YEAR = 1900
QID = re.compile(r"Q\d+")
# Positions whose label says the holder is a soldier in power: "military leader".
MILITARY = re.compile(r"\bmilitary\b", re.I)
# Lower-case words a name may contain; any other lower-case word marks a damaged label ("Nayib buke").
NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "del", "della", "der", "den", "van", "von", "la", "le"}
NAME_PARTICLES |= {"du", "da", "das", "dos", "do", "di", "y", "e", "ould", "of", "the", "and"}
REGNAL = re.compile(r"^[IVX]+$")
SUFFIX = re.compile(r",?\s+(?:Jr|Sr)\.?$")
# Letters NFKD does not take apart, for the accent-free alias (Đuro -> Duro); the ʻokina and its kin go.
FOLD = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss"})
FOLD_DROP = dict.fromkeys(map(ord, "\u02bb\u02bc\u02bf\u02be"), None)
# Particles that stay with a bare surname (Van der Bellen, da Silva); Arabic ones do not (Ould Ghazouani -> Ghazouani).
SURNAME_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "la", "le", "du", "da", "das", "dos", "do", "di"}
# "Al Sabah", "Al Thani": the ruling family's name, shared by every member, is no one's bare surname.
DYNASTY = {"al", "al-"}
# Bare surnames that are English words, common given names or someone better known, besides build_leaders.py's
# stoplist; "Robinah" is a given name (the snapshot writes "Nabbanja Robinah", family name first).
HEADS_STOP = {"prime", "church", "banks", "persons", "stocker", "allen", "drew", "davis", "mitchell", "phillips"}
HEADS_STOP |= {"burton", "harris", "pavel", "michal", "robinah", "cassis", "chapo"}


@dataclass
class Person:
    """One named head: the snapshot's label, the names the table gives them and their dated offices."""

    name: str
    country: str  # of the person's first row in the snapshot
    aliases: list[str] = field(default_factory=list)
    spells: dict[tuple[str, str, str], list[tuple[int, int | None]]] = field(default_factory=dict)


def office_kind(role: str) -> str | None:
    """head of government, president (or other head of state) or monarch; None for deputies."""
    r = role.lower()
    if re.search(r"\b(vice|deputy|first deputy)\b", r):
        return None
    if re.search(r"prime minister|premier|chancellor|taoiseach|council of ministers|head of government", r):
        return "government"
    if re.search(r"president|chairman|chairperson|co-prince|captain regent|head of state|leader|ruler", r):
        return "president"
    if re.search(r"\b(king|queen|monarch|emir|sultan|prince|pope|grand duke|agong)\b", r):
        return "monarch"
    return None


def fold(text: str) -> str:
    """The name without accents: Micheál -> Micheal, Laʻauli -> Laauli."""
    t = text.translate(FOLD).translate(FOLD_DROP)
    return "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))


def damaged(label: str) -> bool:
    """A label with a lower-case word that is no name particle: a clipped or vandalised name."""
    words = label.split()
    return any(w[:1].islower() and w.split("-")[0].lower() not in NAME_PARTICLES for w in words[1:])


def clean_name(label: str) -> tuple[str, list[str]]:
    """The table's name and the label's own variants: 'Philip "Brave" Davis' -> Philip Davis (Brave Davis)."""
    variants: list[str] = []
    nick = re.search(r'"([^"]+)"', label)
    name = " ".join(re.sub(r'"[^"]*"', " ", label).split())
    if nick:
        variants += [label.replace('"', ""), f"{nick.group(1)} {name.split()[-1]}"]
    # "Albert II, Prince of Monaco", "Felipe VI of Spain": the person's name without the title or realm
    short = re.split(r",\s+| of ", name, maxsplit=1)[0]
    if short != name and (len(short.split()) >= 2 or REGNAL.match(short.split()[-1])):
        variants.append(short)
        if len(short.split()) >= 3 and REGNAL.match(short.split()[-1]):  # Hassanal Bolkiah I -> Hassanal Bolkiah
            variants.append(short.rsplit(" ", 1)[0])
    bare = SUFFIX.sub("", name)
    if bare != name:
        variants.append(bare)
    return name, variants


def same_holder(h: dict[str, str], name: str, iso: str, kind: str, start: int, end: int | None) -> bool:
    """office_holders.csv's row h is this head spelt otherwise: a near-identical name holding the same kind of
    office in the same state in overlapping years (Alexander Lukashenka = Alexander Lukashenko)."""
    if h["country"] != iso or office_kind(h["role"]) != kind:
        return False
    if int(h["start"][:4]) > (end or SNAPSHOT_YEAR) or (h["end"] and int(h["end"][:4]) < start):
        return False
    texts = [h["name"], *filter(None, h["aliases"].split(";"))]
    return max(SequenceMatcher(None, norm(name), norm(t)).ratio() for t in texts) >= 0.85


def build(source: Path) -> tuple[list[dict[str, str]], dict[str, int], dict[str, list[str]]]:
    """Rows for heads.csv, counts of what was left out or merged, and the rows dropped, by reason."""
    holders = read_csv(ACTORS / "office_holders.csv")
    leaders = read_csv(ACTORS / "leaders.csv")
    report: dict[str, int] = defaultdict(int)
    dropped: dict[str, list[str]] = defaultdict(list)

    # every text that names someone in the other holder tables, and whom (person ids as the loader makes them)
    curated: set[str] = set()  # office_holders.csv names and multi-word aliases
    claims: dict[str, set[str]] = defaultdict(set)  # name text -> person ids that use it
    surnames: dict[str, set[str]] = defaultdict(set)  # last name word -> person ids, from names only
    for table, table_rows in (("office_holders", holders), ("leaders", leaders)):
        for r in table_rows:
            texts = [r["name"], *filter(None, r["aliases"].split(";"))]
            for t in texts:
                claims[norm(t)].add(slug(r["name"]))
                if table == "office_holders" and (t == r["name"] or len(norm(t).split()) >= 2):
                    curated.add(norm(t))
            if len(r["name"].split()) >= 2:
                surnames[norm(r["name"].split()[-1])].add(slug(r["name"]))
    # words that name something other than a person: places, organisations, titles and group nouns
    taken = {norm(r["text"]) for r in read_csv(ACTORS / "countries.csv")}
    taken |= {norm(r["text"]) for r in read_csv(ACTORS / "regions.csv")}
    taken |= {norm(r["term"]) for r in read_csv(ACTORS / "sectors.csv")}
    for r in read_csv(ACTORS / "organizations.csv"):
        taken |= {norm(t) for t in [r["name"], *r["aliases"].split(";")] if t}

    # QID labels are named only where office_holders.csv has the office's holder from (and to) those years
    def holder_of(iso: str, role: str, start: int, end: int | None) -> str | None:
        kind = office_kind(role)
        found = {
            h["name"]
            for h in holders
            if h["country"] == iso
            and kind
            and office_kind(h["role"]) == kind
            and h["start"][:4] == str(start)
            and h["end"][:4] == (str(end) if end else "")
        }
        return found.pop() if len(found) == 1 else None

    source_rows = read_csv(source)
    named_by_qid: dict[str, str] = {}
    for r in source_rows:
        if QID.fullmatch(r["officeholderLabel"].strip()):
            end_year = int(r["end_year"]) if r["end_year"] else None
            found = holder_of(country_code(r["country"]), r["positionLabel"], int(r["start_year"]), end_year)
            if found:
                named_by_qid[r["officeholder"]] = found

    people: dict[str, Person] = {}
    for r in source_rows:
        label, role, iso = r["officeholderLabel"].strip(), r["positionLabel"].strip(), country_code(r["country"])
        start, end = int(r["start_year"]), int(r["end_year"]) if r["end_year"] else None
        tag = f"{label} ({iso}, {role}, {start}-{end or ''})"
        if start < FIRST_YEAR:
            dropped["junk: start year before 1900"].append(tag)
            continue
        if QID.fullmatch(label):
            label = named_by_qid.get(r["officeholder"], label)
            if QID.fullmatch(label):
                dropped["no English label, and no holder of the office in office_holders.csv to name it"].append(tag)
                continue
        name, variants = clean_name(label)
        if {norm(t) for t in (name, *variants)} & curated:
            report["rows left out: person in office_holders.csv"] += 1
            continue
        kind = office_kind(role)
        twin = next((h["name"] for h in holders if kind and same_holder(h, name, iso, kind, start, end)), None)
        if twin:
            dropped["person in office_holders.csv under another spelling"].append(f"{tag} = {twin}")
            continue
        if damaged(label):
            dropped["damaged label"].append(tag)
            continue
        if start == SNAPSHOT_YEAR and kind:  # the curated table has someone else in that office then
            rivals = [
                h["name"]
                for h in holders
                if h["country"] == iso
                and "GOV" in h["sectors"].split(";")
                and office_kind(h["role"]) == kind
                and (not h["end"] or h["end"] >= f"{start}-01-01")
            ]
            if rivals:
                dropped[f"unverified {SNAPSHOT_YEAR} claim against office_holders.csv"].append(
                    f"{tag} vs {', '.join(rivals)}"
                )
                continue
        p = people.setdefault(slug(name), Person(name, iso))
        for v in variants:
            if v not in p.aliases:
                p.aliases.append(v)
        sectors = "GOV;MIL" if MILITARY.search(role) else "GOV"
        p.spells.setdefault((iso, sectors, role), []).append((start, end))

    # Aliases: the accent-free name and the label's variants, unless another person (or place, body) uses them;
    # the bare surname only when no other person in any holder table has it and it is no common word.
    for key, p in people.items():
        for t in (p.name, *p.aliases):
            claims[norm(t)].add(key)
        if len(p.name.split()) >= 2:
            surnames[norm(p.name.split()[-1])].add(key)

    def free(text: str, key: str) -> bool:
        k = norm(text)
        return claims.get(k, {key}) <= {key} and k not in taken

    def bare_surname(p: Person, key: str) -> str | None:
        if re.search(r",| of |\d", p.name) or p.country in NO_SURNAME:
            return None
        words = SUFFIX.sub("", fold(p.name)).split()
        if len(words) < 2 or REGNAL.match(words[-1]) or words[-2].lower() in DYNASTY:
            return None
        j = len(words) - 1
        while j > 1 and words[j - 1].lower() in SURNAME_PARTICLES:
            j -= 1
        sn = " ".join(words[j:])
        if len(letters(sn)) < 5 or letters(sn) in SURNAME_STOP | HEADS_STOP:
            return None
        if surnames.get(norm(words[-1]), {key}) > {key} or not free(sn, key):
            return None
        return sn

    out: list[dict[str, str]] = []
    for key, p in sorted(people.items(), key=lambda kv: norm(kv[1].name)):
        folded = fold(p.name)
        candidates = [*([folded] if folded != p.name else []), *p.aliases]
        aliases: list[str] = []
        for a in dict.fromkeys(candidates):
            if norm(a) == norm(p.name) and a != folded:
                continue
            if not free(a, key):
                report["aliases dropped: used by another person, place or body"] += 1
                continue
            aliases.append(a)
        sn = bare_surname(p, key)
        if sn and norm(sn) not in {norm(a) for a in aliases}:
            aliases.append(sn)
        offices: list[tuple[date, date | None, str, str, str]] = []
        for (iso, sectors, role), spells in p.spells.items():
            # one spell per office: a later spell inside an open one is the same tenure (Museveni 1986 and 2026)
            merged: list[tuple[int, int | None]] = []
            for s, e in sorted(spells, key=lambda x: x[0]):
                if merged and (merged[-1][1] is None or s <= merged[-1][1] + 1):
                    ps, pe = merged[-1]
                    merged[-1] = (ps, None if pe is None or e is None else max(pe, e))
                    report["rows merged: overlapping spells of one office"] += 1
                else:
                    merged.append((s, e))
            for s, e in merged:
                offices.append((date(s, 1, 1), date(e, 12, 31) if e else None, iso, sectors, role))
        for start_d, end_d, iso, sectors, role in sorted(offices, key=lambda x: (x[0], x[4])):
            out.append(
                {
                    "name": p.name,
                    "aliases": ";".join(aliases),
                    "country": iso,
                    "sectors": sectors,
                    "role": role,
                    "start": start_d.isoformat(),
                    "end": end_d.isoformat() if end_d else "",
                }
            )
    return out, dict(report), dict(dropped)


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, DEFAULT_SOURCE, OUT, argv)
    rows, report, dropped = build(args.source)
    write_holders(rows, args.out)
    people = {r["name"] for r in rows}
    print(f"{len(rows)} rows, {len(people)} persons, {len({r['country'] for r in rows})} countries -> {args.out}")
    for k, n in report.items():
        print(f"  {k}: {n}")
    for reason, tags in dropped.items():
        print(f"  dropped, {reason}: {len(tags)}")
        for t in tags:
            print(f"    {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
