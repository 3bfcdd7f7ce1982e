"""What ``add_command`` and ``sent`` hand a test: a command's ids and a live view of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from .store.entries import CommandEntry

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
