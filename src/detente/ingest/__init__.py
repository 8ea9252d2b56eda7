"""Ingest: inputs read into Articles (inputs.py), text and metadata extracted from pages (extract.py), URLs
fetched within limits (fetch.py)."""

from .inputs import (
    CSV_FIELDS,
    SUFFIXES,
    Reader,
    article_from_bytes,
    article_from_record,
    count_inputs,
    local_files,
    read_inputs,
)

__all__ = [
    "CSV_FIELDS",
    "SUFFIXES",
    "Reader",
    "article_from_bytes",
    "article_from_record",
    "count_inputs",
    "local_files",
    "read_inputs",
]
