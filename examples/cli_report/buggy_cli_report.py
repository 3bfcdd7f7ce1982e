"""The shell tool with a common bug: ``--no-paginate`` and a client-side filter.

``--no-paginate`` makes the AWS CLI send one request and print one page (at
most 50 invocations); the ``--query`` then filters that page only. Failed
nodes past the first page are never reported. A test fleet of ten nodes
never shows it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping


def failed_nodes(command_id: str, env: Mapping[str, str] | None = None) -> dict[str, int]:
    result = subprocess.run(
        [
            "aws", "ssm", "list-command-invocations",
            "--command-id", command_id,
            "--details",
            "--no-paginate",
            "--query",
            "CommandInvocations[?Status=='Failed'].[InstanceId, CommandPlugins[-1].ResponseCode]",
            "--output", "json",
        ],
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    return {node: code for node, code in json.loads(result.stdout)}
