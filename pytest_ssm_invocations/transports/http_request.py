"""Reading one HTTP/1.1 request head (request line and header fields) off a connection.

Strict to RFC 9112: a request line of exactly ``method SP target SP HTTP/d.d``,
field lines of ``token ":" OWS value OWS``. Whatever is not that is refused
(whitespace before the colon, folded lines, bare CR, NUL and other controls,
a second ``Host``), never guessed at: a lenient reading of a malformed head
is how two parsers come to disagree about where a request ends. Limits are
the standard library server's: 65,536 bytes a line, 100 fields.

It replaces ``http.server``'s reading, which hands every head to
``email.parser``: most of the fixed cost of a small request.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

#: Longest request line or field line, CRLF included (``http.server``'s limit).
MAX_LINE_BYTES = 65_536
#: Most header fields in one request (``http.client``'s limit).
MAX_FIELDS = 100
_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_REQUEST_LINE = re.compile(rb"(" + _TOKEN + rb") ([\x21-\x7e]+) HTTP/([0-9])\.([0-9])\r?\n")
#: Field value: visible ASCII, obs-text, SP and HTAB (RFC 9110 5.5); no CR, LF, NUL or controls.
_FIELD_LINE = re.compile(rb"(" + _TOKEN + rb"):([\t\x20-\x7e\x80-\xff]*)\r?\n")
_EMPTY_LINES = (b"\r\n", b"\n")
_SHOWN = 100


class Rejected(Exception):
    """A request head the server refuses: answered with ``status`` and closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Request:
    """A request head. ``fields`` maps lower-case names to values, repeats joined by ", "."""

    method: str
    target: str
    version: tuple[int, int]
    fields: dict[str, str]

    @property
    def keep_alive(self) -> bool:
        """Whether the connection stays open after the answer (RFC 9112 9.3).

        A request framed both ways (chunked and a length) closes it whatever it
        asks (RFC 9112 6.3): a sign of request smuggling.
        """
        options = {o.strip().lower() for o in self.fields.get("connection", "").split(",")}
        if "close" in options or {"transfer-encoding", "content-length"} <= self.fields.keys():
            return False
        return self.version >= (1, 1) or "keep-alive" in options

    @property
    def expects_continue(self) -> bool:
        """Whether the client waits for ``100 Continue`` before sending the body."""
        wants = self.fields.get("expect", "").lower() == "100-continue"
        return wants and self.version >= (1, 1)


def read_request(rfile: io.BufferedReader) -> Request | None:
    """The next request head; None when the client closed (or went quiet mid-line).

    :class:`Rejected` for a head to refuse. One empty line before the request
    line is skipped, as RFC 9112 2.2 asks; a second one ends the connection.
    """
    line = rfile.readline(MAX_LINE_BYTES + 1)
    if line in _EMPTY_LINES:
        line = rfile.readline(MAX_LINE_BYTES + 1)
    if len(line) > MAX_LINE_BYTES:
        raise Rejected(414, "Request-URI Too Long")
    if not line.endswith(b"\n") or line in _EMPTY_LINES:
        return None
    found = _REQUEST_LINE.fullmatch(line)
    if found is None:
        raise Rejected(400, f"Bad request syntax ({_shown(line)!r})")
    method, target, major, minor = found.groups()
    if major != b"1":
        raise Rejected(505, f"Invalid HTTP version ({major.decode()}.{minor.decode()})")
    fields = _read_fields(rfile)
    if fields is None:
        return None
    version = (1, int(minor))
    if version >= (1, 1) and "host" not in fields:
        raise Rejected(400, "An HTTP/1.1 request must have a Host header")
    return Request(method.decode("ascii"), target.decode("ascii"), version, fields)


def _read_fields(rfile: io.BufferedReader) -> dict[str, str] | None:
    fields: dict[str, str] = {}
    count = 0
    while True:
        line = rfile.readline(MAX_LINE_BYTES + 1)
        if len(line) > MAX_LINE_BYTES:
            raise Rejected(431, "Line too long")
        if line in _EMPTY_LINES:
            return fields
        if not line.endswith(b"\n"):
            return None
        count += 1
        if count > MAX_FIELDS:
            raise Rejected(431, "Too many headers")
        found = _FIELD_LINE.fullmatch(line)
        if found is None:
            raise Rejected(400, f"Bad header line ({_shown(line)!r})")
        name = found.group(1).decode("ascii").lower()
        value = found.group(2).strip(b" \t").decode("latin-1")
        if name in fields:
            if name == "host":
                raise Rejected(400, "A request must have one Host header, not several")
            value = f"{fields[name]}, {value}"
        fields[name] = value


def _shown(line: bytes) -> str:
    text = line.rstrip(b"\r\n").decode("latin-1")
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."
