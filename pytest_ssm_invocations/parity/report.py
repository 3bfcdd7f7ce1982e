"""The difference report: what a replay found, snapshot by snapshot, in Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from .replay import Result


def verdict(result: Result) -> str:
    if result.skipped:
        return "skipped"
    if result.failed:
        return "stopped"
    return "the same" if result.same else "different"


def report(results: Sequence[Result], endpoint: str) -> str:
    """Every snapshot's verdict, and each difference under the step it is in."""
    counts = {name: 0 for name in ("the same", "different", "stopped", "skipped")}
    for result in results:
        counts[verdict(result)] += 1
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    lines = [f"# Parity with real captures: {endpoint}", "", f"{len(results)} snapshots: {summary}"]
    for result in results:
        snapshot = result.snapshot
        lines += ["", f"## {snapshot.name}: {verdict(result)}", ""]
        lines.append(f"{snapshot.title} (captured {snapshot.date}: {snapshot.source})")
        if result.skipped or result.failed:
            lines += ["", f"- {result.skipped or result.failed}"]
        for step in result.steps:
            for difference in step.differences:
                lines.append(f"- step {step.index} {step.operation}: {difference}")
        newer = sorted({member for step in result.steps for member in step.added})
        if newer:
            lines.append(f"- not in the capture (newer members): {', '.join(newer)}")
    return "\n".join(lines) + "\n"
