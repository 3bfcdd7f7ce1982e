"""The fake SSM's semantics: one object answers every request, whatever carried it.

``handle(operation, params, region)`` returns the response dict or raises
:class:`ServiceError`; it returns plain records, never bytes. The botocore
hook, moto and the HTTP server carry bytes to and from it through one
exchange (``wire.exchange``), so they can never disagree. Each operation is a
module named after it, answering from the fake's :class:`ServiceState`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from ..records import Record
from . import (
    call_log,
    cancel_command,
    describe_instance_information,
    get_command_invocation,
    list_command_invocations,
    list_commands,
    send_command,
)
from .errors import ServiceError, TestMistake
from .faults import Call
from .operations import OPERATIONS as OPERATIONS
from .operations import NotFaked
from .polls import polled
from .state import ServiceState
from .tokens import fake_secret
from .validation import check_body, validate

Answer = Callable[[ServiceState, dict[str, Any], str, Call], Record]
#: Each faked operation's answer: the module named after it.
ANSWERS: dict[str, Answer] = {
    "ListCommandInvocations": list_command_invocations.answer,
    "GetCommandInvocation": get_command_invocation.answer,
    "ListCommands": list_commands.answer,
    "SendCommand": send_command.answer,
    "CancelCommand": cancel_command.answer,
    "DescribeInstanceInformation": describe_instance_information.answer,
}
if set(ANSWERS) != set(OPERATIONS):
    raise RuntimeError(f"operations without an answer: {set(OPERATIONS) ^ set(ANSWERS)}")


class SSMService(ServiceState):
    """One fake's service: its state, and :meth:`handle`, the way in for every request."""

    def handle(self, operation: str, params: dict[str, Any], region: str) -> Record:
        """Answer one request, recording it in :attr:`calls`.

        ``params`` is the parsed JSON body as sent: anything but an object, or a
        member of the wrong JSON type, is ``SerializationException``; null
        members are absent (see ``serialization``).
        """
        answer = ANSWERS.get(operation)
        if answer is None:
            raise NotFaked(operation)
        sent = params
        recorded = call_log.recorded(params, self.call_limit)
        call = Call(operation=operation, params=recorded, region=region)
        with self.store.lock:
            call_log.append(self.calls, call, self.call_limit)
            try:
                params = check_body(operation, params)
                validate(operation, params)
                response = answer(self, params, region, call)
            except ServiceError as error:
                call.error = error.code
                if operation == "SendCommand":  # teardown says why an outcome was not used
                    self.outcomes.refused(_document_of(sent), f"{error.code}: {error.message}")
                raise
            except TestMistake:
                call.error = "the test's mistake (see the failure)"
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


def _document_of(params: Any) -> str:
    name = params.get("DocumentName") if isinstance(params, dict) else None
    return name if isinstance(name, str) else ""


def secret_for(seed: int, rng: random.Random | None = None) -> bytes:
    """A new fake's token secret: its own, and reproducible from the seed (see ``tokens``)."""
    return fake_secret(seed, rng)
