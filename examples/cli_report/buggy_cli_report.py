"""The shell tool with a common bug: ``--no-paginate`` and a client-side filter.

``--no-paginate`` makes the AWS CLI send one request and print one page (at
most 50 invocations); the ``--query`` then filters that page only. Failed
nodes past the first page are never reported. A test fleet of ten nodes
never shows it.
"""

from __future__ import annotations


def command_line(command_id: str) -> list[str]:
    return [
        "aws", "ssm", "list-command-invocations",
        "--command-id", command_id,
        "--details",
        "--no-paginate",  # the bug: one page, filtered after the fact
        "--query",
        "CommandInvocations[?Status=='Failed'].[InstanceId, CommandPlugins[-1].ResponseCode]",
        "--output", "json",
    ]  # fmt: skip
