"""Commands and their invocations, indexed, with a clock and a lifecycle.

Order: newest ``RequestedDateTime`` first; at the same instant the command
added last first; within a command, its invocations in the order they were
added. Each item's sort key says so, ``(-RequestedDateTime ms, -command
sequence, index)``; every index is kept sorted by it, so a page starts with a
binary search, never a full scan. A NextToken holds the key of the last item
served: items added between two pages that sort before it are not shown by
the rest of that chain, and nothing is ever repeated or skipped. The indexes
store the newest last (see ``ordering``), so adding a command sent now
appends; a query without a Status or DocumentName filter reads the items of
the page it serves and one more, whatever the store holds.

Lifecycle: a command added with ``progress="clock"`` shows each invocation
Pending until its first plugin starts, InProgress until its last plugin
finishes, then its final case, as the fake clock moves. With
``progress="poll"`` each observation (a call that returns it) moves it one
step instead. Without progress, invocations are in their final case at once.
A node a sent command never reached settles at the time its roll-out decided
(``InvocationEntry.settles_ms``). A cancel (``Store.cancel``) ends every
invocation not yet terminal: one that had started shows ``Cancelling`` for
:data:`SETTLE_MS`, then ``Cancelled`` with its times; one that had not shows
``Cancelled`` at once. Whatever the command's progress, a cancelled
invocation follows the clock from then on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from . import rollup
from .catalogue.parameters import DEFAULT_EXECUTION_TIMEOUT, OwnDocument
from .catalogue.statuses import StatusCase, status_case
from .clock import FakeClock
from .fleet import Fleet
from .ordering import NewestFirst, position_at
from .records import Record
from .records.output import output_streams
from .records.reshape import cancelled
from .records.settings import OutputSettings
from .records.times import from_ms, to_ms

Progress = Literal["clock", "poll"] | None
PROGRESS_CHOICES = ("clock", "poll", None)
_PENDING = status_case("Pending")
_IN_PROGRESS = status_case("InProgress")
_CANCELLING = status_case("Cancelling")
#: What every Command shows when no CloudWatch alarm was given (2023 and later captures).
NO_ALARMS: dict[str, Any] = {"IgnorePollAlarmFailure": False, "Alarms": []}
#: How long a command that never reaches its node takes to say so, when no
#: delivery timeout applies (Undeliverable, AccessDenied, ...).
SETTLE_MS = 1_000


@dataclass(eq=False)
class CommandEntry:
    command_id: str
    region: str
    document_name: str
    document_version: str
    comment: str
    requested_ms: int
    settings: OutputSettings
    seq: int
    parameters: dict[str, list[str]] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)
    targeted_by_ids: bool = True
    max_concurrency: str = "50"
    max_errors: str = "0"
    timeout_seconds: int = 3600
    execution_timeout: int = DEFAULT_EXECUTION_TIMEOUT
    """The document's own execution timeout, in seconds (``executionTimeout``)."""
    alarm_configuration: dict[str, Any] = field(default_factory=lambda: dict(NO_ALARMS))
    request: dict[str, Any] | None = None
    """The SendCommand request, as sent, for a command that came through the API."""
    progress: Progress = None
    invisible_for: int = 0
    """Eventual consistency: ListCommandInvocations and GetCommandInvocation calls
    that still will not see it. Set it before :meth:`Store.add`, or with
    :meth:`Store.hide`, so that the region's set of hidden commands knows."""
    invocations: list[InvocationEntry] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int, int]:
        return (-self.requested_ms, -self.seq, 0)

    @property
    def expires_ms(self) -> int:
        """``ExpiresAfter``: the delivery timeout plus the document's execution timeout,
        as real captures show (+7200 s by default, +4200 s with TimeoutSeconds 600)."""
        return self.requested_ms + (self.timeout_seconds + self.execution_timeout) * 1000

    def view(self, now_ms: int) -> Record:
        """The command as ListCommands shows it now, rolled up from its invocations."""
        cases = [
            status_case(e.view(now_ms, observe=False)["StatusDetails"]) for e in self.invocations
        ]
        counts = rollup.counts(cases)
        if not cases and self.targets:  # a tag that matched no node settles in a moment
            settled = now_ms >= self.requested_ms + SETTLE_MS
            status, detail = rollup.NO_INSTANCES_IN_TAG if settled else ("Pending", "Pending")
        else:
            status, detail = rollup.command_status(cases, self.max_errors)
        settings = self.settings
        return {
            "CommandId": self.command_id,
            "DocumentName": self.document_name,
            "DocumentVersion": self.document_version,
            "Comment": self.comment,
            "ExpiresAfter": from_ms(self.expires_ms),
            "Parameters": self.parameters,
            "InstanceIds": [e.instance_id for e in self.invocations]
            if self.targeted_by_ids
            else [],
            "Targets": self.targets,
            "RequestedDateTime": from_ms(self.requested_ms),
            "Status": status,
            "StatusDetails": detail,
            "OutputS3Region": settings.region,
            "OutputS3BucketName": settings.s3_bucket,
            "OutputS3KeyPrefix": settings.s3_key_prefix,
            "MaxConcurrency": self.max_concurrency,
            "MaxErrors": self.max_errors,
            "TargetCount": len(cases),
            **counts,
            "ServiceRole": settings.service_role,
            "NotificationConfig": settings.notification_config(),
            "CloudWatchOutputConfig": settings.cloudwatch_config(),
            "TimeoutSeconds": self.timeout_seconds,
            "AlarmConfiguration": self.alarm_configuration,
            "TriggeredAlarms": [],
        }


