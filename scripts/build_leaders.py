"""Build src/detente/data/actors/leaders.csv from the Phoenix country-actors dictionary.

The Phoenix/CountryInfo dictionary (openeventdata/petrarch2 @ 676801c, MIT,
Copyright (c) 2014 Open Event Data Alliance) lists historical leaders and
ministers with dated CAMEO codes. detente's curated office_holders.csv covers
2000 onwards; this table adds the older and wider facts (names, countries,
sectors, dates) so the actor resolver can date people before 2000. Only facts
are carried over, no comments. Rerun after changing the rules below:

    .venv/bin/python scripts/build_leaders.py [path/to/Phoenix.Countries.actors.txt]
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from buildlib import ACTORS, arguments, read_csv, write_holders

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared/data/petrarch2/dictionaries/Phoenix.Countries.actors.txt"
OUT = ACTORS / "leaders.csv"

# The dictionary froze in 2014: open ">x" spells end here, not "still in office".
FROZEN = date(2014, 12, 31)
# Two-digit years: 00-14 are 2000-2014 (the file is from 2014), 15-99 are 1915-1999.
# Phoenix writes years before 1915 (and many others) with four digits.
PIVOT = 14

# CAMEO role codes that name a sector of a person's office, with a short label.
ROLES = {
    "GOV": "government",
    "MIL": "military",
    "REB": "rebel",
    "OPP": "opposition",
    "PTY": "political party",
    "COP": "police",
    "JUD": "judiciary",
    "SPY": "intelligence",
    "MED": "media",
    "EDU": "education",
    "BUS": "business",
    "CRM": "criminal",
    "CVL": "civilian",
    "LAB": "labour",
    "LEG": "legislature",
    "HLH": "health",
    "REF": "refugees",
    "AGR": "agriculture",
    "DEV": "development",
    "ENV": "environment",
    "HRI": "human rights",
    "REL": "religion",
}
# CAMEO religion codes qualify an office (AFGGOVMUS: minister of hajj/religious affairs).
RELIGION = {"MUS", "CHR", "JEW", "BUD", "HIN", "SHI", "SUN", "CTH", "ORT", "PRO"}
# "Elite": public figure without an office; kept as a dated row with no sectors.
ELITE = "ELI"

# Phoenix country (or country+territory) codes that differ from the ISO3 codes in countries.csv.
COUNTRY_MAP = {
    "TMP": "TLS",  # East Timor
    "KSV": "XKX",  # Kosovo, as countries.csv spells it
    "GBRVGB": "VGB",
    "DNKFRO": "FRO",
    "GBRFLK": "FLK",
    "GBRIMY": "IMN",
    "USAASM": "ASM",
    "USAPRI": "PRI",
    "SDNSSD": "SSD",
}

# Words that mark an institution or place, not a person (for entries the file does not flag).
NOT_PERSON = re.compile(
    r"(?:^|[_\s-])(MINISTRY|ARMY|FORCES?|POLICE|PARTY|COUNCIL|COURT|PARLIAMENT|ASSEMBLY|CONGRESS|VOLKSKAMMER|"
    r"GOVERNMENT|AGENCY|COMMITTEE|BANK|UNION|FRONT|MOVEMENT|BRIGADES?|COMMAND|GUARD|NAVY|POLITBURO|"
    r"SENATE|OFFICE|DEPARTMENT|REPUBLIC|KINGDOM|ISLANDS?|PROVINCE|CITY|RIVER|SEA|OCEAN|NATIONALITIES|"
    r"SERVICE|AUTHORITY|ORGANI[SZ]ATION|INSTITUTE|UNIVERSITY|SOCIETY|CORPORATION|COMPANY|OBSERVATORY|"
    r"COALITION|ALLIANCE|CABINET|ADMINISTRATION|DIRECTORATE|REGIME|OPPOSITION|REBELS?|MILITIA|"
    r"TASK|JAISH|JAYSH|SECRETARY_OF|SYRIANS)(?=$|[_\s-])"
)

# Lower-case particles inside names (not for VNM, where Van/Le are name parts).
PARTICLES = {"al", "el", "bin", "ibn", "binti", "de", "del", "della", "der", "den", "van", "von"}
PARTICLES |= {"la", "le", "du", "da", "das", "dos", "di", "y", "e", "ould"}
HYPHENATED = {"al", "el"}  # joined to the next part: al-Bashir
NO_PARTICLES = {"VNM", "KHM", "LAO"}
# Family name first, mononyms or patronyms: a bare last token is not a surname here.
NO_SURNAME = {"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM", "KHM", "LAO", "MMR", "MNG", "ETH", "ERI", "ISL"}
TITLES = {
    "PRESIDENT",
    "PRIME",
    "MINISTER",
    "FOREIGN",
    "DEFENSE",
    "DEFENCE",
    "CHANCELLOR",
    "GENERAL",
    "GEN",
    "KING",
    "QUEEN",
    "PRINCE",
    "SHEIKH",
    "SHEIK",
    "EMIR",
    "SULTAN",
    "PREMIER",
    "DR",
    "MR",
    "MRS",
    "VICE",
    "DEPUTY",
    "COLONEL",
    "COL",
    "MARSHAL",
    "ADMIRAL",
    "SENATOR",
    "GOVERNOR",
    "SECRETARY",
    "SPEAKER",
    "CHAIRMAN",
    "AYATOLLAH",
    "PRES",
    "PM",
    "DATO'",
    "DATO",
    "DATUK",
    "SERI",
}
SUFFIXES = {"JR.", "JR", "SR.", "SR", "II", "III"}
# Second given names written with a hyphen after "Jean" (Jean-Bertrand Aristide).
FRENCH_GIVEN = {"Bertrand", "Claude", "Pierre", "Marie", "Marc", "Louis", "Paul", "Yves", "Luc", "Michel"}
FRENCH_GIVEN |= {"Baptiste", "Francois", "Jacques", "Max", "Noel", "Christophe", "Philippe", "Eudes", "Felix"}
# One-word heads kept as names (verified mononyms and monarchs); other one-word heads are
# clipped or garbled in the source (MAUOCONNELL_, PATPARRIS_) and are dropped.
MONONYMS = {
    ("IDN", "SUHARTO"): "Suharto",
    ("IDN", "SUGIHARTO"): "Sugiharto",
    ("IDN", "MARDIYANTO"): "Mardiyanto",
    ("JPN", "AKIHITO"): "Akihito",
    ("JPN", "HIROHITO"): "Hirohito",
    ("SAU", "FAYSAL"): "King Faisal",
    ("SAU", "KHALID"): "King Khalid",
    ("SAU", "FAHD"): "King Fahd",
    ("SAU", "ABDULLAH"): "King Abdullah",
    ("JOR", "HUSSEIN"): "King Hussein",
}
# Words that describe rather than name someone: "Soviet leader", "former president".
DESCRIPTORS = {"FORMER", "EX", "SOVIET", "RUSSIAN", "AMERICAN", "LEADER", "COMMUNIST", "CONGRESSMAN", "REPRESENTATIVE"}
DESCRIPTORS |= {"CHIEF", "HEAD", "OF", "THE", "ACTING", "INTERIM", "SECRETARY-GENERAL", "MOSCOW"}
# Bare surnames never used as aliases: English words and common first names.
SURNAME_STOP = set(
    """
    adams baker black brown bush carter clark cook cross daniel field fisher ford forest frank
    french grant green holder house hunter james jordan kelly king knight major
    marshall martin mason miller moore morning nation noble peace power powell price rice
    rivers salt short smith stone story street taylor thomas turner walker wallace white wilson
    wood young charles david george henry jones lewis moses peter simon stephen bishop chance little
    long lord love mercy sharp sweet temple prime church banks persons
    ahmad ahmed abdul abdallah abdullah abdel ali amin hassan hussein husain ibrahim ismail jamal karim
    khalid khalil mahmoud mohamed mohammed muhammad mohammad mustafa omar osman rashid saleh salem
    samir youssef yusuf yousef hamid hamad nasser rahman rahim said saeed sultan tariq ahmadi habib
    hamza kamal malik mansour nabil walid zayed mahdi musa john paul joseph william robert richard
    michael francis patrick anthony andrew edward albert arthur alexander philip louis victor vincent
    lawrence samuel isaac jacob joshua emmanuel felix oscar hugo julius marcel michel pierre jean juan
    jose carlos manuel pedro luis antonio miguel alberto ricardo eduardo fernando francisco jorge mario
    rafael ramon roberto sergio vladimir boris ivan igor nikolai mikhail maria anna elizabeth grace
    joyce margaret mary sarah helen alice
    """.split()
)


@dataclass
class Entry:
    """One dictionary entry: its names, synonyms and dated codes."""

    names: list[str]
    flagged: bool  # the file marks leader entries taken from CountryInfo.txt
    line: int
    synonyms: list[str] = field(default_factory=list)
    codes: list[tuple[str, str]] = field(default_factory=list)  # (code, date restriction)
    inline: bool = False  # the head line itself carries a code, as country names do


def parse(lines: list[str]) -> list[Entry]:
    """Split the dictionary into entries; bare head lines before any code are names of one entry."""
    entries: list[Entry] = []
    cur: Entry | None = None
    for n, raw in enumerate(lines, 1):
        flagged = "CountryInfo.txt" in raw
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        if text.startswith("+"):
            if cur is not None:
                cur.synonyms.append(text[1:].strip())
            continue
        if text.startswith("["):
            if cur is not None:
                body = text.strip("[]").strip()
                code, _, when = body.partition(" ")
                cur.codes.append((code.strip(), when.replace(" ", "")))
            continue
        head, _, inline = text.partition("[")
        merge = cur is not None and not cur.codes and not cur.inline and not flagged
        if merge:
            cur.names.append(head.strip())
        else:
            cur = Entry([head.strip()], flagged, n)
            entries.append(cur)
        if inline:
            cur.inline = True
            cur.codes.append((inline.strip("] ").split()[0], ""))
    return entries


def parse_date(s: str) -> date | None:
    """YYMMDD (century by PIVOT) or YYYYMMDD; None for malformed dates."""
    if not s.isdigit() or len(s) not in (6, 8):
        return None
    if len(s) == 6:
        yy = int(s[:2])
        s = f"{2000 + yy if yy <= PIVOT else 1900 + yy}{s[2:]}"
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    except ValueError:
        return None


def spell(when: str) -> tuple[date, date] | None:
    """A dated restriction as (start, end); None if undated, open at the start or malformed."""
    if "-" in when:
        a, _, b = when.partition("-")
        start, end = parse_date(a), parse_date(b)
        return (start, end) if start and end else None
    if when.startswith(">"):
        start = parse_date(when[1:])
        return (start, max(start, FROZEN)) if start else None
    return None  # "<x" (no start) or undated


def split_code(code: str) -> tuple[str | None, list[str]] | None:
    """(ISO3 or None when unmappable, sectors) for a person code; None when not an office/elite code."""
    if not re.fullmatch(r"[A-Z]{3}(?:[A-Z]{3})*", code):
        return None
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    country, rest = parts[0], parts[1:]
    if rest and country + rest[0] in COUNTRY_MAP:
        country, rest = COUNTRY_MAP[country + rest[0]], rest[1:]
    else:
        country = COUNTRY_MAP.get(country, country)
    sectors: list[str] = []
    for p in rest:
        if p in ROLES or p == ELITE:
            sectors.append(p)
        elif p in RELIGION:
            sectors.append("REL")
        else:
            return None  # territory or status qualifiers (UNR, OCC, AUT ...): not a person's office
    if not sectors:
        return None
    return country, list(dict.fromkeys(sectors))


def clean(raw: str) -> str:
    """Drop nicknames, clipped parentheses and ", Baron X" tails; fix the file's two encoding glitches."""
    raw = raw.replace("\x1aROUAL", "EROUAL").replace("\x1a", "").replace("`", "'")
    raw = re.sub(r'"[^"]*"', "", raw).split("(")[0]
    head, _, tail = raw.partition(",")
    suffix = tail.strip("_ ").upper()
    return f"{head}_{suffix}" if suffix in SUFFIXES else head


