"""Tables built from the data files, kept on disk between runs.

Building the actor and place tables takes about a second of Python per process, more than coding a dozen
articles; loading the pickled result takes a tenth of that. A table is rebuilt whenever anything it was built
from changes: the data files it reads, the code that builds it, detente's version or the extra keys given
(a library's version). Nothing here is needed: an unwritable or broken cache only costs the build.

Where: `$DETENTE_CACHE_DIR`, else `$XDG_CACHE_HOME/detente`, else `~/.cache/detente`;
`DETENTE_CACHE_DIR=off` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import open_data

T = TypeVar("T")

_OFF = ("off", "0", "none", "false")


def cache_dir() -> Path | None:
    """The folder for built tables, or None when the user turned caching off."""
    chosen = os.environ.get("DETENTE_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF or not chosen.strip() else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "detente"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("detente")
    except PackageNotFoundError:  # run from a source tree: the code's own hash still tells builds apart
        return "source"


def _fingerprint(build: Callable[[], object], files: tuple[str, ...], extra: tuple[str, ...]) -> str:
    from .. import model

    h = hashlib.sha256(_version().encode())
    for code in (inspect.getsourcefile(build), inspect.getsourcefile(model)):  # the builder and the data model
        if code:
            h.update(Path(code).read_bytes())
    for name in files:
        h.update(name.encode())
        with open_data(name) as fh:
            h.update(fh.read().encode())
    for key in extra:
        h.update(key.encode())
    return h.hexdigest()[:24]


def built(name: str, build: Callable[[], T], files: tuple[str, ...], extra: tuple[str, ...] = ()) -> T:
    """`build()`'s result, from the cache when it was built from the same inputs, else built and stored."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_fingerprint(build, files, extra)}.pickle"
    try:
        with path.open("rb") as fh:
            found: T = pickle.load(fh)
        return found
    except OSError:  # not built yet, or a folder we cannot use
        pass
    except Exception:  # a truncated or foreign file: build again and replace it
        with contextlib.suppress(OSError):
            path.unlink()
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{name}-*.pickle"):  # tables built from older inputs
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return value
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # readers see the old table or the whole new one, never half
    except Exception:  # a full disk, a table that cannot be pickled: use it, keep nothing
        Path(tmp).unlink(missing_ok=True)
    return value
