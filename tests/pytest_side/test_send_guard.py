"""SendCommand and CancelCommand never leave a test that forgot the fake, unless it opts out.

Each inner suite runs with no credentials, no config files and every proxy
pointing at a closed port: a request that did leave would fail there, and
botocore's NoCredentialsError would speak first if the guard came after signing.
"""

from __future__ import annotations

import pytest

CODE = """
import boto3
import pytest

def ssm():
    return boto3.client("ssm", region_name="us-east-1")

def send():
    return ssm().send_command(
        InstanceIds=["i-0123456789abcdef0"], DocumentName="AWS-RunShellScript",
        Parameters={"commands": ["reboot"]},
    )
"""


@pytest.fixture
def bare(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    pytester.makepyfile(deployer=CODE)
    return pytester


def test_a_send_from_a_test_without_the_fixture_fails_before_signing(bare: pytest.Pytester) -> None:
    bare.makepyfile(
        """
        import pytest
        from deployer import send, ssm
        from pytest_ssm_invocations.transports.registry import RealSendBlockedError

        def test_send_forgot_the_fixture():
            with pytest.raises(RealSendBlockedError) as blocked:
                send()
            message = str(blocked.value)
            assert "SendCommand" in message and "ssm_invocations fixture" in message
            assert "real_sends=True" in message and "ssm_invocations_real_sends" in message

        def test_cancel_forgot_the_fixture():
            with pytest.raises(RealSendBlockedError, match="CancelCommand"):
                ssm().cancel_command(CommandId="c0ffee00-0000-4000-8000-000000000000")

        def test_reads_are_the_strict_network_guard_s_to_decide():
            import botocore.exceptions
            with pytest.raises(botocore.exceptions.NoCredentialsError):
                ssm().list_commands()

        def test_with_the_fixture_the_fake_answers(ssm_invocations):
            assert send()["Command"]["Status"] == "Pending"
        """
    )
    bare.runpytest("-p", "no:randomly").assert_outcomes(passed=4)


@pytest.mark.parametrize(
    ("marker", "ini"),
    [("@pytest.mark.ssm_invocations(real_sends=True)", ""),
     ("", "[pytest]\nssm_invocations_real_sends = true\n")],
    ids=["marker", "ini"],
)  # fmt: skip
def test_a_project_or_a_test_may_opt_out(bare: pytest.Pytester, marker: str, ini: str) -> None:
    if ini:
        bare.makefile(".ini", pytest=ini)
    bare.makepyfile(
        f"""
        import botocore.exceptions
        import pytest
        from deployer import send

        {marker}
        def test_sends_for_real_on_purpose():
            with pytest.raises(botocore.exceptions.NoCredentialsError):  # on its way to AWS
                send()
        """
    )
    bare.runpytest("-p", "no:randomly").assert_outcomes(passed=1)


def test_a_bad_real_sends_value_names_the_valid_ones(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_invocations(real_sends="yes")
        def test_bad():
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*real_sends must be True or False, not 'yes'*"])
