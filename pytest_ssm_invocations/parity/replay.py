"""Replaying a snapshot's requests against an endpoint, and what came back.

The same code replays against the in-process fake (``fake_for``) and against
any endpoint a botocore client reaches (a local server, or AWS itself): a
scenario is its requests in order, ids carried from one answer to the next
request as the capture carried them (see ``compare.Bindings``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from .compare import (
    Bindings,
    Difference,
    added,
    aws_words,
    differences,
    key_order,
    normalised,
    output_shape,
)
from .snapshots import Snapshot, Step

if TYPE_CHECKING:
    from ..fake import FakeSSM

#: The command statuses (ListCommands) that still change.
_RUNNING = {"Pending", "InProgress", "Cancelling", "Delayed"}
#: How often a wait for the end polls ListCommands, in seconds (by default).
POLL_INTERVAL_S = 5


@dataclass
class StepResult:
    """One step replayed: what the endpoint answered, and how it differs from AWS's."""

    index: int
    operation: str
    request: dict[str, Any]
    answer: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    differences: list[Difference] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    """Members the endpoint answered that the capture does not show (newer ones)."""


@dataclass
class Result:
    """A snapshot replayed: each step's result, or why it could not be."""

    snapshot: Snapshot
    nodes: list[str] = field(default_factory=list)
    """The endpoint's managed nodes that stood for the capture's, in order."""
    sent: list[str] = field(default_factory=list)
    """The ids of the commands sent, in order: the account's (``send``) first."""
    steps: list[StepResult] = field(default_factory=list)
    skipped: str = ""
    failed: str = ""
    """Why the replay stopped before its last step (the scenario's own send failed...)."""

    @property
    def same(self) -> bool:
        return not self.skipped and not self.failed and not any(s.differences for s in self.steps)


def fake_for(snapshot: Snapshot, seed: int = 0) -> FakeSSM:
    """A fake that holds what the capture's account held: its nodes and documents, and
    what the nodes did with each command."""
    from ..fake import FakeSSM

    fake = FakeSSM(seed=seed, region=snapshot.region)
    for node in snapshot.nodes:  # one by one: the fleet keeps the capture's order
        fake.add_instances(
            instance_ids=[node["InstanceId"]], platform=node["PlatformType"],
            ping_status=node["PingStatus"], tags=node["Tags"],
        )  # fmt: skip
    for doc in snapshot.documents:
        fake.add_document(doc["Name"], platforms=doc["PlatformTypes"])
    for send in snapshot.send:
        fake.on_send(**_outcome(send.outcome))
    if snapshot.outcome is not None:
        fake.on_send(**_outcome(snapshot.outcome), times=None)
    return fake


def _outcome(outcome: dict[str, Any] | None) -> dict[str, Any]:
    """``on_send``'s arguments for what the capture's nodes did (none: what the fleet implies)."""
    arguments = {key: value for key, value in (outcome or {}).items() if value is not None}
    if "outputs" in arguments:
        outputs = arguments["outputs"]
        arguments["outputs"] = {node: tuple(streams) for node, streams in outputs.items()}
    return arguments


def replay_on_fake(snapshot: Snapshot, client_factory: Callable[[str], Any]) -> Result:
    """Replay ``snapshot`` against a fresh :func:`fake_for`, active while it runs;
    ``client_factory(region)`` makes the client, inside the fake."""
    fake = fake_for(snapshot)
    with fake:
        client = client_factory(snapshot.region)
        # Waiting costs nothing on the fake clock: a day, polled each minute.
        advance = lambda s: fake.clock.advance(seconds=s)  # noqa: E731
        return replay(snapshot, client, sleep=advance, patience_s=86_400, poll_s=60)


def replay(
    snapshot: Snapshot,
    client: Any,
    *,
    nodes: Sequence[str] | None = None,
    sleep: Callable[[float], Any] | None = None,
    patience_s: float = 900,
    poll_s: float = POLL_INTERVAL_S,
) -> Result:
    """Send ``snapshot``'s requests through ``client`` (made with ``parameter_validation``
    off, so that refused requests reach the endpoint) and compare each answer.

    ``nodes``: the endpoint's own managed nodes standing for the capture's, in order
    (default: the capture's ids, as :func:`fake_for` declares them). ``sleep``: how a
    wait for the end waits (default ``time.sleep``, looked up when it sleeps, so
    that a fake clock patched in later is the one slept on).
    """
    ours = list(nodes) if nodes is not None else snapshot.instance_ids
    result = Result(snapshot, ours[: len(snapshot.nodes)])
    if len(ours) < len(snapshot.nodes):
        result.skipped = f"needs {len(snapshot.nodes)} managed nodes, {len(ours)} given"
        return result
    theirs = Bindings()
    mine = Bindings(dict(zip(ours, snapshot.instance_ids, strict=False)))
    to_mine = dict(zip(snapshot.instance_ids, ours, strict=False))
    sent = result.sent
    for n, send in enumerate(snapshot.send):
        request = _translated(send.request, theirs, mine, to_mine)
        answer, error = call(client, "SendCommand", request)
        if answer is None:
            result.failed = f"send[{n}], the account's command, was refused: {error}"
            return result
        theirs.bind_command(send.command_id)
        mine.bind_command(answer["Command"]["CommandId"])
        sent.append(answer["Command"]["CommandId"])
    for index, step in enumerate(snapshot.steps):
        finished = step.after != "finished" or _wait_for_the_end(
            client, sent, sleep, patience_s, poll_s
        )
        if not finished:
            result.failed = f"step {index}: the command did not finish within {patience_s:g} s"
            return result
        if isinstance(step.after, (int, float)):
            (sleep or time.sleep)(step.after)
        request = _translated(step.request, theirs, mine, to_mine)
        answer, error = call(client, step.operation, request)
        if step.operation == "SendCommand":
            if step.response is not None:
                theirs.bind_command(step.response["Command"]["CommandId"])
            if answer is not None:
                mine.bind_command(answer["Command"]["CommandId"])
                sent.append(answer["Command"]["CommandId"])
        outcome = StepResult(index, step.operation, request, answer, error)
        outcome.differences, outcome.added = _compare(step, answer, error, theirs, mine)
        result.steps.append(outcome)
    return result


