"""The transports: who answers a request, once, for which test, where it was going."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import botocore.endpoint
import botocore.exceptions
import pytest
from moto import mock_aws

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.service.operations import OPERATIONS
from pytest_ssm_invocations.service.service import ANSWERS
from pytest_ssm_invocations.transports.addressing import is_loopback, region_of
from pytest_ssm_invocations.transports.http_server import SSMServer

from ..conftest import client

# -- served once, whoever else intercepts ------------------------------------


@pytest.fixture(params=["fixture-first", "moto-first"])
def fake_under_moto(request: pytest.FixtureRequest) -> FakeSSM:
    """The test's fake with moto's ``mock_aws`` started too, in either order.

    Each is a fixture of its own, so they stop in the reverse order they
    started: both set AWS environment variables and restore them on exit.
    """
    if request.param == "moto-first":
        request.getfixturevalue("moto_started")
    fake: FakeSSM = request.getfixturevalue("ssm_invocations")
    if request.param == "fixture-first":
        request.getfixturevalue("moto_started")
    return fake


def test_moto_and_the_fixture_serve_each_request_once(fake_under_moto: FakeSSM) -> None:
    handle = fake_under_moto.add_command(instances=1, progress="poll")
    ssm = client()
    seen = []
    for _ in range(3):
        got = ssm.list_command_invocations(CommandId=handle.command_id)
        seen.append(got["CommandInvocations"][0]["StatusDetails"])
    node = handle.instance_ids[0]
    detail = ssm.get_command_invocation(CommandId=handle.command_id, InstanceId=node)
    assert seen == ["Pending", "InProgress", "Success"]
    assert detail["StatusDetails"] == "Success"
    operations = [c.operation for c in fake_under_moto.calls]
    assert operations == ["ListCommandInvocations"] * 3 + ["GetCommandInvocation"]


def test_moto_without_a_fake_still_answers_through_the_bridge() -> None:
    with mock_aws():
        ssm = client()
        sent = ssm.send_command(
            InstanceIds=["i-0123456789abcdef0"],
            DocumentName="AWS-RunShellScript",
            Parameters={"commands": ["uptime"]},
        )["Command"]["CommandId"]
        got = ssm.list_command_invocations(CommandId=sent)["CommandInvocations"]
    assert [i["InstanceId"] for i in got] == ["i-0123456789abcdef0"]


# -- one operation table -------------------------------------------------------


def test_every_operation_in_the_table_has_a_handler_and_a_botocore_method() -> None:
    ssm = client()
    for operation, snake in OPERATIONS.items():
        assert ANSWERS[operation].__module__.endswith(f".{snake}")  # its own module
        assert ssm.meta.method_to_api_mapping[snake] == operation


def test_the_server_names_the_faked_operations_when_refusing_another() -> None:
    with SSMServer(FakeSSM(seed=1)) as server:
        ssm = client(endpoint_url=server.endpoint_url)
        with pytest.raises(ssm.exceptions.ClientError) as raised:
            ssm.describe_document(Name="AWS-RunShellScript")
    message = raised.value.response["Error"]["Message"]
    assert raised.value.response["Error"]["Code"] == "UnsupportedOperation"
    assert all(operation in message for operation in OPERATIONS)


# -- one way to read a request's region -----------------------------------------

SCOPE = "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-3/ssm/aws4_request, Signature=x"


@pytest.mark.parametrize(
    ("authorization", "url", "expected"),
    [
        (SCOPE, "https://ssm.us-east-1.amazonaws.com/", "eu-west-3"),  # the scope wins
        (SCOPE.encode(), None, "eu-west-3"),
        (None, "https://ssm.ap-south-1.amazonaws.com/", "ap-south-1"),
        (None, "https://ssm-fips.us-gov-west-1.amazonaws.com/", "us-gov-west-1"),
        (None, "https://vpce-0a1b-c2d3.ssm.eu-central-1.vpce.amazonaws.com/", "eu-central-1"),
        (None, "https://ssm.cn-north-1.amazonaws.com.cn/", "cn-north-1"),
        (None, "https://ssm.us-west-2.api.aws/", "us-west-2"),
        (None, "http://127.0.0.1:4566/", "sa-east-1"),
        (None, "https://notssm.us-east-2.amazonaws.com/", "sa-east-1"),
        ("", "", "sa-east-1"),
    ],
)
def test_region_of_reads_the_scope_then_the_host(
    authorization: str | bytes | None, url: str | None, expected: str
) -> None:
    assert region_of(authorization, url, "sa-east-1") == expected


def test_the_server_reads_the_region_like_the_hook(ssm_invocations: FakeSSM) -> None:
    with SSMServer(FakeSSM(seed=1, region="us-east-1")) as server:
        client("eu-west-3", endpoint_url=server.endpoint_url).list_commands()
        assert [c.region for c in server.fake.calls] == ["eu-west-3"]
    client("eu-west-3").list_commands()
    assert [c.region for c in ssm_invocations.calls] == ["eu-west-3"]


# -- loopback endpoints are reached, AWS's names are answered in process ---------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:1", "http://localhost:1", "http://127.0.0.2:1", "http://[::1]:1"],
)
def test_loopback_is_recognised(url: str) -> None:
    assert is_loopback(url)


@pytest.mark.parametrize(
    "url", ["https://ssm.us-east-1.amazonaws.com", "http://10.0.0.1:4566", "http://localstack"]
)
def test_other_hosts_are_not_loopback(url: str) -> None:
    assert not is_loopback(url)


def test_a_loopback_endpoint_reaches_its_server(
    ssm_invocations: FakeSSM, ssm_invocations_session_server: SSMServer
) -> None:
    remote = ssm_invocations_session_server.fake
    before = len(remote.calls)
    for host in ("127.0.0.1", "localhost"):
        url = f"http://{host}:{ssm_invocations_session_server.port}"
        assert client(endpoint_url=url).list_command_invocations()["CommandInvocations"] == []
    assert len(remote.calls) == before + 2
    assert ssm_invocations.calls == []


def test_a_loopback_endpoint_with_nothing_listening_is_not_answered(
    ssm_invocations: FakeSSM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    ssm = client(endpoint_url="http://127.0.0.1:9", retries={"max_attempts": 1})
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        ssm.list_command_invocations()
    assert ssm_invocations.calls == []


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("https://ssm.eu-west-1.amazonaws.com", "eu-west-1"),
        ("https://ssm-fips.us-east-2.amazonaws.com", "us-east-2"),
        ("https://vpce-0123456789abcdef0-abcdefgh.ssm.eu-west-1.vpce.amazonaws.com", "eu-west-1"),
        ("https://ssm.cn-north-1.amazonaws.com.cn", "cn-north-1"),
    ],
    ids=["regional", "fips", "vpc-endpoint", "china"],
)
def test_aws_endpoints_are_answered_in_process(
    ssm_invocations: FakeSSM, url: str, region: str
) -> None:
    handle = ssm_invocations.add_command(instances=2, region=region)
    got = client(region, endpoint_url=url).list_command_invocations(CommandId=handle.command_id)
    assert len(got["CommandInvocations"]) == 2
    assert [(c.operation, c.region) for c in ssm_invocations.calls] == [
        ("ListCommandInvocations", region)
    ]


# -- adaptive retries on the fake clock ------------------------------------------


def test_adaptive_retries_wait_on_the_fake_clock(ssm_invocations: FakeSSM) -> None:
    ssm_invocations.fail("ThrottlingException", times=3)
    ssm = client(retries={"mode": "adaptive", "max_attempts": 6})
    ssm.list_command_invocations()  # throttled three times: the limiter slows down
    after_retries = ssm_invocations.clock.now_ms
    for _ in range(3):
        ssm.list_command_invocations()  # no error, no retry, no backoff sleep
    assert [c.error for c in ssm_invocations.calls] == ["ThrottlingException"] * 3 + [None] * 4
    # The limiter held these requests back until its bucket refilled: that time
    # passed on the fake clock (before, it passed for real and the clock stood still).
    assert ssm_invocations.clock.now_ms - after_retries >= 1000


def test_adaptive_limiter_is_given_back_its_clock_after_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import botocore.retries.bucket as bucket, time

        def test_patched(ssm_invocations):
            assert bucket.time is not time

        def test_restored():
            assert bucket.time is time
            assert bucket.TokenBucket.acquire.__module__ == "botocore.retries.bucket"
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


# -- installed for the session, undone after ----------------------------------


def test_the_plugin_installs_nothing_at_import() -> None:
    code = (
        "import sys\n"
        "import pytest_ssm_invocations.plugin\n"
        "import botocore.handlers\n"
        "print(any(type(f).__module__.startswith('pytest_ssm') for f in sys.meta_path),"
        " any('ssm' in repr(h) for h in botocore.handlers.BUILTIN_HANDLERS))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


UNDO = """
import sys
import pytest_ssm_invocations.transports.interception as interception

