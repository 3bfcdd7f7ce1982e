"""A request body read as the JSON object of an operation's parameters, or refused.

``json.loads`` nests in C as deep as the text does, checked only by the
recursion limit: with the limit raised (Hypothesis raises it while a test
runs; some programs raise it for good), a body of 100,000 ``[`` overflows
the server thread's stack and kills the process. Bodies are therefore
measured first: no SSM request nests more than a few levels (a
``Parameters`` map of lists is three), so anything deeper than
:data:`MAX_DEPTH` is refused as malformed, as a body that is not JSON is,
whatever the recursion limit.
"""

from __future__ import annotations

import json
from typing import Any

#: Arrays and objects nested deeper than this are refused (SSM's requests nest a few levels).
MAX_DEPTH = 100
_OPENING = frozenset(b"[{")
_CLOSING = frozenset(b"]}")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


class Malformed(ValueError):
    """The body is no JSON object; ``str()`` is AWS's SerializationException message."""


def parameters(body: bytes) -> dict[str, Any]:
    """The parameters a JSON 1.1 request body carries (an empty body: none)."""
    if nests_deeper(body, MAX_DEPTH):
        raise Malformed("Start of structure or map found where not expected.")
    try:
        params = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise Malformed("Start of structure or map found where not expected.") from None
    if not isinstance(params, dict):
        raise Malformed("Start of list found where not expected")
    return params


def nests_deeper(body: bytes, limit: int) -> bool:
    """Whether ``body`` opens more than ``limit`` arrays or objects inside each other.

    Brackets inside strings do not count. Counting the brackets settles most
    bodies in C; only one with more than ``limit`` of them is walked.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSING:
            depth -= 1
    return False
