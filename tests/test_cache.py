"""Built tables kept on disk: reused while their inputs are the same, rebuilt when not, never needed."""

from __future__ import annotations

import pickle

import pytest

from detente.data import cache


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(tmp_path))
    return tmp_path


def _counting():
    calls = []

    def build():
        calls.append(1)
        return {"table": list(range(5))}

    return build, calls


def test_second_use_loads_what_the_first_built(folder):
    build, calls = _counting()
    first = cache.built("demo", build, ("cameo.csv",))
    second = cache.built("demo", build, ("cameo.csv",))
    assert first == second == {"table": [0, 1, 2, 3, 4]}
    assert len(calls) == 1
    assert len(list(folder.glob("demo-*.pickle"))) == 1
    assert second is not first  # a fresh copy: a caller may add to it (the user's actors file does)


def test_other_inputs_build_again_and_replace_the_old_table(folder):
    build, calls = _counting()
    cache.built("demo", build, ("cameo.csv",), ("lib 1.0",))
    cache.built("demo", build, ("cameo.csv",), ("lib 2.0",))
    cache.built("demo", build, ("plover.csv",), ("lib 2.0",))
    assert len(calls) == 3
    assert len(list(folder.glob("demo-*.pickle"))) == 1  # no pile of stale tables


def test_a_broken_file_is_rebuilt(folder):
    build, calls = _counting()
    cache.built("demo", build, ("cameo.csv",))
    (path,) = folder.glob("demo-*.pickle")
    path.write_bytes(b"\x80\x05 truncated")
    assert cache.built("demo", build, ("cameo.csv",)) == {"table": [0, 1, 2, 3, 4]}
    assert len(calls) == 2
    assert pickle.loads(path.read_bytes()) == {"table": [0, 1, 2, 3, 4]}


def test_turned_off_or_unwritable_only_costs_the_build(tmp_path, monkeypatch):
    build, calls = _counting()
    monkeypatch.setenv("DETENTE_CACHE_DIR", "off")
    assert cache.built("demo", build, ("cameo.csv",))["table"] == [0, 1, 2, 3, 4]
    assert cache.built("demo", build, ("cameo.csv",))["table"] == [0, 1, 2, 3, 4]
    assert len(calls) == 2
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("DETENTE_CACHE_DIR", str(blocked / "cache"))
    assert cache.built("demo", build, ("cameo.csv",))["table"] == [0, 1, 2, 3, 4]


def test_cached_actor_tables_equal_fresh_ones(folder):
    import importlib

    g = importlib.import_module("detente.actors.gazetteer")  # the module: the package exports a function so named

    fresh = g._built_in()
    cache.built("gazetteer", g._built_in, g.ACTOR_TABLES)
    loaded = cache.built("gazetteer", g._built_in, g.ACTOR_TABLES)
    assert dict(loaded.names) == dict(fresh.names)
    assert dict(loaded.offices) == dict(fresh.offices)
    assert loaded.titles == fresh.titles and loaded.max_words == fresh.max_words
