"""A real local endpoint speaking AWS JSON 1.1, for the AWS CLI and any SDK.

POST ``/`` with ``X-Amz-Target: AmazonSSM.<Operation>`` and a JSON body, as
the service expects, answered through ``wire.exchange`` as in process. An
unknown target is ``UnknownOperationException``, an SSM operation the fake
does not answer is ``UnsupportedOperation`` naming it, a body that is not a
JSON object, or nests deeper than any SSM request (``wire.requests``), is
``SerializationException``; the server keeps serving after any of them, and
after any failure inside (``InternalServerError``). Binds 127.0.0.1 on a free
port by default.

Built for a parallel test suite: a deep listen backlog, Nagle off and each
response written at once (no delayed-ACK stall), bodies capped as AWS caps
them, and timeouts so idle or slow connections give their threads back. The
request head is read by :mod:`.http_request`, not ``http.server``, whose
``email.parser`` reading was most of the fixed cost of a small request.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import socket
import socketserver
import sys
import threading
import time
import uuid
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

from .. import wire
from ..catalogue import model
from ..service.errors import TestMistake
from ..service.operations import NotFaked
from . import registry
from .addressing import region_of
from .http_body import Refusal, Vanished, read_body
from .http_request import Rejected, Request, read_request

_TARGET = re.compile(r"^AmazonSSM\.(\w+)$")
CONTENT_TYPE = "application/x-amz-json-1.1"
#: How often the serving loop looks for a stop request: what ``stop()`` waits at most.
_POLL_SECONDS = 0.02
#: Connections waiting to be accepted: a parallel suite opens many at once.
LISTEN_BACKLOG = 128
#: A keep-alive connection idle this long is closed (clients reconnect on their own).
IDLE_TIMEOUT_SECONDS = 60.0
#: A request's body must arrive within this (a 1 MB body on loopback takes milliseconds).
READ_TIMEOUT_SECONDS = 30.0
#: Calls a long-running server keeps (``ssm-invocations serve``, the session server).
SERVER_CALL_LOG = 10_000
#: How long :meth:`SSMServer.stop` waits, in all, for connection threads to end once
#: their sockets are shut down (they end at once unless an answer is being written).
STOP_WAIT_SECONDS = 5.0
#: AWS's wording for a failure on its side; the traceback goes to this module's logger.
INTERNAL_ERROR_MESSAGE = "We encountered an internal error. Please try again."
_SERVER_NAME = f"pytest-ssm-invocations Python/{sys.version.split()[0]}"
_STATUS_LINES = {
    status.value: f"HTTP/1.1 {status.value} {status.phrase}\r\n" for status in HTTPStatus
}
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_CLOSE = "Connection: close\r\n"
_SERVED_METHODS = ("POST", "GET")

log = logging.getLogger(__name__)


class _Listener(socketserver.ThreadingTCPServer):
    """A thread per connection, a deep backlog, and its open connections known."""

    request_queue_size = LISTEN_BACKLOG
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address: tuple[str, int], owner: SSMServer) -> None:
        self.owner = owner
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self.serving: set[threading.Thread] = set()
        """The connection threads (daemons, which ``server_close`` never joins)."""
        super().__init__(address, _Exchange)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End every open connection, so no thread keeps serving after a stop."""
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def track(self, thread: threading.Thread) -> None:
        """Know ``thread`` as a connection's, forgetting those that have ended."""
        with self._open_lock:
            self.serving = {t for t in self.serving if t.is_alive()}
            self.serving.add(thread)

    def join_connections(self, seconds: float) -> None:
        """Wait, ``seconds`` at most in all, for the connection threads to end."""
        deadline = time.monotonic() + seconds
        with self._open_lock:
            running = list(self.serving)
        for thread in running:
            thread.join(max(0.0, deadline - time.monotonic()))

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that failed (reset, broken pipe): logged quietly, never on stderr."""
        log.debug("connection from %s failed", client_address, exc_info=True)


class SSMServer:
    """The fake behind an HTTP endpoint: ``with SSMServer(fake) as server: server.endpoint_url``."""

    def __init__(
        self,
        fake: registry.Answers,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ):
        self.fake = fake
        """The fake answering (the caller builds it: ``FakeSSM()``, the fixture's, the CLI's)."""
        self.idle_timeout = idle_timeout
        self.read_timeout = read_timeout
        self._httpd = _Listener((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def env(self, region: str | None = None) -> dict[str, str]:
        """Environment for a subprocess (AWS CLI, another SDK) to use this endpoint only.

        Dummy credentials, no shared config or credentials file, no instance
        metadata look-ups: nothing can reach AWS.
        """
        return {
            "AWS_ENDPOINT_URL_SSM": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": region or self.fake.region,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
        }

    def start(self) -> SSMServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": _POLL_SECONDS},
                name=f"ssm-invocations:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`stop` (or KeyboardInterrupt)."""
        try:
            self._httpd.serve_forever(poll_interval=_POLL_SECONDS)
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving, close the socket and every connection, and wait for the serving
        thread and the connection threads (:data:`STOP_WAIT_SECONDS` at most for those)."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._close()

    def _close(self) -> None:
        self._httpd.server_close()
        self._httpd.close_connections()
        self._httpd.join_connections(STOP_WAIT_SECONDS)

    def __enter__(self) -> SSMServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


