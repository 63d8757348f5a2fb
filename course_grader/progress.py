"""A small progress bar on stderr: counts, rate and ETA; plain lines when not a terminal."""

from __future__ import annotations

import sys
import threading
import time

__all__ = ["Progress"]


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Thread-safe progress display for ``total`` submissions.

    On a terminal the bar is redrawn in place; otherwise a line is printed at
    most every ``every`` seconds (and at the end), so CI logs stay short.
    """

    def __init__(self, total: int, stream=None, width: int = 28, every: float = 10.0):
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.width = width
        self.every = every
        self.done = self.failed = self.flagged = 0
        self.started = time.monotonic()
        self._last_line = float("-inf")  # the first update always prints
        self._lock = threading.Lock()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else None
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        eta = _clock(left) if left is not None else "?"
        extra = f"  {self.failed} failed to run, {self.flagged} flagged" if (self.failed or self.flagged) else ""
        return f"grading [{bar}] {self.done}/{self.total}  {rate:.2f}/s  ETA {eta}{extra}"

    def advance(self, failed: bool = False, flagged: bool = False) -> None:
        with self._lock:
            self.done += 1
            self.failed += bool(failed)
            self.flagged += bool(flagged)
            now = time.monotonic()
            if self.tty:
                self.stream.write("\r" + self.line())
                if self.done == self.total:
                    self.stream.write("\n")
            elif self.done == self.total or now - self._last_line >= self.every:
                self.stream.write(self.line() + "\n")
                self._last_line = now
            self.stream.flush()
