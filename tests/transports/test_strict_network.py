"""The strict network guard: with no fake active, an SSM call fails instead of reaching AWS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSRequest

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports import botocore_hook, registry

AWS_URL = "https://ssm.eu-west-1.amazonaws.com/"
EVENT = "before-send.ssm.ListCommandInvocations"


@pytest.fixture
def guard() -> Iterator[None]:
    before = registry.strict_network()
    registry.set_strict_network(True)
    yield
    registry.set_strict_network(before)


def _request(url: str = AWS_URL) -> Any:
    return AWSRequest(method="POST", url=url, data=b"{}", headers={}).prepare()


def test_off_by_default_a_call_with_no_fake_goes_on_its_way() -> None:
    assert not registry.strict_network()
    assert botocore_hook._before_send(_request(), event_name=EVENT) is None


@pytest.mark.usefixtures("guard")
def test_on_a_call_with_no_fake_fails_naming_the_operation_and_the_fixes() -> None:
    with pytest.raises(registry.NetworkBlockedError) as blocked:
        botocore_hook._before_send(_request(), event_name=EVENT)
    message = str(blocked.value)
    assert message.startswith(
        f"SSM ListCommandInvocations was called with no fake SSM active, and would have gone "
        f"to {AWS_URL}"
    )
    for fix in ("ssm_invocations fixture", "with FakeSSM() as fake:", "--ssm-strict-network"):
        assert fix in message


@pytest.mark.usefixtures("guard")
def test_on_what_answers_without_the_network_still_answers() -> None:
    with FakeSSM() as fake:
        assert botocore_hook._before_send(_request(), event_name=EVENT).status_code == 200
    assert [c.operation for c in fake.calls] == ["ListCommandInvocations"]
    # A loopback endpoint is a server the test started; other services are not SSM's.
    assert botocore_hook._before_send(_request("http://127.0.0.1:4510/"), event_name=EVENT) is None
    assert botocore_hook._before_send(_request(), event_name="before-send.s3.ListBuckets") is None


class _Moto:
    def intercepting(self) -> bool:
        return True

    def prepare(self, fake: registry.Answers, region: str) -> None:
        raise AssertionError("not called without a fake")


@pytest.mark.usefixtures("guard")
def test_on_moto_intercepting_answers_instead() -> None:
    moto = _Moto()
    registry.add_companion(moto)
    try:
        assert botocore_hook._before_send(_request(), event_name=EVENT) is None
    finally:
        registry.remove_companion(moto)


SUITE = """
import boto3
import pytest
from pytest_ssm_invocations.transports.registry import NetworkBlockedError


def _client():
    client = boto3.session.Session().client(
        "ssm", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    client.meta.events.register_last("before-send", _tripwire)  # after the kit's handler
    return client


def _tripwire(request, **_):
    if "x-ssm-invocations-answered-in-process" not in request.headers:
        raise AssertionError("this request would have left the machine")


def test_blocked():
    with pytest.raises(NetworkBlockedError, match="SSM DescribeDocument was called"):
        _client().describe_document(Name="AWS-RunShellScript")


def test_served(ssm_invocations):
    assert _client().list_command_invocations()["CommandInvocations"] == []
"""


@pytest.mark.parametrize(
    ("args", "ini"),
    [(["--ssm-strict-network"], ""), ([], "ssm_invocations_strict_network = true")],
    ids=["option", "ini"],
)
def test_the_option_or_the_ini_flag_turns_it_on_for_the_session(
    pytester: pytest.Pytester, args: list[str], ini: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(SUITE)
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=2)
    assert not registry.strict_network()  # the inner session put it back
