"""ListCommandInvocations inside moto's mock_aws and moto's server, agreeing with moto."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from typing import Any

import boto3
import pytest
from moto import mock_aws

from pytest_ssm_invocations.fake import FakeSSM

from ..conftest import client


def _send(ssm: Any, **kwargs: Any) -> str:
    params = {"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["uptime"]}}
    command_id: str = ssm.send_command(**{**params, **kwargs})["Command"]["CommandId"]
    return command_id


@mock_aws
def test_decorator_answers_list_command_invocations() -> None:
    ssm = client()
    nodes = ["i-0123456789abcdef0", "i-0123456789abcdef1"]
    command_id = _send(ssm, InstanceIds=nodes, Comment="patch night",
                       OutputS3BucketName="ops-output", TimeoutSeconds=600)  # fmt: skip
    items = ssm.list_command_invocations(CommandId=command_id, Details=True)
    invocations = items["CommandInvocations"]
    assert sorted(i["InstanceId"] for i in invocations) == nodes
    assert {i["Comment"] for i in invocations} == {"patch night"}
    assert {i["CommandPlugins"][0]["OutputS3BucketName"] for i in invocations} == {"ops-output"}
    # The three operations agree.
    command = ssm.list_commands(CommandId=command_id)["Commands"][0]
    assert command["TargetCount"] == 2
    assert command["TimeoutSeconds"] == 600
    detail = ssm.get_command_invocation(CommandId=command_id, InstanceId=nodes[0])
    assert detail["Status"] == "Success"
    # Every other call is still moto's.
    ssm.put_parameter(Name="/app/x", Value="1", Type="String")
    assert ssm.get_parameter(Name="/app/x")["Parameter"]["Value"] == "1"


def test_context_manager_and_targets_resolved_by_moto() -> None:
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        image = ec2.describe_images()["Images"][0]["ImageId"]
        reservation = ec2.run_instances(
            ImageId=image, MinCount=3, MaxCount=3,
            TagSpecifications=[{"ResourceType": "instance",
                                "Tags": [{"Key": "Role", "Value": "web"}]}],
        )  # fmt: skip
        nodes = sorted(i["InstanceId"] for i in reservation["Instances"])
        ssm = client()
        command_id = _send(ssm, Targets=[{"Key": "tag:Role", "Values": ["web"]}])
        got = ssm.list_command_invocations(CommandId=command_id)["CommandInvocations"]
        assert sorted(i["InstanceId"] for i in got) == nodes
    with mock_aws():  # a new mock: a clean state
        assert client().list_command_invocations()["CommandInvocations"] == []


@pytest.mark.parametrize("fixture_first", [True, False])
def test_with_the_fixture_in_either_order(
    request: pytest.FixtureRequest, fixture_first: bool
) -> None:
    if fixture_first:
        fake: FakeSSM = request.getfixturevalue("ssm_invocations")
        request.getfixturevalue("moto_started")
    else:
        request.getfixturevalue("moto_started")
        fake = request.getfixturevalue("ssm_invocations")
    ssm = client()
    handle = fake.add_command(instances=2)
    command_id = _send(ssm, InstanceIds=["i-0123456789abcdef0"])
    got = ssm.list_command_invocations()["CommandInvocations"]
    assert {i["CommandId"] for i in got} == {handle.command_id, command_id}
    assert len(ssm.list_commands()["Commands"]) == 2
    ssm.put_parameter(Name="/still/moto", Value="yes", Type="String")


def test_moto_server_mode_answers_it_too() -> None:
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:  # a free port: moto 5.0 cannot report the one it bound
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        remote = client(endpoint_url=f"http://127.0.0.1:{port}")
        command_id = _send(remote, InstanceIds=["i-0123456789abcdef0"])
        got = remote.list_command_invocations(CommandId=command_id)["CommandInvocations"]
        assert [i["InstanceId"] for i in got] == ["i-0123456789abcdef0"]
        with pytest.raises(remote.exceptions.InvalidNextToken):
            remote.list_command_invocations(NextToken="garbage")
    finally:
        server.stop()


def test_importing_the_package_does_not_import_moto() -> None:
    code = (
        "import sys, pytest_ssm_invocations, pytest_ssm_invocations.plugin, "
        "pytest_ssm_invocations.factories, pytest_ssm_invocations.fake\n"
        "print('moto' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_under_moto_sends_are_the_fakes_with_moto_s_instances_as_the_fleet(
    ssm_invocations: FakeSSM,
) -> None:
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        images = ec2.describe_images(Owners=["amazon"])["Images"]
        image = next(i["ImageId"] for i in images if i.get("Platform") != "windows")
        launched = ec2.run_instances(
            ImageId=image, MinCount=3, MaxCount=3,
            TagSpecifications=[{"ResourceType": "instance",
                                "Tags": [{"Key": "Role", "Value": "web"}]}],
        )["Instances"]  # fmt: skip
        web = [i["InstanceId"] for i in launched]
        ssm_invocations.on_send(statuses=["Success", "Failed", "Success"])
        ssm = client()
        command_id = ssm.send_command(
            Targets=[{"Key": "tag:Role", "Values": ["web"]}], MaxErrors="1",
            DocumentName="AWS-RunShellScript", Parameters={"commands": ["uptime"]},
        )["Command"]["CommandId"]  # fmt: skip
        ssm_invocations.clock.advance(minutes=5)
        got = ssm.list_command_invocations(CommandId=command_id)["CommandInvocations"]
        with pytest.raises(ssm.exceptions.InvalidInstanceId):
            ssm.send_command(InstanceIds=["i-0fffffffffffffff0"], DocumentName="AWS-RunShellScript",
                             Parameters={"commands": ["uptime"]})  # fmt: skip
    assert [i["InstanceId"] for i in got] == web
    assert [i["StatusDetails"] for i in got] == ["Success", "Failed", "Success"]
    assert [c.operation for c in ssm_invocations.calls] == [
        "SendCommand", "ListCommandInvocations", "SendCommand",
    ]  # fmt: skip


def test_under_moto_a_document_created_in_moto_can_be_sent(ssm_invocations: FakeSSM) -> None:
    content = {"schemaVersion": "2.2", "description": "deploy", "mainSteps": [
        {"action": "aws:runShellScript", "name": "deploy", "inputs": {"runCommand": ["true"]}}
    ]}  # fmt: skip
    with mock_aws():
        ssm = client()
        ssm.create_document(Content=json.dumps(content), Name="Acme-Deploy", DocumentType="Command")
        sent = ssm.send_command(InstanceIds=["i-0123456789abcdef0"], DocumentName="Acme-Deploy")
        with pytest.raises(ssm.exceptions.InvalidDocument):
            ssm.send_command(InstanceIds=["i-0123456789abcdef0"], DocumentName="Acme-Missing")
    assert sent["Command"]["DocumentName"] == "Acme-Deploy"


def test_what_the_fake_lacks_reaches_moto_before_moto_has_loaded_its_ssm_responses(
    pytester: pytest.Pytester,
) -> None:
    """In a fresh interpreter, the first SSM call under ``mock_aws`` is one the fake lacks."""
    pytester.makepyfile(
        """
        import json
        from moto import mock_aws
        import boto3

        def test_first(ssm_invocations):
            content = {"schemaVersion": "2.2", "description": "d", "mainSteps": [
                {"action": "aws:runShellScript", "name": "s", "inputs": {"runCommand": ["true"]}}
            ]}
            with mock_aws():
                ssm = boto3.client("ssm", region_name="us-east-1")
                doc = json.dumps(content)
                ssm.create_document(Content=doc, Name="Acme", DocumentType="Command")
                assert ssm.describe_document(Name="Acme")["Document"]["Name"] == "Acme"
        """
    )
    pytester.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=1)


def test_moto_s_ssm_responses_imported_anew_are_patched_anew() -> None:
    """pytest's ``pytester`` restores ``sys.modules`` after an inline run: moto's SSM
    responses are then imported again, as a new class, which must learn the faked
    operations in turn (the old class gets its own methods back)."""
    import importlib
    import sys

    from pytest_ssm_invocations.transports import moto_bridge

    moto_bridge.install()
    old = sys.modules.pop("moto.ssm.responses")
    try:
        fresh = importlib.import_module("moto.ssm.responses")
        moto_bridge.install()
        method = fresh.SimpleSystemManagerResponse.list_command_invocations
        assert method.__module__ == moto_bridge.__name__
        assert "list_command_invocations" not in vars(old.SimpleSystemManagerResponse)
    finally:
        sys.modules["moto.ssm.responses"] = old
        moto_bridge.install()
    assert old.SimpleSystemManagerResponse.list_command_invocations.__module__ == (
        moto_bridge.__name__
    )
