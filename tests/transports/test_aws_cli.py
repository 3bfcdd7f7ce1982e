"""The real AWS CLI against the local endpoint; what it prints is checked against what was sent."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports.http_server import SSMServer

from ..conftest import client

AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI is installed by the dev extra")


CID = "ef7fdfd8-9b57-4151-a15c-db9a12345678"
#: What the command was sent to and how each node ended, in the order given:
#: the oracle every listing is checked against.
SENT = [
    (f"i-0123456789abcdef{n}", status)
    for n, status in enumerate(["Success", "Failed", "Success", "Success", "DeliveryTimedOut",
                                "Success", "Failed", "Success", "Success", "Success"])
]  # fmt: skip
NODES = [node for node, _ in SENT]


def _nodes(status: str) -> list[str]:
    return [node for node, details in SENT if details == status]


@pytest.fixture(scope="module")
def server() -> Any:
    fake = FakeSSM(seed=9)
    fake.add_command(
        statuses=[status for _, status in SENT],
        command_id=CID,
        document="AWS-RunShellScript",
        instance_ids=NODES,
    )
    with SSMServer(fake) as running:
        yield running


def aws(server: SSMServer, *args: str) -> str:
    assert AWS is not None
    result = subprocess.run(
        [AWS, "ssm", *args], env={**os.environ, **server.env()},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_list_with_details_shows_what_was_sent(server: SSMServer) -> None:
    printed = json.loads(aws(server, "list-command-invocations", "--command-id", CID, "--details"))
    items = printed["CommandInvocations"]
    assert [(i["InstanceId"], i["StatusDetails"]) for i in items] == SENT
    first = items[0]
    assert isinstance(first["RequestedDateTime"], float)  # epoch seconds, as the CLI prints
    assert first["CommandPlugins"][0]["Name"] == "aws:runShellScript"


def test_instance_id_and_filters_in_shorthand_and_json(server: SSMServer) -> None:
    node = "i-0123456789abcdef3"
    one = json.loads(aws(server, "list-command-invocations", "--instance-id", node))
    assert [i["InstanceId"] for i in one["CommandInvocations"]] == [node]
    failed = set(_nodes("Failed"))
    shorthand = json.loads(aws(server, "list-command-invocations", "--filters",
                               "key=Status,value=Failed"))  # fmt: skip
    as_json = json.loads(aws(server, "list-command-invocations", "--filters",
                             '[{"key": "Status", "value": "Failed"}]'))  # fmt: skip
    assert {i["InstanceId"] for i in shorthand["CommandInvocations"]} == failed
    assert as_json == shorthand


def test_max_items_and_starting_token_resume(server: SSMServer) -> None:
    first = json.loads(aws(server, "list-command-invocations", "--max-items", "4"))
    assert len(first["CommandInvocations"]) == 4
    rest = json.loads(aws(server, "list-command-invocations", "--starting-token",
                          first["NextToken"]))  # fmt: skip
    ids = [i["InstanceId"] for i in first["CommandInvocations"] + rest["CommandInvocations"]]
    assert ids == NODES


def test_page_size_and_no_paginate(server: SSMServer) -> None:
    before = len(server.fake.calls)
    paged = json.loads(aws(server, "list-command-invocations", "--page-size", "3"))
    assert len(paged["CommandInvocations"]) == 10
    calls = server.fake.calls[before:]
    assert [c.returned for c in calls] == [3, 3, 3, 1]
    single = json.loads(aws(server, "list-command-invocations", "--no-paginate",
                            "--max-results", "4"))  # fmt: skip
    assert len(single["CommandInvocations"]) == 4
    assert "NextToken" in single


def test_query_and_output_formats(server: SSMServer) -> None:
    statuses = aws(server, "list-command-invocations", "--query",
                   "CommandInvocations[].StatusDetails", "--output", "text")  # fmt: skip
    assert statuses.split() == [status for _, status in SENT]
    table = aws(server, "list-command-invocations", "--output", "table")
    assert "ListCommandInvocations" in table
    assert "i-0123456789abcdef0" in table


def test_get_command_invocation(server: SSMServer) -> None:
    node = _nodes("Failed")[0]
    printed = json.loads(aws(server, "get-command-invocation", "--command-id", CID,
                             "--instance-id", node))  # fmt: skip
    assert printed["Status"] == "Failed"
    listed = client(endpoint_url=server.endpoint_url).list_command_invocations(
        CommandId=CID, InstanceId=node, Details=True
    )
    plugin = listed["CommandInvocations"][0]["CommandPlugins"][0]
    assert printed["ResponseCode"] == plugin["ResponseCode"] != 0  # one node, one exit code
    assert printed["ExecutionElapsedTime"].startswith("PT")


def test_list_commands(server: SSMServer) -> None:
    printed = json.loads(aws(server, "list-commands", "--command-id", CID))
    command = printed["Commands"][0]
    assert (command["TargetCount"], command["ErrorCount"], command["DeliveryTimedOutCount"]) == (
        10, 2, 1,
    )  # fmt: skip
    assert command["Status"] == "Failed"


def test_wait_command_executed(server: SSMServer) -> None:
    aws(server, "wait", "command-executed", "--command-id", CID,
        "--instance-id", _nodes("Success")[0])  # fmt: skip
    assert AWS is not None
    result = subprocess.run(
        [AWS, "ssm", "wait", "command-executed", "--command-id", CID, "--instance-id",
         _nodes("Failed")[0]],
        env={**os.environ, **server.env()}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 255
    assert "terminal failure state" in result.stderr


def test_cli_errors_are_aws_errors(server: SSMServer) -> None:
    assert AWS is not None
    result = subprocess.run(
        [AWS, "ssm", "list-command-invocations", "--starting-token", "garbage"],
        env={**os.environ, **server.env()}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "InvalidNextToken" in result.stderr or "Bad starting token" in result.stderr


def test_send_cancel_and_describe_through_the_cli(ssm_invocations: FakeSSM) -> None:
    web = ssm_invocations.add_instances(2, tags={"Role": "web"})
    ssm_invocations.on_send(statuses={"InProgress": 2})
    with SSMServer(ssm_invocations) as server:
        sent = json.loads(
            aws(
                server,
                "send-command",
                "--document-name",
                "AWS-RunShellScript",
                "--targets",
                "Key=tag:Role,Values=web",
                "--parameters",
                "commands=uptime",
                "--max-concurrency",
                "50%",
                "--max-errors",
                "1",
                "--timeout-seconds",
                "600",
                "--output",
                "json",
            )
        )["Command"]
        assert (sent["Status"], sent["InstanceIds"], sent["TargetCount"]) == ("Pending", [], 0)
        assert sent["MaxConcurrency"] == "50%"
        command_id = sent["CommandId"]
        assert aws(server, "cancel-command", "--command-id", command_id) == ""
        ssm_invocations.clock.advance(seconds=5)
        listed = json.loads(
            aws(server, "list-command-invocations", "--command-id", command_id, "--output", "json")
        )["CommandInvocations"]
        described = json.loads(
            aws(
                server,
                "describe-instance-information",
                "--filters",
                "Key=tag:Role,Values=web",
                "--output",
                "json",
            )
        )["InstanceInformationList"]
    assert {i["InstanceId"]: i["StatusDetails"] for i in listed} == dict.fromkeys(web, "Cancelled")
    assert [i["InstanceId"] for i in described] == web
    (request,) = [h.request for h in ssm_invocations.sent]
    assert request is not None
    assert request["Targets"] == [{"Key": "tag:Role", "Values": ["web"]}]
