"""The async collector with a common bug: it stops at the first empty page.

``while page["CommandInvocations"]`` reads naturally, and every hand-written
test page has items. But a filtered ListCommandInvocations can answer an
empty page with a NextToken, and everything after it is lost.
"""

from __future__ import annotations

from typing import Any

from async_collector import FailedNode, _failed_node


async def failed_nodes(client: Any, command_id: str) -> list[FailedNode]:
    request: dict[str, Any] = {
        "CommandId": command_id,
        "Details": True,
        "Filters": [{"key": "Status", "value": "Failed"}],
    }
    page = await client.list_command_invocations(**request)
    found = []
    while page["CommandInvocations"]:  # the bug: an empty page is not the last one
        found += [_failed_node(inv) for inv in page["CommandInvocations"]]
        if "NextToken" not in page:
            break
        page = await client.list_command_invocations(**request, NextToken=page["NextToken"])
    return found
