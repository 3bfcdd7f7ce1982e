"""Invocation and plugin records: consistent field by field, reproducible, strict on input."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import STATUS_CASES, factories
from pytest_ssm_invocations import strategies as ssm_st
from pytest_ssm_invocations.catalogue.statuses import FAILED_EXIT_CODES
from pytest_ssm_invocations.records.output import ERROR_TITLE, OUTPUT_TRUNCATED

from ..consistency import assert_consistent, assert_plugin_consistent

WHEN = datetime(2024, 7, 7, 12, 0, tzinfo=timezone.utc)

INVOCATION_KEYS = [
    "CommandId", "InstanceId", "InstanceName", "Comment", "DocumentName", "DocumentVersion",
    "RequestedDateTime", "Status", "StatusDetails", "StandardOutputUrl", "StandardErrorUrl",
    "CommandPlugins", "ServiceRole", "NotificationConfig", "CloudWatchOutputConfig",
]  # fmt: skip
PLUGIN_KEYS = [
    "Name", "Status", "StatusDetails", "ResponseCode", "ResponseStartDateTime",
    "ResponseFinishDateTime", "Output", "StandardOutputUrl", "StandardErrorUrl",
    "OutputS3Region", "OutputS3BucketName", "OutputS3KeyPrefix",
]  # fmt: skip


def test_fields_and_order_are_those_of_real_output() -> None:
    record = factories.invocation(status="Success", document="AWS-UpdateSSMAgent", seed=1)
    assert list(record) == INVOCATION_KEYS
    assert list(record["CommandPlugins"][0]) == PLUGIN_KEYS
    assert record["CommandPlugins"][0]["Name"] == "aws:updateSsmAgent"


def test_unset_settings_are_empty_strings_as_aws_shows_them() -> None:
    record = factories.invocation(status="Success", seed=1)
    assert record["ServiceRole"] == ""
    assert record["NotificationConfig"] == {
        "NotificationArn": "",
        "NotificationEvents": [],
        "NotificationType": "",
    }
    assert record["CloudWatchOutputConfig"] == {
        "CloudWatchLogGroupName": "",
        "CloudWatchOutputEnabled": False,
    }
    plugin = record["CommandPlugins"][0]
    assert plugin["OutputS3BucketName"] == plugin["OutputS3KeyPrefix"] == ""
    assert plugin["OutputS3Region"] == "us-east-1"


@pytest.mark.parametrize("case", STATUS_CASES, ids=str)
@settings(max_examples=10)
@given(
    doc=ssm_st.documents(),
    bucket=st.sampled_from([None, "ops-output"]),
    cloudwatch=st.booleans(),
    hybrid=st.booleans(),
    data=st.data(),
)
def test_every_record_is_consistent(
    case: Any, doc: Any, bucket: str | None, cloudwatch: bool, hybrid: bool, data: Any
) -> None:
    """The consistency property, for every case: built by the strategy, hence the factory."""
    record = data.draw(
        ssm_st.invocations(
            status=case, document=doc, s3_bucket=bucket, cloudwatch=cloudwatch, hybrid=hybrid
        )
    )
    assert record["StatusDetails"] == case.status_details
    assert record["DocumentName"] == doc.name
    assert len(record["CommandPlugins"]) == len(doc.steps)
    assert record["InstanceId"].startswith("mi-" if hybrid else "i-")
    assert_consistent(record)


def test_success_has_code_zero_and_finish_after_start() -> None:
    plugin = factories.invocation(status="Success", requested=WHEN, seed=3)["CommandPlugins"][-1]
    assert plugin["ResponseCode"] == 0
    assert WHEN <= plugin["ResponseStartDateTime"] <= plugin["ResponseFinishDateTime"]


def test_failed_codes_are_realistic_exit_codes() -> None:
    codes = {
        factories.invocation(status="Failed", document="AWS-RunShellScript", seed=s)[
            "CommandPlugins"
        ][0]["ResponseCode"]
        for s in range(200)
    }
    # The catalogue's codes, or the failing command's own: apt-get exits 100.
    assert codes <= {*FAILED_EXIT_CODES, 100}
    assert len(codes) >= 3


def test_a_drawn_failure_carries_its_commands_exit_code() -> None:
    """A failed ``cat`` exits 1, a command not found 127: the ResponseCode and the
    agent's exit status line say the same (issue 23: 137 was drawn for a ``cat``)."""
    seen = set()
    for seed in range(200):
        plugin = factories.invocation(status="Failed", document="AWS-RunShellScript", seed=seed)[
            "CommandPlugins"
        ][0]
        code, output = plugin["ResponseCode"], plugin["Output"]
        assert output.endswith(f"failed to run commands: exit status {code}")
        if "cat: /etc/app/config.yml" in output:
            assert code == 1
        if "command not found" in output:
            assert code == 127
        seen.add(code)
    assert {1, 127} <= seen