def proper(token_line: str, country: str) -> str:
    """ROBERT_GABRIEL_MUGABE_ -> Robert Gabriel Mugabe; OMAR_AL_BASHIR -> Omar al-Bashir."""
    words = [w for w in re.split(r"[_\s]+", clean(token_line).strip("_ ")) if w]
    out: list[str] = []
    skip_particles = country in NO_PARTICLES
    i = 0
    while i < len(words):
        w = words[i]
        low = w.lower()
        parts = low.split("-")
        if not skip_particles and out and parts[0] in PARTICLES and (len(parts) > 1 or i + 1 < len(words)):
            if parts[0] in HYPHENATED and len(parts) == 1:
                out.append(f"{parts[0]}-{cap(words[i + 1].lower())}")
                i += 2
                continue
            out.append("-".join([parts[0]] + [cap(p) for p in parts[1:]]))
        elif out and re.fullmatch(r"[ivx]+|jr\.?|sr\.?", low):
            out.append(w.upper() if "j" not in low and "s" not in low else cap(low))
        else:
            out.append("-".join(cap(p) for p in parts))
        i += 1
    if len(out) >= 3 and out[0] == "Jean" and out[1] in FRENCH_GIVEN:
        out[:2] = [f"Jean-{out[1]}"]
    return " ".join(out)


