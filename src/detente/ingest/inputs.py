"""Inputs to Articles: files, directories, globs, URLs, RSS/Atom feeds, WARC archives, JSONL and CSV records and
stdin (text and HTML extraction is extract.py, HTTP fetch.py).

Every bad input becomes a Skip with its reason; the same article (same text, or same canonical URL) comes out once.
"""

from __future__ import annotations

import glob
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..model import Article, Skip
from .extract import check_text, decode, from_html, gunzip, looks_like_feed, looks_like_html, url_date
from .fetch import canonical_url, fetch

__all__ = ["Reader", "article_from_bytes", "article_from_record", "count_inputs", "local_files", "read_inputs"]

SUFFIXES = {
    ".txt",
    ".text",
    ".md",
    ".html",
    ".htm",
    ".xhtml",
    ".jsonl",
    ".ndjson",
    ".csv",
    ".gz",
    ".warc",
    ".rss",
    ".atom",
    ".xml",
}
_FEED_SUFFIXES = {".rss", ".atom", ".xml"}


def read_inputs(
    inputs: Iterable[str],
    *,
    published: date | None = None,
    source: str | None = None,
    max_bytes: int = 20_000_000,
    allow_private_urls: bool = False,
    fetch_timeout: float = 15.0,
) -> Iterator[Article | Skip]:
    """Every article the inputs hold, in order; a bad input yields a Skip and the rest go on."""
    reader = Reader(published, source, max_bytes, allow_private_urls, fetch_timeout)
    seen_hash: set[str] = set()
    seen_url: set[str] = set()
    for raw in inputs:
        for item in reader.expand(raw):
            if isinstance(item, Article):
                url = canonical_url(item.url) if item.url else None
                if item.content_hash in seen_hash or (url and url in seen_url):
                    continue  # the same story twice in one run is coded once
                seen_hash.add(item.content_hash)
                if url:
                    seen_url.add(url)
            yield item


