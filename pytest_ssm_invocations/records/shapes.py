"""Make real-shaped records acceptable to botocore's Stubber, driven by the model.

AWS returns empty strings where the model says a string has a minimum length
(``OutputS3BucketName: ""``, ``CloudWatchLogGroupName: ""``, ...). botocore's
Stubber validates responses against those minimums and rejects real ones, so
the Stubber-safe shape drops exactly the values below their minimum: which
fields those are is read from the service model, not listed here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..catalogue import model


@cache
def _minimums(structure: str) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """Per structure: string minimums, nested structures, and lists of structures."""
    mins: dict[str, int] = {}
    nested: dict[str, str] = {}
    lists: dict[str, str] = {}
    for name, member in model.shape(structure).members.items():
        if member.type_name == "string" and member.metadata.get("min", 0) > 0:
            mins[name] = member.metadata["min"]
        elif member.type_name == "structure":
            nested[name] = member.name
        elif member.type_name == "list" and member.member.type_name == "structure":
            lists[name] = member.member.name
    return mins, nested, lists


def strip_below_minimums(record: dict[str, Any], structure: str) -> dict[str, Any]:
    """A copy of ``record`` without the strings shorter than the model allows."""
    mins, nested, lists = _minimums(structure)
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in mins and isinstance(value, str) and len(value) < mins[key]:
            continue
        if key in nested and isinstance(value, dict):
            value = strip_below_minimums(value, nested[key])
        elif key in lists and isinstance(value, list):
            value = [strip_below_minimums(v, lists[key]) for v in value]
        out[key] = value
    return out
