"""Checks of free-text fields against botocore's service model."""

from __future__ import annotations

from .. import _model


def check_length(name: str, value: str, structure: str, member: str) -> str:
    """``value`` if it is a str no longer than the model allows for ``structure.member``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    high = _model.field_limit(structure, member, "max")
    if len(value) > high:
        raise ValueError(f"{name} is {len(value)} characters; AWS allows at most {high}: {value!r}")
    return value


def check_document_version(value: str) -> str:
    """``$DEFAULT``, ``$LATEST``, a version number, or "" (as older real output shows)."""
    if value != "" and not _model.pattern("DocumentVersion").fullmatch(value):
        raise ValueError(
            f"malformed document_version {value!r}; valid: '$DEFAULT', '$LATEST', "
            "a number such as '3', or '' (seen in real output)"
        )
    return value
