"""What the agent and the service deliver outside the API, and when it is due.

The SSM agent writes each plugin's full stdout and stderr where the command
asks (amazon-ssm-agent, ``iohandler.Init``, ``iomodule/fileS3.go``,
``cloudwatchlogspublisher``), and the service tells of each status change
(SNS per NotificationConfig, EventBridge always). This module works out
those deliveries from a stored command as it shows on the fake clock; it
writes nowhere (``transports.moto_outputs`` does, under moto).

Names, from the agent's source:

- S3 key: ``<OutputS3KeyPrefix>/<CommandId>/<InstanceId>/<action without
  colon>/<step>/stdout`` (``runcommand/utils.go`` joins prefix, command and
  node; ``runpluginutil`` adds the plugin name and the step, ``fileutil.BuildS3Path``
  drops colons). The step is the step name in schema 2.x and the property id
  ``0.<action>`` in 1.2: the key the plugin's ``StandardOutputUrl`` names.
  An empty stream is not uploaded (``fi.Size() > 0``).
- CloudWatch Logs: the group given, else ``/aws/ssm/<DocumentName>``, made
  when missing; stream ``<CommandId>/<InstanceId>/<plugin id>/stdout`` where
  the plugin id is the step name (2.x) or the action (1.2) with ``:`` and
  ``*`` turned to ``-`` (``runpluginutil.go``); a stream is made only once
  there is something to put; events hold whole lines, at most 200,000 bytes
  each, a final newline dropped (``getNextMessage``, ``buildEventInfo``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..catalogue.statuses import StatusCase
from ..records import Record
from ..records.output import output_streams
from ..records.times import to_ms
from .entries import CommandEntry, InvocationEntry
from .lifecycle import NEVER

#: The agent's cap on one CloudWatch Logs event (``MessageLengthThresholdInBytes``).
MAX_EVENT_BYTES = 200_000
_TERMINAL_PLUGIN = frozenset({"Success", "Failed", "TimedOut", "Cancelled"})


@dataclass(frozen=True)
class PluginOutput:
    """One finished plugin's full streams and where the agent puts them."""

    command_id: str
    instance_id: str
    plugin: str
    finish_ms: int
    stdout: str
    stderr: str
    region: str
    bucket: str
    """Empty: no S3 output."""
    stdout_key: str
    stderr_key: str
    log_group: str
    """Empty: no CloudWatch output."""
    stdout_stream: str
    stderr_stream: str


@dataclass(frozen=True)
class StatusChange:
    """A command (``instance_id`` empty) or an invocation that shows a new Status."""

    command: CommandEntry
    instance_id: str
    status: str
    at_ms: int


def wants_outputs(command: CommandEntry) -> bool:
    """Whether the agent writes anything of ``command`` outside the API."""
    settings = command.settings
    return bool(settings.s3_bucket or settings.cloudwatch_log_group)


def wants_notifications(command: CommandEntry) -> bool:
    """SNS notifications need a topic and the role the service publishes with."""
    settings = command.settings
    return bool(settings.notification_arn and settings.service_role)


def s3_key(url: str, bucket: str) -> str:
    """The object key a ``StandardOutputUrl`` names (``https://s3.<region>.amazonaws.com/<bucket>/<key>``)."""
    return url.split(f"/{bucket}/", 1)[1] if url else ""


def log_stream_prefix(command: CommandEntry, instance_id: str, plugin_name: str) -> str:
    """``<CommandId>/<InstanceId>/<plugin id>``, ``:`` and ``*`` made ``-`` (the agent's)."""
    return f"{command.command_id}/{instance_id}/{plugin_name}".replace(":", "-").replace("*", "-")


