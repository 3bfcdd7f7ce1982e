"""The disk usage parser with a common bug: it ignores ``---Output truncated---``.

It parses every line that looks like a ``df`` row. On a cut Output the last
row is half a row (``/dev/nvme1n1 ... 41% /var/li``): a wrong mount point, or
a row silently dropped, and the report still says it is complete. Stderr
lines are dropped too. Hand-written dicts with short outputs never show it.
"""

from __future__ import annotations

from typing import Any

from disk_usage import DiskUsage, _invocations


def parse_output(output: str) -> DiskUsage:
    usage = DiskUsage()
    for line in output.splitlines()[1:]:
        fields = line.split()
        if len(fields) == 6 and fields[4].endswith("%"):
            usage.used_percent[fields[5]] = int(fields[4][:-1])
    return usage


def fleet_disk_usage(client: Any, command_id: str) -> dict[str, DiskUsage]:
    invocations = _invocations(client, command_id)
    return {i["InstanceId"]: parse_output(i["CommandPlugins"][0]["Output"]) for i in invocations}
