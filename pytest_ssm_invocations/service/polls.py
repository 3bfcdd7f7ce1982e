"""A poll loop on a frozen clock, stopped with a message instead of spinning for ever.

Code that polls until a command is done (ListCommands or
ListCommandInvocations by CommandId, GetCommandInvocation) and waits on a
clock the fake does not see gets the same answer for ever: nothing moves the
fake clock, so nothing changes. When one query has been answered the same
not-yet-final state :data:`POLL_LIMIT` times in a row with the clock
standing still, or at least :data:`REAL_POLLS` times over
:data:`REAL_SECONDS` of real time (a loop that really sleeps between polls),
the call raises :class:`FrozenPollError`.

:data:`POLL_LIMIT` is 200: a loop that spins in process gets there in a
tenth of a second, and code that asks the same question 200 times without
time passing is waiting, not reading. Any move of the clock, a change of the
answer or a final state starts the count again, and commands added with
``progress="poll"`` (which move on every poll) are never stopped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..catalogue.statuses import STATUS_CASES
from .errors import TestMistake

POLL_LIMIT = 200
REAL_POLLS = 3
REAL_SECONDS = 10.0
#: StatusDetails that say the command or invocation is not done yet.
NOT_FINAL = frozenset(c.status_details for c in STATUS_CASES if not c.terminal)
_POLLED = frozenset({"ListCommands", "ListCommandInvocations", "GetCommandInvocation"})


class FrozenPollError(TestMistake):
    """The code under test polls a state that cannot change: the fake clock stands still.

    A ``BaseException``, as pytest's own outcomes are: the code under test's
    ``except Exception`` does not swallow it, and botocore does not retry it.
    """


@dataclass
class _Run:
    state: tuple[str, ...]
    clock_ms: int
    began: float
    count: int = 1
    stopped: bool = False


@dataclass
class PollWatch:
    """The answers each polled query got in a row; the messages of the loops it stopped."""

    runs: dict[tuple[Any, ...], _Run] = field(default_factory=dict)
    stopped: list[str] = field(default_factory=list)

    def answered(
        self,
        operation: str,
        params: dict[str, Any],
        region: str,
        states: Sequence[str],
        now_ms: int,
    ) -> None:
        """Note that ``operation`` answered these StatusDetails; raise if the loop is stuck."""
        key = (
            operation,
            region,
            params.get("CommandId"),
            params.get("InstanceId"),
            params.get("PluginName"),
            repr(params.get("Filters")),
            params.get("NextToken"),
        )
        state = tuple(states)
        if not NOT_FINAL.intersection(state):
            self.runs.pop(key, None)
            return
        run = self.runs.get(key)
        if run is None or run.state != state or run.clock_ms != now_ms:
            self.runs[key] = _Run(state, now_ms, began=time.perf_counter())
            return
        run.count += 1
        really_waited = time.perf_counter() - run.began
        if run.count >= POLL_LIMIT or (run.count >= REAL_POLLS and really_waited >= REAL_SECONDS):
            message = _message(operation, params, state, run.count, really_waited, now_ms)
            if not run.stopped:  # it stays stopped (a retried poll too) until something moves
                run.stopped = True
                self.stopped.append(message)
            raise FrozenPollError(message)

    def clear(self) -> None:
        self.runs.clear()


def polled(operation: str, params: dict[str, Any]) -> bool:
    """Whether a call is a poll of one command (or invocation) that the watch looks at."""
    return operation in _POLLED and params.get("CommandId") is not None


def _message(
    operation: str,
    params: dict[str, Any],
    state: tuple[str, ...],
    count: int,
    really_waited: float,
    now_ms: int,
) -> str:
    from ..records.times import from_ms

    what = f"command {params['CommandId']}"
    if params.get("InstanceId"):
        what += f" on {params['InstanceId']}"
    shown = ", ".join(dict.fromkeys(state))
    return (
        f"ssm_invocations: {operation} answered {what} {shown} {count} times in a row "
        f"({really_waited:.1f} s of real time) while the fake clock stood at "
        f"{from_ms(now_ms).isoformat()}: the code polls on a clock the fake does not see, so "
        "the answer can never change. Move the fake clock: call fake.clock.advance(...) "
        "between polls, give the code fake.clock.sleep as its sleep function, or run the test "
        'with time="fake" (@pytest.mark.ssm_invocations(time="fake") or --ssm-time=fake) so '
        "that its own time.sleep moves the clock."
    )
