"""Outcomes a test chooses for the commands its code will send (``FakeSSM.on_send``).

Each outcome serves the next SendCommand (of its document, when it names
one) ``times`` times, in the order the outcomes were registered. One that no
send used is reported at teardown, like an unused page plan, saying why when
the fake knows: the sends it would have served were refused (and with what
error), or came before it was registered.

An outcome that cannot serve the command it is taken for (statuses for 3
nodes, a command that resolved to 2) is the test's mistake, not the code's:
:class:`OnSendMismatch` fails the test at the send, and nothing is used up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..records.commands import StatusMix
from .errors import TestMistake


class OnSendMismatch(TestMistake):
    """An ``on_send`` outcome that does not fit the command the code sent.

    Raised out of the code's ``send_command`` in process (a ``BaseException``: the
    code's ``except Exception`` does not catch it, botocore does not retry it); over
    the local endpoint the fixture fails the test with it at teardown.
    """


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
    times: int | None
    """How many sends it serves; None: every one from its registration on."""
    used: int = 0
    sends_before: int = 0
    """How many commands had been sent when the test registered it."""
    refusals: list[str] = field(default_factory=list)
    """The errors of the sends it would have served, refused before it was consulted."""
    mistake: str | None = None
    """Why it could not serve the command it was taken for (then reported as such)."""

    def serves(self, document_name: str) -> bool:
        return self.left and self.document in (None, document_name)

    @property
    def left(self) -> bool:
        """Whether it serves more sends (one for every send never runs out)."""
        return self.times is None or self.used < self.times

    @property
    def unused(self) -> bool:
        """Whether teardown reports it: a count not reached, or every send but none came."""
        return self.used == 0 if self.times is None else self.used < self.times

    def mismatch(self, reason: str) -> None:
        """Record and raise :class:`OnSendMismatch` (nothing is used up)."""
        self.mistake = f"ssm_invocations: {reason}. The send was not answered."
        raise OnSendMismatch(self.mistake)

    def describe(self, sent: list[tuple[str, str]]) -> str:
        which = f"of {self.document}" if self.document else "sent"
        count = "every send" if self.times is None else f"{self.times}"
        text = f"on_send outcome for the next command {which} (used {self.used} of {count})"
        if self.refusals:
            shown = "; ".join(dict.fromkeys(self.refusals))
            text += f": the send was refused with {shown}"
        early = [(d, c) for d, c in sent[: self.sends_before] if self.document in (None, d)]
        if early and self.unused:
            text += (
                f": registered after its SendCommand ({early[-1][0]}, command {early[-1][1]}): "
                "register on_send before the code sends"
            )
        return text


@dataclass
class Outcomes:
    queued: list[Outcome] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)
    """Every command sent, as (document, command id), in order."""

    def add(self, outcome: Outcome) -> None:
        outcome.sends_before = len(self.sent)
        self.queued.append(outcome)

    def next_for(self, document_name: str) -> Outcome | None:
        """The first outcome that serves a command of ``document_name`` (not yet used)."""
        for outcome in self.queued:
            if outcome.serves(document_name):
                return outcome
        return None

    def served(self, document_name: str, command_id: str) -> None:
        self.sent.append((document_name, command_id))

    def refused(self, document_name: str, error: str) -> None:
        """A send was refused: the outcome that would have served it remembers why."""
        outcome = self.next_for(document_name.rpartition("document/")[2])
        if outcome is not None:
            outcome.refusals.append(error)

    def mistakes(self) -> list[str]:
        return [o.mistake for o in self.queued if o.mistake is not None]

    def unconsumed(self) -> list[str]:
        """Outcomes not used up, but those that were a mistake (reported as such)."""
        return [o.describe(self.sent) for o in self.queued if o.unused and o.mistake is None]

    def clear(self) -> None:
        self.queued.clear()
        self.sent.clear()
