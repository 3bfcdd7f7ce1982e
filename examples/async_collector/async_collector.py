"""The code under test: collect the failed nodes of several commands at once, on aiobotocore.

An incident tool: after a deployment sent several commands, it asks for the
failed invocations of all of them concurrently (``asyncio.gather``), with a
``Status`` filter so the service does the filtering. It pages by hand, as
much async code does, and keeps asking while a NextToken comes back: a
filtered listing can return an *empty page that still carries a NextToken*,
so an empty page is not the end.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FailedNode:
    instance_id: str
    status_details: str
    response_code: int


async def failed_nodes(client: Any, command_id: str) -> list[FailedNode]:
    request: dict[str, Any] = {
        "CommandId": command_id,
        "Details": True,
        "Filters": [{"key": "Status", "value": "Failed"}],
    }
    found = []
    while True:
        page = await client.list_command_invocations(**request)
        found += [_failed_node(inv) for inv in page["CommandInvocations"]]
        if "NextToken" not in page:
            return found
        request["NextToken"] = page["NextToken"]


async def collect_failures(client: Any, command_ids: Sequence[str]) -> dict[str, list[FailedNode]]:
    results = await asyncio.gather(*(failed_nodes(client, cid) for cid in command_ids))
    return dict(zip(command_ids, results, strict=True))


def _failed_node(invocation: Mapping[str, Any]) -> FailedNode:
    plugins = invocation["CommandPlugins"]
    code = next((p["ResponseCode"] for p in plugins if p["Status"] == "Failed"), -1)
    return FailedNode(invocation["InstanceId"], invocation["StatusDetails"], code)