@pytest.mark.parametrize("status", ["DeliveryTimedOut", "Undeliverable", "Pending", "Delayed"])
def test_never_delivered_has_no_times_no_output_and_code_minus_one(status: str) -> None:
    for plugin in factories.invocation(status=status, seed=5)["CommandPlugins"]:
        assert plugin["ResponseCode"] == -1
        assert "ResponseStartDateTime" not in plugin
        assert "ResponseFinishDateTime" not in plugin
        assert plugin["Output"] == ""


def test_in_progress_has_a_start_and_no_finish() -> None:
    plugin = factories.invocation(status="InProgress", document="AWS-RunShellScript", seed=2)[
        "CommandPlugins"
    ][0]
    assert "ResponseStartDateTime" in plugin
    assert "ResponseFinishDateTime" not in plugin


def test_shell_failures_end_with_the_agents_exit_status_line() -> None:
    plugin = factories.invocation(
        status="Failed", document="AWS-RunShellScript", response_code=127, seed=9
    )["CommandPlugins"][0]
    assert plugin["ResponseCode"] == 127
    assert ERROR_TITLE in plugin["Output"]
    assert plugin["Output"].endswith("failed to run commands: exit status 127")


def test_output_is_built_from_stdout_and_stderr() -> None:
    record = factories.invocation(
        status="Failed",
        document="AWS-RunShellScript",
        stdout="x" * 5000,
        stderr="disk full",
        response_code=1,
        seed=1,
    )
    output = record["CommandPlugins"][0]["Output"]
    line = "failed to run commands: exit status 1"
    assert output.endswith(OUTPUT_TRUNCATED + ERROR_TITLE + "disk full\n" + line)
    assert len(output) == 2500


def test_multi_step_documents_skip_steps_of_other_platforms() -> None:
    record = factories.invocation(
        status="Success", document="AWS-RunPatchBaseline", platform="Linux", seed=4
    )
    by_name = {p["Name"]: p for p in record["CommandPlugins"]}
    assert list(by_name) == ["PatchWindows", "PatchLinux", "PatchMacOS"]
    assert by_name["PatchWindows"]["Output"].startswith("Step execution skipped")
    assert "platformType, Windows" in by_name["PatchWindows"]["Output"]
    assert not by_name["PatchLinux"]["Output"].startswith("Step execution skipped")
    assert all(p["Status"] == "Success" for p in record["CommandPlugins"])


def test_invocation_status_follows_its_plugins() -> None:
    ok = factories.plugin(status="Success", name="downloadContent", seed=1)
    bad = factories.plugin(status="Failed", name="runShellScript", response_code=2, seed=1)
    record = factories.invocation(
        plugins=[ok, bad],
        document="AWS-ApplyAnsiblePlaybooks",
        requested=WHEN - timedelta(days=400),
    )
    assert (record["Status"], record["StatusDetails"]) == ("Failed", "Failed")
    with pytest.raises(ValueError, match="Success is inconsistent with the plugins"):
        factories.invocation(
            status="Success", plugins=[ok, bad], requested=WHEN - timedelta(days=400)
        )


def test_plugin_times_cannot_precede_the_request() -> None:
    early = factories.plugin(status="Success", start=WHEN, seed=1)
    with pytest.raises(ValueError, match="before the invocation's RequestedDateTime"):
        factories.invocation(plugins=[early], requested=WHEN + timedelta(hours=1))


def test_s3_settings_are_consistent_across_fields() -> None:
    record = factories.invocation(
        status="Success",
        document="AWS-RunShellScript",
        command_id="ef7fdfd8-9b57-4151-a15c-db9a12345678",
        instance_id="i-02573cafcf1234567",
        region="eu-west-1",
        s3_bucket="ops-output",
        s3_key_prefix="runs",
        seed=1,
    )
    plugin = record["CommandPlugins"][0]
    prefix = "runs/ef7fdfd8-9b57-4151-a15c-db9a12345678/i-02573cafcf1234567/awsrunShellScript"
    assert plugin["OutputS3BucketName"] == "ops-output"
    assert plugin["OutputS3Region"] == "eu-west-1"
    assert plugin["OutputS3KeyPrefix"] == prefix
    url = f"https://s3.eu-west-1.amazonaws.com/ops-output/{prefix}/0.awsrunShellScript/stdout"
    assert plugin["StandardOutputUrl"] == url
    assert plugin["StandardErrorUrl"] == url.replace("/stdout", "/stderr")
    assert record["StandardOutputUrl"] == url  # one plugin: the invocation carries it too


