"""Outcomes a test chooses for the commands its code will send (``FakeSSM.on_send``).

Each outcome serves the next SendCommand (of its document, when it names
one) ``times`` times, in the order the outcomes were registered. One that no
send used is reported at teardown, like an unused page plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..records.commands import StatusMix


@dataclass
class Outcome:
    statuses: StatusMix | None
    """A mix, or one status per resolved node in node order; None: what the fleet implies."""
    stdout: str | None
    stderr: str | None
    outputs: Mapping[str, tuple[str, str]] | None
    progress: str | None
    invisible_for: int
    document: str | None
    times: int
    used: int = 0

    def serves(self, document_name: str) -> bool:
        return self.used < self.times and self.document in (None, document_name)

    def describe(self) -> str:
        which = f"of {self.document}" if self.document else "sent"
        return f"on_send outcome for the next command {which} (used {self.used} of {self.times})"


@dataclass
class Outcomes:
    queued: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.queued.append(outcome)

    def take(self, document_name: str) -> Outcome | None:
        """The first outcome that serves a command of ``document_name``, now used once more."""
        for outcome in self.queued:
            if outcome.serves(document_name):
                outcome.used += 1
                return outcome
        return None

    def unconsumed(self) -> list[str]:
        return [o.describe() for o in self.queued if o.used < o.times]

    def clear(self) -> None:
        self.queued.clear()
