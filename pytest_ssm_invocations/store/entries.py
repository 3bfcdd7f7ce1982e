"""A stored command and its invocations: what each shows, and when.

Lifecycle (see ``lifecycle``): a command added with ``progress="clock"``
shows each invocation Pending until its first plugin starts, InProgress until
its last plugin finishes, then its final case, as the fake clock moves. With
``progress="poll"`` each observation (a call that returns it) moves it one
step instead. Without progress, invocations are in their final case at once.
A node a sent command never reached settles at the time its roll-out decided
(``InvocationEntry.settles_ms``). A cancel (``Store.cancel``) ends every
invocation not yet terminal: one that had started shows ``Cancelling`` for
:data:`SETTLE_MS`, then ``Cancelled`` with its times (or, when its plugins all
finish within that time, the run's own result: the cancel came too late); one
that had not shows ``Cancelled`` at once. Whatever the command's progress, a cancelled
invocation follows the clock from then on.

Each command keeps a :class:`~.rollup.Tally` of its invocations' cases, told
of every poll and cancel that moves one, so ListCommands renders a command
without visiting its invocations.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

from ..catalogue.defaults import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_ERRORS,
    DEFAULT_TIMEOUT_SECONDS,
)
from ..catalogue.parameters import DEFAULT_EXECUTION_TIMEOUT
from ..catalogue.statuses import StatusCase, status_case
from ..records import Record
from ..records.output import output_streams
from ..records.settings import OutputSettings
from ..records.times import from_ms, to_ms
from . import rollup
from .lifecycle import NEVER, SETTLE_MS, partial, phases_with_times, poll_phases

if TYPE_CHECKING:
    from ..records.commands import BuiltCommand
    from .rollout import NodePlan

Progress = Literal["clock", "poll"] | None
PROGRESS_CHOICES = ("clock", "poll", None)
#: What every Command shows when no CloudWatch alarm was given (2023 and later captures).
NO_ALARMS: dict[str, Any] = {"IgnorePollAlarmFailure": False, "Alarms": []}


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
    max_concurrency: str = DEFAULT_MAX_CONCURRENCY
    max_errors: str = DEFAULT_MAX_ERRORS
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS
    execution_timeout: int = DEFAULT_EXECUTION_TIMEOUT
    """The document's own execution timeout, in seconds (``executionTimeout``)."""
    alarm_configuration: dict[str, Any] = field(default_factory=lambda: dict(NO_ALARMS))
    request: dict[str, Any] | None = None
    """The SendCommand request, as sent, for a command that came through the API."""
    progress: Progress = None
    invisible_for: int = 0
    """Eventual consistency: ListCommands, ListCommandInvocations and GetCommandInvocation
    calls that still will not see it. Set it before :meth:`Store.add`, or with
    :meth:`Store.hide`, so that the region's set of hidden commands knows."""
    invocations: list[InvocationEntry] = field(default_factory=list)
    rollout: tuple[list[Record], list[NodePlan]] | None = None
    """A sent command's records before their turns, and each node's plan: what a cancel
    of some nodes rolls the rest out again from (``service.send``)."""
    cancelled: bool = False
    """A CancelCommand for every node reached it while it ran: it ends Cancelled (see
    ``rollup.command_status``)."""
    tally: rollup.Tally | None = None
    """Its invocations' cases, counted (made by :meth:`Store.add`, or on the first view)."""
    drawn: BuiltCommand | None = None
    """What its invocations are rendered from when first read (``add_command``'s)."""
    views: dict[int, tuple[Any, ...]] = field(default_factory=dict, repr=False)
    """Per invocation index: what a moving invocation last showed, and while what holds
    (:meth:`InvocationEntry.view`). Kept here, not on each invocation: most never move."""

    @classmethod
    def of_built(
        cls, built: BuiltCommand, *, region: str, seq: int, keep: bool = True, **serving: Any
    ) -> CommandEntry:
        """The entry of a command built from draws (``add_command``, SendCommand): what the
        built command resolved (id, document, comment, time, settings) is copied here once.
        ``keep``: its invocations are rendered from the draws when first read (a sent
        command renders them at once and keeps none). ``serving``: the other fields."""
        return cls(
            command_id=built.command_id,
            region=region,
            document_name=built.document.name,
            document_version=built.document_version,
            comment=built.comment,
            requested_ms=built.requested_ms,
            settings=built.settings,
            seq=seq,
            drawn=built if keep else None,
            **serving,
        )

    def render(self, index: int) -> tuple[Record, dict[str, tuple[str, str]]]:
        """Invocation ``index``'s record and full streams, from the command's draws."""
        if self.drawn is None:
            raise RuntimeError(f"command {self.command_id} has no draws to render from")
        record, streams = self.drawn.take(index)
        return cast("Record", record), streams

    @property
    def key(self) -> tuple[int, int, int]:
        return (-self.requested_ms, -self.seq, 0)

    @property
    def delivery_timeout_s(self) -> int:
        """Seconds after the request until a node not yet started ends DeliveryTimedOut:
        ``TimeoutSeconds`` plus the document's ``executionTimeout``.

        The service model calls ``TimeoutSeconds`` alone the delivery timeout, but the
        user guide ("Understanding command statuses") gives the sum ("the command runs
        for 4,200 seconds (70 minutes) before the system returns a delivery timeout"
        for 600 + 3,600), and ``ExpiresAfter`` in real captures is the same sum: the
        guide is followed.
        """
        return self.timeout_seconds + self.execution_timeout

    @property
    def expires_ms(self) -> int:
        """``ExpiresAfter``: when the delivery timeout passes, as real captures show
        (+7200 s by default, +4200 s with TimeoutSeconds 600)."""
        return self.requested_ms + self.delivery_timeout_s * 1000

    def shown(self, now_ms: int) -> dict[str, int]:
        """How many of its invocations show each StatusDetails now."""
        if self.tally is None:
            self.tally = rollup.Tally(self.invocations, now_ms)
        return self.tally.at(now_ms)

    def moved(self, entry: InvocationEntry, now_ms: int) -> None:
        """Tell the tally that ``entry`` may show another case from ``now_ms`` on."""
        if self.tally is not None:
            self.tally.moved(entry, now_ms)

    def view(self, now_ms: int) -> Record:
        """The command as ListCommands shows it now, rolled up from its invocations' tally."""
        shown = self.shown(now_ms)
        if not self.invocations and self.targets:  # a tag that matched no node settles soon
            settled = now_ms >= self.requested_ms + SETTLE_MS
            status, detail = rollup.NO_INSTANCES_IN_TAG if settled else ("Pending", "Pending")
        else:
            status, detail = rollup.command_status(shown, self.max_errors, self.cancelled)
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
            "TargetCount": len(self.invocations),
            **rollup.counts(shown),
            "ServiceRole": settings.service_role,
            "NotificationConfig": settings.notification_config(),
            "CloudWatchOutputConfig": settings.cloudwatch_config(),
            "TimeoutSeconds": self.timeout_seconds,
            "AlarmConfiguration": self.alarm_configuration,
            "TriggeredAlarms": [],
        }


