"""The fake clock: time in the fake SSM moves only when a test moves it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from .records.times import ANCHOR, to_ms


class FakeClock:
    """Milliseconds since the epoch, advanced by tests, waiters and retries, never by time."""

    def __init__(self, start: datetime = ANCHOR) -> None:
        self._start_ms = self._ms = to_ms(start, "start")
        self._lock = threading.Lock()

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self._ms / 1000, timezone.utc)

    @property
    def now_ms(self) -> int:
        return self._ms

    def advance(self, seconds: float = 0.0, **delta: float) -> datetime:
        """Move forward by ``seconds`` (or ``timedelta`` keywords: ``minutes=5``)."""
        step = timedelta(seconds=seconds, **delta)
        if step < timedelta(0):
            raise ValueError(f"the clock only moves forward, not by {step}")
        with self._lock:
            self._ms += step // timedelta(milliseconds=1)
        return self.now

    def sleep(self, seconds: float) -> None:
        """``time.sleep`` for code that takes its sleep function: the clock moves, nothing waits."""
        self.advance(seconds)

    def set(self, when: datetime) -> None:
        ms = to_ms(when, "when")
        if ms < self._ms:
            raise ValueError(f"the clock only moves forward: {when.isoformat()} is in its past")
        self._ms = ms

    def reset(self) -> None:
        """Back to the time the clock started at: the one way it moves backwards."""
        with self._lock:
            self._ms = self._start_ms
