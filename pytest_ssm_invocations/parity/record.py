"""Record mode: a snapshot of what an endpoint answered, to contribute as a capture."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from .compare import aws_words
from .replay import Result, swapped
from .snapshots import Send, Snapshot, Step


def recorded(result: Result, source: str, on: date) -> Snapshot:
    """``result``'s requests and the endpoint's answers, verbatim, as a new snapshot.

    Times are written as the AWS CLI v2 prints them (ISO 8601 with an offset); ids
    are the endpoint's own (the nodes, and the outcome's per-node outputs, too). An
    error keeps AWS's words: the reason the fake adds is left out. ``source`` says
    where it was recorded; review a recording of a real account (account ids, node
    ids, outputs) before sharing it.
    """
    scenario = result.snapshot
    if result.skipped or result.failed:
        raise ValueError(f"{scenario.name}: nothing to record: {result.skipped or result.failed}")
    node_for = dict(zip(scenario.instance_ids, result.nodes, strict=True))
    steps = tuple(
        Step(
            operation=step.operation,
            request=step.request,
            response=_as_printed(step.answer) if step.error is None else None,
            error=None if step.error is None else _in_aws_words(step.error),
            after=scenario.steps[step.index].after,
        )
        for step in result.steps
    )
    nodes = tuple({**node, "InstanceId": node_for[node["InstanceId"]]} for node in scenario.nodes)
    return Snapshot(
        title=scenario.title,
        source=source,
        date=on.isoformat(),
        steps=steps,
        region=scenario.region,
        nodes=nodes,
        documents=scenario.documents,
        send=tuple(
            Send(result.sent[n], swapped(send.request, node_for), swapped(send.outcome, node_for))
            for n, send in enumerate(scenario.send)
        ),
        outcome=swapped(scenario.outcome, node_for),
        notes=f"Recorded from the scenario of {scenario.name}.",
    )


def _in_aws_words(error: dict[str, str]) -> dict[str, str]:
    return {"Code": error["Code"], "Message": aws_words(error["Message"])}


def _as_printed(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dict):
        return {k: _as_printed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_printed(v) for v in value]
    return value
