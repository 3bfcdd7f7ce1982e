"""The fake clock moves only forward, and only when a test, a waiter or a retry moves it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from pytest_ssm_invocations.store.clock import FakeClock

START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_advance_takes_seconds_or_timedelta_keywords() -> None:
    clock = FakeClock(START)
    assert clock.advance(1.5) == START + timedelta(seconds=1.5)
    assert clock.advance(minutes=2) == START + timedelta(minutes=2, seconds=1.5)
    assert clock.now_ms == int((START.timestamp() + 121.5) * 1000)


def test_sleep_moves_the_clock_without_waiting() -> None:
    clock = FakeClock(START)
    before = time.monotonic()
    clock.sleep(3600)
    assert time.monotonic() - before < 1
    assert clock.now == START + timedelta(hours=1)


def test_the_clock_never_goes_back() -> None:
    clock = FakeClock(START)
    with pytest.raises(ValueError, match="only moves forward, not by -1 day"):
        clock.advance(days=-1)
    with pytest.raises(ValueError, match="2026-02-28T12:00:00\\+00:00 is in its past"):
        clock.set(START - timedelta(days=1))
    assert clock.now == START
