"""The code under test: a rollout's result on every node, read with a hand-written page loop.

``rollout_summary`` counts a command's nodes per StatusDetails. It walks
ListCommandInvocations itself (no paginator), 50 at a time, following
NextToken until an answer comes back without one: AWS may answer a page
shorter than MaxResults, or empty, and still have more.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

PAGE_SIZE = 50


def invocations(client: Any, command_id: str) -> list[dict[str, Any]]:
    request: dict[str, Any] = {"CommandId": command_id, "MaxResults": PAGE_SIZE}
    found: list[dict[str, Any]] = []
    while True:
        page = client.list_command_invocations(**request)
        found.extend(page["CommandInvocations"])
        if not more_pages(page):
            return found
        request["NextToken"] = page["NextToken"]


def more_pages(page: dict[str, Any]) -> bool:
    """Another page follows exactly when the answer carries a NextToken, however short."""
    return "NextToken" in page


def rollout_summary(client: Any, command_id: str) -> Counter[str]:
    return Counter(i["StatusDetails"] for i in invocations(client, command_id))
