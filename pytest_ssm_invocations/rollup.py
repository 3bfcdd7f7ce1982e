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
- Every invocation Cancelled: Cancelled. Any other mix: Incomplete, "not
  enough invocations failed for the status to be Failed", reported with
  Status Failed (a choice: the Status enum has no Incomplete).
- A tag that matched no node: Success with StatusDetails NoInstancesInTag
  (real ListCommands output, stevemac007/aws-ssm-cli-invoke). RateExceeded
  and LimitExceeded come from account quotas the fake does not model.
"""

from __future__ import annotations

from collections.abc import Sequence

from .catalogue.statuses import StatusCase

NO_INSTANCES_IN_TAG = ("Success", "NoInstancesInTag")
#: Terminal cases that neither count against MaxErrors nor decide Success vs Incomplete.
_NEUTRAL = frozenset({"Undeliverable", "InvalidPlatform", "AccessDenied"})


def counts(cases: Sequence[StatusCase]) -> dict[str, int]:
    """The command's ``CompletedCount``, ``ErrorCount`` and ``DeliveryTimedOutCount``."""
    return {
        "CompletedCount": sum(c.terminal for c in cases),
        "ErrorCount": sum(c.status_details in ("Failed", "ExecutionTimedOut") for c in cases),
        "DeliveryTimedOutCount": sum(c.status_details == "DeliveryTimedOut" for c in cases),
    }


def command_status(cases: Sequence[StatusCase], max_errors: str) -> tuple[str, str]:
    """The command's ``Status`` and ``StatusDetails`` given its invocations' cases."""
    details = [c.status_details for c in cases]
    if not cases:
        return "Success", "Success"
    if not all(c.terminal for c in cases):
        if set(details) == {"Pending"}:
            return "Pending", "Pending"
        if "Cancelling" in details:
            return "Cancelling", "Cancelling"
        return "InProgress", "InProgress"
    allowed = allowed_errors(max_errors, len(cases))
    failed, execution = details.count("Failed"), details.count("ExecutionTimedOut")
    if failed + execution > allowed:
        return ("TimedOut", "ExecutionTimedOut") if not failed else ("Failed", "Failed")
    if details.count("DeliveryTimedOut") > allowed:
        return "TimedOut", "DeliveryTimedOut"
    deciding = [d for d in details if d not in _NEUTRAL]
    if not deciding:
        return "Failed", "Failed"
    if all(d == "Success" for d in deciding):
        return "Success", "Success"
    if all(d == "Cancelled" for d in deciding):
        return "Cancelled", "Cancelled"
    return "Failed", "Incomplete"


def allowed_errors(max_errors: str, targets: int) -> int:
    """MaxErrors as a number of targets: "0", "10", or a percentage such as "10%" (rounded down)."""
    if max_errors.endswith("%"):
        return targets * int(max_errors[:-1]) // 100
    return int(max_errors)
