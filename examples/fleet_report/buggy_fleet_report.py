"""The fleet report with the commonest bug: it reads only the first page.

One ``list_command_invocations`` call returns at most 50 invocations; the
rest wait behind a NextToken. A hand-written response of three invocations
never shows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def iter_invocations(client: Any, command_id: str) -> Iterator[dict[str, Any]]:
    page = client.list_command_invocations(CommandId=command_id, Details=True)
    yield from page["CommandInvocations"]  # the bug: page["NextToken"] is never followed
