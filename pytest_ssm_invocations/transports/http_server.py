"""A real local endpoint speaking AWS JSON 1.1, for the AWS CLI and any SDK.

POST ``/`` with ``X-Amz-Target: AmazonSSM.<Operation>`` and a JSON body, as
the service expects. An unknown target is ``UnknownOperationException``, an
SSM operation the fake does not answer is ``UnsupportedOperation`` naming it,
a body that is not a JSON object is ``SerializationException``; the server
keeps serving after any of them. Binds 127.0.0.1 on a free port by default.
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .. import _model, wire
from ..fake import FakeSSM
from ..service.errors import ServiceError
from ..service.operations import OPERATIONS
from .addressing import region_of

_TARGET = re.compile(r"^AmazonSSM\.(\w+)$")
CONTENT_TYPE = "application/x-amz-json-1.1"
#: How often the serving loop looks for a stop request: what ``stop()`` waits at most.
_POLL_SECONDS = 0.02


class SSMServer:
    """The fake behind an HTTP endpoint: ``with SSMServer(fake) as server: server.endpoint_url``."""

    def __init__(self, fake: FakeSSM | None = None, host: str = "127.0.0.1", port: int = 0):
        self.fake = fake or FakeSSM()
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
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
            self._httpd.server_close()

    def stop(self) -> None:
        """Stop serving, close the socket, and wait for the serving thread."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SSMServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _handler_for(server: SSMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "pytest-ssm-invocations"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read the fake's call log instead."""

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", CONTENT_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            self.end_headers()
            self.wfile.write(body)

        def _error(self, code: str, message: str, status: int = 400) -> None:
            self._send(status, wire.encode_error(code, message))

        def do_GET(self) -> None:
            self._read_body()
            self._error("UnknownOperationException", "Only POST / with X-Amz-Target is served")

        def _read_body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def do_POST(self) -> None:
            body = self._read_body()
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
            except ValueError:
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
            except ServiceError as error:
                self._error(error.code, error.message, error.status)
                return
            except Exception as error:  # the server keeps serving whatever happens
                self._error("InternalServerError", f"{type(error).__name__}: {error}", 500)
                return
            self._send(200, wire.encode(answer))

    return Handler
