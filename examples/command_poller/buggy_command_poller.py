"""The poller with a common bug: it takes the empty listing after SendCommand for "done".

Right after SendCommand, ListCommandInvocations can answer an empty list for
a while (the service is eventually consistent). ``all(...)`` over no
invocations is True, so the poller returns at once with no results and never
waits for the nodes.
"""

from __future__ import annotations

from typing import Any

from command_poller import TERMINAL


def finished(invocations: list[dict[str, Any]], expected_nodes: int) -> bool:
    return all(i["Status"] in TERMINAL for i in invocations)  # the bug: true of no invocations
