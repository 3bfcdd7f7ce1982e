"""The developer's AWS setup stays out of a test that uses the fixture, and comes back after."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

CONFIG = """
[default]
region = ap-south-1

[profile expired-sso]
region = ap-south-1
credential_process = false
"""
CREDENTIALS = """
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""


@pytest.fixture
def hostile(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """An environment in which a plain ``boto3.client("ssm")`` cannot work."""
    (pytester.path / "config").write_text(CONFIG)
    (pytester.path / "credentials").write_text(CREDENTIALS)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(pytester.path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(pytester.path / "credentials"))
    monkeypatch.setenv("AWS_PROFILE", "expired-sso")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-looking-token")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:9")
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED", raising=False)
    # Keys in the environment come first in botocore's chain: the broken profile must be
    # what a plain client finds, whatever an earlier test left in this process.
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    return pytester


def test_the_hostile_environment_breaks_a_plain_client(hostile: pytest.Pytester) -> None:
    hostile.makepyfile(
        """
        import boto3, botocore.exceptions, pytest

        def test_plain():
            session = boto3.session.Session()  # boto3's default one may predate this environment
            with pytest.raises(botocore.exceptions.CredentialRetrievalError):
                session.client("ssm").list_command_invocations()
        """
    )
    hostile.runpytest().assert_outcomes(passed=1)


def test_the_fixture_sees_its_commands_in_a_hostile_environment(hostile: pytest.Pytester) -> None:
    hostile.makepyfile(
        """
        import boto3, pytest

        def test_default_region(ssm_invocations):
            handle = ssm_invocations.add_command(instances=2)
            ssm = boto3.client("ssm")
            assert ssm.meta.region_name == "us-east-1"
            got = ssm.list_command_invocations(CommandId=handle.command_id)
            assert len(got["CommandInvocations"]) == 2
            assert ssm_invocations.calls[0].region == "us-east-1"

        @pytest.mark.ssm_invocations(region="eu-central-1")
        def test_marker_region(ssm_invocations):
            ssm_invocations.add_command(instances=3)
            session = boto3.session.Session()
            assert session.region_name == "eu-central-1"
            assert session.get_credentials().token is None
            assert len(session.client("ssm").list_commands()["Commands"]) == 1
        """
    )
    hostile.runpytest().assert_outcomes(passed=2)


def test_the_environment_and_default_session_come_back(hostile: pytest.Pytester) -> None:
    hostile.makeconftest(
        """
        import boto3

        boto3.setup_default_session()
        BEFORE = boto3.DEFAULT_SESSION
        """
    )
    hostile.makepyfile(
        """
        import os, boto3, conftest

        def test_1_with_the_fixture(ssm_invocations):
            ssm_invocations.add_command(instances=1)
            assert len(boto3.client("ssm").list_commands()["Commands"]) == 1
            assert boto3.DEFAULT_SESSION is not conftest.BEFORE
            assert "AWS_ENDPOINT_URL_SSM" not in os.environ

        def test_2_after_it():
            assert boto3.DEFAULT_SESSION is conftest.BEFORE
            assert os.environ["AWS_PROFILE"] == "expired-sso"
            assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"
            assert os.environ["AWS_ENDPOINT_URL_SSM"] == "http://127.0.0.1:9"
            assert os.environ["AWS_SESSION_TOKEN"] == "real-looking-token"
            assert "AWS_EC2_METADATA_DISABLED" not in os.environ
        """
    )
    hostile.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_a_test_may_still_set_its_own_environment(hostile: pytest.Pytester) -> None:
    hostile.makepyfile(
        """
        import boto3

        def test_own_region(ssm_invocations, monkeypatch):
            ssm_invocations.add_command(instances=1, region="us-west-2")
            monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
            assert len(boto3.client("ssm").list_commands()["Commands"]) == 1

        def test_after():
            import os
            assert os.environ["AWS_DEFAULT_REGION"] == "eu-west-1"
        """
    )
    hostile.runpytest("-p", "no:randomly").assert_outcomes(passed=2)
