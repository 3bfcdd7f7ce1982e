"""The code under test: roll a shell command out to a tagged fleet and report on it.

``roll_out`` sends the command to every node tagged ``Role=<role>``, a few
nodes at a time (MaxConcurrency) and stopping early when too many fail
(MaxErrors), waits for the command to finish, cancels it when a deadline
passes, and gathers every node's result from ListCommandInvocations.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Command statuses after which nothing changes any more (ListCommands).
FINISHED = {"Success", "Failed", "Cancelled", "TimedOut"}


@dataclass
class Rollout:
    command_id: str
    status: str
    """The command's StatusDetails at the end (Success, Failed, Incomplete, Cancelled...)."""
    succeeded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Instance id -> StatusDetails of every node that did not succeed."""
    cancelled: bool = False


def roll_out(
    client: Any,
    role: str,
    commands: Sequence[str],
    *,
    max_concurrency: str = "10%",
    max_errors: str = "1",
    deadline_seconds: float = 1800,
    poll_seconds: float = 15,
    sleep: Callable[[float], None] = time.sleep,
) -> Rollout:
    sent = client.send_command(
        Targets=[{"Key": "tag:Role", "Values": [role]}],
        DocumentName="AWS-RunShellScript",
        Parameters={"commands": list(commands)},
        MaxConcurrency=max_concurrency,
        MaxErrors=max_errors,
        TimeoutSeconds=600,
        Comment=f"roll out to {role}",
    )["Command"]
    command_id = sent["CommandId"]
    cancelled = False
    waited = 0.0
    while not done(client, sent):
        if waited >= deadline_seconds and not cancelled:
            client.cancel_command(CommandId=command_id)
            cancelled = True
        sleep(poll_seconds)
        waited += poll_seconds
    command = client.list_commands(CommandId=command_id)["Commands"][0]
    rollout = Rollout(command_id, command["StatusDetails"], cancelled=cancelled)
    paginator = client.get_paginator("list_command_invocations")
    for page in paginator.paginate(CommandId=command_id):
        for invocation in page["CommandInvocations"]:
            if invocation["StatusDetails"] == "Success":
                rollout.succeeded.append(invocation["InstanceId"])
            else:
                rollout.failed[invocation["InstanceId"]] = invocation["StatusDetails"]
    return rollout


def done(client: Any, sent: dict[str, Any]) -> bool:
    """The command has finished on every node it targeted (ListCommands says so).

    A command sent by Targets lists no ``InstanceIds``: only the command's own
    status tells when every node it resolved to is done.
    """
    command = client.list_commands(CommandId=sent["CommandId"])["Commands"][0]
    return command["Status"] in FINISHED
