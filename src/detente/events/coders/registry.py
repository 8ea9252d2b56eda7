"""The coder registry: a coder is anything with a name, a version and `code`; built-ins register like plugins."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ...context import Context
    from ...model import Event


class Coder(Protocol):
    name: str
    version: str

    def code(self, ctx: Context) -> list[Event]: ...


REGISTRY: dict[str, Callable[[], Coder]] = {}


def register(name: str) -> Callable[[Callable[[], Coder]], Callable[[], Coder]]:
    def deco(factory: Callable[[], Coder]) -> Callable[[], Coder]:
        REGISTRY[name] = factory
        return factory

    return deco