#: Held while an invocation is rendered: its draws are used once.
_RENDERING = threading.Lock()


@dataclass(eq=False, slots=True)
class InvocationEntry:
    """One node's invocation of a command, as stored.

    An invocation of ``FakeSSM.add_command`` is stored as its draws and
    rendered as a record the first time something reads it (:attr:`final`):
    storing a million nodes builds no record. Its node and final case are
    known without rendering.
    """

    command: CommandEntry
    rendered: Record | None
    """The record with details, in its final case; None until first read."""
    rendered_streams: dict[str, tuple[str, str]] | None
    """Each plugin's full stdout and stderr (GetCommandInvocation shows more than Output)."""
    index: int
    """Its place among the command's invocations."""
    polls: int = 0
    settles_ms: float | None = None
    """When a node the command never reached shows its final case (decided by a roll-out)."""
    cancel_ms: int | None = None
    """When a CancelCommand reached it, if one did."""
    instance_id: str = ""
    drawn_case: StatusCase | None = None
    """Its final case while it is not rendered."""
    cancelled_ms: int | None = None
    """When a cancel ended it (``None``: it came too late, or none came)."""

    @classmethod
    def of(
        cls,
        command: CommandEntry,
        record: Record,
        streams: dict[str, tuple[str, str]],
        index: int,
        settles_ms: float | None = None,
        case: StatusCase | None = None,
    ) -> InvocationEntry:
        """An invocation stored as a record already rendered (sent, loaded); ``case``: its
        final case where the record cannot say it all (a variant)."""
        return cls(command, record, streams, index, settles_ms=settles_ms,
                   instance_id=record["InstanceId"], drawn_case=case)  # fmt: skip

    @property
    def final(self) -> Record:
        """The record with details, in its final case."""
        record = self.rendered
        if record is None:
            with _RENDERING:  # once, whichever thread reads it first
                record = self.rendered
                if record is None:
                    record, self.rendered_streams = self.command.render(self.index)
                    self.rendered = record
        return record

    @final.setter
    def final(self, record: Record) -> None:
        self.rendered = record

    @property
    def streams(self) -> dict[str, tuple[str, str]]:
        if self.rendered_streams is None:
            self.final  # noqa: B018  # rendering gives both
        return self.rendered_streams or {}

    @property
    def final_case(self) -> StatusCase:
        drawn = self.drawn_case
        if self.rendered is None and drawn is not None:
            return drawn
        details = self.final["StatusDetails"]
        # The drawn case while the record still shows it: a variant (after-delay) is not
        # in the record; a cancel gives the record another case.
        return (
            drawn if drawn is not None and drawn.status_details == details else status_case(details)
        )

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
        """The record as the service shows it now (details included); ``observe``: a call
        returns it, which moves a ``progress="poll"`` invocation one step."""
        progress = self._progress()
        if progress is None:
            return self.final
        record = self._shown(now_ms, progress)
        if observe and progress == "poll":
            self.polls += 1
            if self.polls < len(poll_phases(self.final, self.final_case)):  # the next look moves
                self.command.moved(self, now_ms)
        return record

    def _shown(self, now_ms: int, progress: str) -> Record:
        """What it shows at ``now_ms``, unobserved.

        Remembered with the span of time it holds for (until its phase ends or
        a plugin starts or finishes), since a poll loop reads the same
        invocations over and over while the clock creeps: a record is built
        again only once it would look different.
        """
        final = self.final
        marks = (self.cancel_ms, self.settles_ms, self.polls if progress == "poll" else 0)
        known = self.command.views.get(self.index)
        if (
            known is not None
            and known[0] is final
            and known[1] == marks
            and known[2] <= now_ms < known[3]
        ):
            record: Record = known[4]
            return record
        final_case = self.final_case
        phase, until = self._phase(now_ms, progress, final_case)
        if progress == "poll":  # the same at any time, until the next look
            start: float = -NEVER
            record = final if phase is final_case else partial(final, phase, None)
        elif phase is final_case:
            start, record = now_ms, final
        else:
            start, record = now_ms, partial(final, phase, now_ms)
            until = min(until, _next_plugin_time(final, now_ms))
        self.command.views[self.index] = (final, marks, start, until, record)
        return record

    def peek(self, now_ms: int) -> Record:
        """What a per-item filter reads of it now (Status, StatusDetails, DocumentName).

        An invocation not rendered yet whose case does not move answers from its
        drawn case: a Status filter over a million nodes renders only the
        invocations it keeps.
        """
        if self.rendered is None and self._progress() is None:
            case = self.final_case
            return {
                "Status": case.status,
                "StatusDetails": case.status_details,
                "DocumentName": self.command.document_name,
            }
        return self.view(now_ms, observe=False)

    def case_at(self, now_ms: int) -> tuple[StatusCase, float]:
        """The case it shows at ``now_ms`` (unobserved), and when the clock next changes it."""
        final_case = self.final_case
        progress = self._progress()
        if progress is None:
            return final_case, NEVER
        return self._phase(now_ms, progress, final_case)

    def details_at(self, now_ms: int) -> tuple[str, float]:
        """The StatusDetails it shows at ``now_ms`` (unobserved), and when the clock next
        changes it: what the command's tally counts."""
        if self._progress() is None:
            return self.final_case.status_details, NEVER
        case, when = self.case_at(now_ms)
        return case.status_details, when

    def _progress(self) -> Progress:
        return "clock" if self.cancel_ms is not None else self.command.progress

    def _phase(self, now_ms: int, progress: str, final: StatusCase) -> tuple[StatusCase, float]:
        if progress == "poll":
            phases = poll_phases(self.final, final)
            return phases[min(self.polls, len(phases) - 1)], NEVER
        command = self.command
        timed = phases_with_times(
            self.final, final, requested_ms=command.requested_ms,
            delivery_timeout_s=command.delivery_timeout_s, cancel_ms=self.cancel_ms,
            settles_ms=self.settles_ms,
        )  # fmt: skip
        for phase, until in timed:
            if now_ms < until:
                return phase, until
        return final, NEVER


def _next_plugin_time(final: Record, now_ms: int) -> float:
    """The first plugin start or finish after ``now_ms``: where a partial record changes."""
    later = [
        ms
        for plugin in final["CommandPlugins"]
        for name in ("ResponseStartDateTime", "ResponseFinishDateTime")
        if plugin.get(name) is not None and (ms := to_ms(plugin[name], name)) > now_ms
    ]
    return min(later, default=NEVER)