@dataclass(frozen=True)
class Reader:
    published: date | None
    source: str | None
    max_bytes: int
    allow_private: bool = False
    timeout: float = 15.0

    def expand(self, raw: str) -> Iterator[Article | Skip]:
        if raw == "-":
            yield from self.from_bytes(sys.stdin.buffer.read(), "<stdin>", None)
        elif raw.startswith(("http://", "https://")):
            yield from self.from_url(raw)
        elif "://" in raw:
            yield Skip(raw, f"{raw}: only http and https URLs can be fetched; give local files as paths")
        else:
            files = local_files(raw)
            if not files:
                if _is_glob(raw):
                    yield Skip(raw, f"{raw}: the pattern matches no files")
                elif Path(raw).is_dir():
                    yield Skip(raw, f"directory {raw} holds no .txt, .html, .jsonl, .csv, .warc or feed files")
                else:
                    yield Skip(raw, f"{raw}: no such file or directory; check the path")
            for p in files:
                yield from self.from_path(p)

    def from_path(self, path: Path) -> Iterator[Article | Skip]:
        name = str(path)
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                yield Skip(name, f"{name}: {size:,} bytes is over the max_bytes limit of {self.max_bytes:,}; raise it")
                return
            data = path.read_bytes()
        except OSError as exc:
            yield Skip(name, f"{name}: cannot read ({exc.strerror}); check permissions")
            return
        yield from self.from_bytes(data, name, path)

    def from_bytes(self, data: bytes, name: str, path: Path | None, url: str | None = None) -> Iterator[Article | Skip]:
        suffixes = [s.lower() for s in path.suffixes] if path else []
        try:
            if suffixes[-2:] == [".warc", ".gz"] or suffixes[-1:] == [".warc"] or data[:4] == b"WARC":
                yield from self.from_warc(data, name)
                return
            if data[:2] == b"\x1f\x8b":
                data = gunzip(data, name, self.max_bytes)
                suffixes = suffixes[:-1] if suffixes[-1:] == [".gz"] else suffixes
            if len(data) > self.max_bytes:
                raise InputError(f"{name}: {len(data):,} bytes is over the max_bytes limit of {self.max_bytes:,}")
            if suffixes[-1:] and suffixes[-1] in (".jsonl", ".ndjson"):
                yield from self.from_jsonl(decode(data, name), name)
                return
            if suffixes[-1:] == [".csv"]:
                yield from self.from_csv(decode(data, name), name)
                return
            text = decode(data, name)
            if (suffixes[-1:] and suffixes[-1] in _FEED_SUFFIXES) or looks_like_feed(text):
                yield from self.from_feed(text, name)
                return
            yield self.article(text, name, path=str(path) if path else None, url=url)
        except InputError as exc:
            yield Skip(name, str(exc))

    def article(
        self,
        text: str,
        name: str,
        *,
        path: str | None = None,
        url: str | None = None,
        published: date | None = None,
        how: str | None = None,
        title: str | None = None,
    ) -> Article:
        """One article from text or HTML. Date precedence: the record's, the page's, the URL's, the argument's."""
        author = None
        if looks_like_html(text):
            ex = from_html(text, name, url)
            text, title, url, author = ex.text, title or ex.title, url or ex.url, ex.author
            if published is None and ex.published is not None:
                published, how = ex.published, ex.published_source
        if published is None and url and (from_url := url_date(url)) is not None:
            published, how = from_url, "url"
        if published is None and self.published is not None:
            published, how = self.published, "argument"
        body, lang = check_text(text, name)
        return Article.from_text(
            body,
            url=url,
            title=title or headline(body),
            published=published,
            source=self.source,
            path=path,
            author=author,
            published_source=how,
            language=lang,
        )

    def from_url(self, url: str) -> Iterator[Article | Skip]:
        try:
            got = fetch(url, max_bytes=self.max_bytes, timeout=self.timeout, allow_private=self.allow_private)
        except InputError as exc:
            yield Skip(url, str(exc))
            return
        try:
            text = decode(got.body, url)
            if looks_like_feed(text):
                yield from self.from_feed(text, url)
                return
            yield self.article(text, url, url=got.url)
        except InputError as exc:
            yield Skip(url, str(exc))

    def from_feed(self, text: str, name: str) -> Iterator[Article | Skip]:
        """Each feed item: its full content when the feed carries it, else the linked page."""
        import feedparser

        feed = feedparser.parse(text)
        if feed.bozo and not feed.entries:
            yield Skip(name, f"{name}: malformed feed ({type(feed.bozo_exception).__name__}); check the feed URL")
            return
        if not feed.entries:
            yield Skip(name, f"{name}: the feed has no items")
            return
        for i, entry in enumerate(feed.entries):
            where = f"{name}#item{i + 1}"
            link = entry.get("link")
            when = _entry_date(entry)
            content = " ".join(c.get("value", "") for c in entry.get("content", [])) or entry.get("summary", "")
            try:
                if len(content) > 500:
                    yield self.article(
                        content,
                        where,
                        url=link,
                        published=when,
                        how="record" if when else None,
                        title=entry.get("title"),
                    )
                elif link:
                    for item in self.from_url(link):
                        if isinstance(item, Article) and when and item.published_source != "page":
                            item = replace(item, published=when, published_source="record")
                        yield item
                else:
                    yield Skip(where, f"{where}: feed item has neither content nor a link")
            except InputError as exc:
                yield Skip(where, str(exc))

    def from_warc(self, data: bytes, name: str) -> Iterator[Article | Skip]:
        """HTML responses from a WARC (plain or gzipped); other records are not articles."""
        import io

        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        try:
            for n, record in enumerate(ArchiveIterator(io.BytesIO(data))):
                if record.rec_type != "response":
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in ctype.lower():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{name}#{url or n}"
                body = record.content_stream().read(self.max_bytes + 1)
                try:
                    if len(body) > self.max_bytes:
                        raise InputError(f"{where}: over the max_bytes limit of {self.max_bytes:,}")
                    yield self.article(decode(body, where), where, url=url)
                except InputError as exc:
                    yield Skip(where, str(exc))
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, KeyError) as exc:
            # warcio fails on junk in many ways (AttributeError on a record without a URI, among others)
            yield Skip(name, f"{name}: not a readable WARC archive ({type(exc).__name__}); check the file")

    def from_jsonl(self, text: str, name: str) -> Iterator[Article | Skip]:
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{name}:{lineno}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise InputError(f"{where}: a JSONL line must be an object with a 'text' or 'html' field")
                yield article_from_record(record, where, published=self.published, source=self.source, reader=self)
            except json.JSONDecodeError as exc:
                yield Skip(where, f"{where}: not valid JSON ({exc.msg}); fix or remove the line")
            except InputError as exc:
                yield Skip(where, str(exc))

    def from_csv(self, text: str, name: str) -> Iterator[Article | Skip]:
        """One article per row of a CSV with a text (or html) column; any other CSV is refused whole, with the reason.

        A CSV of articles read as one text would code every row as one article with no date, so the header decides.
        """
        import csv

        csv.field_size_limit(max(self.max_bytes, 131072))
        rows = csv.reader(io.StringIO(text, newline=""))
        try:
            header = [h.strip().lower() for h in next(rows, [])]
        except csv.Error as exc:
            yield Skip(name, f"{name}: not a readable CSV ({exc}); check the file")
            return
        columns = {field: next((i for i, h in enumerate(header) if h in names), None) for field, names in CSV_FIELDS}
        if columns["text"] is None and columns["html"] is None:
            shown = ", ".join(h for h in header[:8] if h) or "none"
            yield Skip(
                name,
                f"{name}: a CSV of articles needs a 'text' (or 'body', 'content') or 'html' column; its columns are "
                f"{shown}",
            )
            return
        lineno = 1
        try:
            for row in rows:
                lineno += 1
                if not any(cell.strip() for cell in row):
                    continue
                where = f"{name}:{lineno}"
                record: dict[str, object] = {
                    f: row[i] for f, i in columns.items() if i is not None and i < len(row) and row[i].strip()
                }
                try:
                    yield article_from_record(record, where, published=self.published, source=self.source, reader=self)
                except InputError as exc:
                    yield Skip(where, str(exc))
        except csv.Error as exc:
            yield Skip(f"{name}:{lineno}", f"{name}:{lineno}: malformed CSV ({exc}); the rows after it are not read")


