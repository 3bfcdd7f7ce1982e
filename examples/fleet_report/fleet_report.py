"""The code under test: a fleet report of one Run Command command.

It reads every page of ListCommandInvocations and sorts the nodes into
succeeded, failed (with the plugin's exit code and the last line of its
output), still running, and never reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

TRUNCATION_MARKERS = ("\n---Output truncated---", "\n---Error truncated----")
NEVER_REACHED = {"DeliveryTimedOut", "Undeliverable", "InvalidPlatform", "AccessDenied",
                 "Terminated", "Cancelled"}  # fmt: skip
RUNNING = {"Pending", "InProgress", "Delayed", "Cancelling"}


@dataclass
class FleetReport:
    succeeded: list[str] = field(default_factory=list)
    failed: dict[str, tuple[int, str]] = field(default_factory=dict)
    running: list[str] = field(default_factory=list)
    unreached: dict[str, str] = field(default_factory=dict)
    truncated: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.running


def iter_invocations(client: Any, command_id: str) -> Iterator[dict[str, Any]]:
    """Every invocation of a command, whatever the number of pages."""
    paginator = client.get_paginator("list_command_invocations")
    for page in paginator.paginate(CommandId=command_id, Details=True):
        yield from page["CommandInvocations"]


def last_line(output: str) -> str:
    for marker in TRUNCATION_MARKERS:
        output = output.replace(marker, "")
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def build_report(invocations: Iterable[Mapping[str, Any]]) -> FleetReport:
    report = FleetReport()
    for inv in invocations:
        node, details = inv["InstanceId"], inv["StatusDetails"]
        plugins = inv["CommandPlugins"]
        if any(m in p["Output"] for p in plugins for m in TRUNCATION_MARKERS):
            report.truncated.append(node)
        if details == "Success":
            report.succeeded.append(node)
        elif details in RUNNING:
            report.running.append(node)
        elif details in NEVER_REACHED:
            report.unreached[node] = details
        else:  # Failed, ExecutionTimedOut: it ran and did not succeed
            deciding = next(p for p in reversed(plugins) if p["Status"] != "Success")
            report.failed[node] = (deciding["ResponseCode"], last_line(deciding["Output"]))
    return report


def fleet_report(client: Any, command_id: str) -> FleetReport:
    return build_report(iter_invocations(client, command_id))
