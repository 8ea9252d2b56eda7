"""A one-line progress display for long runs on a terminal; silent when output is not a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """articles/s, events and skips, redrawn at most five times a second on stderr."""

    def __init__(self, total: int | None = None, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.start = self.last = time.monotonic()
        self.articles = self.events = self.skips = 0

    def update(self, articles: int = 0, events: int = 0, skips: int = 0) -> None:
        self.articles += articles
        self.events += events
        self.skips += skips
        now = time.monotonic()
        if self.enabled and now - self.last >= 0.2:
            self.last = now
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()

    def line(self) -> str:
        elapsed = max(1e-9, time.monotonic() - self.start)
        rate = (self.articles + self.skips) / elapsed
        text = f"{self.articles} articles, {self.events} events, {self.skips} skipped, {rate:.1f} articles/s"
        if self.total and rate > 0:
            left = max(0, self.total - self.articles - self.skips) / rate
            text += f", ETA {int(left // 60)}m{int(left % 60):02d}s"
        return text

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
