"""How a sent command rolls out over its nodes: concurrency, errors and timeouts.

A pure schedule, decided once when the command is sent, so every later view
of it (ListCommandInvocations, GetCommandInvocation, ListCommands) is a
function of the fake clock alone. Times are milliseconds after the command's
``RequestedDateTime``. The rules, from the SendCommand API reference and the
user guide ("Run commands at scale", "Understanding command statuses"):

- Nodes are sent the command in order, ramping up: "the system sends the
  command to a single node and waits until that invocation completes before
  sending it to two more", then grows exponentially (waves of 1, 2, 4, ...,
  each sent once the one before has completed) until a wave reaches
  ``MaxConcurrency`` (cut to it); from then on at most ``MaxConcurrency`` run at once, the
  next node sent as soon as a place is free. A node holds its place from the
  moment it is sent until it reaches a final state. A node that never reached
  its agent (offline, Undeliverable, ...) holds its place too, until the
  service gives up on it (a choice: AWS says no more than "targets that run
  the command at the same time"), so it holds the ramp's next wave as long.
- Errors that count against ``MaxErrors`` (Failed, ExecutionTimedOut) are
  counted as nodes finish. "If you specify 3, the system stops sending the
  command when the fourth error is received": once the count exceeds
  MaxErrors, nodes not yet sent end ``Terminated``; nodes already running
  finish.
- A cancel of some nodes (CancelCommand with InstanceIds) frees their places
  when it takes effect: a node cancelled before its turn is never sent, one
  running ends then, and the nodes behind them are sent as places free, as
  they would be after any node that completes (the user guide: the system
  waits until an invocation completes). The caller says when each cancel took
  effect (``cancelled``) and rolls the command out again.
- The delivery timeout is ``TimeoutSeconds`` plus the document's
  ``executionTimeout`` (the caller's ``delivery_timeout_ms``: see
  ``CommandEntry.delivery_timeout_s`` for why). A node still waiting for its turn, or
  not yet started, at that moment ends ``DeliveryTimedOut``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..catalogue.statuses import StatusCase, status_case
from .rollup import allowed_errors

_TERMINATED = status_case("Terminated")
_CANCELLED = status_case("Cancelled")
_DELIVERY_TIMED_OUT = status_case("DeliveryTimedOut")
#: Waiting forever: a node whose planned case never ends (InProgress, Delayed...).
NEVER = math.inf


@dataclass(frozen=True)
class NodePlan:
    """What would happen on one node if it were sent the command now."""

    case: StatusCase
    delivery_ms: int
    """From being sent to starting (or, for a node never reached, to its final state)."""
    run_ms: int = 0
    """From starting to finishing; unused for a node never reached."""


@dataclass(frozen=True)
class NodeOutcome:
    """What happened on one node, in milliseconds after the command was requested."""

    case: StatusCase
    start_ms: int | None
    """When the agent started it; ``None`` when it never ran."""
    end_ms: float
    """When it reached ``case`` (``NEVER`` for a case that does not end)."""


def concurrency(max_concurrency: str, targets: int) -> int:
    """MaxConcurrency as a number of nodes: ``"10"``, or ``"10%"`` of the targets.

    AWS documents whole examples only; a percentage is rounded up here, and
    never below one node (a choice: the pattern forbids zero).
    """
    if not max_concurrency.endswith("%"):
        return int(max_concurrency)
    return max(-(-targets * int(max_concurrency[:-1]) // 100), 1)


def roll_out(
    plans: Sequence[NodePlan],
    *,
    max_concurrency: str,
    max_errors: str,
    delivery_timeout_ms: int,
    cancelled: Mapping[int, float] | None = None,
) -> list[NodeOutcome]:
    """Each node's outcome under the command's ramp, rate controls and delivery timeout.

    ``delivery_timeout_ms``: after the request, when a node not yet started never will.
    ``cancelled``: per node, when a cancel that ended it took effect (after the request).
    """
    cancelled = cancelled or {}
    running_at_most = concurrency(max_concurrency, len(plans))
    errors_allowed = allowed_errors(max_errors, len(plans))
    outcomes: list[NodeOutcome | None] = [None] * len(plans)
    running: list[tuple[float, int]] = []  # (end, node), the earliest end first
    now: float = 0
    errors = 0
    stopped = False
    waiting = 0  # the next node not yet sent
    wave = 1  # the ramp's next wave, while it is still under MaxConcurrency
    ramped = False  # the ramp reached MaxConcurrency: a node is sent whenever a place frees
    while waiting < len(plans) or running:
        if ramped:
            room = running_at_most - len(running)
        else:
            room = 0 if running else min(wave, running_at_most)
        if room and waiting < len(plans) and not stopped and now < delivery_timeout_ms:
            if not ramped:
                ramped = room == running_at_most
                wave *= 2
            sent = 0
            while sent < room and waiting < len(plans):
                if cancelled.get(waiting, NEVER) <= now:  # cancelled before its turn
                    outcomes[waiting] = NodeOutcome(_CANCELLED, None, cancelled[waiting])
                    waiting += 1
                    continue
                outcome = _send(plans[waiting], int(now), delivery_timeout_ms)
                ends = cancelled.get(waiting, NEVER)
                if ends < outcome.end_ms:  # started only if it did before the cancel
                    began = outcome.start_ms
                    start = began if began is not None and began < ends else None
                    outcome = NodeOutcome(_CANCELLED, start, ends)
                outcomes[waiting] = outcome
                heapq.heappush(running, (outcome.end_ms, waiting))
                waiting += 1
                sent += 1
        next_end = running[0][0] if running else NEVER
        # While ramping, the next wave waits for every node of this one.
        next_send = next_end if ramped or not running else max(end for end, _ in running)
        if waiting < len(plans) and not stopped and next_send >= delivery_timeout_ms:
            # No place frees before the delivery timeout: the rest never start.
            for node in range(waiting, len(plans)):
                outcomes[node] = _unsent(node, cancelled, _DELIVERY_TIMED_OUT, delivery_timeout_ms)
            waiting = len(plans)
        if not running or next_end == NEVER:
            break
        now, node = heapq.heappop(running)
        finished = outcomes[node]
        if finished is not None and finished.case.counts_against_max_errors:
            errors += 1
            if errors > errors_allowed and not stopped:
                stopped = True
                for later in range(waiting, len(plans)):
                    outcomes[later] = _unsent(later, cancelled, _TERMINATED, now)
                waiting = len(plans)
    return [o if o is not None else _unsent(n, cancelled, _TERMINATED, now)
            for n, o in enumerate(outcomes)]  # fmt: skip


def _unsent(
    node: int, cancelled: Mapping[int, float], case: StatusCase, at_ms: float
) -> NodeOutcome:
    """A node never sent: ``case`` at ``at_ms``, or Cancelled if a cancel reached it first."""
    if cancelled.get(node, NEVER) <= at_ms:
        return NodeOutcome(_CANCELLED, None, cancelled[node])
    return NodeOutcome(case, None, at_ms)


def _send(plan: NodePlan, sent_ms: int, delivery_timeout_ms: int) -> NodeOutcome:
    """The outcome of a node sent the command at ``sent_ms``."""
    case = plan.case
    if not case.reached_node:
        if case.status_details == "DeliveryTimedOut":
            return NodeOutcome(case, None, delivery_timeout_ms)
        end = sent_ms + plan.delivery_ms if case.terminal else NEVER
        return NodeOutcome(case, None, end)
    start = sent_ms + plan.delivery_ms
    if start >= delivery_timeout_ms:
        return NodeOutcome(_DELIVERY_TIMED_OUT, None, delivery_timeout_ms)
    end = start + plan.run_ms if case.terminal else NEVER
    return NodeOutcome(case, start, end)
