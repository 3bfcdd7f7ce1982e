"""A test's own time travel (time-machine, freezegun), as the fake clock follows it.

A test that travels (``time_machine.travel``, its ``time_machine`` fixture,
freezegun's ``freeze_time``) has decided what "now" is; the fake clock takes
the traveller's now as its own, and moving the fake clock moves the traveller.
Neither library is imported here: one that the test has not imported cannot
be travelling. Read through each library's module-level stack (time-machine's
``traveller_stack``, freezegun's ``freeze_factories``), the state both keep
for their own nesting.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Any

_EPOCH = datetime(1970, 1, 1)
#: The time-machine travellers the kit keeps at a fake clock's now (``time="fake"``):
#: the clock leads them, it does not follow them.
_ours: list[Any] = []


def lead(traveller: Any) -> None:
    """``traveller`` is the kit's own: a clock moves it, and never follows it."""
    _ours.append(traveller)


def let_go(traveller: Any) -> None:
    _ours.remove(traveller)


def _time_machine_top() -> Any | None:
    """time-machine's innermost traveller, unless it is one the kit leads."""
    module = sys.modules.get("time_machine")
    stack = getattr(module, "traveller_stack", None)
    if not stack or any(stack[-1] is t for t in _ours):
        return None
    return stack[-1]


def _freezegun_top() -> Any | None:
    api = sys.modules.get("freezegun.api")
    factories = getattr(api, "freeze_factories", None)
    return factories[-1] if factories else None


def now_ms() -> int | None:
    """The innermost foreign traveller's now, in epoch milliseconds; None when none travels.

    freezegun is asked first: time-machine refuses to start under it, so a
    freeze started later is the inner one.
    """
    frozen = _freezegun_top()
    if frozen is not None:
        # freezegun keeps naive UTC; a StepTick factory moves when called, so read its field.
        when = getattr(frozen, "time_to_freeze", None)
        if when is None or type(frozen).__name__ == "TickingDateTimeFactory":
            when = frozen()
        return int((when.replace(tzinfo=None) - _EPOCH) // timedelta(milliseconds=1))
    traveller = _time_machine_top()
    if traveller is None:
        return None
    return int(traveller.time_ns() // 1_000_000)


def shift(step_ms: int) -> bool:
    """Move the innermost foreign traveller by ``step_ms``; False when none travels."""
    frozen = _freezegun_top()
    if frozen is not None:
        frozen.tick(timedelta(milliseconds=step_ms))
        return True
    traveller = _time_machine_top()
    if traveller is None:
        return False
    traveller.shift(timedelta(milliseconds=step_ms))
    return True
