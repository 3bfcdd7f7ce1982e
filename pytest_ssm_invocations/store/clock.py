"""The fake clock: time in the fake SSM moves only when something moves it.

Tests move it (:meth:`FakeClock.advance`, :meth:`~FakeClock.set`), botocore's
retry and waiter sleeps move it, and so does the code under test when the fake
runs with ``time="fake"`` (its ``time.sleep``, ``asyncio.sleep`` and event
loop timers; see ``fake_time``). A test that travels in time with
time-machine or freezegun sets the clock's now: the clock follows the
traveller, and moving the clock moves the traveller (see ``travellers``).
"""

from __future__ import annotations

import difflib
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

from ..records.times import ANCHOR, to_ms
from . import travellers

#: ``time=`` of a fake: ``"real"`` leaves the code under test's time alone, ``"fake"``
#: puts its sleeps and clock reads on the fake clock (see ``fake_time``).
TIME_MODES = ("real", "fake")
#: The keywords :meth:`FakeClock.advance` takes besides ``seconds``: timedelta's.
_UNITS = ("weeks", "days", "hours", "minutes", "milliseconds", "microseconds")


class FakeClock:
    """Milliseconds since the epoch, moved by tests, waiters, retries and fake-time sleeps.

    ``now`` and ``now_ms`` read it; ``advance`` and ``sleep`` move it forward,
    ``set`` jumps to a later instant, ``reset`` goes back to the start. It
    starts at ``start`` (2025-06-01T00:00:00Z by default), or at the now of a
    time-machine or freezegun traveller active when it is first read.
    """

    def __init__(self, start: datetime = ANCHOR) -> None:
        self._start_ms = self._ms = to_ms(start, "start")
        self._lock = threading.RLock()
        self._own: list[Any] = []
        """time-machine travellers kept at this clock's now (``time="fake"``), not followed."""

    @property
    def now(self) -> datetime:
        """The clock's now, a timezone-aware UTC datetime with millisecond precision."""
        return datetime.fromtimestamp(self.now_ms / 1000, timezone.utc)

    @property
    def now_ms(self) -> int:
        """The clock's now in epoch milliseconds (a foreign traveller's, while one travels)."""
        followed = travellers.now_ms()
        if followed is not None and followed != self._ms:
            with self._lock:
                self._move(followed - self._ms)
        return self._ms

    def advance(
        self,
        seconds: float = 0.0,
        *,
        weeks: float = 0.0,
        days: float = 0.0,
        hours: float = 0.0,
        minutes: float = 0.0,
        milliseconds: float = 0.0,
        microseconds: float = 0.0,
        **unknown: Any,
    ) -> datetime:
        """Move forward by ``seconds`` and timedelta's keywords (``advance(minutes=5)``).

        Returns the new now. Steps below a millisecond are dropped, as AWS
        timestamps carry milliseconds; a negative step is a ``ValueError``.
        """
        if unknown:
            raise TypeError(_unknown_units(unknown))
        step = timedelta(
            weeks=weeks,
            days=days,
            hours=hours,
            minutes=minutes,
            seconds=seconds,
            milliseconds=milliseconds,
            microseconds=microseconds,
        )
        if step < timedelta(0):
            raise ValueError(f"the clock only moves forward, not by {step}")
        self.advance_ms(step // timedelta(milliseconds=1))
        return self.now

    def sleep(self, seconds: float) -> None:
        """``time.sleep`` on this clock: it moves by ``seconds``, nothing waits.

        To the nearest millisecond, as AWS timestamps go. Refuses what
        ``time.sleep`` refuses: a negative length, a non-number.
        """
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(
                f"sleep length must be a number of seconds, not {type(seconds).__name__}"
            )
        if seconds != seconds or seconds < 0:  # NaN, or negative
            raise ValueError(f"sleep length must be non-negative, not {seconds!r}")
        self.advance_ms(round(seconds * 1000))

    def set(self, when: datetime) -> None:
        """Jump forward to ``when`` (timezone-aware); an instant in the clock's past is refused."""
        ms = to_ms(when, "when")
        with self._lock:
            now = self.now_ms
            if ms < now:
                raise ValueError(f"the clock only moves forward: {when.isoformat()} is in its past")
            self.advance_ms(ms - now)

    def reset(self) -> None:
        """Back to the time the clock started at: the one way it moves backwards.

        While a test travels in time the traveller's now stays the clock's.
        """
        with self._lock:
            self._move(self._start_ms - self._ms)

    # -- keeping travellers in step ----------------------------------------

    def keep(self, traveller: Any) -> None:
        """Keep a time-machine ``traveller`` (started at this clock's now) moving with it."""
        with self._lock:
            self._own.append(traveller)

    def release(self, traveller: Any) -> None:
        with self._lock:
            self._own.remove(traveller)

    def advance_ms(self, step_ms: int) -> None:
        """Move forward by whole milliseconds (what sleeps and event loop timers use)."""
        if step_ms < 0:
            raise ValueError(f"the clock only moves forward, not by {step_ms} ms")
        if not step_ms:
            return
        with self._lock:
            if travellers.shift(step_ms):
                self.now_ms  # noqa: B018 - follows the moved traveller
            else:
                self._move(step_ms)

    def _move(self, delta_ms: int) -> None:
        self._ms += delta_ms
        if self._own:
            step = timedelta(milliseconds=delta_ms)
            for traveller in self._own:
                traveller.shift(step)


def _unknown_units(unknown: dict[str, Any]) -> str:
    valid = ("seconds", *_UNITS)
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, valid, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        parts.append(f"{name!r}{hint}")
    return (
        f"advance() got an unexpected keyword argument {', '.join(parts)}; "
        f"it takes {', '.join(valid)}"
    )


def check_time_mode(mode: object) -> str:
    """``mode`` if it is a time mode (``"fake"`` only with time-machine installed)."""
    if mode not in TIME_MODES:
        raise ValueError(f"time={mode!r}; valid: {', '.join(repr(m) for m in TIME_MODES)}")
    if mode == "fake":
        import importlib.util

        if importlib.util.find_spec("time_machine") is None:
            raise ModuleNotFoundError(
                "time='fake' needs time-machine, which does the wall-clock part: "
                "pip install 'pytest-ssm-invocations[time]'"
            )
    return str(mode)
