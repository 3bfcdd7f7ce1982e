"""The ssm_invocations fixture as a downstream suite uses it, tested with pytester.

The suites written here are a downstream project's code: they build their
clients as users do (``boto3.client(...)``, before the fixture, with no
credentials at all), not with tests/conftest.py's ``client()``; that is the point.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

CONFTEST = """
import boto3, pytest

@pytest.fixture(scope="session")
def early_client():
    # created before any test asks for the fake
    return boto3.client("ssm", region_name="us-east-1",
                        aws_access_key_id="a", aws_secret_access_key="b")
"""


def test_fixture_serves_clients_created_before_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        """
        def test_early(early_client, ssm_invocations):
            handle = ssm_invocations.add_command(instances=3)
            got = early_client.list_command_invocations(CommandId=handle.command_id)
            assert len(got["CommandInvocations"]) == 3
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_dummy_credentials_and_region_when_none_are_configured(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(pytester.path / "missing"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(pytester.path / "missing"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    pytester.makepyfile(
        """
        import boto3, pytest

        @pytest.mark.ssm_invocations(region="eu-west-1")
        def test_plain_client(ssm_invocations):
            ssm_invocations.add_command(instances=2)
            assert len(boto3.client("ssm").list_command_invocations()["CommandInvocations"]) == 2
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_unconsumed_plans_and_faults_fail_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_forgot(ssm_invocations):
            ssm_invocations.page_plan(2, 0)
            ssm_invocations.fail("ThrottlingException", page=3)

        @pytest.mark.ssm_invocations(strict=False)
        def test_allowed(ssm_invocations):
            ssm_invocations.page_plan(2, 0)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ssm_invocations: registered but not used up: ThrottlingException on "
            "ListCommandInvocations at page 3: served 0 of 1; page plan [[]2, 0[]] on "
            "ListCommandInvocations (pages 1, 2 never served)*"
        ]
    )


def test_each_test_gets_a_fresh_fake(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def client():
            return boto3.client("ssm", region_name="us-east-1",
                                aws_access_key_id="a", aws_secret_access_key="b")

        def test_one(ssm_invocations):
            ssm_invocations.add_command(instances=4)
            assert len(client().list_command_invocations()["CommandInvocations"]) == 4

        def test_two(ssm_invocations):
            assert client().list_command_invocations()["CommandInvocations"] == []
            assert ssm_invocations.calls[0].returned == 0
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_without_the_fixture_nothing_is_intercepted(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3, botocore.exceptions, pytest
        from botocore.config import Config

        def test_no_fake(monkeypatch):
            monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
            c = boto3.client("ssm", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                             aws_access_key_id="a", aws_secret_access_key="b",
                             config=Config(retries={"max_attempts": 0}))  # fail fast
            with pytest.raises(botocore.exceptions.EndpointConnectionError):
                c.list_command_invocations()
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


REGION_MISMATCH = """
import boto3, botocore.exceptions, pytest

def client(region):
    return boto3.client("ssm", region_name=region)

def test_fails(ssm_invocations):
    handle = ssm_invocations.add_command(instances=2)
    ssm_invocations.add_command(instances=1, region="eu-west-1")
    west = client("us-west-2")
    with pytest.raises(botocore.exceptions.ClientError):
        west.get_command_invocation(CommandId=handle.command_id, InstanceId=handle.instance_ids[0])
    assert west.list_command_invocations(CommandId=handle.command_id)["CommandInvocations"]

def test_passes(ssm_invocations):
    ssm_invocations.add_command(instances=2)
    assert client("ap-south-1").list_commands()["Commands"] == []

def test_fails_with_every_call_in_the_right_region(ssm_invocations):
    ssm_invocations.add_command(instances=2)
    assert client("us-east-1").list_commands(CommandId="00000000-0000-0000-0000-000000000000")[
        "Commands"]
"""


def test_a_failed_test_says_its_calls_looked_in_an_empty_region(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(REGION_MISMATCH)
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ test_fails _*",
            "*- ssm_invocations: regions -*",
            "2 calls to us-west-2 returned nothing; commands exist in eu-west-1, us-east-1",
            "(the fake's default region is us-east-1: set it with "
            "@pytest.mark.ssm_invocations(region=...), or pass region= to add_command "
            "or region_name= to the client)",
        ]
    )
    output = result.stdout.str()
    assert "ap-south-1" not in output  # the passing test shows nothing
    assert output.count("ssm_invocations: regions") == 1  # nor the right-region failure
