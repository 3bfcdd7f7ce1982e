"""Reading a JSON 1.1 request body as AWS's deserializer reads it, before any validation.

Two rules come first, for every operation and every depth: a member whose
value is JSON ``null`` is absent (``{"MaxResults": null}`` is ``{}``), and a
value of the wrong JSON type is ``SerializationException``, the first one
met, whose message names the JSON token and the expected type, never the
member.

Where the wording comes from:

- measured on a real AWS JSON 1.1 service (Athena, raw HTTP, 2026-09-23, in
  the athena-local project's ``tools/e2e/request-errors/verify.sh``):
  ``STRING_VALUE can not be converted to an Integer``, ``TRUE_VALUE can not be
  converted to an Integer``, ``NUMBER_VALUE can not be converted to a
  String``, ``Start of list found where not expected``, ``Start of structure
  or map found where not expected.``, ``Expected list or null`` (a string
  where a list belongs), ``Expected null`` (a string where a structure
  belongs), ``{"MaxResults": null}`` answered as if absent, and a body that is
  ``null``, a string or not JSON answered with no message at all;
- also quoted by users of SQS's JSON protocol: ``STRING_VALUE can not be
  converted to an Integer`` (async-aws/aws issue 1667);
- DynamoDB, recorded by the dynalite project's tests: a string where a boolean
  belongs is ``Unexpected token received from parser``.

Chosen here, by analogy with the measured wording, where nothing was found:
``FALSE_VALUE``/``DECIMAL_VALUE`` (``5.5``) messages, every ``... to a
Boolean`` message but the string one, a list or a number where a structure
belongs, and ``Expected map or null``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ..catalogue import model
from ..records.checks import is_whole
from .errors import ServiceError

_LIST_FOUND = "Start of list found where not expected"
_MAP_FOUND = "Start of structure or map found where not expected."
#: How the messages name each scalar type ("can not be converted to an Integer").
_TARGETS = {
    "string": "a String",
    "integer": "an Integer",
    "long": "a Long",
    "boolean": "a Boolean",
    "double": "a Double",
    "float": "a Float",
}


def check_body(operation: str, body: Any) -> dict[str, Any]:
    """The request ``body`` (parsed JSON, any type) as the operation reads it.

    Returns the members with every ``null`` removed; raises
    ``SerializationException`` for a body that is not a JSON object or a
    member of the wrong JSON type, and for members the model does not know.
    """
    if isinstance(body, list):
        raise _serialization(_LIST_FOUND)
    if not isinstance(body, dict):
        # Measured: a body of null, a string or a number gets no message.
        raise _serialization("")
    shape = model.operation(operation).input_shape
    request: dict[str, Any] = _Reader().read(body, shape)
    unknown = sorted(set(request) - set(shape.members))
    if unknown:
        # unverified: Athena ignores members it does not know; the kit refuses them so
        # that a misspelt parameter sent with botocore's validation off is not lost.
        raise ServiceError(
            "SerializationException", f"Unrecognized field(s) {unknown} for {operation}"
        )
    return request


def json_token(value: Any) -> str:
    """The name AWS's parser gives a JSON scalar in its messages."""
    if value is True:
        return "TRUE_VALUE"
    if value is False:
        return "FALSE_VALUE"
    if isinstance(value, int):
        return "NUMBER_VALUE"
    if isinstance(value, float):
        return "DECIMAL_VALUE"
    return "STRING_VALUE"


class _Reader:
    """One reader per shape type, chosen by the shape's ``type_name``."""

    def read(self, value: Any, shape: Any) -> Any:
        reader = self._READERS.get(shape.type_name, _Reader._as_is)
        return reader(self, value, shape)

    def _structure(self, value: Any, shape: Any) -> dict[str, Any]:
        if isinstance(value, list):
            raise _serialization(_LIST_FOUND)
        if not isinstance(value, dict):
            raise _serialization("Expected null")
        members = shape.members
        return {
            name: self.read(item, members[name]) if name in members else item
            for name, item in value.items()
            if item is not None
        }

    def _list(self, value: Any, shape: Any) -> list[Any]:
        if isinstance(value, dict):
            raise _serialization(_MAP_FOUND)
        if not isinstance(value, list):
            raise _serialization("Expected list or null")
        # A null element stays: validation answers "Member must not be null" for it.
        return [None if item is None else self.read(item, shape.member) for item in value]

    def _map(self, value: Any, shape: Any) -> dict[str, Any]:
        if isinstance(value, list):
            raise _serialization(_LIST_FOUND)
        if not isinstance(value, dict):
            raise _serialization("Expected map or null")
        return {
            key: self.read(item, shape.value) for key, item in value.items() if item is not None
        }

    def _scalar(self, value: Any, shape: Any) -> Any:
        if isinstance(value, list):
            raise _serialization(_LIST_FOUND)
        if isinstance(value, dict):
            raise _serialization(_MAP_FOUND)
        kind = shape.type_name
        if _ACCEPTS[kind](value):
            return value
        if kind == "boolean" and isinstance(value, str):
            raise _serialization("Unexpected token received from parser")
        raise _serialization(f"{json_token(value)} can not be converted to {_TARGETS[kind]}")

    def _as_is(self, value: Any, shape: Any) -> Any:
        """Types none of the faked operations take (timestamps, blobs) are passed on."""
        return value

    _READERS: ClassVar[dict[str, Callable[[_Reader, Any, Any], Any]]] = {
        "structure": _structure,
        "list": _list,
        "map": _map,
        **dict.fromkeys(_TARGETS, _scalar),
    }


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_ACCEPTS: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "integer": is_whole,
    "long": is_whole,
    "boolean": lambda value: isinstance(value, bool),
    "double": _is_number,
    "float": _is_number,
}


def _serialization(message: str) -> ServiceError:
    return ServiceError("SerializationException", message)