def cap(word: str) -> str:
    """Capitalise one name part, keeping Mc/O'/d' conventions (Mc, O'Neill, d'Estaing, Sa'id)."""
    if not word:
        return word
    if "'" in word:
        head, _, tail = word.partition("'")
        if head in ("d", "l"):
            return f"{head}'{cap(tail)}"
        if len(head) <= 1:
            return f"{head.upper()}'{cap(tail)}"
        return f"{cap(head)}'{tail}"
    if word.startswith("mc") and len(word) > 3:
        return "Mc" + word[2:].capitalize()
    if "." in word:
        return ".".join(p.capitalize() for p in word.split("."))
    return word.capitalize()


def words_of(raw: str) -> list[str]:
    return [w for w in re.split(r"[_\s.-]+", raw.upper()) if w]


def best_name(heads: list[str]) -> str:
    """The first head without titles or descriptors, with leading titles stripped as a fallback."""
    for h in heads:
        if not set(words_of(h)) & (TITLES | DESCRIPTORS):
            return h
    w = re.split(r"_+", heads[0].strip("_ "))
    while len(w) > 2 and w[0].upper() in TITLES | DESCRIPTORS:
        w = w[1:]
    return "_".join(w)


def good_alias(raw: str) -> bool:
    """Synonyms that name the person (not an office, an administration or a clipped phrase)."""
    return (
        bool(re.fullmatch(r"[A-Za-z_.'\s-]+", raw.strip())) and not NOT_PERSON.search(raw) and len(words_of(raw)) <= 7
    )


