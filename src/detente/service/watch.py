"""Feed watching: poll RSS/Atom feeds on a schedule with conditional GETs, politely spaced, into the store."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DetenteError, InputError
from ..ingest import Reader
from ..ingest.extract import decode, looks_like_feed
from ..ingest.fetch import canonical_url, fetch
from ..model import Article, Skip
from ..settings import Settings
from ..store import Store, read

MIN_EVERY = 10.0  # seconds: never poll a feed more often than this
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(value: str) -> float:
    """'15m', '30s', '1h', '2d' or plain seconds, to seconds (at least MIN_EVERY)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value.lower())
    if not m:
        raise DetenteError(f"expected an interval like 15m, 30s or 1h, got {value!r}")
    seconds = float(m.group(1)) * _UNITS[m.group(2) or "s"]
    if seconds < MIN_EVERY:
        raise DetenteError(f"interval {value!r} is under {MIN_EVERY:g} seconds; poll less often")
    return seconds


@dataclass
class PollReport:
    """What one pass over the feeds did."""

    feeds: int = 0
    not_modified: int = 0
    articles: int = 0
    duplicates: int = 0
    events: int = 0
    skips: list[Skip] = field(default_factory=list)


@dataclass(frozen=True)
class _KnownUrls(Reader):
    """A Reader that does not fetch item pages already stored, and waits `spacing` seconds before each fetch."""

    known: frozenset[str] | set[str] = frozenset()
    spacing: float = 0.0

    def from_url(self, url: str) -> Iterator[Article | Skip]:
        if canonical_url(url) in self.known:
            return
        if self.spacing:
            time.sleep(self.spacing)
        yield from super().from_url(url)


class Watcher:
    """Polls feeds every `every` seconds; each poll is one conditional GET per feed plus new item pages only."""

    def __init__(
        self,
        feeds: Sequence[str],
        settings: Settings,
        *,
        every: float = 900.0,
        spacing: float = 2.0,
        max_items: int = 100,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if not feeds:
            raise DetenteError("give at least one feed URL to watch")
        for url in feeds:
            if not url.startswith(("http://", "https://")) and not Path(url).is_file():
                raise DetenteError(f"{url}: a feed to watch is an http(s) URL or an RSS/Atom file; no such file")
        self.feeds = list(feeds)
        self.settings = settings
        self.every = every
        self.spacing = spacing
        self.max_items = max_items
        self.log = log or (lambda _msg: None)

    def poll(self, store: Store) -> PollReport:
        """One pass: every feed once (spaced), new items coded and stored."""
        from ..api import code_and_store

        report = PollReport()
        known = {canonical_url(u) for u in read.stored_urls(store.db)}
        for n, url in enumerate(self.feeds):
            if n and self.spacing:
                time.sleep(self.spacing)
            report.feeds += 1
            s = self.settings
            try:
                text, state = self._read(url, _state(store, url))
                if text is None:
                    report.not_modified += 1
                    self.log(f"{url}: not modified")
                    continue
                if not looks_like_feed(text):
                    raise InputError(f"{url}: not an RSS or Atom feed; check the URL")
            except InputError as exc:
                report.skips.append(Skip(url, str(exc)))
                self.log(f"skipped {exc}")
                continue
            reader = _KnownUrls(
                None, None, s.max_bytes, s.allow_private_urls, s.fetch_timeout, known=known, spacing=self.spacing
            )
            taken = 0
            for item in reader.from_feed(text, url):
                if taken >= self.max_items:
                    break
                taken += 1
                if isinstance(item, Skip):
                    report.skips.append(item)
                    self.log(f"skipped {item.reason}")
                    continue
                if item.url:
                    known.add(canonical_url(item.url))
                if store.has_article(item.content_hash):
                    report.duplicates += 1
                    continue
                result, stored = code_and_store(item, store, s)
                if stored:
                    report.articles += 1
                    report.events += len(result.events)
                else:
                    report.duplicates += 1
            _save_state(store, url, state)
        self.log(
            f"polled {report.feeds} feed(s): {report.articles} new article(s) with {report.events} event(s), "
            f"{report.not_modified} not modified, {report.duplicates} already stored, {len(report.skips)} skipped"
        )
        return report

    def _read(self, feed: str, state: dict[str, str]) -> tuple[str | None, dict[str, str | None]]:
        """The feed's text and its new state, or None when it has not changed since the state was saved.

        URLs ask with ETag / Last-Modified; a local file (a feed another tool writes) is unchanged while its
        modification time and size are.
        """
        s = self.settings
        if not feed.startswith(("http://", "https://")):
            path = Path(feed)
            try:
                st = path.stat()
                stamp = {"mtime": str(st.st_mtime_ns), "size": str(st.st_size)}
                if all(state.get(k) == v for k, v in stamp.items()):
                    return None, dict(state)
                if st.st_size > s.max_bytes:
                    raise InputError(f"{feed}: {st.st_size:,} bytes is over the max_bytes limit of {s.max_bytes:,}")
                return decode(path.read_bytes(), feed), dict(stamp)
            except OSError as exc:
                raise InputError(f"{feed}: cannot read the feed file ({exc.strerror}); check the path") from exc
        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        got = fetch(
            feed, max_bytes=s.max_bytes, timeout=s.fetch_timeout, allow_private=s.allow_private_urls, headers=headers
        )
        if got.status == 304:
            return None, dict(state)
        return decode(got.body, feed), {"etag": got.etag, "last_modified": got.last_modified}

    def run(self, stop: threading.Event, polls: int | None = None) -> None:
        """Poll until `stop` is set (or `polls` passes are done); errors in one pass are logged, not fatal."""
        done = 0
        with Store(self.settings.db) as store:
            while not stop.is_set():
                try:
                    self.poll(store)
                except DetenteError as exc:
                    self.log(f"poll failed: {exc}")
                done += 1
                if polls is not None and done >= polls:
                    return
                stop.wait(self.every)


def _key(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        return f"watch:file:{Path(url).resolve()}"
    return f"watch:{canonical_url(url)}"


def _state(store: Store, url: str) -> dict[str, str]:
    saved = store.meta(_key(url))
    try:
        value = json.loads(saved) if saved else {}
    except json.JSONDecodeError:
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)} if isinstance(value, dict) else {}


def _save_state(store: Store, url: str, state: dict[str, str | None]) -> None:
    value = json.dumps({k: v for k, v in state.items() if v})
    store.set_meta(_key(url), value)
