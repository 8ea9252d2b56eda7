"""Event coders come from a small registry by name; the built-in ones register like plugins."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from ...errors import SettingsError

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ...actors.resolve import ArticleActors
    from ...model import Article, Event


class Coder(Protocol):
    name: str
    version: str

    def code(self, article: Article, doc: Doc, actors: ArticleActors) -> list[Event]: ...


_REGISTRY: dict[str, Callable[[], Coder]] = {}


def register(name: str) -> Callable[[Callable[[], Coder]], Callable[[], Coder]]:
    def deco(factory: Callable[[], Coder]) -> Callable[[], Coder]:
        _REGISTRY[name] = factory
        return factory

    return deco


def get(name: str) -> Coder:
    _builtins()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise SettingsError(f"unknown coder {name!r}; registered coders: {', '.join(sorted(_REGISTRY))}") from None


def names() -> list[str]:
    _builtins()
    return sorted(_REGISTRY)


def _builtins() -> None:
    from . import rules  # noqa: F401  (registers "rules")
