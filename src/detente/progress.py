"""Progress of a long run: a redrawn line on a terminal, a log line now and then and a summary elsewhere."""

from __future__ import annotations

import sys
import time
from typing import TextIO

LOG_EVERY = 30.0  # seconds between progress lines when stderr is a file or a pipe (a job's log)


class Progress:
    """Articles, events, already stored and skipped, rate and (when the total is known) ETA.

    On a terminal the line is redrawn at most five times a second; in a log a line is written every LOG_EVERY
    seconds and one summary line at the end, so a batch job's log says how far it got and how fast.
    """

    def __init__(
        self,
        total: int | None = None,
        stream: TextIO | None = None,
        enabled: bool = True,
        terminal: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.terminal = _isatty(self.stream) if terminal is None else terminal
        self.total = total
        self.start = self.last = time.monotonic()
        self.articles = self.events = self.skips = self.duplicates = 0

    @property
    def done(self) -> int:
        return self.articles + self.skips + self.duplicates

    def update(self, articles: int = 0, events: int = 0, skips: int = 0, duplicates: int = 0) -> None:
        self.articles += articles
        self.events += events
        self.skips += skips
        self.duplicates += duplicates
        if not self.enabled:
            return
        now = time.monotonic()
        if self.terminal and now - self.last >= 0.2:
            self.last = now
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()
        elif not self.terminal and now - self.last >= LOG_EVERY:
            self.last = now
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def line(self) -> str:
        elapsed = max(1e-9, time.monotonic() - self.start)
        rate = self.done / elapsed
        count = f"{self.done}/{self.total} inputs" if self.total else f"{self.done} inputs"
        text = (
            f"{count}: {self.articles} stored with {self.events} events, {self.duplicates} already stored, "
            f"{self.skips} skipped, {rate:.1f}/s"
        )
        if self.total and rate > 0:
            text += f", ETA {_clock(max(0, self.total - self.done) / rate)}"
        return text

    def summary(self) -> str:
        elapsed = time.monotonic() - self.start
        return (
            f"done in {_clock(elapsed)}: {self.articles} stored with {self.events} events, {self.duplicates} already "
            f"stored, {self.skips} skipped ({self.done / max(elapsed, 1e-9):.1f} inputs/s)"
        )

    def close(self) -> None:
        if not self.enabled:
            return
        if self.terminal:
            self.stream.write("\r\x1b[K")
        else:
            self.stream.write(self.summary() + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