def test_invocation_urls_stay_empty_for_several_plugins() -> None:
    record = factories.invocation(
        status="Success", document="AWS-RunPatchBaseline", s3_bucket="ops-output", seed=1
    )
    assert record["StandardOutputUrl"] == record["StandardErrorUrl"] == ""
    assert all(p["StandardOutputUrl"] for p in record["CommandPlugins"])


def test_cloudwatch_log_group_defaults_to_the_document() -> None:
    record = factories.invocation(document="AWS-RunShellScript", cloudwatch=True, seed=1)
    assert record["CloudWatchOutputConfig"] == {
        "CloudWatchLogGroupName": "/aws/ssm/AWS-RunShellScript",
        "CloudWatchOutputEnabled": True,
    }
    custom = factories.invocation(cloudwatch="/ops/run-command", seed=1)
    assert custom["CloudWatchOutputConfig"]["CloudWatchLogGroupName"] == "/ops/run-command"


def test_notification_and_role_when_set() -> None:
    arn = "arn:aws:sns:us-east-1:123456789012:run-command"
    role = "arn:aws:iam::123456789012:role/SSMNotify"
    record = factories.invocation(
        notification_arn=arn, notification_events=["Failed", "TimedOut"], service_role=role, seed=1
    )
    assert record["NotificationConfig"] == {
        "NotificationArn": arn,
        "NotificationEvents": ["Failed", "TimedOut"],
        "NotificationType": "Command",
    }
    assert record["ServiceRole"] == role


def test_instance_ids_look_like_aws() -> None:
    rng = random.Random(0)
    ec2 = [factories.invocation(rng=rng)["InstanceId"] for _ in range(50)]
    assert all(i.startswith("i-") and len(i) == 19 for i in ec2)
    assert all(int(i[2:], 16) >= 0 for i in ec2)
    hybrid = factories.invocation(hybrid=True, seed=1)["InstanceId"]
    assert hybrid.startswith("mi-")
    assert len(hybrid) == 20


def test_instance_names_are_realistic_or_empty() -> None:
    names = {factories.invocation(seed=s)["InstanceName"] for s in range(60)}
    assert "" in names
    assert any(n.startswith("ip-") and n.endswith(".ec2.internal") for n in names)


@pytest.mark.parametrize("version", ["$DEFAULT", "$LATEST", "3", ""])
def test_document_version_forms(version: str) -> None:
    assert factories.invocation(document_version=version, seed=1)["DocumentVersion"] == version


def test_details_false_gives_an_empty_plugin_list() -> None:
    record = factories.invocation(details=False, seed=1)
    assert record["CommandPlugins"] == []
    assert record == {**factories.invocation(seed=1), "CommandPlugins": []}


def test_same_seed_same_record_and_different_seeds_differ() -> None:
    assert factories.invocation(seed=42) == factories.invocation(seed=42)
    assert factories.invocation(seed=42) != factories.invocation(seed=43)


