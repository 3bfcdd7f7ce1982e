"""The AWS JSON 1.1 form of responses: what travels over HTTP.

Timestamps become epoch seconds as floats with millisecond precision
(``1582136283.089``), as the service sends them and the AWS CLI prints them.

:func:`encode` may take each list item's text from elsewhere (a cache of
records encoded once, see ``encoded``): it joins those texts instead of
serializing the records again, and gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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


def dumps(document: Any, *, indent: int | None = None) -> str:
    """JSON text of a response, timestamps as epoch floats."""
    return json.dumps(document, default=_default, indent=indent, ensure_ascii=False)


def encode(document: Any, item: Callable[[Any], bytes] | None = None) -> bytes:
    """The JSON 1.1 body of a response; ``item`` gives the text of each item of its lists."""
    if item is None or not isinstance(document, dict):
        return compact(document)
    members = []
    for name, value in document.items():
        if isinstance(value, list):
            text = b"[" + b",".join([item(each) for each in value]) + b"]"
        else:
            text = compact(value)
        members.append(compact(name) + b":" + text)
    return b"{" + b",".join(members) + b"}"


def compact(value: Any) -> bytes:
    """``value`` as compact JSON text, timestamps as epoch floats."""
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
