"""Domain knowledge shipped as data files (CSV/TOML) that people edit and review; code only reads them."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import IO, Any

from ..errors import DataFileError


def open_data(name: str) -> IO[str]:
    """A shipped data file, by path relative to this package."""
    try:
        return resources.files(__name__).joinpath(name).open("r", encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"data file {name} is missing from the detente package; reinstall detente") from None


def load_toml(name: str) -> dict[str, Any]:
    with open_data(name) as fh:
        try:
            return tomllib.loads(fh.read())
        except tomllib.TOMLDecodeError as exc:
            raise DataFileError(f"data/{name} is not valid TOML: {exc}") from exc


def list_data(folder: str = "", suffix: str = "") -> list[str]:
    """Data files under `folder` (relative names), for loaders and the consistency test."""
    root = resources.files(__name__)
    base = root.joinpath(folder) if folder else root
    out: list[str] = []
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        rel = f"{folder}/{entry.name}" if folder else entry.name
        if entry.is_dir():
            if not entry.name.startswith("__"):
                out.extend(list_data(rel, suffix))
        elif entry.name.endswith(suffix) and not entry.name.endswith(".py"):
            out.append(rel)
    return out
