"""Outputs and notifications where AWS delivers them, read back through boto3 under moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from pytest_ssm_invocations import FakeSSM

REGION = "us-east-1"
INVOCATION_EVENT = "EC2 Command Invocation Status-change Notification"
LONG = "".join(f"line {i:05d} of the report\n" for i in range(3000))  # about 75,000 characters


@pytest.fixture
def moto() -> Iterator[None]:
    with mock_aws():
        yield


def client(service: str) -> Any:
    return boto3.client(service, region_name=REGION)


def s3_text(bucket: str, key: str) -> str:
    body = client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    return str(body.decode())


def keys(bucket: str) -> list[str]:
    listed = client("s3").list_objects_v2(Bucket=bucket).get("Contents", [])
    return sorted(o["Key"] for o in listed)


def queue() -> tuple[str, str]:
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="told")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    return url, arn["QueueArn"]


def drain(url: str) -> list[dict[str, Any]]:
    sqs = client("sqs")
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return bodies
        for message in got:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_full_stdout_and_stderr_are_in_s3_at_the_keys_the_urls_name(
    ssm_invocations: FakeSSM, moto: None
) -> None:
    client("s3").create_bucket(Bucket="outputs")
    handle = ssm_invocations.add_command(
        instances=2, stdout=LONG, stderr="warning: disk nearly full\n",
        s3_bucket="outputs", s3_key_prefix="runs",
    )  # fmt: skip
    ssm = client("ssm")
    for node in handle.instance_ids:
        got = ssm.get_command_invocation(CommandId=handle.command_id, InstanceId=node)
        assert len(got["StandardOutputContent"]) < len(LONG)  # GetCommandInvocation cuts it
        key = got["StandardOutputUrl"].split("/outputs/", 1)[1]
        assert (
            key == f"runs/{handle.command_id}/{node}/awsrunShellScript/0.awsrunShellScript/stdout"
        )
        assert s3_text("outputs", key) == LONG
        err = got["StandardErrorUrl"].split("/outputs/", 1)[1]
        assert s3_text("outputs", err) == "warning: disk nearly full\n"
        assert handle.output(node) == (LONG, "warning: disk nearly full\n")


def test_a_step_of_a_2_2_document_is_under_its_own_name_and_empty_stderr_is_not_uploaded(
    ssm_invocations: FakeSSM, moto: None
) -> None:
    client("s3").create_bucket(Bucket="outputs")
    handle = ssm_invocations.add_command(
        instances=1, document="AWS-RunPatchBaseline", s3_bucket="outputs"
    )
    node = handle.instance_ids[0]
    plugins = handle.invocations[0]["CommandPlugins"]
    expected = []
    for plugin in plugins:
        stdout, stderr = handle.output(node, plugin["Name"])
        prefix = plugin["OutputS3KeyPrefix"]
        assert plugin["StandardOutputUrl"].endswith(f"/outputs/{prefix}/{plugin['Name']}/stdout")
        if stdout:
            expected.append(f"{prefix}/{plugin['Name']}/stdout")
        if stderr:
            expected.append(f"{prefix}/{plugin['Name']}/stderr")
    assert keys("outputs") == sorted(expected)
    folders = {"PatchLinux": "awsrunShellScript", "PatchMacOS": "awsrunShellScript",
               "PatchWindows": "awsrunPowerShellScript"}  # fmt: skip
    for plugin in plugins:  # the action without its colon, then the step's name
        folder = folders[plugin["Name"]]
        assert plugin["OutputS3KeyPrefix"] == f"{handle.command_id}/{node}/{folder}"


def test_output_is_uploaded_when_the_plugin_finishes_on_the_fake_clock(
    ssm_invocations: FakeSSM, moto: None
) -> None:
    client("s3").create_bucket(Bucket="outputs")
    handle = ssm_invocations.add_command(
        instances=1, stdout="done\n", s3_bucket="outputs", progress="clock"
    )
    assert keys("outputs") == []  # still running
    ssm_invocations.clock.advance(hours=3)
    key = handle.invocations[0]["StandardOutputUrl"].split("/outputs/", 1)[1]
    assert keys("outputs") == [key]
    assert s3_text("outputs", key) == "done\n"


def test_a_missing_bucket_gets_nothing_and_the_command_is_unchanged(
    ssm_invocations: FakeSSM, moto: None
) -> None:
    handle = ssm_invocations.add_command(instances=1, stdout="report", s3_bucket="nowhere")
    assert handle.invocations[0]["Status"] == "Success"
    assert client("s3").list_buckets()["Buckets"] == []
    assert handle.s3_objects()  # where it would have gone


def test_nothing_is_written_without_moto(ssm_invocations: FakeSSM) -> None:
    handle = ssm_invocations.add_command(instances=1, stdout=LONG, s3_bucket="outputs")
    node = handle.instance_ids[0]
    url = handle.invocations[0]["StandardOutputUrl"]
    key = url.split("/outputs/", 1)[1]
    assert handle.s3_objects() == {f"s3://outputs/{key}": LONG}
    assert handle.output(node) == (LONG, "")


@pytest.mark.parametrize("time", ["real", "fake"])
def test_cloudwatch_streams_hold_the_full_output_at_fake_clock_times(time: str, moto: None) -> None:
    pytest.importorskip("time_machine")
    with FakeSSM(time=time) as fake:
        logs = client("logs")
        handle = fake.add_command(
            instances=1, stdout=LONG, stderr="oops\n", cloudwatch=True, progress="clock"
        )
        fake.clock.advance(hours=3)
        node = handle.instance_ids[0]
        group = "/aws/ssm/AWS-RunShellScript"
        streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
        names = sorted(s["logStreamName"] for s in streams)
        prefix = f"{handle.command_id}/{node}/aws-runShellScript"
        assert names == [f"{prefix}/stderr", f"{prefix}/stdout"]
        events = logs.get_log_events(
            logGroupName=group, logStreamName=f"{prefix}/stdout", startFromHead=True
        )["events"]
        assert "".join(e["message"] for e in events) + "\n" == LONG
        finish = handle.invocations[0]["CommandPlugins"][0]["ResponseFinishDateTime"]
        assert {e["timestamp"] for e in events} == {int(finish.timestamp() * 1000)}
        err = logs.get_log_events(logGroupName=group, logStreamName=f"{prefix}/stderr")
        assert [e["message"] for e in err["events"]] == ["oops"]


def test_cloudwatch_group_given_is_used(ssm_invocations: FakeSSM, moto: None) -> None:
    handle = ssm_invocations.add_command(instances=1, stdout="hi\n", cloudwatch="/my/runs")
    groups = client("logs").describe_log_groups()["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/my/runs"]
    streams = client("logs").describe_log_streams(logGroupName="/my/runs")["logStreams"]
    node = handle.instance_ids[0]
    assert [s["logStreamName"] for s in streams] == [
        f"{handle.command_id}/{node}/aws-runShellScript/stdout"
    ]


def test_eventbridge_rule_receives_run_command_status_changes(
    ssm_invocations: FakeSSM, moto: None
) -> None:
    url, arn = queue()
    events = client("events")
    events.put_rule(Name="ssm", EventPattern=json.dumps({"source": ["aws.ssm"]}))
    events.put_targets(Rule="ssm", Targets=[{"Id": "q", "Arn": arn}])
    handle = ssm_invocations.add_command(instances=1, statuses=["Failed"], progress="clock")
    ssm_invocations.clock.advance(hours=3)
    told = drain(url)
    node = handle.instance_ids[0]
    invocation = [
        e for e in told if e["detail-type"] == "EC2 Command Invocation Status-change Notification"
    ]
    command = [e for e in told if e["detail-type"] == "EC2 Command Status-change Notification"]
    assert [e["detail"]["status"] for e in invocation] == ["Pending", "InProgress", "Failed"]
    assert command[-1]["detail"]["status"] == "Failed"
    last = invocation[-1]
    assert last["source"] == "aws.ssm"
    assert last["resources"] == [f"arn:aws:ec2:{REGION}:123456789012:instance/{node}"]
    assert set(last["detail"]) == {
        "command-id", "document-name", "instance-id", "requested-date-time", "status"
    }  # fmt: skip
    assert last["detail"]["command-id"] == handle.command_id
    assert set(command[-1]["detail"]) == {
        "command-id", "document-name", "expire-after", "parameters", "requested-date-time", "status"
    }  # fmt: skip


def sns_queue() -> tuple[str, str]:
    url, arn = queue()
    sns = client("sns")
    topic = sns.create_topic(Name="runs")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    return url, topic


@pytest.mark.parametrize("kind", ["Command", "Invocation"])
def test_sns_notifications_as_the_user_guide_shows_them(
    kind: str, ssm_invocations: FakeSSM, moto: None
) -> None:
    url, topic = sns_queue()
    handle = ssm_invocations.add_command(
        instances=2, progress="clock", notification_arn=topic, notification_type=kind,
        notification_events=["Success"], service_role="arn:aws:iam::123456789012:role/sns",
        s3_bucket="outputs",
    )  # fmt: skip
    ssm_invocations.clock.advance(hours=3)
    messages = [json.loads(m["Message"]) for m in drain(url)]
    assert {m["status"] for m in messages} == {"Success"}
    if kind == "Command":
        assert len(messages) == 1
        assert list(messages[0]) == [
            "commandId", "documentName", "instanceIds", "requestedDateTime", "expiresAfter",
            "outputS3BucketName", "outputS3KeyPrefix", "status", "eventTime",
        ]  # fmt: skip
        assert sorted(messages[0]["instanceIds"]) == sorted(handle.instance_ids)
    else:
        assert sorted(m["instanceId"] for m in messages) == sorted(handle.instance_ids)
        assert list(messages[0]) == [
            "commandId", "documentName", "instanceId", "requestedDateTime", "status", "eventTime"
        ]  # fmt: skip


def test_no_service_role_or_no_topic_tells_no_one(ssm_invocations: FakeSSM, moto: None) -> None:
    url, topic = sns_queue()
    ssm_invocations.add_command(instances=1, notification_arn=topic)
    missing = topic.replace(":runs", ":gone")
    ssm_invocations.add_command(
        instances=1, notification_arn=missing, service_role="arn:aws:iam::123456789012:role/r"
    )
    ssm_invocations.clock.advance(hours=3)
    assert drain(url) == []
