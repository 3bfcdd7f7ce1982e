"""A real local endpoint speaking AWS JSON 1.1, for the AWS CLI and any SDK.

POST ``/`` with ``X-Amz-Target: AmazonSSM.<Operation>`` and a JSON body, as
the service expects. An unknown target is ``UnknownOperationException``, an
SSM operation the fake does not answer is ``UnsupportedOperation`` naming it,
a body that is not a JSON object is ``SerializationException``; the server
keeps serving after any of them. Binds 127.0.0.1 on a free port by default.

Built for a parallel test suite: a deep listen backlog, Nagle off and each
response written at once (no delayed-ACK stall), bodies capped as AWS caps
them, and timeouts so idle or slow connections give their threads back.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

from .. import _model, wire
from ..fake import FakeSSM
from ..service.errors import ServiceError
from ..service.operations import OPERATIONS
from .addressing import region_of
from .http_body import Refusal, Vanished, read_body

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
#: AWS's wording for a failure on its side; the traceback goes to this module's logger.
INTERNAL_ERROR_MESSAGE = "We encountered an internal error. Please try again."

log = logging.getLogger(__name__)


class _Listener(ThreadingHTTPServer):
    """The threading HTTP server, with a deep backlog and its open connections known."""

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

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

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection that failed (reset, broken pipe): logged quietly, never on stderr."""
        log.debug("connection from %s failed", client_address, exc_info=True)


class SSMServer:
    """The fake behind an HTTP endpoint: ``with SSMServer(fake) as server: server.endpoint_url``."""

    def __init__(
        self,
        fake: FakeSSM | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ):
        self.fake = fake or FakeSSM()
        self.idle_timeout = idle_timeout
        self.read_timeout = read_timeout
        self._httpd = _Listener((host, port), _handler_for(self))
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
        """Stop serving, close the socket and every connection, wait for the serving thread."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._close()

    def _close(self) -> None:
        self._httpd.server_close()
        self._httpd.close_connections()

    def __enter__(self) -> SSMServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _handler_for(server: SSMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "pytest-ssm-invocations"
        disable_nagle_algorithm = True
        timeout = server.idle_timeout

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read the fake's call log instead."""

        def _send(
            self, status: int, body: bytes, content_type: str = CONTENT_TYPE, close: bool = False
        ) -> None:
            """Status line, headers and body in one write: no small segment left waiting."""
            reason = self.responses.get(status, ("",))[0]
            head = [
                f"{self.protocol_version} {status} {reason}",
                f"Server: {self.version_string()}",
                f"Date: {self.date_time_string()}",
                f"Content-Type: {content_type}",
                f"Content-Length: {len(body)}",
                f"x-amzn-RequestId: {uuid.uuid4()}",
            ]
            if close:
                head.append("Connection: close")
                self.close_connection = True
            self.wfile.write("\r\n".join([*head, "", ""]).encode("latin-1") + body)

        def _error(self, code: str, message: str, status: int = 400) -> None:
            self._send(status, wire.encode_error(code, message))

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            """The HTTP layer's refusals (request line, headers, method) as JSON 1.1 errors.

            unverified: AWS's front end answers such requests before any operation is
            chosen; they are ``UnknownOperationException``, as a request with no target is.
            """
            reason = message or self.responses.get(code, ("",))[0]
            self._send(code, wire.encode_error("UnknownOperationException", reason), close=True)

        def _body(self) -> bytes | None:
            """The request body, or None once the request has been answered or dropped."""
            try:
                rfile = cast(io.BufferedReader, self.rfile)
                return read_body(self.headers, rfile, self.connection, server.read_timeout)
            except Refusal as refusal:
                if refusal.as_json:
                    body, kind = wire.encode_error(refusal.code, refusal.message), CONTENT_TYPE
                else:
                    body, kind = refusal.message.encode(), "text; charset=utf-8"
                self._send(refusal.status, body, kind, close=True)
            except Vanished:
                self.close_connection = True
            finally:
                self.connection.settimeout(server.idle_timeout)
            return None

        def do_GET(self) -> None:
            if self._body() is not None:
                self._error("UnknownOperationException", "Only POST / with X-Amz-Target is served")

        def do_POST(self) -> None:
            body = self._body()
            if body is None:
                return
            found = _TARGET.match(self.headers.get("X-Amz-Target", ""))
            if found is None:
                self._error("UnknownOperationException", "")
                return
            operation = found.group(1)
            if operation not in OPERATIONS:
                if operation in _model.service_model().operation_names:
                    message = (
                        f"pytest-ssm-invocations answers {', '.join(OPERATIONS)}; "
                        f"{operation} is not faked"
                    )
                    self._error("UnsupportedOperation", message)
                else:
                    self._error("UnknownOperationException", "")
                return
            try:
                params = json.loads(body or b"{}")
            except (ValueError, RecursionError):
                self._error(
                    "SerializationException", "Start of structure or map found where not expected."
                )
                return
            if not isinstance(params, dict):
                self._error("SerializationException", "Start of list found where not expected")
                return
            host = f"http://{self.headers.get('Host', '')}/"
            region = region_of(self.headers.get("Authorization"), host, server.fake.region)
            try:
                answer = server.fake.handle(operation, params, region)
                encoded = wire.encode(answer)
            except ServiceError as error:
                self._error(error.code, error.message, error.status)
                return
            except Exception:  # the server keeps serving whatever happens, and says nothing inside
                log.exception("%s failed; answered InternalServerError", operation)
                self._error("InternalServerError", INTERNAL_ERROR_MESSAGE, 500)
                return
            self._send(200, encoded)

    return Handler
