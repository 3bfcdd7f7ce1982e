"""``time="fake"``: the code under test sleeps and reads the clock on the fake clock.

While a fake with ``time="fake"`` is active, for the code that belongs to it
(the test, and the threads and asyncio tasks it starts: see
``transports.registry``):

- ``time.time``/``time_ns``, ``datetime.now``/``utcnow``/``today``,
  ``date.today``, ``time.gmtime``/``localtime``/``strftime`` read the fake
  clock. time-machine does this, at the C level (``from time import time``
  is covered too), with a traveller that does not tick and that the clock
  moves along with itself. time-machine cannot tell threads apart: these
  read the fake clock in every thread of the process.
- ``time.monotonic``/``monotonic_ns`` follow the fake clock, carrying on
  from the real value they had when the fake started, never going back.
- ``time.sleep(n)`` moves the clock by ``n`` and returns at once.
- An asyncio event loop's clock is that monotonic clock, and a loop with
  nothing to do but wait for its next timer moves the fake clock to it:
  ``asyncio.sleep(n)``, ``wait_for`` timeouts and ``call_later`` callbacks
  fire at once in real time, and concurrent sleeps overlap as they would
  on AWS's wall clock. A loop also waiting on a real socket or pipe waits
  for real, and the fake clock moves by the time waited.

Not covered, and why:

- ``time.perf_counter``/``process_time``: they measure durations (pytest's
  own, a benchmark's), which must stay real.
- ``threading.Event.wait(timeout)``, ``Condition.wait``, ``queue.Queue.get(timeout=)``,
  socket timeouts, ``select``: they wait inside C on the real monotonic clock.
- A ``sleep`` or ``monotonic`` bound with ``from time import sleep`` before the
  fake started: rebinding every module's copies is freezegun's whole-process
  scan, too slow to run per test. Module-level ``time.sleep(n)`` is covered.
- Threads that do not belong to the test (a session-wide pool, a library's
  own background threads) keep real ``sleep`` and ``monotonic``, so nothing
  outside the test spins on a clock that no longer waits.
- Event loops without a selector (uvloop): their timers stay real; an
  ``asyncio.sleep(n)`` there moves the clock by ``n`` itself and yields once.
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..store import travellers
from ..store.clock import FakeClock
from . import registry

_real_sleep = time.sleep
_real_monotonic = time.monotonic
_real_monotonic_ns = time.monotonic_ns
_real_async_sleep = asyncio.sleep
_real_loop_time = asyncio.base_events.BaseEventLoop.time


@dataclass(eq=False)
class _Running:
    """One fake on fake time: its clock, its traveller, and its monotonic clock."""

    clock: FakeClock
    travel: Any = None
    traveller: Any = None
    monotonic_base: float = field(default_factory=_real_monotonic)
    clock_base_ms: int = 0
    last: float = 0.0
    depth: int = 1
    """How many ``with fake:`` blocks of this fake are open."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def monotonic(self) -> float:
        value = self.monotonic_base + (self.clock.now_ms - self.clock_base_ms) / 1000
        with self.lock:
            if value < self.last:
                return self.last  # the clock followed a traveller back: monotonic does not
            self.last = value
        return value


_lock = threading.RLock()
_running: dict[int, _Running] = {}
"""By ``id(fake)``: the fakes on fake time that are active now."""
_patched: list[tuple[Any, str, Any]] = []