@dataclass(eq=False, slots=True)
class InvocationEntry:
    command: CommandEntry
    final: Record
    """The record with details, in its final case."""
    streams: dict[str, tuple[str, str]]
    """Each plugin's full stdout and stderr (GetCommandInvocation shows more than Output)."""
    index: int
    """Its place among the command's invocations."""
    polls: int = 0
    settles_ms: float | None = None
    """When a node the command never reached shows its final case (decided by a roll-out)."""
    cancel_ms: int | None = None
    """When a CancelCommand reached it, if one did."""

    @property
    def instance_id(self) -> str:
        value: str = self.final["InstanceId"]
        return value

    @property
    def key(self) -> tuple[int, int, int]:
        return (-self.command.requested_ms, -self.command.seq, self.index)

    def streams_of(self, plugin: Record) -> tuple[str, str]:
        """A plugin's stdout and stderr, recovered from Output when not known."""
        known = self.streams.get(plugin["Name"])
        if known is not None:
            return known
        return output_streams(plugin["Output"])

    def view(self, now_ms: int, observe: bool = True) -> Record:
        """The record as the service shows it now (details included)."""
        progress = "clock" if self.cancel_ms is not None else self.command.progress
        if progress is None:
            return self.final
        final_case = status_case(self.final["StatusDetails"])
        phase: StatusCase | None
        if progress == "poll":
            phases = self._phases(final_case)
            phase = phases[min(self.polls, len(phases) - 1)]
            if observe:
                self.polls += 1
            at = None
        else:
            at = now_ms
            phases_now = phases_with_times(self, final_case)
            phase = next((p for p, until in phases_now if now_ms < until), None)
        if phase is None or phase is final_case:
            return self.final
        return _partial(self.final, phase, at)

    def _phases(self, final: StatusCase) -> list[StatusCase]:
        if not final.terminal:
            return [final]
        if _started(self.final["CommandPlugins"]):
            return [_PENDING, _IN_PROGRESS, final]
        return [_PENDING, final]


def phases_with_times(
    entry: InvocationEntry, final: StatusCase
) -> Iterator[tuple[StatusCase, float]]:
    """Each phase before the final one, with the time (ms) it ends."""
    plugins = entry.final["CommandPlugins"]
    starts = [to_ms(p["ResponseStartDateTime"], "start") for p in plugins if _has(p, "Start")]
    if not final.terminal:
        if final.reached_node and starts:  # running for good: Pending until it starts
            yield _PENDING, min(starts)
        return
    finishes = [to_ms(p["ResponseFinishDateTime"], "end") for p in plugins if _has(p, "Finish")]
    requested = entry.command.requested_ms
    delivery_timeout = requested + entry.command.timeout_seconds * 1000
    if entry.cancel_ms is not None:
        if starts:
            yield _PENDING, min(starts)
            yield _IN_PROGRESS, entry.cancel_ms
            yield _CANCELLING, max(finishes, default=entry.cancel_ms)
        else:
            yield _PENDING, entry.cancel_ms
    elif starts and final.status_details == "DeliveryTimedOut":
        # Started, then never heard from (agent quirks: STATUS_VARIANTS): InProgress
        # until the delivery timeout.
        yield _PENDING, min(starts)
        yield _IN_PROGRESS, max(delivery_timeout, max(starts))
    elif starts:
        # The plugins' times say whether the node was reached (Cancelled:after-start too).
        yield _PENDING, min(starts)
        yield _IN_PROGRESS, max(finishes, default=max(starts))
    elif entry.settles_ms is not None:
        yield _PENDING, entry.settles_ms
    elif final.status_details == "DeliveryTimedOut":
        yield _PENDING, delivery_timeout
    else:
        yield _PENDING, requested + SETTLE_MS


def _started(plugins: list[Record]) -> bool:
    return any(_has(p, "Start") for p in plugins)


def _has(plugin: Record, moment: str) -> bool:
    return f"Response{moment}DateTime" in plugin


def _partial(final: Record, phase: StatusCase, at_ms: int | None) -> Record:
    """``final`` as it looked while Pending or InProgress (at ``at_ms``, or midway)."""
    record = dict(final)
    record["Status"] = phase.status
    record["StatusDetails"] = phase.status_details
    plugins: list[Record] = []
    running_seen = False
    for plugin in final["CommandPlugins"]:
        start = plugin.get("ResponseStartDateTime")
        finish = plugin.get("ResponseFinishDateTime")
        if phase in (_IN_PROGRESS, _CANCELLING) and start is not None and not running_seen:
            start_ms = to_ms(start, "start")
            done = finish is not None and at_ms is not None and to_ms(finish, "finish") <= at_ms
            if done and plugin["StatusDetails"] == "Success":
                plugins.append(plugin)
                continue
            if at_ms is None or start_ms <= at_ms:
                running_seen = True
                plugins.append(_plugin_as(plugin, phase, keep_start=True))
                continue
        plugins.append(_plugin_as(plugin, _PENDING, keep_start=False))
    record["CommandPlugins"] = plugins
    return record


