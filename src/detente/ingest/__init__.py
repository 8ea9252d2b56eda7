"""Inputs to Articles: files, directories, stdin and JSONL records; bad inputs become Skips."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..model import Article, Skip
from .extract import check_text, decode, from_html, looks_like_html

__all__ = ["read_inputs", "article_from_bytes", "article_from_record"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson"}


def read_inputs(
    inputs: Iterable[str],
    *,
    published: date | None = None,
    source: str | None = None,
    max_bytes: int = 20_000_000,
) -> Iterator[Article | Skip]:
    """Every article the inputs hold, in order; a bad input yields a Skip and the rest go on."""
    for raw in inputs:
        if raw == "-":
            data = sys.stdin.buffer.read()
            yield from _from_bytes(data, "<stdin>", None, published, source, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            if not files:
                yield Skip(raw, f"directory {raw} holds no .txt, .html or .jsonl files")
            for p in files:
                yield from _from_path(p, published, source, max_bytes)
        elif path.exists():
            yield from _from_path(path, published, source, max_bytes)
        else:
            yield Skip(raw, f"{raw}: no such file or directory; check the path")


def _from_path(path: Path, published: date | None, source: str | None, max_bytes: int) -> Iterator[Article | Skip]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Skip(name, f"{name}: {size:,} bytes is over the max_bytes limit of {max_bytes:,}; raise it to code")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Skip(name, f"{name}: cannot read ({exc.strerror}); check permissions")
        return
    yield from _from_bytes(data, name, path, published, source, max_bytes)


def _from_bytes(
    data: bytes, name: str, path: Path | None, published: date | None, source: str | None, max_bytes: int
) -> Iterator[Article | Skip]:
    if len(data) > max_bytes:
        yield Skip(name, f"{name}: {len(data):,} bytes is over the max_bytes limit of {max_bytes:,}; raise it")
        return
    if path is not None and path.suffix.lower() in {".jsonl", ".ndjson"}:
        try:
            text = decode(data, name)
        except InputError as exc:
            yield Skip(name, str(exc))
            return
        yield from _from_jsonl(text, name, published, source)
        return
    try:
        yield article_from_bytes(data, name, published=published, source=source, path=str(path) if path else None)
    except InputError as exc:
        yield Skip(name, str(exc))


def article_from_bytes(
    data: bytes,
    name: str,
    *,
    published: date | None = None,
    source: str | None = None,
    path: str | None = None,
    url: str | None = None,
) -> Article:
    """One article from raw bytes (text or HTML); raises InputError with the reason."""
    text = decode(data, name)
    title = None
    if looks_like_html(text):
        ex = from_html(text, name)
        text, title = ex.text, ex.title
        published = published or ex.published
        url = url or ex.url
    return Article.from_text(
        check_text(text, name), url=url, title=title, published=published, source=source, path=path
    )


def _from_jsonl(text: str, name: str, published: date | None, source: str | None) -> Iterator[Article | Skip]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise InputError(f"{where}: a JSONL line must be an object with a 'text' or 'html' field")
            yield article_from_record(record, where, published=published, source=source)
        except json.JSONDecodeError as exc:
            yield Skip(where, f"{where}: not valid JSON ({exc.msg}); fix or remove the line")
        except InputError as exc:
            yield Skip(where, str(exc))


def article_from_record(
    record: dict[str, object], where: str, *, published: date | None = None, source: str | None = None
) -> Article:
    """An article from a record {id, text|html, published, url, title, source}."""
    text = record.get("text")
    html = record.get("html")
    title = _str(record.get("title"))
    pub = _date(record.get("published"), where) or published
    url = _str(record.get("url"))
    if isinstance(text, str) and text.strip():
        body = text
    elif isinstance(html, str) and html.strip():
        ex = from_html(html, where)
        body, title, pub, url = ex.text, title or ex.title, pub or ex.published, url or ex.url
    else:
        raise InputError(f"{where}: record has no 'text' or 'html' string; nothing to code")
    rid = record.get("id")
    return Article.from_text(
        check_text(body, where),
        id=str(rid) if rid is not None and str(rid) else None,
        url=url,
        title=title,
        published=pub,
        source=_str(record.get("source")) or source,
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _date(value: object, where: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: 'published' must be a date string YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InputError(f"{where}: 'published' must be YYYY-MM-DD, got {value!r}") from exc
