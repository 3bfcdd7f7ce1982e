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

Each command and invocation, with its lifecycle, is in ``entries``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from ..catalogue.parameters import OwnDocument
from ..records import Record
from ..records.reshape import cancelled
from ..records.times import to_ms
from . import rollup
from .clock import FakeClock
from .entries import CommandEntry, InvocationEntry
from .fleet import Fleet
from .lifecycle import SETTLE_MS
from .ordering import NewestFirst, position_at


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

    def fresh_key(self) -> tuple[int, int, int]:
        """Where the invocations of commands added from now on sort: at or before this key
        (requested now or later, with a later sequence). A list chain that found nothing
        to read starts here, so what is added later stays in front of it."""
        return (-self.clock.now_ms, -(self._seq + 1), -_FIRST)

    def release(self) -> None:
        """Forget every command, undoing the links between a command and its invocations.

        Each invocation points at its command and back: left as they are, a
        test's whole store waits for the cyclic collector, whose runs then
        scan every object of the session. Undone, it is freed at once.
        """
        with self.lock:
            for state in self._regions.values():
                for command in state.commands.values():
                    command.invocations = []
                    command.tally = None
            self._regions.clear()

    def add(self, command: CommandEntry, settled: Sequence[str] | None = None) -> None:
        """Store a command and its invocations; a newer command than any is appended.

        ``settled`` gives each invocation's StatusDetails when none of them moves
        on the clock (``add_command`` knows them without asking each).
        """
        with self.lock:
            state = self.region(command.region)
            if command.command_id in state.commands:
                raise ValueError(f"command {command.command_id} already exists")
            # Counted first: an unknown StatusDetails is refused before anything is stored.
            command.tally = rollup.Tally(command.invocations, self.clock.now_ms, settled)
            state.commands[command.command_id] = command
            state.ordered_commands.insert_run((command,))
            state.ordered.insert_run(command.invocations)
            _index_nodes(state.by_instance, command.invocations)
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

    def cancel(self, entries: list[InvocationEntry], now_ms: int) -> int:
        """End every invocation in ``entries`` not yet terminal, as CancelCommand does;
        how many it ended (each keeps when: ``cancelled_ms``).

        A running invocation shows Cancelling at once; the cancel reaches its node
        :data:`SETTLE_MS` later and ends what is still running then (Cancelled). When
        every plugin has finished by then, the cancel comes too late: the invocation
        ends with its plugins' own result (Success, with its ResponseCode), and every
        view shows that one state. AWS documents no race; CancelCommand only
        "attempts to cancel the command [...] There is no guarantee that the command
        will be terminated and the underlying process stopped" (API reference): a
        process that already exited is not stopped, and its result is the outcome
        (unverified: no capture shows this race).
        """
        ended = 0
        with self.lock:
            for entry in entries:
                shown, _ = entry.case_at(now_ms)
                if shown.terminal or entry.cancel_ms is not None:
                    continue
                effective = now_ms + SETTLE_MS if shown.reached_node else now_ms
                if not (shown.reached_node and _over_by(entry.final, effective)):
                    entry.final = cancelled(entry.final, effective)
                    entry.cancelled_ms = effective
                    ended += 1
                entry.cancel_ms = now_ms
                entry.settles_ms = None
                entry.command.moved(entry, now_ms)
        return ended


def _over_by(final: Record, at_ms: int) -> bool:
    """Whether every plugin that runs in ``final`` has finished by ``at_ms``."""
    plugins = final["CommandPlugins"]
    ran = [p for p in plugins if "ResponseStartDateTime" in p]
    return bool(ran) and all(
        "ResponseFinishDateTime" in p
        and to_ms(p["ResponseFinishDateTime"], "ResponseFinishDateTime") <= at_ms
        for p in ran
    )


#: Up to this many invocations, indexing them one by one costs less than at once.
_FEW = 16


def _index_nodes(
    by_instance: dict[str, InvocationEntry | NewestFirst[InvocationEntry]],
    entries: list[InvocationEntry],
) -> None:
    """Index one command's invocations by node, most of whom have no other invocation."""
    if len(entries) > _FEW:
        fresh = dict(zip(map(attrgetter("instance_id"), entries), entries, strict=True))
        if len(fresh) == len(entries) and by_instance.keys().isdisjoint(fresh):
            by_instance.update(fresh)  # nodes new to the region: each holds its one invocation
            return
    for entry in entries:
        node = entry.instance_id
        on_node = by_instance.setdefault(node, entry)
        if on_node is entry:
            continue
        if isinstance(on_node, InvocationEntry):
            alone, on_node = on_node, NewestFirst()
            on_node.insert_run((alone,))
            by_instance[node] = on_node
        on_node.insert_run((entry,))


#: Lower than any index: a key with it comes before every item of its command.
_FIRST = -(2**62)
