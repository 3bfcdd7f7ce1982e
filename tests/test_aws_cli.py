"""The real AWS CLI against the local endpoint; what it prints is checked against the fake."""

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

AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI is installed by the dev extra")


@pytest.fixture(scope="module")
def server() -> Any:
    fake = FakeSSM(seed=9)
    fake.add_command(
        statuses={"Success": 7, "Failed": 2, "DeliveryTimedOut": 1},
        command_id="ef7fdfd8-9b57-4151-a15c-db9a12345678",
        document="AWS-RunShellScript",
        instance_ids=[f"i-0123456789abcdef{n}" for n in range(10)],
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


def _state(server: SSMServer) -> list[dict[str, Any]]:
    return [e.final for e in server.fake.store.region("us-east-1").ordered]


CID = "ef7fdfd8-9b57-4151-a15c-db9a12345678"


def test_list_with_details_matches_the_fake(server: SSMServer) -> None:
    printed = json.loads(aws(server, "list-command-invocations", "--command-id", CID, "--details"))
    items = printed["CommandInvocations"]
    assert [i["InstanceId"] for i in items] == [r["InstanceId"] for r in _state(server)]
    assert [i["StatusDetails"] for i in items] == [r["StatusDetails"] for r in _state(server)]
    first = items[0]
    assert isinstance(first["RequestedDateTime"], float)  # epoch seconds, as the CLI prints
    assert first["CommandPlugins"][0]["Name"] == "aws:runShellScript"


def test_instance_id_and_filters_in_shorthand_and_json(server: SSMServer) -> None:
    node = "i-0123456789abcdef3"
    one = json.loads(aws(server, "list-command-invocations", "--instance-id", node))
    assert [i["InstanceId"] for i in one["CommandInvocations"]] == [node]
    failed = {r["InstanceId"] for r in _state(server) if r["Status"] == "Failed"}
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
    assert ids == [r["InstanceId"] for r in _state(server)]


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
    assert statuses.split() == [r["StatusDetails"] for r in _state(server)]
    table = aws(server, "list-command-invocations", "--output", "table")
    assert "ListCommandInvocations" in table
    assert "i-0123456789abcdef0" in table


def test_get_command_invocation(server: SSMServer) -> None:
    record = next(r for r in _state(server) if r["Status"] == "Failed")
    printed = json.loads(aws(server, "get-command-invocation", "--command-id", CID,
                             "--instance-id", record["InstanceId"]))  # fmt: skip
    assert printed["Status"] == "Failed"
    assert printed["ResponseCode"] == record["CommandPlugins"][0]["ResponseCode"]
    assert printed["ExecutionElapsedTime"].startswith("PT")


def test_list_commands(server: SSMServer) -> None:
    printed = json.loads(aws(server, "list-commands", "--command-id", CID))
    command = printed["Commands"][0]
    assert (command["TargetCount"], command["ErrorCount"], command["DeliveryTimedOutCount"]) == (
        10, 2, 1,
    )  # fmt: skip
    assert command["Status"] == "Failed"


def test_wait_command_executed(server: SSMServer) -> None:
    success = next(r for r in _state(server) if r["Status"] == "Success")
    aws(server, "wait", "command-executed", "--command-id", CID,
        "--instance-id", success["InstanceId"])  # fmt: skip
    failed = next(r for r in _state(server) if r["Status"] == "Failed")
    assert AWS is not None
    result = subprocess.run(
        [AWS, "ssm", "wait", "command-executed", "--command-id", CID, "--instance-id",
         failed["InstanceId"]],
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
