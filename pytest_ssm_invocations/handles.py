"""What ``add_command`` and ``sent`` hand a test: a command's ids and a live view of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from .store.deliveries import plugin_output
from .store.entries import CommandEntry, InvocationEntry

if TYPE_CHECKING:
    from .store.clock import FakeClock
    from .types import CommandRecord, InvocationRecord


@dataclass(frozen=True)
class CommandHandle:
    """What ``add_command`` returns: the command's ids and a live view of its invocations."""

    command_id: str
    instance_ids: tuple[str, ...]
    region: str
    _clock: FakeClock
    _entry: CommandEntry

    @property
    def request(self) -> dict[str, Any] | None:
        """The SendCommand request as it arrived, for a command your code sent (else None)."""
        return self._entry.request

    @property
    def invocations(self) -> list[InvocationRecord]:
        """The invocations as the service shows them now (details included)."""
        now = self._clock.now_ms
        return [
            cast("InvocationRecord", e.view(now, observe=False)) for e in self._entry.invocations
        ]

    @property
    def command(self) -> CommandRecord:
        """The command as ListCommands shows it now."""
        return cast("CommandRecord", self._entry.view(self._clock.now_ms))

    def output(self, instance_id: str, plugin: str | None = None) -> tuple[str, str]:
        """A node's full stdout and stderr, as the agent uploads them to S3 or CloudWatch Logs
        (not cut at 2,500 or 24,000 characters), as they are once the plugin has finished.

        ``plugin``: the plugin's Name (``aws:runShellScript``, or a 2.x step name);
        needed when the document has several.
        """
        invocation = self._invocation(instance_id)
        plugins = invocation.final["CommandPlugins"]
        names = [p["Name"] for p in plugins]
        if plugin is None and len(plugins) == 1:
            return invocation.streams_of(plugins[0])
        for record in plugins:
            if record["Name"] == plugin:
                return invocation.streams_of(record)
        raise ValueError(f"plugin={plugin!r}; the plugins of {instance_id}: {', '.join(names)}")

    def s3_objects(self) -> dict[str, str]:
        """Every object the agent uploads for this command (``s3://bucket/key`` to its text),
        once its plugins have finished: what is in S3 under moto, here without it."""
        objects = {}
        for invocation in self._entry.invocations:
            for record in invocation.final["CommandPlugins"]:
                if record.get("ResponseFinishDateTime") is None:
                    continue
                out = plugin_output(invocation, record, 0)
                for key, text in ((out.stdout_key, out.stdout), (out.stderr_key, out.stderr)):
                    if out.bucket and key and text:
                        objects[f"s3://{out.bucket}/{key}"] = text
        return objects

    def _invocation(self, instance_id: str) -> InvocationEntry:
        for invocation in self._entry.invocations:
            if invocation.instance_id == instance_id:
                return invocation
        shown = ", ".join(self.instance_ids[:5]) + ("..." if len(self.instance_ids) > 5 else "")
        raise ValueError(f"{instance_id!r} is not a node of command {self.command_id} ({shown})")
