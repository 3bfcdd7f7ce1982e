"""The code under test: a compliance report over one Run Command command.

A compliance check (a script that exits non-zero when a node breaks a rule)
was sent to a fleet. Each node is compliant only when the check ran and
succeeded; non-compliant when it ran and failed (with the exit code, which
says which rule); unknown when the check never ran or never finished
(timeouts, cancellation, an unreachable or unmanaged node, a denied
document); pending while it is still on its way.

The StatusDetails value decides, not the exit code: a node that never ran
reports ``ResponseCode`` -1, which is neither 0 nor a rule's exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

PENDING = {"Pending", "InProgress", "Delayed", "Cancelling"}


@dataclass
class ComplianceReport:
    compliant: list[str] = field(default_factory=list)
    non_compliant: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.pending


def classify(invocations: Iterable[Mapping[str, Any]]) -> ComplianceReport:
    report = ComplianceReport()
    for inv in invocations:
        node, details = inv["InstanceId"], inv["StatusDetails"]
        if details == "Success":
            report.compliant.append(node)
        elif details == "Failed":
            failing = next(p for p in inv["CommandPlugins"] if p["Status"] == "Failed")
            report.non_compliant[node] = failing["ResponseCode"]
        elif details in PENDING:
            report.pending.append(node)
        else:
            report.unknown[node] = details
    return report


def iter_invocations(client: Any, command_id: str) -> Iterator[dict[str, Any]]:
    paginator = client.get_paginator("list_command_invocations")
    for page in paginator.paginate(CommandId=command_id, Details=True):
        yield from page["CommandInvocations"]


def compliance_report(client: Any, command_id: str) -> ComplianceReport:
    return classify(iter_invocations(client, command_id))