# A CSV column for each record field, by the names article tables use for it (first match wins).
CSV_FIELDS = (
    ("id", ("id", "article_id", "doc_id")),
    ("text", ("text", "body", "content", "article")),
    ("html", ("html", "raw_html")),
    ("title", ("title", "headline")),
    ("url", ("url", "link")),
    ("published", ("published", "date", "published_at", "pubdate", "publication_date")),
    ("source", ("source", "publisher", "outlet")),
)


def _is_glob(raw: str) -> bool:
    return any(ch in raw for ch in "*?[") and not Path(raw).exists()


def local_files(raw: str) -> list[Path]:
    """The files a local input names: itself, a directory's article files, or a glob's matches."""
    if _is_glob(raw):
        return sorted(Path(p) for p in glob.glob(raw, recursive=True) if Path(p).is_file())
    path = Path(raw)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and _suffix(p) in SUFFIXES)
    return [path] if path.exists() else []


def count_inputs(inputs: Iterable[str]) -> int | None:
    """How many articles (or skips) the inputs will give, where that is cheap to know; None for URLs, feeds,
    archives and stdin, whose size shows only as they are read. It feeds a progress total, never a decision.
    """
    total = 0
    for raw in inputs:
        if raw == "-" or "://" in raw:
            return None
        files = local_files(raw)
        for path in files:
            n = _records_in(path)
            if n is None:
                return None
            total += n
        total += not files  # a missing input is one skip
    return total


def _records_in(path: Path) -> int | None:
    suffix = _suffix(path)
    if suffix in (".gz", ".warc") or suffix in _FEED_SUFFIXES:
        return None
    if suffix not in (".jsonl", ".ndjson", ".csv"):
        return 1
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            if suffix == ".csv":
                import csv

                csv.field_size_limit(1 << 30)
                return max(1, sum(1 for row in csv.reader(fh) if any(c.strip() for c in row)) - 1)
            return max(1, sum(1 for line in fh if line.strip()))
    except (OSError, ValueError):
        return 1


def headline(text: str) -> str | None:
    """A plain-text article's title: a short first line standing alone above the body."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    if rest.strip() and 0 < len(first) <= 150 and not first.endswith((".", ":", ";", ",")) and len(first.split()) >= 2:
        return first
    return None


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _entry_date(entry: dict[str, object]) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value[0], value[1], value[2])  # type: ignore[index]
            except (TypeError, ValueError, IndexError):
                continue
    return None


def article_from_bytes(
    data: bytes,
    name: str,
    *,
    published: date | None = None,
    source: str | None = None,
    path: str | None = None,
    url: str | None = None,
    max_bytes: int = 20_000_000,
) -> Article:
    """One article from raw bytes (text or HTML, gzipped or not); raises InputError with the reason."""
    reader = Reader(published, source, max_bytes)
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data, name, max_bytes)
    return reader.article(decode(data, name), name, path=path, url=url)


def article_from_record(
    record: dict[str, object],
    where: str,
    *,
    published: date | None = None,
    source: str | None = None,
    reader: Reader | None = None,
) -> Article:
    """An article from a record {id, text|html, published, url, title, source}; the record's date comes first."""
    reader = reader or Reader(published, source, 20_000_000)
    text, html = record.get("text"), record.get("html")
    pub = _date(record.get("published"), where)
    url, title = _str(record.get("url")), _str(record.get("title"))
    if isinstance(text, str) and text.strip():  # a record's text is taken as given, even when it holds markup
        body, lang = check_text(text, where)
        when, how = (pub, "record") if pub else (reader.published, "argument" if reader.published else None)
        if when is None and url and (from_url := url_date(url)) is not None:
            when, how = from_url, "url"
        art = Article.from_text(
            body, url=url, title=title, published=when, source=reader.source, published_source=how, language=lang
        )
    elif isinstance(html, str) and html.strip():
        art = reader.article(html, where, url=url, published=pub, how="record" if pub else None, title=title)
    else:
        raise InputError(f"{where}: record has no 'text' or 'html' string; nothing to code")
    rid = record.get("id")
    return replace(
        art,
        id=str(rid) if rid is not None and str(rid) else art.id,
        source=_str(record.get("source")) or art.source,
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
