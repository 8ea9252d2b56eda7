"""Bytes to clean article text: decoding, sanity checks, HTML extraction, language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import InputError

_ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "by",
        "was",
        "at",
        "from",
        "it",
        "his",
        "he",
        "said",
        "be",
        "are",
        "have",
        "has",
        "had",
        "not",
        "this",
        "which",
        "an",
        "were",
        "their",
        "its",
        "but",
        "or",
        "they",
        "who",
        "been",
        "will",
        "after",
        "also",
        "would",
        "more",
        "than",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None


def decode(data: bytes, name: str) -> str:
    """UTF-8 text or a clear refusal: guessing an encoding silently garbles names."""
    if not data.strip():
        raise InputError(f"{name}: empty input; nothing to code")
    head = data[:8192]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        raise InputError(f"{name}: binary data, not text; pass a text, HTML or JSONL file")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                break
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 (bad byte at offset {exc.start}); convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8"
        ) from exc
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.05 * min(len(text), 8192):
        raise InputError(f"{name}: binary data, not text; pass a text, HTML or JSONL file")
    return text


def looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or bool(re.search(r"<(body|p|div|article)[\s>]", head))


def from_html(html: str, name: str) -> Extracted:
    """Main text and metadata of a web page (trafilatura for the body, htmldate for the date)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, favor_precision=True)
    except Exception as exc:  # trafilatura raises many parser-specific errors on junk
        raise InputError(f"{name}: HTML could not be parsed ({type(exc).__name__}); check the file") from exc
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise InputError(f"{name}: HTML page has no article text that could be extracted")
    published = _page_date(html, getattr(doc, "date", None))
    return Extracted(
        text=body.strip(),
        title=getattr(doc, "title", None) or None,
        published=published,
        url=getattr(doc, "url", None) or None,
    )


def _page_date(html: str, found: str | None) -> date | None:
    value = found
    if not value:
        try:
            from htmldate import find_date

            value = find_date(html, original_date=True, extensive_search=False)
        except Exception:
            value = None
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def check_text(text: str, name: str) -> str:
    """Refuse text detente cannot code: empty, or not English."""
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{name}: no text left after extraction; nothing to code")
    words = [w.lower() for w in _WORD.findall(stripped[:20000])]
    if len(words) >= 20:
        share = sum(w in _ENGLISH_WORDS for w in words) / len(words)
        if share < 0.08:
            raise InputError(f"{name}: text does not look like English (detente codes English news only)")
    elif not words:
        raise InputError(f"{name}: no words in the text; nothing to code")
    return stripped
