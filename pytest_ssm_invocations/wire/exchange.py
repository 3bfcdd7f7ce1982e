"""One exchange for every transport: a request's bytes in, the response's bytes out.

The in-process hook, the moto bridge and the HTTP server all call
:func:`exchange`, so none decodes, checks or encodes in a way of its own: the
body is read as the operation's parameters (``requests``: malformed or too
deep is SerializationException), the fake answers, and the answer or its
ServiceError is encoded (``responses``; each fake's invocation records are
encoded once, ``encoded``). An operation the fake does not answer is
:class:`~..service.operations.NotFaked`, decided here: each transport says so
in its own way (the hook raises it, the server answers UnsupportedOperation,
moto answers the operation itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..service.errors import ServiceError
from ..service.operations import OPERATIONS, NotFaked
from .encoded import records_of
from .requests import Malformed, parameters
from .responses import encode, encode_error

#: Operations whose records paging loops read again and again (a command's view and a
#: node's information are built anew for each call: nothing to reuse).
_RECORDS_KEPT = frozenset({"ListCommandInvocations"})


class Answering(Protocol):
    """What the exchange needs of a fake: an answer per request."""

    def handle(self, operation: str, params: dict[str, Any], region: str | None = None) -> Any: ...


@dataclass(frozen=True, slots=True)
class Exchanged:
    """An HTTP status and JSON 1.1 body; ``answer``: the response dict they encode, if 200."""

    status: int
    body: bytes
    answer: Any = None


def answers(operation: str) -> bool:
    """Whether the fake answers ``operation`` (the others are :class:`NotFaked`)."""
    return operation in OPERATIONS


def exchange(fake: Answering, operation: str, body: bytes | None, region: str) -> Exchanged:
    """``fake``'s answer to one request, encoded; raises NotFaked for an operation it lacks."""
    if operation not in OPERATIONS:
        raise NotFaked(operation)
    try:
        params = parameters(body or b"")
    except Malformed as malformed:
        return Exchanged(400, encode_error("SerializationException", str(malformed)))
    try:
        answer = fake.handle(operation, params, region)
    except ServiceError as error:
        return Exchanged(error.status, encode_error(error.code, error.message))
    if operation not in _RECORDS_KEPT:
        return Exchanged(200, encode(answer), answer)
    cache = records_of(fake)
    with cache.lock:
        return Exchanged(200, encode(answer, cache.text), answer)