interception.start()
interception.start()  # nested sessions (pytester) share one installation
import botocore.handlers
from moto.ssm.responses import SimpleSystemManagerResponse as R
from pytest_ssm_invocations.transports import botocore_hook

handler = ("before-send", botocore_hook._before_send)
assert botocore.handlers.BUILTIN_HANDLERS[0] == handler
assert R.list_command_invocations.__module__.startswith("pytest_ssm_invocations")
interception.stop()
assert handler in botocore.handlers.BUILTIN_HANDLERS
interception.stop()
assert handler not in botocore.handlers.BUILTIN_HANDLERS
assert botocore_hook._GUARD not in botocore.handlers.BUILTIN_HANDLERS
assert not hasattr(R, "list_command_invocations")
assert R.list_commands.__module__ == "moto.ssm.responses"
assert not any(type(f).__module__.startswith("pytest_ssm") for f in sys.meta_path)
print("undone")
"""


def test_the_session_installation_is_undone_at_its_end() -> None:
    out = subprocess.run([sys.executable, "-c", UNDO], capture_output=True, text=True)
    assert out.stdout.strip() == "undone", out.stderr


def test_a_session_installs_the_handler_before_conftests_load(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import boto3
        EARLY = boto3.session.Session().client(
            "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
        """
    )
    pytester.makepyfile(
        """
        from conftest import EARLY

        def test_early_client_is_answered(ssm_invocations):
            ssm_invocations.add_command(instances=2)
            assert len(EARLY.list_command_invocations()["CommandInvocations"]) == 2
        """
    )
    pytester.runpytest_subprocess("-p", "no:randomly").assert_outcomes(passed=1)


