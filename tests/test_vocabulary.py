"""The closed-class word lists in data/lexicon: each used, each defined once, none drifting from another."""

from __future__ import annotations

import re

import pytest

from detente import vocabulary
from detente.errors import DataFileError

from .conftest import ROOT


@pytest.fixture(scope="module")
def tables():
    return vocabulary.tables()


def test_every_list_has_a_note_and_clean_words(tables):
    for name, table in tables.items():
        assert table.get("note", "").strip(), f"[{name}] in data/{table['file']} needs a note saying what it is for"
        own = table.get("words", [])
        assert own or table.get("include"), name
        assert len(own) == len(set(own)), f"[{name}] repeats a word"
        for word in own:
            assert word == word.strip().lower() and word, f"[{name}]: {word!r} is not a lower-case word"
        assert set(table) <= {"note", "words", "include", "within", "file"}, name


def test_includes_and_containment_hold(tables):
    for name, table in tables.items():
        words = vocabulary.wordlist(name)
        for other in table.get("include", []):
            overlap = set(table.get("words", [])) & vocabulary.wordlist(other)
            assert not overlap, f"[{name}] lists {sorted(overlap)} again, which [{other}] it includes has"
        for outer in table.get("within", []):
            assert words <= vocabulary.wordlist(outer), f"[{name}] strays outside [{outer}]"


def test_no_list_repeats_another(tables):
    seen: dict[frozenset[str], str] = {}
    for name in tables:
        words = vocabulary.wordlist(name)
        assert words not in seen, f"[{name}] and [{seen[words]}] hold the same words: keep one"
        seen[words] = name


def test_every_list_is_read_by_the_code(tables):
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "detente").rglob("*.py"))
    used = set(re.findall(r'wordlist\("(\w+)"\)', source))
    included = {other for t in tables.values() for other in t.get("include", [])}
    unused = set(tables) - used - included
    assert not unused, f"word lists nothing reads: {sorted(unused)}"
    missing = used - set(tables)
    assert not missing, f"the code reads lists data/lexicon lacks: {sorted(missing)}"


def test_a_circle_of_includes_is_refused(monkeypatch):
    fake = {
        "a": {"words": ["x"], "include": ["b"], "file": "t"},
        "b": {"words": ["y"], "include": ["a"], "file": "t"},
    }
    monkeypatch.setattr(vocabulary, "tables", lambda: fake)
    with pytest.raises(DataFileError, match="circle"):
        vocabulary._gather("a", ())
    with pytest.raises(DataFileError, match="no word list"):
        vocabulary._gather("nope", ())
