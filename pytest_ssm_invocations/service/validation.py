"""Server-side validation of a request against the service model, worded as AWS words it.

botocore checks only minimums on the client side; the service checks the
rest (maximums, patterns, enums) and answers ``ValidationException`` with
messages like ``1 validation error detected: Value '51' at 'maxResults'
failed to satisfy constraint: Member must have value less than or equal to 50``.
The constraints come from botocore's model; nothing is listed here.

The request reaching :func:`validate` has been read by :func:`check_body`
(JSON types right, nulls removed). As in botocore's own ``ParamValidator``,
one checker per shape type walks the request and reports each broken
constraint to one collector, which words them all in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ..catalogue import model
from .errors import ServiceError
from .serialization import check_body

#: Each constraint as the message names it; ``{limit}`` etc. come from the model.
_CONSTRAINTS = {
    "null": "Member must not be null",
    "min_length": "Member must have length greater than or equal to {limit}",
    "max_length": "Member must have length less than or equal to {limit}",
    "min_value": "Member must have value greater than or equal to {limit}",
    "max_value": "Member must have value less than or equal to {limit}",
    "pattern": "Member must satisfy regular expression pattern: {pattern}",
    "enum": "Member must satisfy enum value set: [{values}]",
    "members": "Member must satisfy constraint: [{reasons}]",
}
#: The range of a Java int: a larger number is reported without its value, as
#: Athena answered ``{"MaxResults": 99999999999}`` (measured, 2026-09-23).
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class _Problems:
    """Every broken constraint of one request, worded once."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def report(self, path: str, shown: str | None, constraint: str, **details: Any) -> None:
        value = f"Value {shown} at" if shown is not None else "Value at"
        reason = _CONSTRAINTS[constraint].format(**details)
        self.found.append(f"{value} '{path}' failed to satisfy constraint: {reason}")

    def raise_if_any(self) -> None:
        if self.found:
            count = len(self.found)
            noun = "error" if count == 1 else "errors"
            message = f"{count} validation {noun} detected: " + "; ".join(self.found)
            raise ServiceError("ValidationException", message)


class _Validator:
    """One checker per shape type, chosen by the shape's ``type_name``."""

    def __init__(self) -> None:
        self.problems = _Problems()

    def check(self, value: Any, shape: Any, path: str) -> None:
        if value is None:
            self.problems.report(path, "null", "null")
            return
        checker = self._CHECKERS.get(shape.type_name)
        if checker is not None:
            checker(self, value, shape, path)

    def _structure(self, value: dict[str, Any], shape: Any, path: str) -> None:
        for name in shape.required_members:
            if value.get(name) is None:
                self.problems.report(_join(path, name), "null", "null")
        for name, member in shape.members.items():
            if value.get(name) is not None:
                self.check(value[name], member, _join(path, name))

    def _list(self, value: list[Any], shape: Any, path: str) -> None:
        self._length(len(value), shape, path, f"'{java_text(value)}'")
        member = shape.member
        if member.type_name == "string":
            self._strings(value, member, path)
            return
        for index, item in enumerate(value, 1):
            self.check(item, member, f"{path}.{index}.member")

    def _strings(self, value: list[Any], member: Any, path: str) -> None:
        """A list of strings is reported whole, with every constraint of its member, as a
        real SendCommand answer shows: ``Value '[i-1, i-2,]' at 'instanceIds' failed to
        satisfy constraint: Member must satisfy constraint: [Member must have length less
        than or equal to 20, ..., Member must satisfy regular expression pattern: ...]``."""
        for index, item in enumerate(value, 1):
            if item is None:
                self.problems.report(f"{path}.{index}.member", "null", "null")
        items = [item for item in value if item is not None]
        broken = _Validator()
        for item in items:
            broken._string(item, member, path)
        if broken.problems.found:
            reasons = ", ".join(_member_constraints(member))
            self.problems.report(path, f"'{java_text(value)}'", "members", reasons=reasons)

    def _map(self, value: dict[str, Any], shape: Any, path: str) -> None:
        # unverified: the path AWS gives a map's value; the key is used here.
        self._length(len(value), shape, path, f"'{java_text(value)}'")
        for key, item in value.items():
            self.check(item, shape.value, f"{path}.{key}")

    def _string(self, value: str, shape: Any, path: str) -> None:
        meta = shape.metadata
        self._length(len(value), shape, path, f"'{value}'")
        if "pattern" in meta and not model.compiled(meta["pattern"]).fullmatch(value):
            self.problems.report(path, f"'{value}'", "pattern", pattern=meta["pattern"])
        if shape.enum and value not in shape.enum:
            self.problems.report(path, f"'{value}'", "enum", values=", ".join(shape.enum))

    def _number(self, value: int | float, shape: Any, path: str) -> None:
        meta = shape.metadata
        too_big = shape.type_name == "integer" and not _INT_MIN <= value <= _INT_MAX
        shown = None if too_big else f"'{value}'"
        if "min" in meta and value < meta["min"]:
            self.problems.report(path, shown, "min_value", limit=meta["min"])
        if "max" in meta and value > meta["max"]:
            self.problems.report(path, shown, "max_value", limit=meta["max"])

    def _length(self, size: int, shape: Any, path: str, shown: str) -> None:
        meta = shape.metadata
        if "min" in meta and size < meta["min"]:
            self.problems.report(path, shown, "min_length", limit=meta["min"])
        if "max" in meta and size > meta["max"]:
            self.problems.report(path, shown, "max_length", limit=meta["max"])

    _CHECKERS: ClassVar[dict[str, Callable[[_Validator, Any, Any, str], None]]] = {
        "structure": _structure,
        "list": _list,
        "map": _map,
        "string": _string,
        "integer": _number,
        "long": _number,
        "double": _number,
        "float": _number,
    }


def _member_constraints(member: Any) -> list[str]:
    """Every constraint of a list's string member, in the order a real answer lists them."""
    meta = member.metadata
    reasons = []
    if "max" in meta:
        reasons.append(_CONSTRAINTS["max_length"].format(limit=meta["max"]))
    if "min" in meta:
        reasons.append(_CONSTRAINTS["min_length"].format(limit=meta["min"]))
    if "pattern" in meta:
        reasons.append(_CONSTRAINTS["pattern"].format(pattern=meta["pattern"]))
    if member.enum:
        reasons.append(_CONSTRAINTS["enum"].format(values=", ".join(member.enum)))
    return reasons


def java_text(value: Any) -> str:
    """``value`` as Java's ``toString`` prints it: ``[a, b]`` for a list, ``{k=v}`` for a map.

    A real SendCommand error shows ``Value '[i-aaa    i-bbb]' at 'instanceIds'``;
    structures inside a list are printed as maps (unverified: AWS's own form).
    """
    if isinstance(value, list):
        return "[" + ", ".join(java_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={java_text(item)}" for key, item in value.items()) + "}"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _join(path: str, name: str) -> str:
    camel = name[:1].lower() + name[1:]
    return f"{path}.{camel}" if path else camel


def validate(operation: str, params: dict[str, Any]) -> None:
    """``ValidationException`` listing every constraint ``params`` breaks.

    ``params`` is a request read by :func:`check_body`.
    """
    validator = _Validator()
    validator.check(params, model.operation(operation).input_shape, "")
    validator.problems.raise_if_any()


__all__ = ["check_body", "java_text", "validate"]