def start(fake: Any) -> None:
    """Put the code that belongs to ``fake`` on ``fake.clock`` (see the module's rules)."""
    import time_machine

    clock: FakeClock = fake.clock
    with _lock:
        if id(fake) in _running:
            _running[id(fake)].depth += 1
            return
        running = _Running(clock)
        running.clock_base_ms = clock.now_ms
        running.last = running.monotonic_base
        if travellers.now_ms() is None:  # a test's own traveller, if any, stays in charge
            ms = running.clock_base_ms
            running.travel = time_machine.travel(ms // 1000, tick=False)
            running.traveller = running.travel.start()
            running.traveller.shift(timedelta(milliseconds=ms % 1000))
            travellers.lead(running.traveller)
            clock.keep(running.traveller)
        _running[id(fake)] = running
        if len(_running) == 1:
            _patch()


def stop(fake: Any) -> None:
    """Undo :func:`start` for ``fake``; the process is on real time once no fake is."""
    with _lock:
        running = _running.get(id(fake))
        if running is None:
            return
        running.depth -= 1
        if running.depth:
            return
        del _running[id(fake)]
        if running.traveller is not None:
            running.clock.release(running.traveller)
            travellers.let_go(running.traveller)
            _stop_traveller(running)
        if not _running:
            _unpatch()


def _stop_traveller(running: _Running) -> None:
    import time_machine

    stack = time_machine.traveller_stack
    if stack and stack[-1] is running.traveller:
        running.travel.stop()
        return
    # A traveller the test started after the fake is still on top: take ours out from
    # under it, leaving the test's in charge (time-machine itself only pops the top).
    for index in range(len(stack) - 1, -1, -1):
        if stack[index] is running.traveller:
            del stack[index]
            running.traveller._stop()
            return


def _of_caller() -> _Running | None:
    fake = registry.owned()
    return None if fake is None else _running.get(id(fake))


# -- the patched functions -----------------------------------------------------


def sleep(seconds: float) -> None:
    """``time.sleep``: on the fake clock for the test's code, real for the rest."""
    running = _of_caller()
    if running is None:
        _real_sleep(seconds)
        return
    running.clock.sleep(seconds)
    _real_sleep(0)  # a sleep lets other threads run; so does this one


def monotonic() -> float:
    running = _of_caller()
    return _real_monotonic() if running is None else running.monotonic()


def monotonic_ns() -> int:
    running = _of_caller()
    return _real_monotonic_ns() if running is None else int(running.monotonic() * 1e9)


async def async_sleep(delay: float, result: Any = None) -> Any:
    """``asyncio.sleep``: a selector loop's timers already run on the fake clock; other
    loops (uvloop) get the clock moved by ``delay`` and one yield."""
    running = _of_caller()
    if running is not None and delay > 0 and not _has_selector(asyncio.get_running_loop()):
        running.clock.sleep(delay)
        delay = 0
    return await _real_async_sleep(delay, result)


def loop_time(loop: asyncio.AbstractEventLoop) -> float:
    """``BaseEventLoop.time``: the fake monotonic clock, and the loop's selector taken over."""
    running = _of_caller()
    if running is None:
        return _real_loop_time(loop)  # type: ignore[arg-type]
    selector = getattr(loop, "_selector", None)
    if selector is not None and not isinstance(selector, _TimerJumps):
        loop._selector = _TimerJumps(selector)  # type: ignore[attr-defined]
    return running.monotonic()


def _has_selector(loop: asyncio.AbstractEventLoop) -> bool:
    return getattr(loop, "_selector", None) is not None


class _TimerJumps:
    """A loop's selector that, on fake time, jumps the fake clock to the loop's next timer.

    The loop asks it to wait ``timeout`` seconds (until its next timer); with
    nothing ready and nothing but its own wake-up pipe to watch, the fake
    clock moves by ``timeout`` (to the millisecond above) and it returns at once.
    """

    def __init__(self, real: Any) -> None:
        self._real = real

    def select(self, timeout: float | None = None) -> Any:
        running = _of_caller()
        if running is None or timeout is None or timeout <= 0:
            return self._real.select(timeout)
        events = self._real.select(0)
        if events:
            return events
        if len(self._real.get_map()) > 1:  # a real socket or pipe besides the loop's own
            began = _real_monotonic()
            events = self._real.select(timeout)
            if not events:
                running.clock.advance_ms(math.ceil((_real_monotonic() - began) * 1000))
            return events
        running.clock.advance_ms(math.ceil(timeout * 1000))
        return events

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _patch() -> None:
    for owner, name, value in (
        (time, "sleep", sleep),
        (time, "monotonic", monotonic),
        (time, "monotonic_ns", monotonic_ns),
        (asyncio, "sleep", async_sleep),
        (asyncio.base_events.BaseEventLoop, "time", loop_time),
    ):
        _patched.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)


def _unpatch() -> None:
    while _patched:
        owner, name, value = _patched.pop()
        setattr(owner, name, value)
