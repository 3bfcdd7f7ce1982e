"""Record mode: a snapshot of what an endpoint answered, to contribute as a capture."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .replay import Result, swapped
from .snapshots import Send, Snapshot, Step


def recorded(result: Result, source: str, on: date) -> Snapshot:
    """``result``'s requests and the endpoint's answers, verbatim, as a new snapshot.

    Times are written as the AWS CLI v2 prints them (ISO 8601 with an offset); ids
    are the endpoint's own. ``source`` says where it was recorded; review a
    recording of a real account (account ids, node ids, outputs) before sharing it.
    """
    scenario = result.snapshot
    if result.skipped or result.failed:
        raise ValueError(f"{scenario.name}: nothing to record: {result.skipped or result.failed}")
    to_mine = _node_swap(result)
    steps = tuple(
        Step(
            operation=step.operation,
            request=step.request,
            response=_as_printed(step.answer) if step.error is None else None,
            error=step.error,
            after=scenario.steps[step.index].after,
        )
        for step in result.steps
    )
    nodes = tuple(
        {**node, "InstanceId": to_mine.get(node["InstanceId"], node["InstanceId"])}
        for node in scenario.nodes
    )
    return Snapshot(
        title=scenario.title,
        source=source,
        date=on.isoformat(),
        steps=steps,
        region=scenario.region,
        nodes=nodes,
        documents=scenario.documents,
        send=tuple(
            Send(result.sent[n], swapped(send.request, to_mine), send.outcome)
            for n, send in enumerate(scenario.send)
        ),
        outcome=scenario.outcome,
        notes=f"Recorded from the scenario of {scenario.name}.",
    )


def _node_swap(result: Result) -> dict[str, str]:
    """Each of the capture's nodes, as the endpoint's node that stood for it."""
    return dict(zip(result.snapshot.instance_ids, result.nodes, strict=False))


def _as_printed(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dict):
        return {k: _as_printed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_printed(v) for v in value]
    return value
