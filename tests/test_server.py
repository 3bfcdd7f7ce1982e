"""The local endpoint: exact JSON 1.1, bad requests, clean start and stop."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from typing import Any

import pytest

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports.http_server import SSMServer

from .conftest import client


def _post(server: SSMServer, target: str | None, body: bytes) -> tuple[int, dict[str, str], Any]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
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
