"""ListCommandInvocations: one command's invocations, a node's, or the region's, newest first.

The query picks its candidates from the store's indexes (a command, a
command on a node, a node, or every invocation in order), a time filter
bounds the keys read, and the other filters are read from each invocation's
peek, which renders nothing: a Status filter over a million nodes renders only
the invocations it serves. A command still hidden by eventual consistency
(``invisible_for``) shows none of its invocations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..records import Record
from ..store.entries import InvocationEntry
from . import listing
from .faults import Call
from .filters import TIME_KEYS, parse_filters, time_span
from .state import ServiceState, check_uuid

OPERATION = "ListCommandInvocations"


def answer(service: ServiceState, params: dict[str, Any], region: str, call: Call) -> Record:
    filters = parse_filters(OPERATION, params.get("Filters"))
    command_id = params.get("CommandId")
    if command_id is not None:
        check_uuid(command_id)
    query = listing.open_query(service, OPERATION, params, region, call)
    hidden = service.observe(region)
    state = service.store.region(region)
    instance_id = params.get("InstanceId")
    candidates: Sequence[InvocationEntry]
    if command_id is not None:
        command = state.commands.get(command_id)
        candidates = command.invocations if command else []
        if command is not None and instance_id is not None:
            candidates = state.invocations_of(command, instance_id)
    elif instance_id is not None:
        candidates = state.on_instance(instance_id)
    else:
        candidates = state.ordered
    now = service.store.clock.now_ms
    brief = None if params.get("Details", False) else service.briefs.of
    per_item = [f for f in filters if f.key not in TIME_KEYS]  # the span applies the others

    def more(entry: InvocationEntry) -> bool:
        if hidden and entry.command in hidden:
            return False
        if per_item:
            seen = entry.peek(now)
            return all(f.matches_invocation(seen) for f in per_item)
        return True

    def keep(entry: InvocationEntry) -> Record | None:
        # ``more``'s tests written out again: a filtered page reads many candidates per item
        if hidden and entry.command in hidden:
            return None
        if per_item:
            seen = entry.peek(now)
            if not all(f.matches_invocation(seen) for f in per_item):
                return None
        record = entry.view(now, observe=True)
        return record if brief is None else brief(record)

    return listing.serve(
        service, query, params, call, "CommandInvocations", candidates, keep, more,
        time_span(filters),
    )  # fmt: skip
