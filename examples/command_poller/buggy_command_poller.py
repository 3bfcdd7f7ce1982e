"""The poller with a common bug: it takes the empty listing after SendCommand for "done".

Right after SendCommand, ListCommandInvocations can answer an empty list for
a while (the service is eventually consistent). ``all(...)`` over no
invocations is True, so this poller returns at once with no results, and
never waits for the nodes. Without a node count to wait for, it cannot tell.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from command_poller import TERMINAL, NodeResult


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
        if all(i["Status"] in TERMINAL for i in invocations):  # the bug: true of no invocations
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
