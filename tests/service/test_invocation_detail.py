"""GetCommandInvocation as AWS writes it: durations, end times, never-started plugins, errors.

Sources: captured ``aws ssm get-command-invocation`` output in public places
(the AWS CLI reference example: start 18:18:03.419Z, ``PT0.091S``, end
18:18:03.419Z; a PowerShell run: start 20:08:56.792Z, ``PT2.44S``, end
20:08:58.792Z; an ExecutionTimedOut: ``PT1H0.271S``, end an hour after the
start) and aws/aws-sdk issue 86 for the messageless ``InvocationDoesNotExist``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations import factories, wire
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.service.detail import elapsed_text, execution_times
from pytest_ssm_invocations.service.errors import ServiceError

from ..conftest import client

UTC = timezone.utc


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (2440, "PT2.44S"),  # captured
        (91, "PT0.091S"),  # captured
        (33872, "PT33.872S"),  # captured
        (3_600_271, "PT1H0.271S"),  # captured (ExecutionTimedOut after an hour)
        (1000, "PT1S"),  # whole seconds: no fraction, by the same rule
        (0, "PT0S"),
        (90_000, "PT1M30S"),
        (3_600_000, "PT1H"),
        (500, "PT0.5S"),
    ],
)
def test_elapsed_time_drops_trailing_zeros(ms: int, text: str) -> None:
    assert elapsed_text(ms) == text


def _plugin(start: datetime, took_ms: int) -> dict[str, Any]:
    return {
        "ResponseStartDateTime": start,
        "ResponseFinishDateTime": start + timedelta(milliseconds=took_ms),
    }


@pytest.mark.parametrize(
    ("start", "took_ms", "elapsed", "end"),
    [
        ("2024-03-01T20:08:56.792", 2440, "PT2.44S", "2024-03-01T20:08:58.792Z"),
        ("2020-02-19T18:18:03.419", 91, "PT0.091S", "2020-02-19T18:18:03.419Z"),
        ("2023-05-07T22:13:33.797", 3_600_271, "PT1H0.271S", "2023-05-07T23:13:33.797Z"),
    ],
)
def test_end_is_start_plus_the_whole_seconds_of_the_elapsed_time(
    start: str, took_ms: int, elapsed: str, end: str
) -> None:
    times = execution_times(_plugin(datetime.fromisoformat(start).replace(tzinfo=UTC), took_ms))
    assert times == {
        "ExecutionStartDateTime": f"{start}Z",
        "ExecutionElapsedTime": elapsed,
        "ExecutionEndDateTime": end,
    }


@given(st.integers(min_value=0, max_value=10 * 3_600_000))
def test_end_never_passes_the_finish_and_trails_it_by_under_a_second(took_ms: int) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    end = execution_times(_plugin(start, took_ms))["ExecutionEndDateTime"]
    shown = datetime.strptime(end, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    finish = start + timedelta(milliseconds=took_ms)
    assert timedelta(0) <= finish - shown < timedelta(seconds=1)


def test_a_served_success_shows_the_captured_relation(ssm_invocations: FakeSSM) -> None:
    handle = ssm_invocations.add_command(instances=1)
    detail = client().get_command_invocation(
        CommandId=handle.command_id, InstanceId=handle.instance_ids[0]
    )
    plugin = handle.invocations[0]["CommandPlugins"][0]
    took = plugin["ResponseFinishDateTime"] - plugin["ResponseStartDateTime"]
    assert detail["ExecutionElapsedTime"] == elapsed_text(took // timedelta(milliseconds=1))
    assert not detail["ExecutionElapsedTime"].endswith("0S")
    start = datetime.strptime(detail["ExecutionStartDateTime"], "%Y-%m-%dT%H:%M:%S.%fZ")
    end = datetime.strptime(detail["ExecutionEndDateTime"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert end - start == timedelta(seconds=int(took.total_seconds()))


def test_each_stream_shows_its_first_24000_characters(ssm: Any, ssm_invocations: FakeSSM) -> None:
    """A real answer held 16,312 characters of stderr (the parity snapshot
    osquery-install-story-custodian), past the model's "first 8,000"."""
    stdout, stderr = "o" * 30_000, "e" * 16_312 + "f" * 20_000
    handle = ssm_invocations.add_command(instances=1, stdout=stdout, stderr=stderr,
                                         statuses={"Success": 1})  # fmt: skip
    detail = ssm.get_command_invocation(CommandId=handle.command_id,
                                        InstanceId=handle.instance_ids[0])  # fmt: skip
    assert detail["StandardOutputContent"] == stdout[:24_000]
    assert detail["StandardErrorContent"] == stderr[:24_000]


@pytest.mark.parametrize("status", ["Pending", "Undeliverable", "InProgress:sending"])
def test_a_plugin_that_never_started_has_no_start_no_elapsed_and_an_empty_end(
    ssm_invocations: FakeSSM, status: str
) -> None:
    handle = ssm_invocations.add_command(statuses=[status])
    detail = client().get_command_invocation(
        CommandId=handle.command_id, InstanceId=handle.instance_ids[0]
    )
    assert "ExecutionStartDateTime" not in detail
    assert "ExecutionElapsedTime" not in detail
    assert detail["ExecutionEndDateTime"] == ""


# -- errors whose model has no message ------------------------------------------


MESSAGELESS = ["InvocationDoesNotExist", "InvalidPluginName", "InvalidCommandId"]


@pytest.mark.parametrize("code", MESSAGELESS)
def test_messageless_errors_have_no_message_key_on_the_wire(code: str) -> None:
    error = ServiceError(code)
    assert error.message == ""
    assert json.loads(wire.encode_error(error.code, error.message)) == {"__type": code}


def test_errors_with_a_message_keep_it_on_the_wire() -> None:
    error = ServiceError("InvalidNextToken")
    body = json.loads(wire.encode_error(error.code, error.message))
    assert body == {"__type": "InvalidNextToken", "message": "The specified token isn't valid."}


def test_botocore_raises_the_modelled_exceptions_with_an_empty_message(
    ssm_invocations: FakeSSM,
) -> None:
    ssm = client()
    handle = ssm_invocations.add_command(instances=1, document="AWS-ConfigureAWSPackage")
    node = handle.instance_ids[0]
    unknown = factories.command_id(seed=1)
    cases = [
        (ssm.exceptions.InvocationDoesNotExist, {"CommandId": unknown, "InstanceId": node}),
        (ssm.exceptions.InvalidPluginName, {"CommandId": handle.command_id, "InstanceId": node}),
        (ssm.exceptions.InvalidCommandId, {"CommandId": "z" * 36, "InstanceId": node}),
    ]
    for exception, params in cases:
        with pytest.raises(exception) as raised:
            ssm.get_command_invocation(**params)
        assert raised.value.response["Error"]["Message"] == ""
        # What aws/aws-sdk issue 86 quotes: the text ends after the colon.
        assert str(raised.value).endswith("operation: ")


def test_a_test_may_still_give_a_messageless_error_a_message(ssm_invocations: FakeSSM) -> None:
    ssm_invocations.fail("InvocationDoesNotExist", operation="GetCommandInvocation", message="x")
    unknown = factories.command_id(seed=2)
    ssm = client()
    with pytest.raises(ssm.exceptions.InvocationDoesNotExist, match="x"):
        ssm.get_command_invocation(CommandId=unknown, InstanceId="i-0123456789abcdef0")
