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


def test_marker_rejects_unknown_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_invocations(zone="x")
        def test_x(ssm_invocations):
            pass
        """
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*ssm_invocations marker got [[]'zone'[]]*seed, region, strict*"])
