"""Server-side validation of a request against the service model, worded as AWS words it.

botocore checks only minimums on the client side; the service checks the
rest (maximums, patterns, enums) and answers ``ValidationException`` with
messages like ``1 validation error detected: Value '51' at 'maxResults'
failed to satisfy constraint: Member must have value less than or equal to 50``.
The constraints come from botocore's model; nothing is listed here.
"""

from __future__ import annotations

import re
from typing import Any

from .. import _model
from .errors import ServiceError


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _check(value: Any, shape: Any, path: str, problems: list[str]) -> None:
    meta = shape.metadata
    kind = shape.type_name
    shown = value
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(
                f"Value at '{path}' failed to satisfy constraint: Member must be a structure"
            )
            return
        for name in shape.required_members:
            if value.get(name) is None:
                problems.append(
                    f"Value null at '{_join(path, name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
        for name, member in shape.members.items():
            if value.get(name) is not None:
                _check(value[name], member, _join(path, name), problems)
        return
    if kind == "list":
        if not isinstance(value, list):
            problems.append(
                f"Value at '{path}' failed to satisfy constraint: Member must be a list"
            )
            return
        _length(len(value), meta, f"'{shown}'", path, problems)
        for i, item in enumerate(value, 1):
            _check(item, shape.member, f"{path}.{i}.member", problems)
        return
    if kind == "string":
        if not isinstance(value, str):
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a string"
            )
            return
        _length(len(value), meta, f"'{value}'", path, problems)
        if "pattern" in meta and not re.search(meta["pattern"], value):
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {meta['pattern']}"
            )
        if shape.enum and value not in shape.enum:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
            )
        return
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                "Member must be an integer"
            )
            return
        if "min" in meta and value < meta["min"]:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value greater than or equal to {meta['min']}"
            )
        if "max" in meta and value > meta["max"]:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value less than or equal to {meta['max']}"
            )
        return
    if kind == "boolean" and not isinstance(value, bool):
        problems.append(
            f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a boolean"
        )


def _length(size: int, meta: dict[str, Any], shown: str, path: str, problems: list[str]) -> None:
    if "min" in meta and size < meta["min"]:
        problems.append(
            f"Value {shown} at '{path}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {meta['min']}"
        )
    if "max" in meta and size > meta["max"]:
        problems.append(
            f"Value {shown} at '{path}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {meta['max']}"
        )


def _join(path: str, name: str) -> str:
    return f"{path}.{_camel(name)}" if path else _camel(name)


def validate(operation: str, params: dict[str, Any]) -> None:
    """``ValidationException`` listing every constraint ``params`` breaks."""
    shape = _model.operation(operation).input_shape
    problems: list[str] = []
    _check(params, shape, "", problems)
    unknown = sorted(set(params) - set(shape.members))
    if unknown:
        raise ServiceError(
            "SerializationException", f"Unrecognized field(s) {unknown} for {operation}"
        )
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise ServiceError(
            "ValidationException", f"{count} validation {noun} detected: " + "; ".join(problems)
        )
