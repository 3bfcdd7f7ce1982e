"""The roll-out with a common bug: it waits for the nodes the send response names.

A command sent by ``Targets`` comes back with ``"InstanceIds": []``: the
service resolves the tag afterwards. Waiting for each of those nodes waits
for none, so the roll-out reports at once, before any node ran, with no
failures.
"""

from __future__ import annotations

from typing import Any

TERMINAL = {"Success", "Failed", "Cancelled", "TimedOut"}


def done(client: Any, sent: dict[str, Any]) -> bool:
    for instance_id in sent["InstanceIds"]:  # the bug: empty when sent by Targets
        invocation = client.get_command_invocation(
            CommandId=sent["CommandId"], InstanceId=instance_id
        )
        if invocation["Status"] not in TERMINAL:
            return False
    return True
