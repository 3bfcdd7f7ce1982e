"""The statuses as AWS documents them, written out by hand: what the tests hold the kit to.

Source: "Understanding command statuses" (AWS Systems Manager user guide), the
API reference's StatusDetails, and botocore's service model enums for the
wire values (CommandInvocationStatus, CommandPluginStatus). Nothing here is
read from the package: a test comparing the catalogue with these rows fails
when either changes.
"""

from __future__ import annotations

from typing import NamedTuple


class Row(NamedTuple):
    status: str
    """The invocation's ``Status``."""
    plugin_status: str
    """A plugin's ``Status`` in that case (the plugin enum has no Delayed or Cancelling)."""
    terminal: bool
    counts_against_max_errors: bool | None
    """None where the guide says neither."""
    reached_node: bool
    """Whether the agent started it (plugins then show a start time)."""


STATUS_ROWS = {
    # Not yet sent to the node, or not received by the agent.
    "Pending": Row("Pending", "Pending", False, None, False),
    "InProgress": Row("InProgress", "InProgress", False, None, True),
    # The system tried to send the command and failed; it retries.
    "Delayed": Row("Delayed", "Pending", False, None, False),
    "Success": Row("Success", "Success", True, False, True),
    # Delivery timeouts don't count against MaxErrors (but decide Success vs Incomplete).
    "DeliveryTimedOut": Row("TimedOut", "TimedOut", True, False, False),
    "ExecutionTimedOut": Row("TimedOut", "TimedOut", True, True, True),
    "Failed": Row("Failed", "Failed", True, True, True),
    "Cancelled": Row("Cancelled", "Cancelled", True, None, False),
    # Cancel requested, not done: the plugin is still running.
    "Cancelling": Row("Cancelling", "InProgress", False, None, True),
    # Undeliverable: don't count against MaxErrors nor decide Success vs Incomplete.
    "Undeliverable": Row("Failed", "Failed", True, False, False),
    # "The parent command exceeded its MaxErrors limit and subsequent command
    # invocations were canceled by the system" (CLI reference).
    "Terminated": Row("Failed", "Failed", True, None, False),
    "InvalidPlatform": Row("Failed", "Failed", True, False, False),
    "AccessDenied": Row("Failed", "Failed", True, False, False),
}

#: ListCommands rows: (StatusDetails counts of the invocations, MaxErrors) ->
#: (Status, StatusDetails, CompletedCount, ErrorCount, DeliveryTimedOutCount).
#: ErrorCount is Failed + ExecutionTimedOut (what counts against MaxErrors).
ROLLUP_ROWS = [
    (({"Success": 3}, "0"), ("Success", "Success", 3, 0, 0)),
    # Every invocation Pending: the command is Pending; any started: InProgress.
    (({"Pending": 3}, "0"), ("Pending", "Pending", 0, 0, 0)),
    (({"Pending": 1, "InProgress": 2}, "0"), ("InProgress", "InProgress", 0, 0, 0)),
    (({"Success": 1, "InProgress": 1}, "0"), ("InProgress", "InProgress", 1, 0, 0)),
    (({"Cancelling": 1, "Success": 1}, "0"), ("Cancelling", "Cancelling", 1, 0, 0)),
    # More errors than MaxErrors: Failed ("if you specify 3, the system stops sending
    # the command when the fourth error is received").
    (({"Failed": 1, "Success": 2}, "0"), ("Failed", "Failed", 3, 1, 0)),
    # Not enough failures for Failed: Incomplete, reported with Status Failed.
    (({"Failed": 1, "Success": 2}, "1"), ("Failed", "Incomplete", 3, 1, 0)),
    (({"ExecutionTimedOut": 2, "Success": 1}, "1"), ("TimedOut", "ExecutionTimedOut", 3, 2, 0)),
    (({"ExecutionTimedOut": 1, "Failed": 1}, "1"), ("Failed", "Failed", 2, 2, 0)),
    (({"DeliveryTimedOut": 2, "Success": 1}, "1"), ("TimedOut", "DeliveryTimedOut", 3, 0, 2)),
    # Delivery timeouts "contribute to whether the parent command status is Success or
    # Incomplete".
    (({"DeliveryTimedOut": 1, "Success": 2}, "1"), ("Failed", "Incomplete", 3, 0, 1)),
    # Undeliverable invocations neither count nor decide: one Success makes Success.
    (({"Undeliverable": 4, "Success": 1}, "0"), ("Success", "Success", 5, 0, 0)),
    (({"Undeliverable": 3}, "0"), ("Failed", "Failed", 3, 0, 0)),
    (({"Cancelled": 3}, "0"), ("Cancelled", "Cancelled", 3, 0, 0)),
    # A percentage of the targets, rounded down: 10% of 10 allows one error.
    (({"Failed": 2, "Success": 8}, "10%"), ("Failed", "Failed", 10, 2, 0)),
    (({"Failed": 1, "Success": 9}, "10%"), ("Failed", "Incomplete", 10, 1, 0)),
    # Terminated invocations are not errors: two failures exceed MaxErrors 1.
    (({"Terminated": 2, "Failed": 2, "Success": 1}, "1"), ("Failed", "Failed", 5, 2, 0)),
    (({"InvalidPlatform": 1, "Success": 1}, "0"), ("Success", "Success", 2, 0, 0)),
    (({"AccessDenied": 2}, "0"), ("Failed", "Failed", 2, 0, 0)),
]
