"""The embedded SQLite store (articles, sentences, events, actors, incidents; idempotent by content hash), and
the only package that holds SQL: the schema and its migrations (schema.py), the connection and every write
(core.py), reads for queries, the dashboard and analysis (read.py), and the incident tables (clusters.py)."""

from .core import Counts, Store
from .schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Counts", "Store"]
