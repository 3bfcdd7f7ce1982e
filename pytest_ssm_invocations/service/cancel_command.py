"""CancelCommand: running invocations go Cancelling, then Cancelled (see ``send``)."""

from __future__ import annotations

from typing import Any

from ..records import Record
from .faults import Call
from .send import cancel_command
from .state import ServiceState, check_uuid


def answer(service: ServiceState, params: dict[str, Any], region: str, call: Call) -> Record:
    check_uuid(params["CommandId"])
    service.faults.raise_if_due(call)
    return cancel_command(service.store, params, region)
