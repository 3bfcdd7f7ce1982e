"""What every operation of the fake SSM reads and changes: one fake's service state.

The operations (a module each, named after it) take this state, so they
depend on it and never on the dispatch in ``service`` that calls them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..records import ids
from ..store.entries import CommandEntry
from ..store.indexes import Store
from .briefs import briefs
from .errors import ServiceError
from .faults import Call, Faults
from .outcomes import Outcomes
from .paging import PagingPolicy
from .polls import PollWatch
from .tokens import TokenCodec


@dataclass
class ServiceState:
    store: Store
    secret: bytes = b"pytest-ssm-invocations"
    faults: Faults = field(default_factory=Faults)
    calls: list[Call] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    """Draws what a sent command's records leave open (outputs, times)."""
    outcomes: Outcomes = field(default_factory=Outcomes)
    sent: list[CommandEntry] = field(default_factory=list)
    """Commands that arrived through SendCommand, in order."""
    send_progress: str | None = "clock"
    """How a sent command with no chosen outcome moves (see ``add_command``'s progress)."""
    call_limit: int | None = None
    """Bound the call log (long-running servers): the latest calls, params cut to a budget."""
    paging: PagingPolicy = field(default_factory=PagingPolicy)
    polls: PollWatch = field(default_factory=PollWatch)
    """Poll loops on a frozen clock, stopped (see ``polls``)."""

    def __post_init__(self) -> None:
        self.tokens = TokenCodec(self.secret)
        self.briefs = briefs()

    def observe(self, region: str) -> set[CommandEntry]:
        """Start a call that eventual consistency counts: the commands it cannot see."""
        state = self.store.region(region)
        hidden = set(state.hidden)
        for command in hidden:
            command.invisible_for -= 1
            if command.invisible_for <= 0:
                state.hidden.discard(command)
        return hidden


def check_uuid(command_id: str) -> None:
    """``InvalidCommandId`` unless ``command_id`` is shaped like one (a UUID)."""
    if not ids.is_uuid(command_id):
        raise ServiceError("InvalidCommandId")
