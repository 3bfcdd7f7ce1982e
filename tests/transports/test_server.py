"""The local endpoint: exact JSON 1.1, bad requests, clean start and stop."""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
from typing import Any

import botocore.exceptions
import pytest

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.service import service as service_module
from pytest_ssm_invocations.transports.http_server import SSMServer

from ..conftest import client


def _post(server: SSMServer, target: str | None, body: bytes) -> tuple[int, dict[str, str], Any]:
    # 30 s: a guard against a loaded machine, not a measure of speed
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target is not None:
        headers["X-Amz-Target"] = target
    connection.request("POST", "/", body=body, headers=headers)
    response = connection.getresponse()
    payload = json.loads(response.read() or b"null")
    connection.close()
    return response.status, dict(response.getheaders()), payload


@pytest.fixture
def server() -> Any:
    fake = FakeSSM(seed=4)
    fake.add_command(instances=5, command_id="ef7fdfd8-9b57-4151-a15c-db9a12345678")
    with SSMServer(fake) as running:
        yield running


def test_answers_an_sdk_client_over_real_http(server: SSMServer) -> None:
    pages = (
        client(endpoint_url=server.endpoint_url)
        .get_paginator("list_command_invocations")
        .paginate(PaginationConfig={"PageSize": 2})
    )
    assert sum(len(p["CommandInvocations"]) for p in pages) == 5
    assert [c.returned for c in server.fake.calls] == [2, 2, 1]


def test_protocol_details(server: SSMServer) -> None:
    status, headers, body = _post(server, "AmazonSSM.ListCommandInvocations", b"{}")
    assert status == 200
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert len(headers["x-amzn-RequestId"]) == 36
    assert isinstance(body["CommandInvocations"][0]["RequestedDateTime"], float)


@pytest.mark.parametrize(
    ("target", "body", "code"),
    [
        ("AmazonSSM.Nope", b"{}", "UnknownOperationException"),
        (None, b"{}", "UnknownOperationException"),
        ("AmazonEC2.DescribeInstances", b"{}", "UnknownOperationException"),
        ("AmazonSSM.DescribeDocument", b"{}", "UnsupportedOperation"),
        ("AmazonSSM.ListCommandInvocations", b"{not json", "SerializationException"),
        ("AmazonSSM.ListCommandInvocations", b"[1, 2]", "SerializationException"),
        ("AmazonSSM.ListCommandInvocations", b'{"MaxResults": "ten"}', "SerializationException"),
        ("AmazonSSM.ListCommandInvocations", b'{"Bogus": 1}', "SerializationException"),
        ("AmazonSSM.ListCommandInvocations", b'{"NextToken": "x"}', "InvalidNextToken"),
    ],
)
def test_bad_requests_get_aws_errors_and_the_server_keeps_serving(
    server: SSMServer, target: str | None, body: bytes, code: str
) -> None:
    status, headers, payload = _post(server, target, body)
    assert status == 400
    assert payload["__type"] == code
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert _post(server, "AmazonSSM.ListCommands", b"{}")[0] == 200


def test_unsupported_operation_names_itself(server: SSMServer) -> None:
    _, _, payload = _post(server, "AmazonSSM.DescribeDocument", b"{}")
    assert "DescribeDocument is not faked" in payload["message"]


def test_starts_fast_stops_cleanly_and_leaves_nothing_behind() -> None:
    before = {t.name for t in threading.enumerate()}
    start = time.perf_counter()
    server = SSMServer(FakeSSM()).start()
    started = time.perf_counter() - start
    port = server.port
    assert _post(server, "AmazonSSM.ListCommands", b"{}")[0] == 200
    server.stop()
    assert started < 1.0
    assert {t.name for t in threading.enumerate()} <= before
    with socket.socket() as probe:  # the port is free again
        probe.bind(("127.0.0.1", port))


def test_stop_waits_for_a_connection_kept_open_by_its_client() -> None:
    before = set(threading.enumerate())
    server = SSMServer(FakeSSM()).start()
    with socket.create_connection((server.host, server.port), timeout=30) as kept:
        request = (
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonSSM.ListCommands\r\n"
            b"Content-Length: 2\r\n\r\n{}"
        )
        kept.sendall(request)
        assert kept.recv(12) == b"HTTP/1.1 200"  # answered; the connection stays open
        began = time.perf_counter()
        server.stop()
        took = time.perf_counter() - began
    assert set(threading.enumerate()) <= before  # its thread has ended, not just the listener
    assert took < 30  # bounded: the shut-down socket ends the thread, no idle timeout waited


