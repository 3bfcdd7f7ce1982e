"""A misspelt name is refused naming the one meant, in the public name a test calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pytest_ssm_invocations import FakeSSM, factories

FAKE = FakeSSM(seed=1)

MISTAKES: list[tuple[str, Callable[[], Any], str]] = [
    ("add_command status", lambda: FAKE.add_command(status={"Success": 1}),
     "add_command() got an unexpected keyword argument 'status' (did you mean 'statuses'?)"),
    ("add_command s3bucket", lambda: FAKE.add_command(s3bucket="out"),
     "add_command() got an unexpected keyword argument 's3bucket' (did you mean 's3_bucket'?)"),
    ("on_send status", lambda: FAKE.on_send(status=["Success"]),
     "on_send() got an unexpected keyword argument 'status' (did you mean 'statuses'?)"),
    ("add_instances tag", lambda: FAKE.add_instances(2, tag={"Role": "web"}),
     "add_instances() got an unexpected keyword argument 'tag' (did you mean 'tags'?)"),
    ("fail time", lambda: FAKE.fail("ThrottlingException", time=None),
     "fail() got an unexpected keyword argument 'time' (did you mean 'times'?)"),
    ("fail code", lambda: FAKE.fail("ThrotlingException"),
     "code 'ThrotlingException' is neither .* \\(did you mean 'ThrottlingException'\\?\\)"),
    ("invocation", lambda: factories.invocation(stauts="Failed"),
     "factories.invocation() got an unexpected keyword argument 'stauts' (did you mean 'status'?)"),
    ("status spelling", lambda: FAKE.on_send(statuses=["success"]),
     "statuses[0]: unknown StatusDetails 'success' (did you mean 'Success'?)"),
    ("operation", lambda: FAKE.calls_to("ListCommand"),
     "unknown operation 'ListCommand' (did you mean 'ListCommands'?)"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "call", "message"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_misspelt_name_names_the_one_meant(
    label: str, call: Callable[[], Any], message: str
) -> None:
    with pytest.raises((TypeError, ValueError)) as raised:
        call()
    text = str(raised.value)
    pattern = message if "\\" in message else None
    if pattern is None:
        assert text.startswith(message), text
    else:
        assert raised.match(pattern)
    assert "SendSide" not in text  # never an internal class name


def test_a_code_of_one_s_own_is_served_when_asked_for(ssm_invocations: FakeSSM, ssm: Any) -> None:
    ssm_invocations.fail("CustomOutage", operation="ListCommands", unmodelled=True)
    with pytest.raises(ssm.exceptions.ClientError) as raised:
        ssm.list_commands()
    assert raised.value.response["Error"]["Code"] == "CustomOutage"


def test_a_misspelt_marker_option_names_the_one_meant(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_invocations(regoin="eu-west-1")
        def test_it(ssm_invocations):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*got [[]'regoin'[]] (did you mean 'region'?)*"])
