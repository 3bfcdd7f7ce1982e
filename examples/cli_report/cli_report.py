"""The code under test: a shell-tool wrapper around the AWS CLI.

``failed_nodes`` runs ``aws ssm list-command-invocations`` with a Status
filter and a JMESPath query, and returns the ids of the nodes where a command
failed, with the exit code of the failing plugin.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping


def command_line(command_id: str) -> list[str]:
    """The service filters by Status; the CLI follows every NextToken."""
    return [
        "aws", "ssm", "list-command-invocations",
        "--command-id", command_id,
        "--details",
        "--filters", "key=Status,value=Failed",
        "--query", "CommandInvocations[].[InstanceId, CommandPlugins[-1].ResponseCode]",
        "--output", "json",
    ]  # fmt: skip


def failed_nodes(command_id: str, env: Mapping[str, str] | None = None) -> dict[str, int]:
    result = subprocess.run(
        command_line(command_id),
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        check=True,
    )
    return {node: code for node, code in json.loads(result.stdout)}