def key(s: str) -> str:
    """Comparison key for names: lower-case, hyphens and dots as spaces."""
    return " ".join(re.sub(r"[-.]", " ", s.lower()).split())


def surname(name: str, country: str) -> str | None:
    """The bare family name (with its particles), or None where a last token is not a surname."""
    if country in NO_SURNAME:
        return None
    words = name.split()
    if len(words) < 2:
        return None
    j = len(words) - 1
    while j > 1 and words[j - 1].split("-")[0] in PARTICLES:
        j -= 1
    return " ".join(words[j:])


def letters(s: str) -> str:
    """The surname's core letters, without leading particles."""
    core = s.split()[-1]
    if "-" in core and core.split("-")[0] in PARTICLES:
        core = core.split("-", 1)[1]
    return re.sub(r"[^a-z]", "", core.lower())


def build(source: Path) -> tuple[list[dict[str, str]], dict[str, object]]:
    """Rows for leaders.csv plus a report of what was kept, mapped and dropped."""
    entries = parse(source.read_text(encoding="utf-8", errors="replace").splitlines())
    iso = {r["iso3"] for r in read_csv(ACTORS / "countries.csv")}
    place_words = {key(r["text"]) for r in read_csv(ACTORS / "countries.csv")}
    org_words = set()
    for r in read_csv(ACTORS / "organizations.csv"):
        org_words.add(key(r["name"]))
        org_words.update(key(a) for a in r["aliases"].split(";") if a)
    holders = read_csv(ACTORS / "office_holders.csv")
    held: set[str] = set()
    holder_people: dict[str, set[str]] = defaultdict(set)  # key -> office_holders names using it
    for r in holders:
        for text in [r["name"], *filter(None, r["aliases"].split(";"))]:
            holder_people[key(text)].add(r["name"])
            if len(key(text).split()) >= 2:
                held.add(key(text))

    report: dict[str, object] = defaultdict(int)
    dropped_codes: dict[str, int] = defaultdict(int)
    people: dict[tuple[str, str], dict] = {}  # (name, first country) -> person
    for e in entries:
        person = not NOT_PERSON.search(e.names[0]) and (
            e.flagged
            or (not e.inline and all(split_code(c) for c, w in e.codes if c) and any(spell(w) for _, w in e.codes))
        )
        if not person or not e.codes or e.codes == [("---", "")]:
            report["non-person entries"] += 1
            continue
        rows = []
        for code, when in e.codes:
            parsed = split_code(code)
            if parsed is None:
                dropped_codes[code] += 1
                continue
            country, sectors = parsed
            if country not in iso:
                dropped_codes[code[:3]] += 1
                continue
            s = spell(when)
            if s is None:
                report["undated or open-start codes skipped"] += 1
                continue
            start, end = s
            if start > end:
                report["reversed spells skipped"] += 1
                continue
            if sectors == [ELITE] or ELITE in sectors:
                sectors = [x for x in sectors if x != ELITE]
                role = "elite" if not sectors else ", ".join(ROLES[x] for x in sectors)
            else:
                role = ROLES[sectors[0]] + (f" ({', '.join(ROLES[x] for x in sectors[1:])})" if sectors[1:] else "")
            rows.append((country, ";".join(sectors), role, start, end))
        if not rows:
            report["persons without a usable dated row"] += 1
            continue
        country = rows[0][0]
        head = best_name(e.names)
        if len(words_of(clean(head))) < 2:
            one = (country, head.strip("_ ").upper())
            multi = [n for n in e.synonyms if len(words_of(clean(n))) >= 2 and not set(words_of(n)) & TITLES]
            if one in MONONYMS:
                head = MONONYMS[one].upper().replace(" ", "_")
            elif multi:
                head = multi[0]
            else:
                report["persons dropped: one-word name"] += 1
                continue
        name = proper(head, country)
        aliases = [proper(a, country) for a in [*e.names, *e.synonyms] if good_alias(a)]
        pk = (name, country)
        p = people.setdefault(pk, {"name": name, "country": country, "aliases": [], "rows": set()})
        p["aliases"].extend(a for a in aliases if a != name)
        p["rows"].update(rows)

    # Drop people the curated office_holders.csv already has.
    kept = {}
    for pk, p in people.items():
        # the name itself always; aliases only when they are more than a bare word
        keys = {key(a) for a in p["aliases"] if len(key(a).split()) >= 2}
        if key(p["name"]) in holder_people or keys & held:
            report["persons dropped: in office_holders.csv"] += 1
            continue
        kept[pk] = p

    # Aliases: every name text, who claims it (persons in both tables).
    claims: dict[str, set] = defaultdict(set)
    for pk, p in kept.items():
        claims[key(p["name"])].add(pk)
    for k, names in holder_people.items():
        claims[k].update(("OH", n) for n in names)
    names_of_people = {key(p["name"]) for p in kept.values()} | {key(r["name"]) for r in holders}
    for pk, p in kept.items():
        for a in dict.fromkeys(p["aliases"]):
            claims[key(a)].add(pk)
        sn = surname(p["name"], p["country"])
        if sn:
            claims.setdefault(("surname", key(sn)), set()).add(pk)
    # bare surnames of office holders count too
    for r in holders:
        sn = r["name"].split()[-1] if len(r["name"].split()) > 1 else None
        if sn:
            claims.setdefault(("surname", key(sn)), set()).add(("OH", r["name"]))

    def single_ok(word: str, pk) -> bool:
        k = key(word)
        return (
            len(letters(word)) >= 5
            and letters(word) not in SURNAME_STOP
            and k not in place_words
            and k not in org_words
            and claims.get(("surname", k), {pk}) <= {pk}
            and claims.get(k, {pk}) <= {pk}
        )

    out: list[dict[str, str]] = []
    for pk, p in sorted(kept.items()):
        aliases = []
        for a in dict.fromkeys(p["aliases"]):
            k = key(a)
            if k == key(p["name"]) or len(claims[k]) > 1 or k in names_of_people:
                report["aliases dropped: shared with another person"] += 1
                continue
            if len(a.split()) == 1 and not single_ok(a, pk):
                report["aliases dropped: bare word not distinctive"] += 1
                continue
            aliases.append(a)
        sn = surname(p["name"], p["country"])
        if sn and single_ok(sn, pk) and key(sn) not in {key(a) for a in aliases}:
            aliases.append(sn)
        longest: dict[tuple, tuple] = {}
        for r in p["rows"]:
            k = (r[0], r[2], r[3])
            if k not in longest or r[4] > longest[k][4]:
                longest[k] = r
        report["rows dropped: shorter spell with the same role and start"] += len(p["rows"]) - len(longest)
        for country, sectors, role, start, end in sorted(longest.values(), key=lambda r: (r[3], r[4], r[2])):
            out.append(
                {
                    "name": p["name"],
                    "aliases": ";".join(aliases),
                    "country": country,
                    "sectors": sectors,
                    "role": role,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                }
            )
    report["dropped codes"] = dict(sorted(dropped_codes.items(), key=lambda kv: -kv[1]))
    return out, report


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__, DEFAULT_SOURCE, OUT, argv)
    rows, report = build(args.source)
    write_holders(rows, args.out)
    people = {(r["name"], r["country"]) for r in rows}
    print(f"{len(rows)} rows, {len(people)} persons, {len({r['country'] for r in rows})} countries -> {args.out}")
    for k, v in report.items():
        print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
