"""How a command's status and counts follow from its invocations (ListCommands).

Counts: ``CompletedCount`` terminal invocations, ``ErrorCount`` Failed or
ExecutionTimedOut, ``DeliveryTimedOutCount`` DeliveryTimedOut. Status under
MaxErrors rules: still running -> InProgress (Pending if all are); all
Success -> Success; more errors than MaxErrors -> Failed; all Cancelled ->
Cancelled; all DeliveryTimedOut (or ExecutionTimedOut) -> TimedOut with that
detail; otherwise Incomplete, reported with Status Failed (unverified: the
Status enum has no Incomplete).
"""

from __future__ import annotations

from collections.abc import Sequence

from .catalogue.statuses import StatusCase


def counts(cases: Sequence[StatusCase]) -> dict[str, int]:
    """The command's ``CompletedCount``, ``ErrorCount`` and ``DeliveryTimedOutCount``."""
    return {
        "CompletedCount": sum(c.terminal for c in cases),
        "ErrorCount": sum(c.status_details in ("Failed", "ExecutionTimedOut") for c in cases),
        "DeliveryTimedOutCount": sum(c.status_details == "DeliveryTimedOut" for c in cases),
    }


def command_status(cases: Sequence[StatusCase], errors: int, max_errors: str) -> tuple[str, str]:
    """The command's ``Status`` and ``StatusDetails`` given its invocations' cases."""
    details = {c.status_details for c in cases}
    if not cases:
        return "Success", "Success"
    if not all(c.terminal for c in cases):
        if details == {"Pending"}:
            return "Pending", "Pending"
        if "Cancelling" in details:
            return "Cancelling", "Cancelling"
        return "InProgress", "InProgress"
    if details == {"Success"}:
        return "Success", "Success"
    if errors > _allowed_errors(max_errors, len(cases)):
        return "Failed", "Failed"
    if details == {"Cancelled"}:
        return "Cancelled", "Cancelled"
    if len(details) == 1 and details <= {"DeliveryTimedOut", "ExecutionTimedOut"}:
        return "TimedOut", next(iter(details))
    return "Failed", "Incomplete"


def _allowed_errors(max_errors: str, targets: int) -> int:
    """MaxErrors as a number of targets: "0", "10" or a percentage such as "10%"."""
    if max_errors.endswith("%"):
        return int(targets * int(max_errors[:-1]) / 100)
    return int(max_errors)
