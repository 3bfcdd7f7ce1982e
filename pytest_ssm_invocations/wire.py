"""The AWS JSON 1.1 form of responses: what travels over HTTP.

Timestamps become epoch seconds as floats with millisecond precision
(``1582136283.089``), as the service sends them and the AWS CLI prints them.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_SECOND = timedelta(seconds=1)


def epoch_seconds(value: datetime) -> float:
    return (value - _EPOCH) / _SECOND


def _default(value: object) -> float:
    if isinstance(value, datetime):
        return epoch_seconds(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(document: Any, *, indent: int | None = None) -> str:
    """JSON text of a response, timestamps as epoch floats."""
    return json.dumps(document, default=_default, indent=indent, ensure_ascii=False)


def encode(document: Any) -> bytes:
    """The JSON 1.1 body of a response."""
    return json.dumps(document, default=_default, separators=(",", ":")).encode()


def encode_error(code: str, message: str) -> bytes:
    """The JSON 1.1 error body: ``{"__type": code, "message": ...}``."""
    return json.dumps({"__type": code, "message": message}).encode()