def call(client: Any, operation: str, request: dict[str, Any]) -> tuple[Any, Any]:
    """``(answer, None)`` or ``(None, {"Code", "Message"})``, as the endpoint answered."""
    from botocore import xform_name

    try:
        answer = getattr(client, xform_name(operation))(**request)
    except ClientError as failure:
        body = failure.response.get("Error", {})
        return None, {"Code": body.get("Code", ""), "Message": body.get("Message", "")}
    answer.pop("ResponseMetadata", None)
    return answer, None


def _translated(value: Any, theirs: Bindings, mine: Bindings, to_mine: dict[str, str]) -> Any:
    """A capture's request with its ids swapped for the endpoint's counterparts."""
    swap = dict(to_mine)
    mine_by_name = {name: value for value, name in mine.names.items()}
    for their_id, name in theirs.names.items():
        if name in mine_by_name:
            swap[their_id] = mine_by_name[name]
    return swapped(value, swap)


def swapped(value: Any, swap: dict[str, str]) -> Any:
    """``value`` with every occurrence of each key of ``swap`` replaced by its value."""
    if isinstance(value, dict):
        return {swapped(k, swap): swapped(v, swap) for k, v in value.items()}
    if isinstance(value, list):
        return [swapped(item, swap) for item in value]
    if isinstance(value, str):
        for old, new in swap.items():
            value = value.replace(old, new)
    return value


def _compare(
    step: Step, answer: Any, error: Any, theirs: Bindings, mine: Bindings
) -> tuple[list[Difference], list[str]]:
    """The differences of one step, and the members it added to the capture's."""
    if step.error is not None:
        if error is None:
            return [Difference("(error)", step.error, "a response, no error")], []
        aws = {"Code": step.error["Code"], "Message": theirs.named(step.error.get("Message", ""))}
        got = {"Code": error["Code"], "Message": mine.named(aws_words(error["Message"]))}
        return differences(aws, got, "(error)"), []
    if step.response is None:
        return [], []  # a scenario to record: nothing to compare with
    if error is not None:
        return [Difference("(error)", "a response, no error", error)], []
    shape = output_shape(step.operation)
    expected = normalised(step.response, shape, theirs)
    got = normalised(answer, shape, mine)
    return differences(expected, got) + key_order(expected, got, shape), added(expected, got)


def _wait_for_the_end(
    client: Any,
    command_ids: Sequence[str],
    sleep: Callable[[float], Any] | None,
    patience_s: float,
    poll_s: float,
) -> bool:
    """Poll ListCommands until every command sent has a final status."""
    waited = 0.0
    for command_id in command_ids:
        while True:
            commands, _ = call(client, "ListCommands", {"CommandId": command_id})
            listed = (commands or {}).get("Commands", [])
            if listed and listed[0]["Status"] not in _RUNNING:
                break
            if waited >= patience_s:
                return False
            (sleep or time.sleep)(poll_s)
            waited += poll_s
    return True


def sends_commands(snapshot: Snapshot) -> bool:
    """Whether replaying ``snapshot`` makes commands run on the endpoint's nodes."""
    return bool(snapshot.send) or any(s.operation == "SendCommand" for s in snapshot.steps)


def endpoint_client(endpoint: str, region: str) -> Any:
    """A client of ``endpoint``, with the credentials botocore finds as usual (the caller's
    own, for AWS), that sends even the requests its model refuses."""
    import boto3
    from botocore.config import Config

    config = Config(parameter_validation=False, retries={"mode": "standard"})
    return boto3.session.Session().client(
        "ssm", region_name=region, endpoint_url=endpoint, config=config
    )


def fake_client(region: str) -> Any:
    """A client for the in-process fake: dummy keys, every request sent as written."""
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "ssm", region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(parameter_validation=False),
    )  # fmt: skip


def replay_all(
    snapshots: Sequence[Snapshot],
    *,
    endpoint: str | None = None,
    region: str | None = None,
    nodes: Sequence[str] | None = None,
    patience_s: float = 900,
    send_commands: bool = False,
) -> list[Result]:
    """Every snapshot replayed: against a fresh in-process fake each, or ``endpoint``
    (``region`` instead of each capture's, ``nodes`` for the capture's nodes). On an
    endpoint, a snapshot that sends commands (which run on real nodes: updates,
    installs, patches) is skipped unless ``send_commands``."""
    if endpoint is None:
        return [replay_on_fake(snapshot, fake_client) for snapshot in snapshots]
    clients: dict[str, Any] = {}
    results = []
    for snapshot in snapshots:
        if sends_commands(snapshot) and not send_commands:
            reason = "sends commands to the nodes given (--send-commands to allow)"
            results.append(Result(snapshot, skipped=reason))
            continue
        where = region or snapshot.region
        if where not in clients:
            clients[where] = endpoint_client(endpoint, where)
        results.append(replay(snapshot, clients[where], nodes=nodes, patience_s=patience_s))
    return results
