"""The code under test: run a script on some nodes and wait for each one, by the wall clock.

Written as most Run Command programs are: a module-level ``time.sleep`` between
polls, a deadline taken from ``datetime.now``, and a report of the failures
of the last hour found with an ``InvokedAfter`` filter computed from "now".
Its tests run it with ``time="fake"``: no ``sleep=`` parameter, no patching.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.exceptions

#: StatusDetails after which an invocation changes no more.
FINAL = {
    "Success", "Failed", "Cancelled", "DeliveryTimedOut", "ExecutionTimedOut",
    "Undeliverable", "Terminated", "InvalidPlatform", "AccessDenied",
}  # fmt: skip


class DeadlineExceeded(Exception):
    """Some nodes had not finished when the deadline came."""

    def __init__(self, command_id: str, unfinished: list[str]) -> None:
        super().__init__(f"{command_id}: {len(unfinished)} node(s) unfinished: {unfinished}")
        self.unfinished = unfinished


@dataclass
class Run:
    command_id: str
    results: dict[str, str] = field(default_factory=dict)  # node -> StatusDetails

    @property
    def failed(self) -> list[str]:
        return sorted(node for node, status in self.results.items() if status != "Success")


def run_script(
    ssm: Any, instance_ids: list[str], script: list[str], *, minutes: int = 15, poll: int = 10
) -> Run:
    """Send ``script`` to the nodes and wait until each is done, or ``minutes`` have passed."""
    command = ssm.send_command(
        InstanceIds=instance_ids,
        DocumentName="AWS-RunShellScript",
        Parameters={"commands": script},
    )["Command"]
    run = Run(command["CommandId"])
    deadline = datetime.now(timezone.utc) + timedelta(minutes=minutes)
    while True:
        for node in instance_ids:
            if node not in run.results:
                status = _status(ssm, run.command_id, node)
                if status in FINAL:
                    run.results[node] = status
        if len(run.results) == len(instance_ids):
            return run
        if datetime.now(timezone.utc) >= deadline:
            return at_deadline(run, instance_ids)
        time.sleep(poll)


def _status(ssm: Any, command_id: str, node: str) -> str | None:
    try:
        answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=node)
    except botocore.exceptions.ClientError as error:
        if error.response["Error"]["Code"] == "InvocationDoesNotExist":
            return None  # not visible yet, right after SendCommand
        raise
    return str(answer["StatusDetails"])


def at_deadline(run: Run, instance_ids: list[str]) -> Run:
    """Time is up with nodes still running: that is an error, never a result."""
    raise DeadlineExceeded(run.command_id, [n for n in instance_ids if n not in run.results])


def failures_in_the_last_hour(ssm: Any) -> list[str]:
    """Command ids of the invocations that failed in the last hour, every page read."""
    since = (datetime.now(timezone.utc) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    pages = ssm.get_paginator("list_command_invocations").paginate(
        Filters=[{"key": "InvokedAfter", "value": since}, {"key": "Status", "value": "Failed"}]
    )
    return sorted({i["CommandId"] for page in pages for i in page["CommandInvocations"]})
