"""Replaying a snapshot's requests against an endpoint, and what came back.

The same code replays against the in-process fake (``fake_for``) and against
any endpoint a botocore client reaches (a local server, or AWS itself): a
scenario is its requests in order, ids carried from one answer to the next
request as the capture carried them (see ``compare.Bindings``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from ..service.errors import TestMistake
from ..store.fleet import is_instance_ids_key
from .compare import (
    Bindings,
    Difference,
    added,
    aws_words,
    differences,
    ids_pattern,
    key_order,
    normalised,
    output_shape,
)
from .snapshots import Snapshot, Step

if TYPE_CHECKING:
    from ..fake import FakeSSM

#: The command statuses (ListCommands) that still change.
_RUNNING = {"Pending", "InProgress", "Cancelling"}
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
    try:
        fake = fake_for(snapshot)
    except (TypeError, ValueError) as error:  # an account the fake cannot hold
        return Result(snapshot, failed=f"the capture's account: {error}")
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
    guarded: bool = False,
) -> Result:
    """Send ``snapshot``'s requests through ``client`` (made with ``parameter_validation``
    off, so that refused requests reach the endpoint) and compare each answer.

    ``nodes``: the endpoint's own managed nodes standing for the capture's, in order
    (default: the capture's ids, as :func:`fake_for` declares them). ``sleep``: how a
    wait for the end waits (default ``time.sleep``, looked up when it sleeps, so
    that a fake clock patched in later is the one slept on). ``guarded``: the
    endpoint's nodes are real: a SendCommand may reach only ``nodes`` (by
    ``InstanceIds``), and if the replay stops early the commands it sent are cancelled.
    """
    endpoint_nodes = list(nodes) if nodes is not None else snapshot.instance_ids
    result = Result(snapshot, endpoint_nodes[: len(snapshot.nodes)])
    if len(endpoint_nodes) < len(snapshot.nodes):
        result.skipped = f"needs {len(snapshot.nodes)} managed nodes, {len(endpoint_nodes)} given"
        return result
    run = _Run(snapshot, client, result, guarded, sleep, patience_s, poll_s)
    try:
        run.all_steps()
    except _Stopped as stop:
        result.failed = str(stop)
    except (Exception, TestMistake) as error:  # a snapshot the endpoint cannot take
        result.failed = f"{type(error).__name__}: {error}"
    except BaseException:  # Ctrl-C: nothing of the scenario left running on real nodes
        run.cancel_sent()
        raise
    if result.failed:
        run.cancel_sent()
    return result


class _Stopped(Exception):
    """The replay cannot go on (a refused send of the account's, a wait out of patience)."""


class _Run:
    """One replay's state: the ids each side has seen, and the commands sent."""

    def __init__(
        self,
        snapshot: Snapshot,
        client: Any,
        result: Result,
        guarded: bool,
        sleep: Callable[[float], Any] | None,
        patience_s: float,
        poll_s: float,
    ) -> None:
        self.snapshot, self.client, self.result, self.guarded = snapshot, client, result, guarded
        self.sleep, self.patience_s, self.poll_s = sleep, patience_s, poll_s
        self.captured = Bindings()
        """The capture's ids, as both sides name them."""
        self.answered = Bindings(dict(zip(result.nodes, snapshot.instance_ids, strict=True)))
        """The endpoint's ids; its nodes read as the capture's they stand for."""
        self.node_for = dict(zip(snapshot.instance_ids, result.nodes, strict=True))

    def all_steps(self) -> None:
        for n, send in enumerate(self.snapshot.send):
            answer, error = self.call("SendCommand", self.translated(send.request))
            if answer is None:
                raise _Stopped(f"send[{n}], the account's command, was refused: {error}")
            self.captured.bind_command(send.command_id)
            self.sent(answer)
        for index, step in enumerate(self.snapshot.steps):
            self.wait(index, step)
            request = self.translated(step.request)
            answer, error = self.call(step.operation, request)
            if step.operation == "SendCommand":
                if step.response is not None:
                    self.captured.bind_command(step.response["Command"]["CommandId"])
                if answer is not None:
                    self.sent(answer)
            replayed = StepResult(index, step.operation, request, answer, error)
            replayed.differences, replayed.added = _compare(
                step, answer, error, self.captured, self.answered
            )
            self.result.steps.append(replayed)

    def call(self, operation: str, request: dict[str, Any]) -> tuple[Any, Any]:
        if operation == "SendCommand" and self.guarded:
            outside = _beyond(request, self.result.nodes)
            if outside:
                raise _Stopped(f"a SendCommand would reach {outside}, not only the nodes given")
        return call(self.client, operation, request)

    def sent(self, answer: dict[str, Any]) -> None:
        command_id = answer["Command"]["CommandId"]
        self.answered.bind_command(command_id)
        self.result.sent.append(command_id)

    def wait(self, index: int, step: Step) -> None:
        if step.after == "finished":
            if not _wait_for_the_end(
                self.client, self.result.sent, self.sleep, self.patience_s, self.poll_s
            ):
                raise _Stopped(f"step {index}: the command did not finish in {self.patience_s:g} s")
        elif isinstance(step.after, (int, float)):
            (self.sleep or time.sleep)(step.after)

    def translated(self, request: dict[str, Any]) -> Any:
        """A capture's request with its ids swapped for the endpoint's counterparts."""
        swap = dict(self.node_for)
        endpoint_ids = {name: value for value, name in self.answered.names.items()}
        for captured_id, name in self.captured.names.items():
            if name in endpoint_ids:
                swap[captured_id] = endpoint_ids[name]
        return swapped(request, swap)

    def cancel_sent(self) -> None:
        """Cancel what this replay sent to real nodes (best effort: it may have ended)."""
        if not self.guarded:
            return
        for command_id in self.result.sent:
            call(self.client, "CancelCommand", {"CommandId": command_id})


def _beyond(request: dict[str, Any], nodes: Sequence[str]) -> list[Any]:
    """What a SendCommand request reaches beyond ``nodes``: other ids, or other targets."""
    reached = list(request.get("InstanceIds") or [])
    beyond: list[Any] = []
    for target in request.get("Targets") or []:
        key = target.get("Key") if isinstance(target, dict) else None
        if isinstance(key, str) and is_instance_ids_key(key):
            reached.extend(target.get("Values") or [])
        else:
            beyond.append(target)
    return beyond + [node for node in reached if node not in nodes or node == "*"]


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


def swapped(value: Any, swap: Mapping[str, str]) -> Any:
    """``value`` with each key of ``swap`` replaced by its value, all in one pass (so that
    ids swapped for each other, or one the start of another, come out right)."""
    if not swap:
        return value
    return _swapped(value, ids_pattern(swap), swap)


def _swapped(value: Any, pattern: re.Pattern[str], swap: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {_swapped(k, pattern, swap): _swapped(v, pattern, swap) for k, v in value.items()}
    if isinstance(value, list):
        return [_swapped(item, pattern, swap) for item in value]
    if isinstance(value, str):
        return pattern.sub(lambda found: swap[found[0]], value)
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
    own, for AWS), that sends even the requests its model refuses, each once: SendCommand
    has no idempotency token, so a retried one could run twice."""
    import boto3
    from botocore.config import Config

    config = Config(parameter_validation=False, retries={"mode": "standard", "max_attempts": 1})
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
    (``region`` instead of each capture's, else the one an AWS endpoint's name holds;
    ``nodes`` for the capture's nodes, none by default). On an endpoint, a snapshot that
    sends commands (which run on real nodes: updates, installs, patches, reboots) is
    skipped unless ``send_commands``, and its sends may reach only ``nodes``."""
    if endpoint is None:
        return [replay_on_fake(snapshot, fake_client) for snapshot in snapshots]
    region = region or region_of(endpoint)
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
        results.append(
            replay(snapshot, clients[where], nodes=nodes or [], patience_s=patience_s, guarded=True)
        )
    return results


#: An AWS SSM endpoint's host: ssm.<region>.amazonaws.com (and the FIPS and China forms).
_AWS_HOST = re.compile(r"ssm(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?")


def region_of(endpoint: str) -> str | None:
    """The region an AWS endpoint's name holds (``https://ssm.eu-west-1.amazonaws.com``):
    requests to it must be signed for that region. ``None`` for any other endpoint."""
    from urllib.parse import urlsplit

    found = _AWS_HOST.fullmatch(urlsplit(endpoint).hostname or "")
    return found[1] if found else None
