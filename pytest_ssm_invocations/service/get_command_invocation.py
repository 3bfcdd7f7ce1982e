"""GetCommandInvocation: one node's invocation of a command, one plugin in detail.

A document with several plugins needs PluginName; InvalidPluginName has no
message in the model, and AWS sends none (see ``errors``). A command still
hidden by eventual consistency is ``InvocationDoesNotExist``, as right after
SendCommand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..records import Record
from ..store.entries import InvocationEntry
from .detail import invocation_detail
from .errors import ServiceError
from .faults import Call
from .state import ServiceState, check_uuid


def answer(service: ServiceState, params: dict[str, Any], region: str, call: Call) -> Record:
    command_id, instance_id = params["CommandId"], params["InstanceId"]
    check_uuid(command_id)
    service.faults.raise_if_due(call)
    hidden = service.observe(region)
    state = service.store.region(region)
    command = state.commands.get(command_id)
    found: Sequence[InvocationEntry] = ()
    if command is not None and command not in hidden:
        found = state.invocations_of(command, instance_id)
    if not found:
        raise ServiceError("InvocationDoesNotExist")
    entry = found[0]
    record = entry.view(service.store.clock.now_ms)
    plugins = record["CommandPlugins"]
    name = params.get("PluginName")
    if name is None:
        if len(plugins) != 1:
            raise ServiceError("InvalidPluginName")
        plugin = plugins[0]
    else:
        plugin = next((p for p in plugins if p["Name"] == name), None)
        if plugin is None:
            raise ServiceError("InvalidPluginName")
    return invocation_detail(entry, record, plugin)
