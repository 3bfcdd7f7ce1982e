"""ListCommands: one command, a node's, or the region's, newest first, rolled up now.

Each command shown is rolled up from its invocations' tally (``CommandEntry.view``);
the filters read that view. A command still hidden by eventual consistency
(``invisible_for``, counted down by each ListCommands call as by the other two
operations) is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..records import Record
from ..store.entries import CommandEntry
from . import listing
from .errors import ServiceError
from .faults import Call
from .filters import parse_filters
from .state import ServiceState, check_uuid

OPERATION = "ListCommands"


def answer(service: ServiceState, params: dict[str, Any], region: str, call: Call) -> Record:
    filters = parse_filters(OPERATION, params.get("Filters"))
    query = listing.open_query(service, OPERATION, params, region, call)
    hidden = service.observe(region)
    state = service.store.region(region)
    command_id = params.get("CommandId")
    instance_id = params.get("InstanceId")
    candidates: Sequence[CommandEntry]
    if command_id is not None:
        check_uuid(command_id)
        found = state.commands.get(command_id)
        if found is None:
            # unverified: ListCommands is taken to refuse an unknown id, as moto does
            # (with no message: the model's InvalidCommandId has none, see errors).
            raise ServiceError("InvalidCommandId")
        candidates = [found]
    else:
        candidates = state.ordered_commands
    if instance_id is not None:
        on_node = state.commands_on(instance_id)
        candidates = on_node if command_id is None else [c for c in candidates if c in on_node]
    now = service.store.clock.now_ms

    def keep(command: CommandEntry) -> Record | None:
        if command in hidden:
            return None
        record = command.view(now)
        return record if all(f.matches_command(record) for f in filters) else None

    def more(command: CommandEntry) -> bool:
        if not filters:  # no view to roll up
            return command not in hidden
        return keep(command) is not None

    return listing.serve(service, query, params, call, "Commands", candidates, keep, more)
