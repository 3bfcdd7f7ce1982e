"""A request body read as the JSON object of an operation's parameters, or refused.

``json.loads`` nests in C as deep as the text does, checked only by the
recursion limit: with the limit raised (Hypothesis raises it while a test
runs; some programs raise it for good), a body of 100,000 ``[`` overflows
the server thread's stack and kills the process. Bodies are therefore
measured first, as text decoded as ``json.loads`` decodes it (UTF-8, or UTF-16
or UTF-32, where a byte of a character can look like a quote): no SSM
request nests more than a few levels (a ``Parameters`` map of lists is
three), so anything deeper than :data:`MAX_DEPTH` is refused as malformed,
as a body that is not JSON is, whatever the recursion limit.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Arrays and objects nested deeper than this are refused (SSM's requests nest a few levels).
MAX_DEPTH = 100
_NOT_A_STRUCTURE = "Start of structure or map found where not expected."
#: What a depth walk looks at: brackets, and what starts, ends or escapes in a string.
_TOKENS = re.compile(r'[\[\]{}"\\]')


class Malformed(ValueError):
    """The body is no JSON object; ``str()`` is AWS's SerializationException message."""


def parameters(body: bytes) -> dict[str, Any]:
    """The parameters a JSON 1.1 request body carries (an empty body: none)."""
    try:
        text = body.decode(json.detect_encoding(body), "surrogatepass") if body else "{}"
    except UnicodeDecodeError:
        raise Malformed(_NOT_A_STRUCTURE) from None
    if nests_deeper(text, MAX_DEPTH):
        raise Malformed(_NOT_A_STRUCTURE)
    try:
        params = json.loads(text)
    except (ValueError, RecursionError):
        raise Malformed(_NOT_A_STRUCTURE) from None
    if not isinstance(params, dict):
        raise Malformed("Start of list found where not expected")
    return params


def nests_deeper(text: str, limit: int) -> bool:
    """Whether ``text`` opens more than ``limit`` arrays or objects inside each other.

    Brackets inside strings do not count. Counting the brackets settles most
    bodies in C; only one with more than ``limit`` of them is walked, token by
    token.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string, escaped_at = 0, False, -1
    for token in _TOKENS.finditer(text):
        char, at = token.group(), token.start()
        if in_string:
            if at == escaped_at:
                continue  # the character after a backslash: \" and \\ end nothing
            if char == "\\":
                escaped_at = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False
