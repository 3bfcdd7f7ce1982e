"""The local server under abuse: malformed traffic, a connection burst, slow clients.

Bounded in count and time (a few seconds in all), 127.0.0.1 only. After each
assault a well-formed request must still get its answer.
"""

from __future__ import annotations

import http.client
import json
import selectors
import socket
import time
from collections.abc import Iterator

import pytest

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports.http_server import SSMServer

pytestmark = pytest.mark.stress

#: How long any one step may take before the test fails instead of hanging.
BOUND_SECONDS = 10.0
BURST = 128
PYTHON_INTERNALS = (b"Traceback", b"TypeError", b"ValueError", b"KeyError", b"RecursionError")


def _head(target: str = "AmazonSSM.ListCommandInvocations") -> bytes:
    return f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: {target}\r\n".encode()


MALFORMED = {
    "content-length letters": _head() + b"Content-Length: abc\r\n\r\n{}",
    "content-length negative": _head() + b"Content-Length: -100\r\n\r\n{}",
    "content-length hex": _head() + b"Content-Length: 0x10\r\n\r\n{}",
    "content-length huge": _head() + b"Content-Length: 99999999999999999999\r\n\r\n{}",
    "100,000 brackets": _head() + b"Content-Length: 100000\r\n\r\n" + b"[" * 100_000,
    "nested objects": _head() + b"Content-Length: 60000\r\n\r\n" + b'{"a":' * 12_000,
    "not utf-8": _head() + b"Content-Length: 4\r\n\r\n\xff\xfe{}",
    "json null": _head() + b"Content-Length: 4\r\n\r\nnull",
    "bad chunk size": _head() + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "chunk longer than said": _head() + b"Transfer-Encoding: chunked\r\n\r\n1\r\n{}\r\n0\r\n\r\n",
    "unknown transfer coding": _head() + b"Transfer-Encoding: gzip\r\n\r\n{}",
    "garbage request line": b"\x00\x01GARBAGE\r\n\r\n",
    "unsupported method": b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
    "header line too long": _head() + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n",
    "too many headers": _head() + b"".join(b"X-%d: 1\r\n" % n for n in range(150)) + b"\r\n",
    "unknown target": _head("AmazonSSM.Nope") + b"Content-Length: 2\r\n\r\n{}",
    "get": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
}
#: Requests whose sender goes away: nobody to answer, but the server must not suffer.
ABANDONED = {
    "body cut short": _head() + b"Content-Length: 100\r\n\r\n{",
    "headers cut short": _head() + b"Content-Len",
    "nothing at all": b"",
}


@pytest.fixture
def server() -> Iterator[SSMServer]:
    fake = FakeSSM(seed=13)
    fake.add_command(instances=3)
    with SSMServer(fake, idle_timeout=1.0, read_timeout=0.5) as running:
        yield running


def _still_answers(server: SSMServer) -> None:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=BOUND_SECONDS)
    try:
        connection.request("POST", "/", b"{}", {"X-Amz-Target": "AmazonSSM.ListCommandInvocations"})
        response = connection.getresponse()
        assert response.status == 200
        assert len(json.loads(response.read())["CommandInvocations"]) == 3
    finally:
        connection.close()


def _answer(server: SSMServer, request: bytes) -> bytes:
    """Everything the server sends back before it closes the connection or goes quiet."""
    with socket.create_connection((server.host, server.port), timeout=BOUND_SECONDS) as sock:
        sock.sendall(request)
        received = b""
        try:
            while (chunk := sock.recv(65536)) and not _one_whole_response(received + chunk):
                received += chunk
            received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return received


def _one_whole_response(received: bytes) -> bool:
    head, sep, body = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if sep and name.lower() == b"content-length":
            return len(body) >= int(value)
    return False


@pytest.mark.parametrize("name", list(MALFORMED))
def test_every_malformed_request_gets_an_http_answer_and_no_traceback(
    server: SSMServer, name: str, capfd: pytest.CaptureFixture[str]
) -> None:
    received = _answer(server, MALFORMED[name])
    status_line = received.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1."), (name, received[:200])
    status = int(status_line.split()[1])
    assert 400 <= status < 600, status_line
    for python_internal in PYTHON_INTERNALS:
        assert python_internal not in received, (name, received[:300])
    _still_answers(server)
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("name", list(ABANDONED))
def test_abandoned_requests_cost_nothing_lasting(
    server: SSMServer, name: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with socket.create_connection((server.host, server.port), timeout=BOUND_SECONDS) as sock:
        sock.sendall(ABANDONED[name])
    _still_answers(server)
    assert "Traceback" not in capfd.readouterr().err


def test_a_burst_of_simultaneous_connections_is_answered(server: SSMServer) -> None:
    """128 connections opened at once, each with a request: every one answered."""
    request = _head() + b"Content-Length: 2\r\n\r\n{}"
    selector = selectors.DefaultSelector()
    pending: dict[socket.socket, bytes] = {}
    for _ in range(BURST):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex((server.host, server.port))
        selector.register(sock, selectors.EVENT_WRITE)
        pending[sock] = b""
    answered = 0
    deadline = time.monotonic() + BOUND_SECONDS
    try:
        while pending and time.monotonic() < deadline:
            for key, events in selector.select(timeout=0.5):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if events & selectors.EVENT_WRITE:
                    sock.sendall(request)
                    selector.modify(sock, selectors.EVENT_READ)
                    continue
                pending[sock] += sock.recv(65536)
                if _one_whole_response(pending[sock]):
                    assert pending.pop(sock).startswith(b"HTTP/1.1 200")
                    selector.unregister(sock)
                    sock.close()
                    answered += 1
    finally:
        for sock in pending:
            sock.close()
        selector.close()
    assert answered == BURST
    _still_answers(server)


def test_slow_clients_are_let_go_and_the_server_keeps_serving(server: SSMServer) -> None:
    slow = [socket.create_connection((server.host, server.port), timeout=BOUND_SECONDS)
            for _ in range(32)]  # fmt: skip
    try:
        for n, sock in enumerate(slow):
            sock.sendall(_head() + (b"Content-Length: 10\r\n\r\n{" if n % 2 else b"X-Slow"))
        _still_answers(server)
        assert all(sock.recv(65536) == b"" for sock in slow[::2])  # headers never finished
        assert all(sock.recv(65536) == b"" for sock in slow[1::2])  # body never finished
    finally:
        for sock in slow:
            sock.close()
    _still_answers(server)