def log_events(text: str, at_ms: int) -> list[dict[str, object]]:
    """``text`` as the agent puts it: whole lines per event up to its cap, last newline dropped."""
    events: list[dict[str, object]] = []
    chunk: list[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        length = len(line.encode())
        if chunk and size + length > MAX_EVENT_BYTES:
            events.append({"timestamp": at_ms, "message": "".join(chunk)})
            chunk, size = [], 0
        chunk.append(line.replace("\r\n", "\n"))
        size += length
    if chunk:
        events.append({"timestamp": at_ms, "message": "".join(chunk)})
    last = events[-1] if events else None
    if last is not None and str(last["message"]).endswith("\n"):
        last["message"] = str(last["message"])[:-1]
    return [e for e in events if e["message"]]


def plugin_output(invocation: InvocationEntry, plugin: Record, finish_ms: int) -> PluginOutput:
    """What the agent writes of one finished ``plugin`` of ``invocation``."""
    command = invocation.command
    settings = command.settings
    final = next(
        (p for p in invocation.final["CommandPlugins"] if p["Name"] == plugin["Name"]), None
    )
    if final is not None and final["Status"] == plugin["Status"]:
        stdout, stderr = invocation.streams_of(final)
    else:  # a cancelled plugin: what its record shows
        stdout, stderr = output_streams(plugin["Output"])
    bucket = settings.s3_bucket
    group = settings.cloudwatch_log_group
    # The plugin id is the step name (2.x), the action in 1.2: the plugin's Name either way.
    streams = log_stream_prefix(command, invocation.instance_id, plugin["Name"])
    return PluginOutput(
        command_id=command.command_id,
        instance_id=invocation.instance_id,
        plugin=plugin["Name"],
        finish_ms=finish_ms,
        stdout=stdout,
        stderr=stderr,
        region=settings.region,
        bucket=bucket,
        stdout_key=s3_key(plugin.get("StandardOutputUrl", ""), bucket) if bucket else "",
        stderr_key=s3_key(plugin.get("StandardErrorUrl", ""), bucket) if bucket else "",
        log_group=group,
        stdout_stream=f"{streams}/stdout" if group else "",
        stderr_stream=f"{streams}/stderr" if group else "",
    )


def finished_plugins(invocation: InvocationEntry, now_ms: int) -> Iterator[tuple[Record, int]]:
    """Each plugin the invocation shows finished at ``now_ms``, with its finish time."""
    record = invocation.view(now_ms, observe=False)
    for plugin in record["CommandPlugins"]:
        finish = plugin.get("ResponseFinishDateTime")
        if finish is not None and plugin["Status"] in _TERMINAL_PLUGIN:
            yield plugin, to_ms(finish, "ResponseFinishDateTime")


@dataclass(eq=False)
class Tracked:
    """What was delivered of one command so far."""

    command: CommandEntry
    outputs: bool
    notify: bool
    delivered: set[tuple[int, str]] = field(default_factory=set)
    """(invocation index, plugin name) of the plugins whose output went out."""
    shown: dict[int, str] = field(default_factory=dict)
    """The Status each invocation was last told as."""
    command_status: str = ""
    since_ms: int | None = None
    done: set[int] = field(default_factory=set)
    """Invocations with nothing left to deliver."""


def due_outputs(tracked: Tracked, now_ms: int) -> list[PluginOutput]:
    """The plugin outputs of ``tracked`` finished by ``now_ms`` and not delivered yet."""
    due = []
    for invocation in tracked.command.invocations:
        if invocation.index in tracked.done:
            continue
        for plugin, finish_ms in finished_plugins(invocation, now_ms):
            mark = (invocation.index, plugin["Name"])
            if mark not in tracked.delivered:
                tracked.delivered.add(mark)
                due.append(plugin_output(invocation, plugin, finish_ms))
        case, until = invocation.case_at(now_ms)
        if until == NEVER and case.status in _FINAL_STATUSES:  # settled for good
            tracked.done.add(invocation.index)
    return sorted(due, key=lambda o: o.finish_ms)


_FINAL_STATUSES = frozenset({"Success", "Failed", "TimedOut", "Cancelled"})


def due_changes(tracked: Tracked, now_ms: int) -> list[StatusChange]:
    """The status changes of ``tracked`` up to ``now_ms`` not told yet, oldest first.

    Each invocation's phases are walked from the last look to ``now_ms`` so a
    change between two looks is told at its own time; the command's Status is
    read after each change, as ListCommands would show it.
    """
    command = tracked.command
    since = command.requested_ms if tracked.since_ms is None else tracked.since_ms
    changes: list[StatusChange] = []
    for invocation in command.invocations:
        for at_ms, case in _phases_between(invocation, since, now_ms):
            if tracked.shown.get(invocation.index) != case.status:
                tracked.shown[invocation.index] = case.status
                changes.append(StatusChange(command, invocation.instance_id, case.status, at_ms))
    changes.sort(key=lambda c: c.at_ms)
    told: list[StatusChange] = []
    for change in changes:
        told.append(change)
        status = command.view(max(change.at_ms, since))["Status"]
        if status != tracked.command_status:
            tracked.command_status = status
            told.append(StatusChange(command, "", status, change.at_ms))
    tracked.since_ms = now_ms
    return told


def _phases_between(
    invocation: InvocationEntry, since_ms: int, now_ms: int
) -> Iterator[tuple[int, StatusCase]]:
    """The case shown at ``since_ms``, then each case it moves to by ``now_ms``, with when."""
    at = since_ms
    case, until = invocation.case_at(at)
    yield at, case
    while until <= now_ms:
        at = int(until)
        case, until = invocation.case_at(at)
        yield at, case


def iso(ms: int) -> str:
    """UTC ISO-8601 as the service writes it in notifications: ``2019-04-25T17:57:09.17Z``
    (trailing zeros of the milliseconds dropped)."""
    text = datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{ms % 1000:03d}".rstrip("0")
    return f"{text}.{fraction}Z" if fraction else f"{text}Z"
