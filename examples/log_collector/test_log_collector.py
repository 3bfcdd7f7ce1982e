"""The collector against the fake SSM under moto: S3 objects and EventBridge events are real."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from log_collector import collect
from moto import mock_aws

from pytest_ssm_invocations import FakeSSM

REGION = "us-east-1"
LOG = "".join(f"2025-06-01 12:00:{i % 60:02d} worker {i} ok\n" for i in range(2000))


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    with mock_aws():
        clients = {name: boto3.client(name, region_name=REGION)
                   for name in ("ssm", "s3", "sqs", "events")}  # fmt: skip
        clients["s3"].create_bucket(Bucket="fleet-logs")
        url = clients["sqs"].create_queue(QueueName="ssm-events")["QueueUrl"]
        arn = clients["sqs"].get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        pattern = {"source": ["aws.ssm"], "detail-type": ["EC2 Command Status-change Notification"]}
        clients["events"].put_rule(Name="run-command", EventPattern=json.dumps(pattern))
        clients["events"].put_targets(
            Rule="run-command", Targets=[{"Id": "q", "Arn": arn["Attributes"]["QueueArn"]}]
        )
        clients["queue_url"] = url
        yield clients


def run(aws: dict[str, Any], nodes: list[str]) -> tuple[str, dict[str, str]]:
    return collect(aws["ssm"], aws["s3"], aws["sqs"], aws["queue_url"], nodes, "fleet-logs",
                   "journalctl -u worker")  # fmt: skip


@pytest.mark.ssm_invocations(time="fake")
def test_the_whole_log_of_every_node_is_collected(
    ssm_invocations: FakeSSM, aws: dict[str, Any]
) -> None:
    nodes = ssm_invocations.add_instances(3)
    ssm_invocations.on_send(stdout=LOG)
    status, logs = run(aws, nodes)
    assert status == "Success"
    assert logs == {node: LOG for node in nodes}  # 60,000 characters each, not 24,000


@pytest.mark.ssm_invocations(time="fake")
def test_a_failed_command_is_reported_with_what_the_nodes_printed(
    ssm_invocations: FakeSSM, aws: dict[str, Any]
) -> None:
    nodes = ssm_invocations.add_instances(2)
    ssm_invocations.on_send(statuses=["Success", "Failed"], stdout=LOG)
    status, logs = run(aws, nodes)
    assert status == "Failed"
    assert set(logs) == set(nodes)
    assert max(len(text) for text in logs.values()) == len(LOG)
