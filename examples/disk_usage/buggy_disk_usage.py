"""The disk usage parser with a common bug: it ignores ``---Output truncated---``.

It parses every line that looks like a ``df`` row. On a cut Output the last
row is half a row (``/dev/nvme1n1 ... 41% /var/li``): a wrong mount point, or
a row silently dropped, and the report still says it is complete, so the
full stdout is never fetched. Stderr lines are lost too. Hand-written dicts
with short outputs never show it.
"""

from __future__ import annotations

from disk_usage import DiskUsage


def parse_output(output: str) -> DiskUsage:
    usage = DiskUsage()
    for line in output.splitlines()[1:]:
        fields = line.split()
        if len(fields) == 6 and fields[4].endswith("%"):
            usage.used_percent[fields[5]] = int(fields[4][:-1])
    return usage