def test_env_points_a_subprocess_at_the_endpoint_only(server: SSMServer) -> None:
    env = server.env(region="eu-west-1")
    assert env["AWS_ENDPOINT_URL_SSM"] == server.endpoint_url
    assert env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["AWS_EC2_METADATA_DISABLED"] == "true"
    assert server.endpoint_url.startswith("http://127.0.0.1:")


pytest_plugins = ["pytester"]


def test_server_fixture_shares_the_tests_fake(pytester: pytest.Pytester) -> None:
    # A downstream suite's own code: its client is built as a user would.
    pytester.makepyfile(
        """
        import boto3

        def test_same_state(ssm_invocations, ssm_invocations_server):
            handle = ssm_invocations.add_command(instances=3)
            remote = boto3.client("ssm", region_name="us-east-1",
                                  endpoint_url=ssm_invocations_server.endpoint_url,
                                  aws_access_key_id="a", aws_secret_access_key="b")
            got = remote.list_command_invocations(CommandId=handle.command_id)
            assert len(got["CommandInvocations"]) == 3

        def test_next_test_sees_a_fresh_fake(ssm_invocations_server):
            assert ssm_invocations_server.fake.calls == []

        def test_session_form(ssm_invocations_session_server):
            assert ssm_invocations_session_server.endpoint_url.startswith("http://127.0.0.1:")
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


# -- framing, limits and failures ---------------------------------------------


def _raw(server: SSMServer, request: bytes, timeout: float = 5) -> bytes:
    """Send raw bytes, read until the server closes or stays quiet: what it answered."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(request)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
                if b"Connection: close" not in received and _complete(received):
                    break
        except TimeoutError:
            pass
    return received


def _complete(received: bytes) -> bool:
    head, sep, body = received.partition(b"\r\n\r\n")
    found = re.search(rb"Content-Length: (\d+)", head)
    return bool(sep) and found is not None and len(body) >= int(found.group(1))


def _request(headers: str, body: bytes = b"") -> bytes:
    return (
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "X-Amz-Target: AmazonSSM.ListCommandInvocations\r\n" + headers + "\r\n"
    ).encode() + body


def _status_and_body(received: bytes) -> tuple[int, bytes, bytes]:
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body


@pytest.mark.parametrize("length", ["abc", "-100", "0x10", "1e3", "", "12, 12"])
def test_a_malformed_content_length_gets_a_json_400_and_a_close(
    server: SSMServer, length: str
) -> None:
    status, head, body = _status_and_body(_raw(server, _request(f"Content-Length: {length}\r\n")))
    assert status == 400
    assert b"Connection: close" in head
    payload = json.loads(body)
    assert payload["__type"] == "SerializationException"
    assert repr(length) in payload["message"]
    assert _post(server, "AmazonSSM.ListCommands", b"{}")[0] == 200


def test_a_body_over_awss_limit_gets_the_front_ends_413(server: SSMServer) -> None:
    huge = _raw(server, _request("Content-Length: 99999999999999999999\r\n"))
    status, head, body = _status_and_body(huge)
    assert status == 413
    assert body == b"HTTP content length exceeded 1049600 bytes."
    assert b"Connection: close" in head


def test_an_sdk_sending_too_much_reads_the_413_not_a_reset(server: SSMServer) -> None:
    remote = client(endpoint_url=server.endpoint_url)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        remote.list_command_invocations(NextToken="x" * 2_000_000)
    assert raised.value.response["Error"]["Code"] == "413"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert server.fake.calls == []
    assert len(remote.list_command_invocations()["CommandInvocations"]) == 5


def test_a_body_nested_past_pythons_recursion_limit_is_a_serialization_error(
    server: SSMServer,
) -> None:
    status, _, payload = _post(server, "AmazonSSM.ListCommandInvocations", b"[" * 100_000)
    assert status == 400
    assert payload["__type"] == "SerializationException"


def test_a_chunked_body_is_read_and_the_connection_stays_usable(server: SSMServer) -> None:
    body = b'{"MaxResults": 2}'
    chunked = b"".join(
        [b"5\r\n", body[:5], b"\r\n", b"C;ext=1\r\n", body[5:], b"\r\n", b"0\r\nX-T: 1\r\n\r\n"]
    )
    request = _request("Transfer-Encoding: chunked\r\n", chunked)
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(request + _request("Content-Length: 2\r\n", b"{}"))
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
            if received.count(b"HTTP/1.1 ") == 2 and _complete(_responses(received)[1]):
                break
    answers = [_status_and_body(r) for r in _responses(received)]
    assert [status for status, _, _ in answers] == [200, 200]
    first, second = (json.loads(body) for _, _, body in answers)
    assert len(first["CommandInvocations"]) == 2
    assert len(second["CommandInvocations"]) == 5


def _responses(received: bytes) -> list[bytes]:
    return [b"HTTP/1.1" + part for part in received.split(b"HTTP/1.1")[1:]]


@pytest.mark.parametrize(
    "chunked", [b"zz\r\n{}\r\n0\r\n\r\n", b"1\r\n{}\r\n0\r\n\r\n", b"-2\r\n{}\r\n0\r\n\r\n"]
)
def test_malformed_chunks_get_a_json_400(server: SSMServer, chunked: bytes) -> None:
    status, head, body = _status_and_body(
        _raw(server, _request("Transfer-Encoding: chunked\r\n", chunked))
    )
    assert status == 400
    assert json.loads(body)["__type"] == "SerializationException"
    assert b"Connection: close" in head


def test_chunks_over_the_limit_get_the_413(server: SSMServer) -> None:
    chunk = b"x" * 600_000
    chunked = b"%x\r\n%s\r\n" % (len(chunk), chunk) * 2 + b"0\r\n\r\n"
    status, _, body = _status_and_body(
        _raw(server, _request("Transfer-Encoding: chunked\r\n", chunked))
    )
    assert (status, body) == (413, b"HTTP content length exceeded 1049600 bytes.")


def test_an_unexpected_failure_answers_aws_generic_500_and_logs_the_traceback(
    server: SSMServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: Any) -> Any:
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    monkeypatch.setitem(service_module.ANSWERS, "ListCommands", broken)
    status, _, payload = _post(server, "AmazonSSM.ListCommands", b"{}")
    assert status == 500
    assert payload == {
        "__type": "InternalServerError",
        "message": "We encountered an internal error. Please try again.",
    }
    assert server.fake.calls[-1].error == "InternalServerError"
    (record,) = [r for r in caplog.records if r.name.endswith("http_server")]
    assert record.exc_info is not None
    assert "unsupported operand" in str(record.exc_info[1])
    assert _post(server, "AmazonSSM.ListCommandInvocations", b"{}")[0] == 200


def test_each_response_is_one_write_with_nagle_off(
    server: SSMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[tuple[int, int]] = []
    real_sendall = socket.socket.sendall

    def counting(sock: socket.socket, data: Any, *args: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            nodelay = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            writes.append((len(data), nodelay))
        return real_sendall(sock, data, *args)

    monkeypatch.setattr(socket.socket, "sendall", counting)
    status, headers, _ = _post(server, "AmazonSSM.ListCommandInvocations", b"{}")
    assert status == 200
    (write,) = writes
    assert write[0] > int(headers["Content-Length"])
    assert write[1] != 0


def test_idle_and_slow_connections_give_their_threads_back() -> None:
    with SSMServer(FakeSSM(), idle_timeout=0.2, read_timeout=0.2) as quick:
        idle = socket.create_connection((quick.host, quick.port), timeout=5)
        slow = socket.create_connection((quick.host, quick.port), timeout=5)
        slow.sendall(_request("Content-Length: 100\r\n", b"{"))
        assert idle.recv(1) == b""  # closed by the server, well before the client's 5 s
        assert slow.recv(1) == b""
        idle.close()
        slow.close()
        assert _post(quick, "AmazonSSM.ListCommands", b"{}")[0] == 200


def test_stop_ends_open_keep_alive_connections() -> None:
    running = SSMServer(FakeSSM()).start()
    connection = http.client.HTTPConnection(running.host, running.port, timeout=5)
    connection.request("POST", "/", b"{}", {"X-Amz-Target": "AmazonSSM.ListCommands"})
    assert connection.getresponse().read()
    running.stop()
    assert connection.sock is not None
    assert connection.sock.recv(1) == b""
    connection.close()


def test_the_session_server_bounds_its_call_log(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from pytest_ssm_invocations.transports.http_server import SERVER_CALL_LOG

        def test_bounded(ssm_invocations_session_server):
            assert ssm_invocations_session_server.fake.service.call_limit == SERVER_CALL_LOG

        def test_the_tests_own_fake_keeps_everything(ssm_invocations_server):
            assert ssm_invocations_server.fake.service.call_limit is None
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)
