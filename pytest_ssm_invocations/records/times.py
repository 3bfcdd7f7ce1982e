"""Timestamps as AWS shows them: timezone-aware UTC, millisecond precision.

Records keep times as integer milliseconds while they are built (exact, and
cheap to compare) and turn them into datetimes only in the finished dict.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Default RequestedDateTime values fall in the 30 days before this instant, so
#: records never depend on the wall clock.
ANCHOR = datetime(2025, 6, 1, tzinfo=UTC)
_ANCHOR_MS = (ANCHOR - _EPOCH) // timedelta(milliseconds=1)
_WINDOW_MS = 30 * 86_400_000
_fromtimestamp = datetime.fromtimestamp  # looked up once: a record takes three


def to_ms(value: datetime, name: str) -> int:
    """Milliseconds since the epoch of a timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None:
        raise ValueError(f"{name}={value!r} is naive: AWS timestamps are timezone-aware UTC")
    return (value - _EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    # Exact: a double near 1.7e9 s errs by under 0.5 microseconds, and
    # fromtimestamp rounds to the nearest microsecond.
    return _fromtimestamp(ms / 1000, UTC)


def default_requested_ms(rng: random.Random) -> int:
    """A RequestedDateTime in the 30 days before :data:`ANCHOR`, in milliseconds."""
    return _ANCHOR_MS - int(rng.random() * _WINDOW_MS)