def test_a_pytest_session_leaves_nothing_installed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_uses_it="""
        def test_it(ssm_invocations):
            import boto3
            boto3.client("ssm", region_name="us-east-1").list_commands()
            assert len(ssm_invocations.calls) == 1
        """
    )
    script = pytester.makepyfile(
        run_session="""
        import sys, pytest
        assert pytest.main(["-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                            "test_uses_it.py"]) == 0
        import botocore.handlers
        from pytest_ssm_invocations.transports import botocore_hook
        print("left:", ("before-send", botocore_hook._before_send) in
              botocore.handlers.BUILTIN_HANDLERS,
              any(type(f).__module__.startswith("pytest_ssm") for f in sys.meta_path))
        """
    )
    result = pytester.run(sys.executable, str(script))
    result.stdout.fnmatch_lines(["left: False False"])


def test_a_client_made_before_the_first_fake_outside_pytest_is_answered_too(
    tmp_path: Any,
) -> None:
    """Outside pytest the handler joins botocore's built-in list at the first ``with``;
    a session made before it has no copy, and its call must not reach the network."""
    import subprocess
    import sys

    script = tmp_path / "early.py"
    script.write_text(
        "import boto3\n"
        "ssm = boto3.client('ssm', region_name='us-east-1',\n"
        "                   aws_access_key_id='a', aws_secret_access_key='b')\n"
        "from pytest_ssm_invocations import FakeSSM\n"
        "with FakeSSM(seed=1) as fake:\n"
        "    handle = fake.add_command(instances=2)\n"
        "    got = ssm.list_command_invocations(CommandId=handle.command_id)\n"
        "    print(len(got['CommandInvocations']))\n"
    )
    # Any request that did leave would go to a proxy nobody listens on, and fail.
    env = {
        "PATH": "/usr/bin:/bin",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"
