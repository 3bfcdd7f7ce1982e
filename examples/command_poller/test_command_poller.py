"""Testing a poller against the fake SSM: lifecycle, throttling, eventual consistency."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from command_poller import wait_for_command, wait_for_node

from pytest_ssm_invocations.fake import FakeSSM


@pytest.fixture
def ssm() -> Any:
    return boto3.client("ssm", region_name="us-east-1")


def test_waits_for_every_node_through_the_lifecycle(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(
        statuses={"Success": 70, "Failed": 3, "DeliveryTimedOut": 2},
        progress="clock",
        invisible_for=1,
        # DeliveryTimedOut nodes end at 600 s plus the document's executionTimeout (3600 s).
        timeout_seconds=600,
    )
    results = wait_for_command(
        ssm, handle.command_id, 75, poll_seconds=15, max_polls=300,
        sleep=ssm_invocations.clock.sleep,
    )  # fmt: skip
    assert sorted(r.status_details for r in results).count("Success") == 70
    assert {r.instance_id for r in results} == set(handle.instance_ids)
    # It had to poll while nodes were Pending and InProgress, reading every page.
    first_poll = ssm_invocations.calls[0]
    assert first_poll.returned == 0  # the eventual-consistency window
    assert max(c.page or 0 for c in ssm_invocations.calls) == 2  # 75 nodes: two pages


def test_survives_throttling(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=60)
    ssm_invocations.fail("ThrottlingException", page=2, times=2)
    results = wait_for_command(ssm, handle.command_id, 60, sleep=ssm_invocations.clock.sleep)
    assert len(results) == 60


def test_reads_every_page_even_when_some_are_empty(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=6)
    ssm_invocations.page_plan(2, 0, 4, 0)
    assert len(wait_for_command(ssm, handle.command_id, 6, sleep=lambda s: None)) == 6


def test_node_waiter_returns_full_output(ssm_invocations: FakeSSM, ssm: Any) -> None:
    log = "".join(f"step {n} ok\n" for n in range(2000))
    handle = ssm_invocations.add_command(
        statuses=["Failed"], stdout=log, stderr="disk full", progress="poll", invisible_for=1
    )
    result = wait_for_node(ssm, handle.command_id, handle.instance_ids[0])
    assert result.status_details == "Failed"
    assert result.output == log[:24000]  # GetCommandInvocation shows more than Output
