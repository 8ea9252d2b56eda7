"""The relation-signals ladder of a dyad: which steps (indirect trade, contact, meetings, denials...) were seen, when.

The rungs and the rules that put incidents on them are data (data/signals.toml, which documents the rule
fields); this module only applies them to the dyad's incidents, counted once per incident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from ..data import load_toml
from ..errors import DataFileError
from ..incidents import load
from ..model import Incident
from ..store import Store

_SIDES = ("official", "unofficial", "people")


@dataclass(frozen=True)
class Rule:
    rung: str
    cameo: tuple[str, ...] = ()
    quad: tuple[int, ...] = ()
    intermediary: bool | None = None
    sectors_any: tuple[str, ...] = ()
    sides: str | None = None
    any_account: tuple[str, ...] = ()
    additional: bool = False


@dataclass(frozen=True)
class Ladder:
    rungs: tuple[tuple[str, str], ...]
    rules: tuple[Rule, ...]
    official: frozenset[str]
    exclude: frozenset[str]


@cache
def ladder() -> Ladder:
    """The ladder of data/signals.toml, checked: every rule names a known rung and known fields."""
    raw = load_toml("signals.toml")
    try:
        rungs = tuple((str(r["id"]), str(r["label"])) for r in raw["rung"])
        ids = {r for r, _ in rungs}
        rules = []
        for r in raw["rule"]:
            unknown = set(r) - {f for f in Rule.__dataclass_fields__}
            if unknown or r["rung"] not in ids or r.get("sides", "official") not in _SIDES:
                raise DataFileError(
                    f"data/signals.toml: rule {r} has unknown fields {sorted(unknown)} or an unknown rung/sides; "
                    "see the file header for the fields"
                )
            rules.append(
                Rule(
                    rung=r["rung"],
                    cameo=tuple(r.get("cameo", ())),
                    quad=tuple(int(q) for q in r.get("quad", ())),
                    intermediary=r.get("intermediary"),
                    sectors_any=tuple(r.get("sectors_any", ())),
                    sides=r.get("sides"),
                    any_account=tuple(r.get("any_account", ())),
                    additional=bool(r.get("additional", False)),
                )
            )
        return Ladder(rungs, tuple(rules), frozenset(raw["official_sectors"]), frozenset(raw["exclude_certainty"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"data/signals.toml is missing or mistypes a field ({exc}); see its header") from exc


def _official(actors: Any, official: frozenset[str]) -> bool:
    return any(set(a.sectors) & official for a in actors)


def matches(rule: Rule, inc: Incident, lad: Ladder) -> bool:
    if rule.cameo and not any(inc.cameo.startswith(p) for p in rule.cameo):
        return False
    if rule.quad and inc.quad_class not in rule.quad:
        return False
    if rule.intermediary is not None and bool(inc.intermediary) != rule.intermediary:
        return False
    if rule.sectors_any and not any(set(a.sectors) & set(rule.sectors_any) for a in (*inc.source, *inc.target)):
        return False
    if rule.any_account and not any(a.certainty in rule.any_account for a in inc.accounts):
        return False
    if rule.sides is not None:
        n = _official(inc.source, lad.official) + _official(inc.target, lad.official)
        if {"official": 2, "unofficial": 1, "people": 0}[rule.sides] != n:
            return False
    return True


def rungs_of(inc: Incident, lad: Ladder | None = None) -> list[str]:
    """The rungs one incident stands on: the first matching rule's, plus every matching additional rule's."""
    lad = lad or ladder()
    if inc.certainty in lad.exclude:
        return []
    out: list[str] = []
    primary = False
    for rule in lad.rules:
        if rule.additional:
            if matches(rule, inc, lad) and rule.rung not in out:
                out.append(rule.rung)
        elif not primary and matches(rule, inc, lad):
            primary = True
            if rule.rung not in out:
                out.insert(0, rule.rung)
    return out


@dataclass(frozen=True)
class Rung:
    """One rung of a dyad's ladder: how often and between which dates it was seen, and its latest evidence."""

    id: str
    label: str
    count: int
    first_seen: date | None
    last_seen: date | None
    sources: int
    incident_ids: tuple[str, ...]
    latest_evidence: str | None


def signals(store: Store, a: str, b: str, *, directed: bool = False) -> list[Rung]:
    """Every rung of the ladder for the dyad, in ladder order (count 0 for rungs never seen)."""
    lad = ladder()
    on: dict[str, list[Incident]] = {r: [] for r, _ in lad.rungs}
    for inc in load(store.db, dyad=(a.upper(), b.upper()), directed=directed):
        for rung in rungs_of(inc, lad):
            on[rung].append(inc)
    out = []
    for rid, label in lad.rungs:
        incs = on[rid]
        starts = [i.date.start for i in incs if i.date.start]
        ends = [i.date.end or i.date.start for i in incs if i.date.start]
        publishers = {p for i in incs for p in i.publishers}
        out.append(
            Rung(
                id=rid,
                label=label,
                count=len(incs),
                first_seen=min(starts) if starts else None,
                last_seen=max(e for e in ends if e) if ends else None,
                sources=len(publishers),
                incident_ids=tuple(i.id for i in incs),
                latest_evidence=incs[-1].evidence.text if incs else None,
            )
        )
    return out
