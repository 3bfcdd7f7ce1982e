"""``ssm-invocations parity``: the replay, its report and record mode, on the fake and on
the local endpoint (never on AWS: the suite needs no credentials)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_ssm_invocations.cli import main
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.parity.replay import fake_client, replay_on_fake
from pytest_ssm_invocations.parity.snapshots import load
from pytest_ssm_invocations.transports.http_server import SSMServer

NODE = "i-0123456789abcdef0"
SCENARIO: dict[str, Any] = {
    "title": "send, read once finished, and ask for a node it was not sent to",
    "source": "a scenario to record",
    "date": "2026-12-01",
    "nodes": [{"InstanceId": NODE, "PlatformType": "Linux"}],
    "outcome": {"statuses": ["Success"], "stdout": "hello\n"},
    "steps": [
        {
            "operation": "SendCommand",
            "request": {
                "InstanceIds": [NODE],
                "DocumentName": "AWS-RunShellScript",
                "Parameters": {"workingDirectory": ["/tmp"], "commands": ["echo hello"]},
            },
        },
        {"operation": "ListCommands", "after": "finished", "request": {}},
        {"operation": "ListCommandInvocations", "request": {"Details": True}},
        {
            "operation": "GetCommandInvocation",
            "request": {"CommandId": "00000000-0000-4000-8000-000000000000", "InstanceId": NODE},
        },
    ],
}


def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenario" / "hello.json"
    path.parent.mkdir()
    path.write_text(json.dumps(SCENARIO))
    return path


@pytest.mark.ssm_invocations(time="fake")  # the replay's waits sleep on the fake clock
def test_record_mode_writes_what_the_local_endpoint_answered(
    ssm_invocations: FakeSSM, ssm_invocations_server: SSMServer, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    ssm_invocations.add_instances(instance_ids=[NODE])
    ssm_invocations.on_send(statuses=["Success"], stdout="hello\n")
    endpoint = ssm_invocations_server.endpoint_url
    argv = ["parity", str(scenario_file(tmp_path)), "--endpoint", endpoint]
    # It sends a command: on an endpoint, skipped (nothing recorded) unless allowed;
    # a run that compared nothing fails.
    assert main([*argv, "--record", str(tmp_path / "recorded")]) == 1
    assert "- sends commands to the nodes given (--send-commands to allow)" in (
        capsys.readouterr().out
    )
    assert not (tmp_path / "recorded" / "hello.json").exists()
    argv.append("--send-commands")
    assert main([*argv, "--record", str(tmp_path / "recorded")]) == 1
    assert "- needs 1 managed nodes, 0 given" in capsys.readouterr().out  # none named
    argv += ["--instance", NODE]
    assert main([*argv, "--record", str(tmp_path / "recorded")]) == 0
    assert "1 snapshots: 1 the same" in capsys.readouterr().out
    recorded = load(tmp_path / "recorded" / "hello.json")
    assert recorded.source == f"recorded from {endpoint}"
    assert recorded.instance_ids == [NODE]
    sent, listed, invocations, missing = recorded.steps
    assert sent.response is not None
    assert listed.response is not None
    command_id = sent.response["Command"]["CommandId"]
    assert listed.response["Commands"][0]["CommandId"] == command_id
    assert listed.response["Commands"][0]["Status"] == "Success"
    assert list(listed.response["Commands"][0]["Parameters"]) == ["commands", "workingDirectory"]
    assert invocations.response is not None
    (plugin,) = invocations.response["CommandInvocations"][0]["CommandPlugins"]
    assert plugin["Output"] == "hello\n"
    assert plugin["ResponseStartDateTime"].endswith("+00:00")  # as the AWS CLI v2 prints it
    assert missing.error == {"Code": "InvocationDoesNotExist", "Message": ""}
    # A fresh fake answers the recording as the endpoint did, ids bound, times masked.
    assert replay_on_fake(recorded, fake_client).same
    # A recording never replaces a file: the second one is refused, the first kept.
    assert main([*argv, "--record", str(tmp_path / "recorded")]) == 0
    assert "not recorded: [Errno 17] File exists" in capsys.readouterr().err
    assert load(tmp_path / "recorded" / "hello.json") == recorded


def test_a_difference_fails_the_run_and_is_named_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = recorded_on_the_fake(tmp_path, capsys)
    recorded = json.loads(path.read_text())
    recorded["steps"][1]["response"]["Commands"][0]["Status"] = "Failed"
    recorded["steps"][3]["error"]["Code"] = "InvalidCommandId"
    path.write_text(json.dumps(recorded))
    report = tmp_path / "parity.md"
    assert main(["parity", str(tmp_path / "rec"), "--report", str(report)]) == 1
    text = report.read_text()
    assert "## hello: different" in text
    assert "- step 1 ListCommands: Commands[0].Status: AWS has 'Failed', got 'Success'" in text
    assert "- step 3 GetCommandInvocation: (error).Code: AWS has 'InvalidCommandId', got " \
        "'InvocationDoesNotExist'" in text  # fmt: skip


def recorded_on_the_fake(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The scenario as a fresh fake answers it, recorded: a snapshot to replay."""
    assert main(["parity", str(scenario_file(tmp_path)), "--record", str(tmp_path / "rec")]) == 0
    capsys.readouterr()
    return tmp_path / "rec" / "hello.json"


def test_a_snapshot_needing_more_nodes_than_given_is_skipped(
    ssm_invocations_server: SSMServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = recorded_on_the_fake(tmp_path, capsys)
    argv = ["parity", str(path), "--endpoint", ssm_invocations_server.endpoint_url,
            "--send-commands"]  # fmt: skip
    snapshot = json.loads(path.read_text())
    snapshot["nodes"].append({"InstanceId": "i-0123456789abcdef1", "PlatformType": "Linux"})
    snapshot["outcome"]["statuses"].append("Success")
    path.write_text(json.dumps(snapshot))
    assert main([*argv, "--instance", NODE]) == 1  # nothing compared
    assert "## hello: skipped\n" in (out := capsys.readouterr().out)
    assert "- needs 2 managed nodes, 1 given" in out


def test_an_instance_that_is_not_an_id_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["parity", str(scenario_file(tmp_path)), "--endpoint", "http://127.0.0.1:9"]
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--instance", "web-1"])
    assert exited.value.code == 2
    assert "malformed instance id 'web-1' (--instance)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*argv, "--instance", NODE, "--instance", NODE])
    assert "--instance names a node twice" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--region", "eu-west-1"], "--region, --instance and --send-commands"),
        (["--instance", NODE], "need --endpoint"),
        (["--send-commands"], "need --endpoint"),
    ],
)
def test_account_options_need_an_endpoint(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["parity", str(scenario_file(tmp_path)), *argv])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_bad_snapshot_is_a_usage_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = scenario_file(tmp_path)  # its steps have no answers: only a scenario to record
    with pytest.raises(SystemExit) as exited:
        main(["parity", str(path)])
    assert exited.value.code == 2
    assert f"{path}: steps[0] needs one of 'response' and 'error'" in capsys.readouterr().err
