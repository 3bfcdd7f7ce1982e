"""The fake clock: time in the fake SSM moves only when a test moves it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any

from .records.times import ANCHOR, to_ms


class FakeClock:
    """Milliseconds since the epoch, advanced by tests, waiters and retries, never by time."""

    def __init__(self, start: datetime = ANCHOR) -> None:
        self._ms = to_ms(start, "start")
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


class SleepShim:
    """Stands in for the ``time`` module where botocore sleeps (waiters, retries).

    ``sleep`` advances the fake clock instead of blocking; everything else is
    the real ``time`` module.
    """

    def __init__(self, clock: FakeClock, real: Any) -> None:
        self._clock = clock
        self._real = real
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self._clock.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class AsyncSleepShim(SleepShim):
    """The same for ``asyncio`` where aiobotocore sleeps: an awaitable ``sleep``."""

    async def sleep(self, seconds: float, result: Any = None) -> Any:  # type: ignore[override]
        super().sleep(seconds)
        return result
