"""SendCommand: the command started on its targets, as the response echoes it (see ``send``)."""

from __future__ import annotations

from typing import Any

from ..records import Record
from .faults import Call
from .send import sent_view, start_command
from .state import ServiceState


def answer(service: ServiceState, params: dict[str, Any], region: str, call: Call) -> Record:
    service.faults.raise_if_due(call)
    entry = start_command(
        service.store, service.rng, service.outcomes, params, region, service.send_progress
    )
    service.sent.append(entry)
    service.outcomes.served(entry.document_name, entry.command_id)
    return {"Command": sent_view(entry, service.store.clock.now_ms)}
