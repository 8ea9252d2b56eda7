"""Closed-class words as data: data/lexicon/*.toml holds one list per purpose (pronouns, modals, reporting
verbs, kinds of place ...), each defined once, with a note on what it is for.

A list may `include` others, so one that extends another says so ("report_verbs" is the coder's "reporting_verbs"
and a few verbs of opinion) instead of repeating it and drifting; `within` says a list must stay inside another.
Modules read a list once, at import: `MODALS = wordlist("modals")`."""

from __future__ import annotations

from functools import cache
from typing import Any

from .data import list_data, load_toml
from .errors import DataFileError


@cache
def tables() -> dict[str, dict[str, Any]]:
    """Every list by name, with the file it is in."""
    found: dict[str, dict[str, Any]] = {}
    for name in list_data("lexicon", ".toml"):
        for key, table in load_toml(name).items():
            if key in found:
                raise DataFileError(f"data/{name}: word list {key!r} is also defined in data/{found[key]['file']}")
            if not isinstance(table, dict) or not isinstance(table.get("words", []), list):
                raise DataFileError(f"data/{name}: [{key}] needs a 'words' list")
            found[key] = {**table, "file": name}
    return found


@cache
def wordlist(name: str) -> frozenset[str]:
    """The words of a list, with those of the lists it includes."""
    return frozenset(_gather(name, ()))


def _gather(name: str, path: tuple[str, ...]) -> set[str]:
    known = tables()
    if name not in known:
        raise DataFileError(f"no word list {name!r} in data/lexicon/*.toml; add a [{name}] table with 'words'")
    if name in path:
        raise DataFileError(f"word lists include each other in a circle: {' -> '.join((*path, name))}")
    table = known[name]
    out = set(table.get("words", []))
    for other in table.get("include", []):
        out |= _gather(other, (*path, name))
    return out
