"""How a command's status and counts follow from its invocations (ListCommands).

Sources: "Understanding command statuses" (Systems Manager user guide) and
the API reference's StatusDetails:

- Counts: ``CompletedCount`` terminal invocations, ``ErrorCount`` Failed or
  ExecutionTimedOut (the errors that count against MaxErrors),
  ``DeliveryTimedOutCount`` DeliveryTimedOut.
- Still running: InProgress (Pending while every invocation is; Cancelling
  while a cancel is in flight).
- Failed, Execution Timed Out, Delivery Timed Out: "the value of max-errors
  or more command invocations shows" that status; read here as more than
  MaxErrors, the reading that agrees with "if you specify 3, the system stops
  sending the command when the fourth error is received". Failures and
  execution timeouts together: Failed, unless all were execution timeouts.
  Delivery timeouts "don't count against MaxErrors but do contribute to
  whether the parent command status is Success or Incomplete".
- Undeliverable invocations "don't count against the parent command's
  MaxErrors limit and don't contribute to whether the parent command status
  is Success or Incomplete": one Success and four Undeliverable is Success;
  all Undeliverable is Failed. InvalidPlatform and AccessDenied are read the
  same way (a choice: the guide says it of Undeliverable).
- Cancelled, "the command was canceled before it was completed": every
  invocation Cancelled, or a CancelCommand for every node (no InstanceIds)
  that reached the command while it ran and cancelled one of its invocations,
  whatever the others ended as (2 Success and 1 Cancelled: Cancelled). The
  guide's Incomplete needs a command "attempted on all managed nodes", which
  a cancelled command is not; a real single-node capture shows
  Cancelled/Cancelled with CompletedCount 1. No public capture shows a mixed
  one (unverified). A cancel of some nodes (InstanceIds) leaves the command
  to run on: those nodes' Cancelled then read as any other mix.
- Any other mix: Incomplete, "not enough invocations failed for the status
  to be Failed", reported with Status Failed (a choice: the Status enum has
  no Incomplete).
- A tag that matched no node: Success with StatusDetails NoInstancesInTag
  (real ListCommands output, stevemac007/aws-ssm-cli-invoke). RateExceeded
  and LimitExceeded come from account quotas the fake does not model.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections.abc import Mapping, Sequence
from typing import Protocol

from ..catalogue.statuses import status_case

NO_INSTANCES_IN_TAG = ("Success", "NoInstancesInTag")
#: Terminal cases that neither count against MaxErrors nor decide Success vs Incomplete.
_NEUTRAL = frozenset({"Undeliverable", "InvalidPlatform", "AccessDenied"})


def counts(shown: Mapping[str, int]) -> dict[str, int]:
    """The command's ``CompletedCount``, ``ErrorCount`` and ``DeliveryTimedOutCount``,
    from how many of its invocations show each StatusDetails."""
    return {
        "CompletedCount": sum(n for detail, n in shown.items() if status_case(detail).terminal),
        "ErrorCount": sum(n for detail, n in shown.items() if _counts_against(detail)),
        "DeliveryTimedOutCount": shown.get("DeliveryTimedOut", 0),
    }


def command_status(
    shown: Mapping[str, int], max_errors: str, cancelled: bool = False
) -> tuple[str, str]:
    """The command's ``Status`` and ``StatusDetails``, from how many of its invocations
    show each StatusDetails (``cancelled``: a CancelCommand for every node reached it)."""
    present = {detail for detail, n in shown.items() if n}
    if not present:
        return "Success", "Success"
    if not all(status_case(detail).terminal for detail in present):
        if present == {"Pending"}:
            return "Pending", "Pending"
        if "Cancelling" in present:
            return "Cancelling", "Cancelling"
        return "InProgress", "InProgress"
    if cancelled and "Cancelled" in present:
        return "Cancelled", "Cancelled"
    allowed = allowed_errors(max_errors, sum(shown.values()))
    errors = [detail for detail in present if _counts_against(detail)]
    if sum(shown[detail] for detail in errors) > allowed:
        if len(errors) == 1:  # all execution timeouts: that; all failures, or a mix: Failed
            case = status_case(errors[0])
            return case.status, case.status_details
        return "Failed", "Failed"
    if shown.get("DeliveryTimedOut", 0) > allowed:
        return "TimedOut", "DeliveryTimedOut"
    deciding = present - _NEUTRAL
    if not deciding:
        return "Failed", "Failed"
    if deciding == {"Success"}:
        return "Success", "Success"
    if deciding == {"Cancelled"}:
        return "Cancelled", "Cancelled"
    return "Failed", "Incomplete"


def _counts_against(detail: str) -> bool:
    """Whether an invocation showing ``detail`` counts against MaxErrors (the catalogue's flag)."""
    return status_case(detail).counts_against_max_errors is True


def allowed_errors(max_errors: str, targets: int) -> int:
    """MaxErrors as a number of targets: "0", "10", or a percentage such as "10%" (rounded down)."""
    if max_errors.endswith("%"):
        return targets * int(max_errors[:-1]) // 100
    return int(max_errors)


class Shown(Protocol):
    """An invocation as a tally sees it: its place, and its case on the fake clock."""

    @property
    def index(self) -> int: ...

    def details_at(self, now_ms: int) -> tuple[str, float]:
        """The StatusDetails shown at ``now_ms``, and when the clock next changes it
        (``math.inf``: never)."""
        ...


#: Up to this many invocations, asking each costs less than counting ``settled`` at once.
_FEW = 16


class Tally:
    """How many of one command's invocations show each StatusDetails, kept as they move.

    A command of a million invocations renders in the time of its few cases:
    each invocation is looked at once when the tally is made, then again only
    when its case may have changed. The clock moves an invocation at known
    times, kept in a heap, so catching up with the clock pops just the
    invocations due; a poll or a cancel that moves one says so (:meth:`moved`).
    The clock going back (``FakeClock.reset``) recounts every invocation.
    """

    def __init__(
        self, entries: Sequence[Shown], now_ms: int, settled: Sequence[str] | None = None
    ) -> None:
        """``settled``: each entry's StatusDetails when none moves on the clock (counted
        at once, without asking a million entries)."""
        self._entries = entries
        self._lock = threading.Lock()
        if settled is None or len(settled) <= _FEW:
            self._recount_all(now_ms)
        else:
            self._count_settled(settled, now_ms)

    def at(self, now_ms: int) -> dict[str, int]:
        """How many invocations show each StatusDetails at ``now_ms`` (none: absent)."""
        with self._lock:
            self._catch_up(now_ms)
            shown: dict[str, int] = {}
            for detail, n in zip(self._details, self._counts, strict=True):
                if n:
                    shown[detail] = shown.get(detail, 0) + n
            return shown

    def moved(self, entry: Shown, now_ms: int) -> None:
        """``entry`` may show another case from ``now_ms`` on (a poll, a cancel)."""
        with self._lock:
            self._catch_up(now_ms)
            self._recount(entry.index, now_ms)

    def _recount_all(self, now_ms: int) -> None:
        self._codes: dict[str, int] = {}
        """Each StatusDetails seen, as its code in ``_shown``, ``_details`` and ``_counts``."""
        self._details: list[str] = []
        """Each code's StatusDetails, in the wire's spelling."""
        self._counts: list[int] = []
        self._shown = bytearray(len(self._entries))
        self._due: list[tuple[float, int]] = []
        """(when the clock next changes its case, invocation), the soonest first."""
        shown, counts, due, code_of = self._shown, self._counts, self._due, self._code
        for index, entry in enumerate(self._entries):
            detail, when = entry.details_at(now_ms)
            shown[index] = code = code_of(detail)
            counts[code] += 1
            if when != math.inf:
                due.append((when, index))
        heapq.heapify(due)
        self._seen_ms = now_ms

    def _count_settled(self, settled: Sequence[str], now_ms: int) -> None:
        self._codes, self._details, self._counts, self._due = {}, [], [], []
        for detail in dict.fromkeys(settled):
            self._code(detail)
        self._shown = bytearray(map(self._codes.__getitem__, settled))
        self._counts = [self._shown.count(code) for code in range(len(self._details))]
        self._seen_ms = now_ms

    def _catch_up(self, now_ms: int) -> None:
        if now_ms < self._seen_ms:
            self._recount_all(now_ms)
            return
        due, last = self._due, None
        while due and due[0][0] <= now_ms:
            item = heapq.heappop(due)
            # A cancel schedules an invocation anew while its old time is still queued:
            # both lead to the same next time, queued twice; look at it once.
            if item != last:
                self._recount(item[1], now_ms)
            last = item
        self._seen_ms = now_ms

    def _recount(self, index: int, now_ms: int) -> None:
        detail, when = self._entries[index].details_at(now_ms)
        code, old = self._code(detail), self._shown[index]
        if code != old:
            self._counts[old] -= 1
            self._counts[code] += 1
            self._shown[index] = code
        if when != math.inf:
            heapq.heappush(self._due, (when, index))

    def _code(self, detail: str) -> int:
        code = self._codes.get(detail)
        if code is None:
            if len(self._details) == 256:  # never: there are fewer than 20 StatusDetails
                raise RuntimeError(f"too many StatusDetails to count: {self._details}")
            code = self._codes[detail] = len(self._details)
            self._details.append(status_case(detail).status_details)
            self._counts.append(0)
        return code
