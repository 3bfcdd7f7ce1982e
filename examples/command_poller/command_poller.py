"""The code under test: run a command and wait for every node's result.

``wait_for_command`` polls ListCommandInvocations until every invocation of
a command is terminal, tolerating the service's eventual consistency (an
empty list right after SendCommand) and its throttling (left to botocore's
retries). ``wait_for_node`` uses boto3's ``command_executed`` waiter for one
node and returns its output.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import botocore.exceptions

TERMINAL = {"Success", "Cancelled", "TimedOut", "Failed"}


@dataclass
class NodeResult:
    instance_id: str
    status_details: str
    output: str


def wait_for_command(
    client: Any,
    command_id: str,
    expected_nodes: int,
    *,
    poll_seconds: float = 5.0,
    max_polls: int = 60,
    sleep: Callable[[float], None] = time.sleep,
) -> list[NodeResult]:
    for _ in range(max_polls):
        paginator = client.get_paginator("list_command_invocations")
        invocations = [
            item
            for page in paginator.paginate(CommandId=command_id, Details=True)
            for item in page["CommandInvocations"]
        ]
        if finished(invocations, expected_nodes):
            return [
                NodeResult(
                    i["InstanceId"],
                    i["StatusDetails"],
                    "\n".join(p["Output"] for p in i["CommandPlugins"]),
                )
                for i in invocations
            ]
        sleep(poll_seconds)
    raise TimeoutError(f"command {command_id} did not finish after {max_polls} polls")


def finished(invocations: list[dict[str, Any]], expected_nodes: int) -> bool:
    """Every node has an invocation, and every invocation is terminal.

    Counting matters: right after SendCommand the listing can be empty.
    """
    return len(invocations) == expected_nodes and all(i["Status"] in TERMINAL for i in invocations)


def wait_for_node(client: Any, command_id: str, instance_id: str) -> NodeResult:
    waiter = client.get_waiter("command_executed")
    try:
        waiter.wait(CommandId=command_id, InstanceId=instance_id)
    except botocore.exceptions.WaiterError as error:
        last = error.last_response
        if "StatusDetails" not in last:
            raise
    detail = client.get_command_invocation(CommandId=command_id, InstanceId=instance_id)
    return NodeResult(instance_id, detail["StatusDetails"], detail["StandardOutputContent"])
