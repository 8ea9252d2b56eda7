"""Bytes to clean article text: decoding, sanity checks, HTML extraction, publication date, language."""

from __future__ import annotations

import gzip
import re
import zlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..vocabulary import wordlist

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|-|$)")


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    published: date | None = None
    published_source: str | None = None
    url: str | None = None
    author: str | None = None
    site: str | None = None


def gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    """A .gz body, refusing truncated archives and anything that inflates past max_bytes (gzip bombs)."""
    out = bytearray()
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        for i in range(0, len(data), 1 << 16):
            out += d.decompress(data[i : i + (1 << 16)], max_bytes + 1 - len(out))
            if len(out) > max_bytes or d.unconsumed_tail:
                raise InputError(f"{name}: gzip inflates past the max_bytes limit of {max_bytes:,}; raise it to code")
        out += d.flush()
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(f"{name}: not a valid gzip file ({exc}); re-download or unpack it") from exc
    if not d.eof:
        raise InputError(f"{name}: truncated gzip file; re-download it")
    return bytes(out)


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


def looks_like_feed(text: str) -> bool:
    head = text[:1024].lower()
    return "<rss" in head or ("<feed" in head and "atom" in head) or "<rdf:rdf" in head


def from_html(html: str, name: str, url: str | None = None) -> Extracted:
    """Main text and metadata of a web page: trafilatura for the body, htmldate for the date.

    The date is the page's own metadata first, then one in the URL; `published_source` says which.
    """
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True)
    except Exception as exc:  # trafilatura raises many parser-specific errors on junk
        raise InputError(f"{name}: HTML could not be parsed ({type(exc).__name__}); check the file") from exc
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or len(_WORD.findall(body)) < 5:  # a menu or a cookie notice is not an article
        raise InputError(f"{name}: HTML page has no article text that could be extracted")
    page_url = url or getattr(doc, "url", None) or None
    published, how = _page_date(html, getattr(doc, "date", None)), "page"
    if published is None and page_url:
        published, how = url_date(page_url), "url"
    return Extracted(
        text=body.strip(),
        title=getattr(doc, "title", None) or None,
        published=published,
        published_source=how if published else None,
        url=page_url,
        author=getattr(doc, "author", None) or None,
        site=getattr(doc, "sitename", None) or None,
    )


def url_date(url: str) -> date | None:
    """A date written in the URL path (/2023/05/20/...)."""
    m = _URL_DATE.search(url)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


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


_ENGLISH = wordlist("english_function_words")


@cache
def _langid() -> Any:
    """py3langid's identifier with normalised probabilities (its model ships inside the package: offline)."""
    try:
        import py3langid.langid as lid
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return lid.LanguageIdentifier.from_modelpath(str(Path(lid.MODEL_DIR) / lid.MODEL_FILE), norm_probs=True)


def language(text: str) -> str:
    """ISO 639-1 code of the text's language; short or mostly-English texts count as English.

    Identifiers are unsure on a one-line headline full of names, so a text is refused only when the identifier
    is confident and English function words are rare.
    """
    sample = text[:5000]
    words = [w.lower() for w in _WORD.findall(sample)]
    if not words:
        return "und"
    english = sum(w in _ENGLISH for w in words) / len(words)
    if english >= 0.12:
        return "en"
    ident = _langid()
    if ident is None:
        return "en"
    code, prob = ident.classify(sample)
    needed = 0.9 if len(words) >= 20 else 0.99
    return "en" if code == "en" or prob < needed else str(code)


def check_text(text: str, name: str) -> tuple[str, str]:
    """The text to code and its language; refuses empty and non-English text with a reason."""
    stripped = text.strip()
    if not stripped or not _WORD.search(stripped):
        raise InputError(f"{name}: no words in the text; nothing to code")
    lang = language(stripped)
    if lang != "en":
        raise InputError(f"{name}: text is in language '{lang}', not English (detente codes English news only)")
    return stripped, lang
