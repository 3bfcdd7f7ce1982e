"""Reading one request body off a socket: framed either way, capped, on a deadline.

The server must answer every request, however it is framed, and no client may
hold a thread for long: a body comes with ``Content-Length`` or
``Transfer-Encoding: chunked`` (other SDKs and curl send it), is refused past
AWS's size limit, and is read before a deadline whatever the sender's pace.
"""

from __future__ import annotations

import io
import re
import socket
import time
from collections.abc import Callable, Mapping

#: AWS's JSON front end refuses a larger body with HTTP 413 and the text
#: "HTTP content length exceeded 1049600 bytes." (seen from Step Functions,
#: another JSON-protocol service: aws/aws-sdk-js-v3 issue 4184; unverified for SSM).
MAX_BODY_BYTES = 1_049_600
#: An oversized body up to this size is read and dropped before the 413, so the
#: client reads the answer instead of a connection reset; past it, the server
#: answers at once and closes.
DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES
_DIGITS = re.compile(rb"[0-9]+")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(;[^\r\n]*)?\r?\n")
_LINE_LIMIT = 4096
_READ_SIZE = 65536


class Refusal(Exception):
    """A request the server answers with an error and then closes the connection.

    ``as_json`` is false for the front end's bare-text answers (413).
    """

    def __init__(self, status: int, code: str, message: str, as_json: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.as_json = as_json


class Vanished(Exception):
    """The client closed the connection or missed the deadline: nobody to answer."""


def too_large() -> Refusal:
    return Refusal(413, "413", f"HTTP content length exceeded {MAX_BODY_BYTES} bytes.", False)


def bad_framing(message: str) -> Refusal:
    # unverified: AWS's answer to a malformed Content-Length or chunk is not
    # documented; a 400 SerializationException says the body could not be read.
    return Refusal(400, "SerializationException", message)


class _Deadline:
    """A buffered socket reader that gives up once ``seconds`` have passed."""

    def __init__(self, rfile: io.BufferedReader, sock: socket.socket, seconds: float) -> None:
        self._rfile = rfile
        self._sock = sock
        self._end = time.monotonic() + seconds

    def _arm(self) -> None:
        left = self._end - time.monotonic()
        if left <= 0:
            raise Vanished("the request was not read in time")
        self._sock.settimeout(left)

    def _some(self, most: int) -> bytes:
        self._arm()
        try:
            data = self._rfile.read1(most)
        except (TimeoutError, OSError) as error:
            raise Vanished(str(error)) from None
        if not data:
            raise Vanished("the client closed the connection mid-request")
        return data

    def read(self, size: int, keep: bool = True) -> bytes:
        parts: list[bytes] = []
        while size:
            data = self._some(min(size, _READ_SIZE))
            size -= len(data)
            if keep:
                parts.append(data)
        return b"".join(parts)

    def readline(self) -> bytes:
        line = b""
        while not line.endswith(b"\n"):
            if len(line) >= _LINE_LIMIT:
                raise bad_framing("A chunk-size line of the request is too long")
            self._arm()
            try:
                ahead = self._rfile.peek(1)[: _LINE_LIMIT - len(line)]
            except (TimeoutError, OSError) as error:
                raise Vanished(str(error)) from None
            if not ahead:
                raise Vanished("the client closed the connection mid-request")
            end = ahead.find(b"\n")
            line += self.read(end + 1 if end >= 0 else len(ahead))
        return line


def read_body(
    fields: Mapping[str, str],
    rfile: io.BufferedReader,
    sock: socket.socket,
    seconds: float,
    on_continue: Callable[[], None] | None = None,
) -> bytes:
    """The request body; :class:`Refusal` for a body to refuse, :class:`Vanished` for none.

    ``fields`` are the request's header fields by lower-case name. ``on_continue``
    is for a client waiting for ``100 Continue``: called once the body is
    wanted, and a body declared too large is refused at once, unsent.
    """
    reader = _Deadline(rfile, sock, seconds)
    encoding = fields.get("transfer-encoding", "").lower()
    if encoding:
        if encoding != "chunked":
            raise bad_framing(f"Transfer-Encoding {encoding!r} is not supported; use chunked")
        if on_continue is not None:
            on_continue()
        return _read_chunked(reader)
    declared = fields.get("content-length")
    if declared is None:
        return b""
    if not _DIGITS.fullmatch(declared.encode("latin-1")):
        raise bad_framing(f"Content-Length {declared!r} is not a whole number of bytes")
    length = int(declared)
    if length > MAX_BODY_BYTES:
        if on_continue is None and length <= DRAIN_LIMIT_BYTES:
            reader.read(length, keep=False)
        raise too_large()
    if length and on_continue is not None:
        on_continue()
    return reader.read(length)


def _read_chunked(reader: _Deadline) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        line = reader.readline()
        found = _CHUNK_SIZE.fullmatch(line)
        if found is None:
            shown = line[:40].decode("latin-1").rstrip()
            raise bad_framing(f"Chunk size {shown!r} is not a hexadecimal number")
        size = int(found.group(1), 16)
        if size == 0:
            break
        total += size
        if total > MAX_BODY_BYTES:
            raise too_large()
        parts.append(reader.read(size))
        if reader.readline().strip():
            raise bad_framing("A chunk of the request is longer than its size says")
    while reader.readline().strip():  # trailer fields, ignored
        pass
    return b"".join(parts)
