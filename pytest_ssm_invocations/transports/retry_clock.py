"""botocore's ``adaptive`` retry mode on the fake clock.

Legacy and standard retries sleep through ``botocore.endpoint.time`` (which the
fixture replaces). The adaptive mode also throttles the sending side with a
token bucket that keeps its own clock (``botocore.retries.bucket``) and waits
on a condition variable: after a throttling error it holds the next requests
back for seconds of real time. Here its clock reads the fake clock and a
request short of tokens moves the fake clock forward until the bucket has
refilled, instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

#: The smallest step the bucket is moved on, so that rounding cannot stall it.
_MIN_STEP_SECONDS = 0.001


class Clock(Protocol):
    @property
    def now_ms(self) -> int: ...

    def sleep(self, seconds: float) -> None: ...


#: Sets an attribute so that it is put back later: ``pytest.MonkeyPatch.setattr``.
Replace = Callable[[Any, str, Any], object]


def patch_adaptive_retries(replace: Replace, clock: Clock) -> None:
    """Make every adaptive rate limiter, old or new, run on ``clock`` until ``replace`` is undone.

    ``patch_adaptive_retries(monkeypatch.setattr, fake.clock)``.
    """
    from botocore.retries import bucket

    replace(bucket, "time", _BucketTime(clock))
    replace(bucket.TokenBucket, "acquire", _never_waiting(bucket.TokenBucket.acquire, clock))


def patch_async_adaptive_retries(async_bucket: Any, replace: Replace, clock: Clock) -> None:
    """The same for aiobotocore's limiter, given its module ``aiobotocore.retries.bucket``."""
    acquire = async_bucket.AsyncTokenBucket.acquire
    replace(async_bucket.AsyncTokenBucket, "acquire", _never_waiting_async(acquire, clock))


class _BucketTime:
    """``time`` for the bucket's clock: real time plus what the fake clock moved since.

    Keeping real time as the base lets a limiter made before the patch carry
    on without its timestamps jumping backwards.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._start_ms = clock.now_ms

    def time(self) -> float:
        return time.time() + (self._clock.now_ms - self._start_ms) / 1000

    def sleep(self, seconds: float) -> None:
        self._clock.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def _shortfall_seconds(token_bucket: Any, amount: float) -> float:
    """How long the bucket needs to refill ``amount`` tokens at its current rate."""
    missing = amount - float(token_bucket.available_capacity)
    return max(missing / float(token_bucket.max_rate), _MIN_STEP_SECONDS)


def _never_waiting(acquire: Callable[..., Any], clock: Clock) -> Callable[..., Any]:
    from botocore.exceptions import CapacityNotAvailableError

    def acquire_on_fake_clock(self: Any, amount: float = 1, block: bool = True) -> Any:
        while True:
            try:
                return acquire(self, amount, block=False)
            except CapacityNotAvailableError:
                if not block:
                    raise
                clock.sleep(_shortfall_seconds(self, amount))

    return acquire_on_fake_clock


def _never_waiting_async(acquire: Callable[..., Any], clock: Clock) -> Callable[..., Any]:
    from botocore.exceptions import CapacityNotAvailableError

    async def acquire_on_fake_clock(self: Any, amount: float = 1, block: bool = True) -> Any:
        while True:
            try:
                return await acquire(self, amount, block=False)
            except CapacityNotAvailableError:
                if not block:
                    raise
                clock.sleep(_shortfall_seconds(self, amount))

    return acquire_on_fake_clock
