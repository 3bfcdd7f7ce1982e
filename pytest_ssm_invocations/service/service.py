"""The fake SSM's semantics: one object answers every request, whatever carried it.

``handle(operation, params, region)`` returns the response dict or raises
:class:`ServiceError`; it returns plain records, never bytes. The botocore
hook, moto and the HTTP server carry bytes to and from it through one
exchange (``wire.exchange``), so they can never disagree.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import Record, ids
from ..store.entries import CommandEntry, InvocationEntry
from ..store.indexes import Store
from . import call_log, describe_instance_information, list_command_invocations, list_commands
from .briefs import Briefs
from .detail import invocation_detail
from .errors import ServiceError
from .faults import Call, Faults
from .operations import OPERATIONS as OPERATIONS
from .operations import NotFaked
from .outcomes import Outcomes
from .paging import PagingPolicy
from .polls import PollWatch, polled
from .send import cancel_command, sent_view, start_command
from .tokens import TokenCodec, fake_secret
from .validation import check_body, validate


@dataclass
class SSMService:
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
        self.briefs = Briefs()
        # Each faked operation is answered by the method named after it: ``_list_commands``.
        self._handlers: dict[str, Callable[[dict[str, Any], str, Call], Record]] = {
            operation: getattr(self, f"_{snake}") for operation, snake in OPERATIONS.items()
        }

    # -- entry point ---------------------------------------------------------

    def handle(self, operation: str, params: dict[str, Any], region: str) -> Record:
        """Answer one request, recording it in :attr:`calls`.

        ``params`` is the parsed JSON body as sent: anything but an object, or a
        member of the wrong JSON type, is ``SerializationException``; null
        members are absent (see ``serialization``).
        """
        handler = self._handlers.get(operation)
        if handler is None:
            raise NotFaked(operation)
        recorded = call_log.recorded(params, self.call_limit)
        call = Call(operation=operation, params=recorded, region=region)
        with self.store.lock:
            call_log.append(self.calls, call, self.call_limit)
            try:
                params = check_body(operation, params)
                validate(operation, params)
                response = handler(params, region, call)
            except ServiceError as error:
                call.error = error.code
                raise
            except Exception:
                call.error = "InternalServerError"
                raise
            if polled(operation, params):
                self._watch(operation, params, region, response)
        return response

    def _watch(self, operation: str, params: dict[str, Any], region: str, answer: Record) -> None:
        """Stop a loop that polls one command on a clock that stands still (see ``polls``)."""
        command = self.store.region(region).commands.get(params["CommandId"])
        if command is None or command.progress == "poll":
            return
        if operation == "GetCommandInvocation":
            states = [answer["StatusDetails"]]
        else:
            key = "Commands" if operation == "ListCommands" else "CommandInvocations"
            states = [item["StatusDetails"] for item in answer[key]]
        self.polls.answered(operation, params, region, states, self.store.clock.now_ms)

    # -- what several operations share ------------------------------------------

    def observe(self, region: str) -> set[CommandEntry]:
        """Start a call that eventual consistency counts: the commands it cannot see."""
        state = self.store.region(region)
        hidden = set(state.hidden)
        for command in hidden:
            command.invisible_for -= 1
            if command.invisible_for <= 0:
                state.hidden.discard(command)
        return hidden

    @staticmethod
    def check_uuid(command_id: str) -> None:
        """``InvalidCommandId`` unless ``command_id`` is shaped like one (a UUID)."""
        if not ids.is_uuid(command_id):
            raise ServiceError("InvalidCommandId")

    # -- the list operations (one module each, on one machinery: ``listing``) --------

    def _list_command_invocations(self, params: dict[str, Any], region: str, call: Call) -> Record:
        return list_command_invocations.answer(self, params, region, call)

    def _list_commands(self, params: dict[str, Any], region: str, call: Call) -> Record:
        return list_commands.answer(self, params, region, call)

    def _describe_instance_information(
        self, params: dict[str, Any], region: str, call: Call
    ) -> Record:
        return describe_instance_information.answer(self, params, region, call)

    # -- GetCommandInvocation -----------------------------------------------

    def _get_command_invocation(self, params: dict[str, Any], region: str, call: Call) -> Record:
        command_id, instance_id = params["CommandId"], params["InstanceId"]
        self.check_uuid(command_id)
        self.faults.raise_if_due(call)
        hidden = self.observe(region)
        command = self.store.region(region).commands.get(command_id)
        found: Sequence[InvocationEntry] = ()
        if command is not None and command not in hidden:
            found = self.store.region(region).invocations_of(command, instance_id)
        if not found:
            raise ServiceError("InvocationDoesNotExist")
        entry = found[0]
        record = entry.view(self.store.clock.now_ms)
        plugins = record["CommandPlugins"]
        name = params.get("PluginName")
        # A document with several plugins needs PluginName. InvalidPluginName has no
        # message in the model, and AWS sends none (see errors).
        if name is None:
            if len(plugins) != 1:
                raise ServiceError("InvalidPluginName")
            plugin = plugins[0]
        else:
            plugin = next((p for p in plugins if p["Name"] == name), None)
            if plugin is None:
                raise ServiceError("InvalidPluginName")
        return invocation_detail(entry, record, plugin)

    # -- SendCommand, CancelCommand -----------------------------------------

    def _send_command(self, params: dict[str, Any], region: str, call: Call) -> Record:
        self.faults.raise_if_due(call)
        entry = start_command(
            self.store, self.rng, self.outcomes, params, region, self.send_progress
        )
        self.sent.append(entry)
        return {"Command": sent_view(entry, self.store.clock.now_ms)}

    def _cancel_command(self, params: dict[str, Any], region: str, call: Call) -> Record:
        self.check_uuid(params["CommandId"])
        self.faults.raise_if_due(call)
        return cancel_command(self.store, params, region)


def secret_for(seed: int, rng: random.Random | None = None) -> bytes:
    """A new fake's token secret: its own, and reproducible from the seed (see ``tokens``)."""
    return fake_secret(seed, rng)
