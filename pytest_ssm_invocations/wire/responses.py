"""The AWS JSON 1.1 form of responses: what travels over HTTP.

Timestamps become epoch seconds as floats with millisecond precision
(``1582136283.089``), as the service sends them and the AWS CLI prints them.

A list item that is an :class:`Encoded` record carries its own JSON text,
made once (see ``service.encoded``): :func:`encode` joins those texts instead
of serializing the records again, and gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_SECOND = timedelta(seconds=1)


def epoch_seconds(value: datetime) -> float:
    if value.tzinfo is not None:
        return value.timestamp()  # the same float as the division below, in one C call
    return (value - _EPOCH) / _SECOND


def _default(value: object) -> float:
    if isinstance(value, datetime):
        return epoch_seconds(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class Encoded(dict[str, Any]):
    """A response item together with its compact JSON text (``json``)."""

    __slots__ = ("json",)

    def __init__(self, record: dict[str, Any]) -> None:
        super().__init__(record)
        self.json = _compact(record)


def dumps(document: Any, *, indent: int | None = None) -> str:
    """JSON text of a response, timestamps as epoch floats."""
    return json.dumps(document, default=_default, indent=indent, ensure_ascii=False)


def encode(document: Any) -> bytes:
    """The JSON 1.1 body of a response: ``Encoded`` items are joined, not serialized again."""
    if not isinstance(document, dict):
        return _compact(document)
    members = []
    for name, value in document.items():
        if isinstance(value, list) and any(isinstance(item, Encoded) for item in value):
            text = b"[" + b",".join(_item(item) for item in value) + b"]"
        else:
            text = _compact(value)
        members.append(_compact(name) + b":" + text)
    return b"{" + b",".join(members) + b"}"


def _item(item: Any) -> bytes:
    return item.json if isinstance(item, Encoded) else _compact(item)


def _compact(value: Any) -> bytes:
    return "".join(_ENCODE(value, 0)).encode()


def _make_encoder() -> Any:
    """What ``json.dumps(separators=(",", ":"), default=...)`` does, its C encoder built once."""
    if c_make_encoder is None:  # no C accelerator (another interpreter): the same output
        encoder = json.JSONEncoder(separators=(",", ":"), default=_default)
        return lambda value, _level: encoder.iterencode(value)
    # markers=None: no circular-reference check (records are trees); allow_nan as json.dumps.
    return c_make_encoder(
        None, _default, encode_basestring_ascii, None, ":", ",", False, False, True
    )


_ENCODE = _make_encoder()


def encode_error(code: str, message: str) -> bytes:
    """The JSON 1.1 error body: ``{"__type": code, "message": ...}``.

    An empty message is left out, as AWS does for errors whose model has none
    (``{"__type":"InvocationDoesNotExist"}``, aws/aws-sdk issue 86); botocore
    reads the missing key as an empty ``Message``.
    """
    body = {"__type": code, "message": message} if message else {"__type": code}
    return json.dumps(body).encode()
