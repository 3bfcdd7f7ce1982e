"""A fake's outputs and notifications, delivered into moto when they are due.

The fake keeps one :class:`Deliveries`. Before any AWS request the code under
test makes while moto's ``mock_aws`` is on (S3, Logs, SQS, SSM itself: the
in-process hook asks), and after ``add_command``, it delivers what is due on
the fake clock and not delivered yet: each finished plugin's streams (S3,
CloudWatch Logs), then each status change (SNS per NotificationConfig,
EventBridge when the default bus has a rule). Nothing can look at moto
between a due time and that request, so what a program reads is what AWS
would show then; timestamps are the fake clock's. Without moto nothing is
written (``CommandHandle.output`` gives the streams the agent would upload).

Message forms are the user guide's: "Example Amazon SNS notifications for
AWS Systems Manager" (command summary and invocation messages) and "Amazon
EventBridge event examples for Systems Manager" (Run Command events).
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from ..store import deliveries
from ..store.deliveries import StatusChange, Tracked, iso
from ..store.indexes import Store
from ..transports import moto_outputs, registry

COMMAND_EVENT = "EC2 Command Status-change Notification"
INVOCATION_EVENT = "EC2 Command Invocation Status-change Notification"
#: NotificationEvents values a Status is told under (besides ``All``).
_EVENT_OF_STATUS = {"InProgress": "InProgress", "Success": "Success", "TimedOut": "TimedOut",
                    "Cancelled": "Cancelled", "Failed": "Failed"}  # fmt: skip


class Deliveries:
    """What of one store's commands went out to moto, and the delivering of the rest."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._looked: dict[str, int] = {}
        """Per region, how many of its commands were looked at (they are kept in order)."""
        self._tracked: list[Tracked] = []
        self._busy = False

    def deliver(self) -> None:
        """Deliver what is due now; nothing unless moto is on (and once at a time)."""
        if self._busy or not moto_outputs.active():
            return
        self._busy = True
        try:
            now_ms = self.store.clock.now_ms
            self._take_new()
            with self.store.lock:
                for tracked in list(self._tracked):
                    self._deliver(tracked, now_ms)
        finally:
            self._busy = False

    def _take_new(self) -> None:
        for region in self.store.regions():
            commands = self.store.region(region).commands
            looked = self._looked.get(region, 0)
            if len(commands) > looked:
                for command in islice(commands.values(), looked, None):
                    self._tracked.append(
                        Tracked(
                            command,
                            deliveries.wants_outputs(command),
                            deliveries.wants_notifications(command),
                        )
                    )
                self._looked[region] = len(commands)

    def _deliver(self, tracked: Tracked, now_ms: int) -> None:
        command = tracked.command
        if tracked.outputs:
            for output in deliveries.due_outputs(tracked, now_ms):
                moto_outputs.put_output(output)
        events = moto_outputs.has_rules(command.region)
        if tracked.notify or events:
            for change in deliveries.due_changes(tracked, now_ms):
                if tracked.notify:
                    self._notify(change)
                if events:
                    _put_event(change)
        else:
            tracked.since_ms = now_ms  # no one would hear of what happened until now
        if len(tracked.done) == len(command.invocations) and not tracked.notify and not events:
            self._tracked.remove(tracked)

    def _notify(self, change: StatusChange) -> None:
        settings = change.command.settings
        kind = "Invocation" if change.instance_id else "Command"
        if settings.notification_type != kind:
            return
        wanted = settings.notification_events
        if "All" not in wanted and _EVENT_OF_STATUS.get(change.status) not in wanted:
            return
        moto_outputs.publish(settings.notification_arn, sns_message(change))


def sns_message(change: StatusChange) -> dict[str, Any]:
    """The SNS message of a change, in the user guide's field order."""
    command = change.command
    message: dict[str, Any] = {
        "commandId": command.command_id,
        "documentName": command.document_name,
    }
    if change.instance_id:
        message["instanceId"] = change.instance_id
        message["requestedDateTime"] = iso(command.requested_ms)
    else:
        message["instanceIds"] = (
            [e.instance_id for e in command.invocations] if command.targeted_by_ids else []
        )
        message["requestedDateTime"] = iso(command.requested_ms)
        message["expiresAfter"] = iso(command.expires_ms)
        message["outputS3BucketName"] = command.settings.s3_bucket
        message["outputS3KeyPrefix"] = command.settings.s3_key_prefix
    message["status"] = change.status
    message["eventTime"] = iso(change.at_ms)
    return message


def event_detail(change: StatusChange) -> dict[str, Any]:
    """The ``detail`` of a Run Command EventBridge event, as the user guide shows it."""
    command = change.command
    detail: dict[str, Any] = {"command-id": command.command_id,
                              "document-name": command.document_name}  # fmt: skip
    if change.instance_id:
        detail["instance-id"] = change.instance_id
    else:
        detail["expire-after"] = iso(command.expires_ms)
        detail["parameters"] = command.parameters
    detail["requested-date-time"] = iso(command.requested_ms)
    detail["status"] = change.status
    return detail


def _put_event(change: StatusChange) -> None:
    command = change.command
    account = moto_outputs.account()
    ids = (
        [change.instance_id] if change.instance_id else [e.instance_id for e in command.invocations]
    )
    resources = [f"arn:aws:ec2:{command.region}:{account}:instance/{i}" for i in ids]
    kind = INVOCATION_EVENT if change.instance_id else COMMAND_EVENT
    moto_outputs.put_event(command.region, kind, event_detail(change), resources, change.at_ms)


def _deliver_for_active() -> None:
    """Before any AWS request under moto: the active fake delivers what is due."""
    if not moto_outputs.active():
        return
    try:
        fake = registry.active()
    except registry.FakeEndedError:
        return
    due = getattr(fake, "deliveries", None)
    if isinstance(due, Deliveries):
        due.deliver()


registry.on_request(_deliver_for_active)
