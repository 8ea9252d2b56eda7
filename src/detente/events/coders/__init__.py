"""Event coders come from a small registry by name (registry.py); the built-in ones register like plugins."""

from __future__ import annotations

from ...errors import SettingsError
from .registry import REGISTRY, Coder, register

__all__ = ["Coder", "get", "names", "register"]


def get(name: str) -> Coder:
    _builtins()
    try:
        return REGISTRY[name]()
    except KeyError:
        raise SettingsError(f"unknown coder {name!r}; registered coders: {', '.join(sorted(REGISTRY))}") from None


def names() -> list[str]:
    _builtins()
    return sorted(REGISTRY)


def _builtins() -> None:
    from . import rules  # noqa: F401  (registers "rules")
