"""detente: evidence-linked political event data from English news.

Public API: code_text, code_article, code_inputs, ingest, Pipeline, Settings and the model types.
Nothing heavy happens at import time; the spaCy model loads on first use.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("detente")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0+unknown"

from .api import code_article, code_inputs, code_text, ingest, records  # noqa: E402
from .model import Actor, Article, Event, EventDate, Place, Result, Sentence, Skip  # noqa: E402
from .pipeline import Pipeline  # noqa: E402
from .settings import Settings  # noqa: E402

__all__ = [
    "Actor",
    "Article",
    "Event",
    "EventDate",
    "Pipeline",
    "Place",
    "Result",
    "Sentence",
    "Settings",
    "Skip",
    "__version__",
    "code_article",
    "code_inputs",
    "code_text",
    "ingest",
    "records",
]
