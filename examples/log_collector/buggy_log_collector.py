"""The collector with a common bug: it trusts GetCommandInvocation's StandardOutputContent.

The service cuts that copy at 24,000 characters (and Output at 2,500): a long
log comes back short, with no error. Tests with hand-written responses and
short outputs never show it.
"""

from __future__ import annotations

from typing import Any


def full_stdout(ssm: Any, s3: Any, command_id: str, instance_id: str) -> str:
    got = ssm.get_command_invocation(CommandId=command_id, InstanceId=instance_id)
    return str(got["StandardOutputContent"])