def _plugin_as(plugin: Record, case: StatusCase, *, keep_start: bool) -> Record:
    shown = dict(plugin)
    shown["Status"] = case.plugin_status
    shown["StatusDetails"] = case.status_details
    shown["ResponseCode"] = -1
    shown["Output"] = ""
    shown.pop("ResponseFinishDateTime", None)
    if not keep_start:
        shown.pop("ResponseStartDateTime", None)
    return shown


@dataclass
class RegionState:
    """One region's commands and the indexes every query starts from."""

    commands: dict[str, CommandEntry] = field(default_factory=dict)
    ordered_commands: NewestFirst[CommandEntry] = field(default_factory=NewestFirst)
    ordered: NewestFirst[InvocationEntry] = field(default_factory=NewestFirst)
    by_instance: dict[str, InvocationEntry | NewestFirst[InvocationEntry]] = field(
        default_factory=dict
    )
    """A node's invocations; most nodes have one, held alone (a million lists are 130 MB)."""
    hidden: set[CommandEntry] = field(default_factory=set)
    """Commands with ``invisible_for`` calls left (see :meth:`Store.hide`)."""

    def on_instance(self, instance_id: str) -> Sequence[InvocationEntry]:
        """Every invocation on one node, in the service's order."""
        found = self.by_instance.get(instance_id)
        if found is None:
            return ()
        return (found,) if isinstance(found, InvocationEntry) else found

    def invocations_of(self, command: CommandEntry, instance_id: str) -> Sequence[InvocationEntry]:
        """The command's invocations on one node (one, or none), by binary search."""
        on_node = self.on_instance(instance_id)
        first = (-command.requested_ms, -command.seq, _FIRST)
        after = (-command.requested_ms, -command.seq + 1, _FIRST)
        start, end = position_at(on_node, first), position_at(on_node, after)
        return [on_node[i] for i in range(start, end)]

    def commands_on(self, instance_id: str) -> list[CommandEntry]:
        """The commands sent to one node, in the service's order."""
        return list(dict.fromkeys(e.command for e in self.on_instance(instance_id)))


class Store:
    """Every region's commands and invocations, and the one clock they share."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.lock = threading.RLock()
        self.fleet = Fleet()
        self.documents: dict[str, dict[str, OwnDocument]] = {}
        """Each region's documents of the test's own, by name (see ``FakeSSM.add_document``)."""
        self._regions: dict[str, RegionState] = {}
        self._seq = 0

    def region(self, name: str) -> RegionState:
        state = self._regions.get(name)
        if state is None:
            state = self._regions[name] = RegionState()
        return state

    def regions(self) -> list[str]:
        """The regions holding at least one command."""
        return sorted(name for name, state in self._regions.items() if state.commands)

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def add(self, command: CommandEntry) -> None:
        """Store a command and its invocations; a newer command than any is appended."""
        with self.lock:
            state = self.region(command.region)
            if command.command_id in state.commands:
                raise ValueError(f"command {command.command_id} already exists")
            state.commands[command.command_id] = command
            state.ordered_commands.insert_run((command,))
            state.ordered.insert_run(command.invocations)
            by_instance = state.by_instance
            for entry in command.invocations:
                node = entry.instance_id
                on_node = by_instance.setdefault(node, entry)
                if on_node is entry:
                    continue
                if isinstance(on_node, InvocationEntry):
                    alone, on_node = on_node, NewestFirst()
                    on_node.insert_run((alone,))
                    by_instance[node] = on_node
                on_node.insert_run((entry,))
            if command.invisible_for:
                state.hidden.add(command)

    def hide(self, command: CommandEntry, calls: int) -> None:
        """Hide a stored command from the next ``calls`` calls (eventual consistency)."""
        with self.lock:
            command.invisible_for = calls
            hidden = self.region(command.region).hidden
            if calls:
                hidden.add(command)
            else:
                hidden.discard(command)

    def cancel(self, entries: list[InvocationEntry], now_ms: int) -> None:
        """End every invocation in ``entries`` not yet terminal, as CancelCommand does."""
        with self.lock:
            for entry in entries:
                shown = status_case(entry.view(now_ms, observe=False)["StatusDetails"])
                if shown.terminal or entry.cancel_ms is not None:
                    continue
                effective = now_ms + SETTLE_MS if shown.reached_node else now_ms
                entry.final = cancelled(entry.final, effective)
                entry.cancel_ms = now_ms
                entry.settles_ms = None


#: Lower than any index: a key with it comes before every item of its command.
_FIRST = -(2**62)
