"""The local endpoint's HTTP/1.1: request heads, connection persistence, 100 Continue."""

from __future__ import annotations

import email.feedparser
import http.client
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports.http_server import SSMServer

from ..conftest import client

TARGET = b"X-Amz-Target: AmazonSSM.ListCommandInvocations\r\n"


@pytest.fixture(scope="module")
def server() -> Iterator[SSMServer]:
    fake = FakeSSM(seed=21)
    fake.add_command(instances=3)
    with SSMServer(fake, idle_timeout=2.0, read_timeout=2.0) as running:
        yield running


def _connect(server: SSMServer) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=5)


def _read_response(sock: socket.socket, pending: bytes = b"") -> tuple[bytes, bytes, bytes]:
    """One whole response off ``sock``: its head, its body, and any bytes after it."""
    while b"\r\n\r\n" not in pending:
        received = sock.recv(65536)
        if not received:
            return pending, b"", b""
        pending += received
    head, _, rest = pending.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(rest) < length:
        rest += sock.recv(65536)
    return head, rest[:length], rest[length:]


def _closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def _still_answers(server: SSMServer) -> None:
    answer = client(endpoint_url=server.endpoint_url).list_command_invocations()
    assert len(answer["CommandInvocations"]) == 3


@pytest.mark.parametrize(
    ("request_head", "status"),
    [
        (b"POST / HTTP/1.1\r\nHost : x\r\n" + TARGET, 400),
        (b"POST / HTTP/1.1\r\nHost: x\r\n" + TARGET + b" folded\r\n", 400),
        (b"POST / HTTP/1.1\r\n" + TARGET, 400),
        (b"POST / HTTP/1.1\r\nHost: x\r\nHost: y\r\n" + TARGET, 400),
        (b"POST / HTTP/2.0\r\nHost: x\r\n" + TARGET, 505),
        (b"HEAD / HTTP/1.1\r\nHost: x\r\n" + TARGET, 501),
        (b"POST /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n", 414),
    ],
    ids=["space before colon", "folded", "no host", "two hosts", "http/2", "head", "long target"],
)
def test_a_malformed_head_gets_a_json_error_and_a_close(
    server: SSMServer, request_head: bytes, status: int
) -> None:
    with _connect(server) as sock:
        sock.sendall(request_head + b"Content-Length: 2\r\n\r\n{}")
        head, body, _ = _read_response(sock)
        assert head.startswith(b"HTTP/1.1 %d " % status)
        assert b"Connection: close" in head
        assert b"Content-Type: application/x-amz-json-1.1" in head
        assert json.loads(body)["__type"] == "UnknownOperationException"
        assert _closed(sock)
    _still_answers(server)


def test_a_client_asking_to_close_gets_connection_close_and_a_closed_connection(
    server: SSMServer,
) -> None:
    with _connect(server) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + TARGET + b"\r\n")
        head, body, _ = _read_response(sock)
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert b"Connection: close" in head
        assert len(json.loads(body)["CommandInvocations"]) == 3
        assert _closed(sock)


@pytest.mark.parametrize(("connection", "kept"), [(b"", False), (b"keep-alive", True)])
def test_http_1_0_keeps_the_connection_only_when_asked(
    server: SSMServer, connection: bytes, kept: bool
) -> None:
    request = b"POST / HTTP/1.0\r\n" + TARGET + b"Connection: " + connection + b"\r\n\r\n"
    with _connect(server) as sock:
        sock.sendall(request)
        head, _, _ = _read_response(sock)
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert (b"Connection: close" not in head) is kept
        if kept:
            sock.sendall(request)
            assert _read_response(sock)[0].startswith(b"HTTP/1.1 200 OK")
        else:
            assert _closed(sock)


def test_expect_100_continue_is_answered_before_the_body_is_sent(server: SSMServer) -> None:
    body = b'{"MaxResults": 2}'
    with _connect(server) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            + TARGET
            + b"Content-Length: %d\r\n\r\n" % len(body)
        )
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        head, answer, _ = _read_response(sock)
    assert head.startswith(b"HTTP/1.1 200 OK")
    assert len(json.loads(answer)["CommandInvocations"]) == 2


def test_expect_100_continue_with_a_body_too_large_gets_the_413_at_once(
    server: SSMServer,
) -> None:
    with _connect(server) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            + TARGET
            + b"Content-Length: 2000000\r\n\r\n"
        )
        head, body, _ = _read_response(sock)  # without sending a byte of the body
        assert head.startswith(b"HTTP/1.1 413 ")
        assert body == b"HTTP content length exceeded 1049600 bytes."
        assert _closed(sock)


def test_pipelined_requests_are_answered_in_order(server: SSMServer) -> None:
    one = b"POST / HTTP/1.1\r\nHost: x\r\n" + TARGET + b"Content-Length: 16\r\n\r\n"
    with _connect(server) as sock:
        sock.sendall(one + b'{"MaxResults":1}' + one + b'{"MaxResults":2}')
        _, first, rest = _read_response(sock)
        _, second, _ = _read_response(sock, rest)
    assert len(json.loads(first)["CommandInvocations"]) == 1
    assert len(json.loads(second)["CommandInvocations"]) == 2


def test_reading_a_request_does_not_go_through_email_parser(
    server: SSMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``http.server`` read every head with ``email.parser``: most of a small request's cost."""
    fed: list[Any] = []
    real_feed = email.feedparser.FeedParser.feed

    def counting(parser: Any, data: str) -> None:
        fed.append(data)
        real_feed(parser, data)

    monkeypatch.setattr(email.feedparser.FeedParser, "feed", counting)
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
    connection.request("POST", "/", b"{}", {"X-Amz-Target": "AmazonSSM.ListCommandInvocations"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200
    assert len(fed) == 1  # the client reading the response head; the server read none


#: Request heads from pieces that matter to the grammar, hostile bytes among them.
_piece = st.sampled_from(
    [b"POST / HTTP/1.1\r\n", b"GET / HTTP/1.0\r\n", b"Host: x\r\n", TARGET, b"\r\n", b"\n",
     b"Content-Length: 2\r\n", b"Content-Length: -1\r\n", b"Transfer-Encoding: chunked\r\n",
     b"Expect: 100-continue\r\n", b"Connection: close\r\n", b" folded\r\n", b"X : y\r\n",
     b"X: \x00\r\n", b"X: a\rb\r\n", b"\x85", b"\xff", b"{}", b"0\r\n\r\n", b"2\r\n{}\r\n"]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(data=st.lists(_piece, max_size=10).map(b"".join))
def test_hostile_heads_are_answered_or_dropped_and_the_server_keeps_serving(
    server: SSMServer, data: bytes
) -> None:
    with _connect(server) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)  # no more is coming: the server must not wait for it
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    for status_line in [line for line in received.split(b"\r\n") if line.startswith(b"HTTP/")]:
        assert status_line.split(b" ")[1] in {b"100", b"200", b"400", b"413", b"501", b"505"}
    assert b"Traceback" not in received
    _still_answers(server)