def test_a_random_or_a_faker_may_be_passed() -> None:
    assert factories.invocation(rng=random.Random(8)) == factories.invocation(seed=8)
    fake = Faker()
    fake.seed_instance(8)
    first = factories.invocation(rng=fake)
    fake.seed_instance(8)
    assert factories.invocation(rng=fake) == first


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "Succeeded"}, r"unknown StatusDetails 'Succeeded'.*; valid values: Pending"),
        ({"status": "Success", "response_code": 1}, r"ResponseCode 1 .* Success: expected 0"),
        ({"status": "Failed", "response_code": 0}, r"ResponseCode 0 .* Failed"),
        ({"status": "Undeliverable", "response_code": 0}, r"ResponseCode 0 .* expected -1"),
        ({"comment": "c" * 101}, r"comment is 101 characters; AWS allows at most 100"),
        ({"instance_id": "i-123"}, r"malformed instance id 'i-123'.*'i-0123456789abcdef0'"),
        ({"instance_id": "x-0123456789abcdef0"}, r"malformed instance id"),
        (
            {"command_id": "abc"},
            r"malformed command id 'abc' \(command_id\): expected a UUID of 36",
        ),
        ({"document_version": "latest"}, r"malformed document_version 'latest'.*'\$LATEST'"),
        ({"document": "AWS-Nope"}, r"unknown document 'AWS-Nope'.*AWS-RunShellScript"),
        ({"status": "Pending", "stdout": "hi"}, r"no output"),
        ({"document": "AWS-RunPowerShellScript", "platform": "Linux"}, r"valid: Windows"),
        ({"s3_key_prefix": "runs"}, r"needs an s3_bucket"),
        ({"s3_bucket": "ab"}, r"s3_bucket 'ab' must be 3..63"),
        ({"notification_arn": "arn:x", "notification_events": ["Done"]}, r"'Done'; valid: All"),
        ({"notification_arn": "arn:x", "notification_type": "Email"}, r"valid: Command"),
        ({"requested": datetime(2024, 1, 1)}, r"naive"),
    ],
)
def test_bad_input_names_the_value_and_the_valid_ones(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        factories.invocation(seed=1, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"seed": "1"}, TypeError),
        ({"rng": object()}, TypeError),
        ({"seed": 1, "rng": 1}, TypeError),
    ],
)
def test_bad_generators_are_type_errors(kwargs: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        factories.invocation(**kwargs)


def test_allow_inconsistent_builds_a_deliberately_broken_record() -> None:
    record = factories.invocation(
        status="Success",
        document="AWS-RunShellScript",
        response_code=1,
        comment="c" * 150,
        allow_inconsistent=True,
        seed=1,
    )
    assert record["Status"] == "Success"
    assert record["CommandPlugins"][0]["ResponseCode"] == 1
    assert len(record["Comment"]) == 150


@pytest.mark.parametrize("case", STATUS_CASES, ids=str)
@settings(max_examples=5)
@given(data=st.data())
def test_every_plugin_record_is_consistent(case: Any, data: Any) -> None:
    plugin = data.draw(ssm_st.plugins(status=case))
    assert plugin["StatusDetails"] == case.status_details
    assert_plugin_consistent(plugin)


def test_plugin_takes_raw_streams_or_a_verbatim_output() -> None:
    built = factories.plugin(
        status="Failed", document="AWS-UpdateSSMAgent", response_code=1, stdout="a", stderr="b"
    )
    assert built["Output"] == "a" + ERROR_TITLE + "b"  # a plugin, not a script: no line
    verbatim = factories.plugin(status="Success", output="as captured", seed=1)
    assert verbatim["Output"] == "as captured"
    with pytest.raises(ValueError, match="not both"):
        factories.plugin(status="Success", output="x", stdout="y")
    with pytest.raises(ValueError, match="at most 2500"):
        factories.plugin(status="Success", output="x" * 2501)


def test_plugin_times_follow_the_case() -> None:
    with pytest.raises(ValueError, match="never started"):
        factories.plugin(status="DeliveryTimedOut", start=WHEN)
    with pytest.raises(ValueError, match="has not finished"):
        factories.plugin(status="InProgress", start=WHEN, finish=WHEN)
    with pytest.raises(ValueError, match="before start"):
        factories.plugin(status="Success", start=WHEN, finish=WHEN - timedelta(seconds=1))


def test_a_tests_stderr_is_the_scripts_own_and_the_agent_adds_its_line() -> None:
    """stderr= is what the script printed; a failed shell script's Output ends with the
    agent's "failed to run commands: exit status N" after it (alone when the script
    printed none, once when the given stderr already ends with it)."""
    line = "failed to run commands: exit status 2"
    shell: dict[str, Any] = {
        "status": "Failed", "document": "AWS-RunShellScript", "response_code": 2
    }  # fmt: skip
    assert factories.plugin(**shell, stdout="a", stderr="b")["Output"] == (
        "a" + ERROR_TITLE + "b\n" + line
    )
    assert factories.plugin(**shell, stdout="a")["Output"] == "a" + ERROR_TITLE + line
    captured = "b\n" + line
    assert factories.plugin(**shell, stderr=captured)["Output"] == ERROR_TITLE + captured
    record = factories.invocation(**shell, stdout="a", stderr="b", seed=1)
    assert record["CommandPlugins"][0]["Output"] == "a" + ERROR_TITLE + "b\n" + line
    ok = factories.plugin(status="Success", document="AWS-RunShellScript", stderr="warn")
    assert ok["Output"] == ERROR_TITLE + "warn"  # only a failed script gets the line
