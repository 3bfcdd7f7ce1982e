"""The code under test: a fleet's disk usage, parsed from ``df -P`` run by Run Command.

A plugin's ``Output`` is what the SSM agent made of stdout and stderr:
stdout, then an ``----------ERROR-------`` title and stderr when stderr is
not empty, with a part cut and marked ``---Output truncated---`` (or
``---Error truncated----``) when the whole passes 2500 characters. So the
parser splits the sections, never trusts the last line of a cut section (it
may be half a row), and fetches the full stdout with GetCommandInvocation
(up to 24000 characters) when the listing's copy was cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ERROR_TITLE = "\n----------ERROR-------\n"
OUTPUT_TRUNCATED = "\n---Output truncated---"
ERROR_TRUNCATED = "\n---Error truncated----"
CONTENT_MAX = 24000  # GetCommandInvocation's StandardOutputContent


@dataclass
class DiskUsage:
    used_percent: dict[str, int] = field(default_factory=dict)  # mount point -> Capacity
    errors: list[str] = field(default_factory=list)  # what df printed on stderr
    complete: bool = True  # False when some rows were cut away


def split_output(output: str) -> tuple[str, bool, str, bool]:
    """stdout, whether it was cut, stderr, whether it was cut."""
    stdout, _, stderr = output.partition(ERROR_TITLE)
    stdout_cut = stdout.endswith(OUTPUT_TRUNCATED)
    stderr_cut = stderr.endswith(ERROR_TRUNCATED)
    return (
        stdout.removesuffix(OUTPUT_TRUNCATED),
        stdout_cut,
        stderr.removesuffix(ERROR_TRUNCATED),
        stderr_cut,
    )


def whole_lines(text: str, cut: bool) -> list[str]:
    """The lines of ``text``, without the partial one a cut leaves at the end."""
    lines = text.split("\n")
    if cut or text.endswith("\n"):
        lines.pop()
    return [line for line in lines if line.strip()]


def parse_df(stdout: str, *, cut: bool = False) -> DiskUsage:
    usage = DiskUsage(complete=not cut)
    for line in whole_lines(stdout, cut)[1:]:  # after the header
        _filesystem, _blocks, _used, _available, capacity, mount = line.split(maxsplit=5)
        usage.used_percent[mount] = int(capacity.removesuffix("%"))
    return usage


def parse_output(output: str) -> DiskUsage:
    stdout, stdout_cut, stderr, stderr_cut = split_output(output)
    usage = parse_df(stdout, cut=stdout_cut)
    usage.errors = whole_lines(stderr, stderr_cut)
    return usage


def fleet_disk_usage(client: Any, command_id: str) -> dict[str, DiskUsage]:
    """Each node's disk usage; full stdout fetched for nodes whose Output was cut."""
    report = {}
    for inv in _invocations(client, command_id):
        node = inv["InstanceId"]
        usage = parse_output(inv["CommandPlugins"][0]["Output"])
        if not usage.complete:
            detail = client.get_command_invocation(CommandId=command_id, InstanceId=node)
            content = detail["StandardOutputContent"]
            full = parse_df(content, cut=len(content) >= CONTENT_MAX)
            usage.used_percent, usage.complete = full.used_percent, full.complete
        report[node] = usage
    return report


def _invocations(client: Any, command_id: str) -> Iterator[dict[str, Any]]:
    paginator = client.get_paginator("list_command_invocations")
    for page in paginator.paginate(CommandId=command_id, Details=True):
        yield from page["CommandInvocations"]