class _Exchange(socketserver.BaseRequestHandler):
    """One connection: requests read and answered in turn until either side closes it."""

    server: _Listener
    request: socket.socket

    def setup(self) -> None:
        self.server.track(threading.current_thread())
        self.owner = self.server.owner
        self.request.settimeout(self.owner.idle_timeout)
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
        self.rfile = self.request.makefile("rb")

    def handle(self) -> None:
        try:
            while self._serve_one():
                pass
        except OSError as error:  # reset, broken pipe, idle timeout: nobody left to answer
            log.debug("connection from %s ended: %r", self.client_address, error)

    def finish(self) -> None:
        self.rfile.close()

    def _serve_one(self) -> bool:
        """Read and answer one request; whether the connection stays open for another."""
        try:
            head = read_request(self.rfile)
        except Rejected as rejected:
            # unverified: AWS's front end answers such requests before any operation is
            # chosen; they are ``UnknownOperationException``, as a request with no target is.
            error = wire.encode_error("UnknownOperationException", rejected.message)
            return self._send(rejected.status, error, keep_alive=False)
        if head is None:
            return False
        if head.method not in _SERVED_METHODS:
            message = f"Unsupported method ({head.method!r})"
            error = wire.encode_error("UnknownOperationException", message)
            return self._send(501, error, keep_alive=False)
        body = self._body(head)
        if body is None:
            return False
        if head.method == "GET":
            message = "Only POST / with X-Amz-Target is served"
            status, answer = 400, wire.encode_error("UnknownOperationException", message)
        else:
            status, answer = _answer(self.owner.fake, head, body)
        return self._send(status, answer, keep_alive=head.keep_alive)

    def _body(self, head: Request) -> bytes | None:
        """The request body, or None once the request has been answered or dropped."""
        on_continue = self._continue if head.expects_continue else None
        try:
            return read_body(
                head.fields, self.rfile, self.request, self.owner.read_timeout, on_continue
            )
        except Refusal as refusal:
            if refusal.as_json:
                body, kind = wire.encode_error(refusal.code, refusal.message), CONTENT_TYPE
            else:
                body, kind = refusal.message.encode(), "text; charset=utf-8"
            self._send(refusal.status, body, keep_alive=False, content_type=kind)
        except Vanished:
            pass
        finally:
            self.request.settimeout(self.owner.idle_timeout)
        return None

    def _continue(self) -> None:
        self.request.sendall(_CONTINUE)

    def _send(
        self, status: int, body: bytes, keep_alive: bool, content_type: str = CONTENT_TYPE
    ) -> bool:
        """Status line, headers and body in one write: no small segment left waiting."""
        status_line = _STATUS_LINES.get(status) or _status_line(status)
        head = (
            f"{status_line}Server: {_SERVER_NAME}\r\nDate: {_http_date(int(time.time()))}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            f"x-amzn-RequestId: {uuid.uuid4()}\r\n{'' if keep_alive else _CLOSE}\r\n"
        )
        self.request.sendall(head.encode("latin-1") + body)
        return keep_alive


@functools.lru_cache(maxsize=2)
def _http_date(second: int) -> str:
    return formatdate(second, usegmt=True)


def _answer(fake: registry.Answers, head: Request, body: bytes) -> tuple[int, bytes]:
    """The status and JSON 1.1 body answering one POST."""
    found = _TARGET.match(head.fields.get("x-amz-target", ""))
    operation = found.group(1) if found else ""
    host = f"http://{head.fields.get('host', '')}/"
    region = region_of(head.fields.get("authorization"), host, fake.region)
    try:
        exchanged = wire.exchange(fake, operation, body, region)
    except NotFaked as not_faked:
        if operation in model.service_model().operation_names:
            return 400, wire.encode_error("UnsupportedOperation", str(not_faked))
        return 400, wire.encode_error("UnknownOperationException", "")
    except TestMistake as mistake:  # the fixture fails the test with it at teardown
        return 500, wire.encode_error("InternalServerError", str(mistake))
    except Exception:  # the server keeps serving whatever happens, and says nothing inside
        log.exception("%s failed; answered InternalServerError", operation)
        return 500, wire.encode_error("InternalServerError", INTERNAL_ERROR_MESSAGE)
    return exchanged.status, exchanged.body


def _status_line(status: int) -> str:
    return f"HTTP/1.1 {status} \r\n"
