"""Testing the rollout summary against the fake SSM: written without a thought for page shapes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3
import pytest
from rollout_summary import PAGE_SIZE, rollout_summary

from pytest_ssm_invocations.fake import FakeSSM


@pytest.fixture
def ssm() -> Any:
    return boto3.client("ssm", region_name="us-east-1")


def test_counts_every_node_of_a_large_rollout(ssm_invocations: FakeSSM, ssm: Any) -> None:
    mix = {"Success": 118, "Failed": 4, "DeliveryTimedOut": 3, "Undeliverable": 2}
    handle = ssm_invocations.add_command(statuses=mix)
    assert rollout_summary(ssm, handle.command_id) == Counter(mix)


def test_counts_a_small_rollout(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(statuses={"Success": 6, "ExecutionTimedOut": 1})
    assert rollout_summary(ssm, handle.command_id) == {"Success": 6, "ExecutionTimedOut": 1}


def test_asks_for_full_pages(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=120)
    assert sum(rollout_summary(ssm, handle.command_id).values()) == 120
    assert {c.params["MaxResults"] for c in ssm_invocations.calls} == {PAGE_SIZE}
