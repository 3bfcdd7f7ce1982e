"""An invocation's phases before its final case, and how its record looks in each.

A command added with ``progress="clock"`` shows each invocation Pending until
its first plugin starts, InProgress until its last plugin finishes, then its
final case, as the fake clock moves; with ``progress="poll"`` each
observation moves it one step. A cancelled invocation shows Cancelling while
the cancel is in flight (see ``Store.cancel``). These functions say which
phase holds until when, and what the record shows meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalogue.statuses import StatusCase, status_case
from ..records import Record
from ..records.times import to_ms
from .rollout import NEVER as NEVER

PENDING = status_case("Pending")
IN_PROGRESS = status_case("InProgress")
CANCELLING = status_case("Cancelling")
DELAYED = status_case("Delayed")
#: How long a command that never reaches its node takes to say so, when no
#: delivery timeout applies (Undeliverable, AccessDenied, ...).
SETTLE_MS = 1_000


def poll_phases(final_record: Record, final: StatusCase) -> list[StatusCase]:
    """The cases a ``progress="poll"`` invocation shows, one per observation."""
    if not final.terminal:
        return [final]
    if started(final_record["CommandPlugins"]):
        return [PENDING, IN_PROGRESS, final]
    return [PENDING, final]


def phases_with_times(
    final_record: Record,
    final: StatusCase,
    *,
    requested_ms: int,
    delivery_timeout_s: int,
    cancel_ms: int | None,
    settles_ms: float | None,
) -> Iterator[tuple[StatusCase, float]]:
    """Each phase before the final one, with the time (ms) it ends: from the final record,
    its command's request time and delivery timeout (``TimeoutSeconds`` plus the document's
    ``executionTimeout``: ``CommandEntry.delivery_timeout_s``), and when a cancel reached it
    or a roll-out settles it (an ``entries.InvocationEntry``'s fields)."""
    plugins = final_record["CommandPlugins"]
    starts = [to_ms(p["ResponseStartDateTime"], "start") for p in plugins if _has(p, "Start")]
    if not final.terminal:
        if final.reached_node and starts:  # running for good: Pending until it starts
            yield PENDING, min(starts)
        return
    finishes = [to_ms(p["ResponseFinishDateTime"], "end") for p in plugins if _has(p, "Finish")]
    delivery_timeout = requested_ms + delivery_timeout_s * 1000
    if cancel_ms is not None:
        if starts:
            yield PENDING, min(starts)
            yield IN_PROGRESS, cancel_ms
            yield CANCELLING, max(finishes, default=cancel_ms)
        else:
            yield PENDING, cancel_ms
    elif starts and final.status_details == "DeliveryTimedOut":
        # Started, then never heard from (agent quirks: STATUS_VARIANTS): InProgress
        # until the delivery timeout.
        yield PENDING, min(starts)
        yield IN_PROGRESS, max(delivery_timeout, max(starts))
    elif starts:
        # The plugins' times say whether the node was reached (Cancelled:after-start too).
        yield PENDING, min(starts)
        yield IN_PROGRESS, max(finishes, default=max(starts))
    elif settles_ms is not None:
        yield _waiting(final), settles_ms
    elif final.status_details == "DeliveryTimedOut":
        yield _waiting(final), delivery_timeout
    else:
        yield PENDING, requested_ms + SETTLE_MS


def _waiting(final: StatusCase) -> StatusCase:
    """What a node never reached shows until its final case: Delayed for a delivery the
    system kept retrying (``DeliveryTimedOut:after-delay``), else Pending."""
    return DELAYED if final.variant == "after-delay" else PENDING


def started(plugins: list[Record]) -> bool:
    return any(_has(p, "Start") for p in plugins)


def _has(plugin: Record, moment: str) -> bool:
    return f"Response{moment}DateTime" in plugin


def partial(final: Record, phase: StatusCase, at_ms: int | None) -> Record:
    """``final`` as it looked while Pending, Delayed or InProgress (at ``at_ms``, or midway)."""
    record = dict(final)
    record["Status"] = phase.status
    record["StatusDetails"] = phase.status_details
    plugins: list[Record] = []
    running_seen = False
    for plugin in final["CommandPlugins"]:
        start = plugin.get("ResponseStartDateTime")
        finish = plugin.get("ResponseFinishDateTime")
        if phase in (IN_PROGRESS, CANCELLING) and start is not None and not running_seen:
            start_ms = to_ms(start, "start")
            done = finish is not None and at_ms is not None and to_ms(finish, "finish") <= at_ms
            if done and plugin["StatusDetails"] == "Success":
                plugins.append(plugin)
                continue
            if at_ms is None or start_ms <= at_ms:
                running_seen = True
                plugins.append(_plugin_as(plugin, phase, keep_start=True))
                continue
        # A plugin not started shows its invocation's wait (Delayed: plugin Status Pending).
        waiting = DELAYED if phase is DELAYED else PENDING
        plugins.append(_plugin_as(plugin, waiting, keep_start=False))
    record["CommandPlugins"] = plugins
    return record


def _plugin_as(plugin: Record, case: StatusCase, *, keep_start: bool) -> Record:
    shown = dict(plugin)
    shown["Status"] = case.plugin_status
    shown["StatusDetails"] = case.status_details
    shown["ResponseCode"] = -1
    shown["Output"] = ""
    shown.pop("ResponseFinishDateTime", None)
    if not keep_start:
        shown.pop("ResponseStartDateTime", None)
    return shown
