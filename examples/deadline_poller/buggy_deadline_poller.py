"""The poller with a common bug: at the deadline it reports the unfinished nodes as done.

A deploy tool built on it then shows green for nodes whose script was
still running (or hung) when the wait gave up.
"""

from __future__ import annotations

from deadline_poller import Run


def at_deadline(run: Run, instance_ids: list[str]) -> Run:
    for node in instance_ids:
        run.results.setdefault(node, "Success")  # the bug: unfinished taken for done
    return run
