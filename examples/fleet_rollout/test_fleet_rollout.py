"""Testing a roll-out against the fake SSM: a tagged fleet, chosen outcomes, rate controls."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from fleet_rollout import roll_out

from pytest_ssm_invocations import FakeSSM


@pytest.fixture
def ssm() -> Any:
    return boto3.client("ssm", region_name="us-east-1")


def test_sends_to_the_tag_with_rate_controls(ssm_invocations: FakeSSM, ssm: Any) -> None:
    ssm_invocations.add_instances(4, tags={"Role": "web"})
    roll_out(ssm, "web", ["systemctl restart nginx"], sleep=ssm_invocations.clock.sleep)
    (sent,) = ssm_invocations.sent
    assert sent.request is not None  # None only for commands add_command made
    assert sent.request["Targets"] == [{"Key": "tag:Role", "Values": ["web"]}]
    assert sent.request["MaxConcurrency"] == "10%"
    assert sent.request["MaxErrors"] == "1"
    assert sent.request["Parameters"] == {"commands": ["systemctl restart nginx"]}


def test_reports_the_failed_nodes_and_stops_at_max_errors(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    web = ssm_invocations.add_instances(60, tags={"Role": "web"})
    ssm_invocations.add_instances(5, tags={"Role": "db"})  # not targeted
    # In node order: three failures early on; MaxErrors 2 stops the roll-out at the third.
    ssm_invocations.on_send(statuses=["Success"] * 10 + ["Failed"] * 3 + ["Success"] * 47)
    rollout = roll_out(
        ssm, "web", ["./deploy.sh"], max_concurrency="6", max_errors="2",
        sleep=ssm_invocations.clock.sleep,
    )  # fmt: skip
    assert rollout.status == "Failed"
    failed = [i for i, status in rollout.failed.items() if status == "Failed"]
    assert failed == web[10:13]
    terminated = [i for i, status in rollout.failed.items() if status == "Terminated"]
    assert terminated, "nodes not yet sent when MaxErrors was exceeded end Terminated"
    assert sorted([*rollout.succeeded, *rollout.failed]) == sorted(web)


def test_cancels_at_the_deadline(ssm_invocations: FakeSSM, ssm: Any) -> None:
    batch = ssm_invocations.add_instances(4, tags={"Role": "batch"})
    ssm_invocations.on_send(statuses={"InProgress": 4})  # a job that never ends by itself
    rollout = roll_out(
        ssm, "batch", ["./reindex.sh"], deadline_seconds=120, sleep=ssm_invocations.clock.sleep
    )
    assert rollout.cancelled
    assert rollout.status == "Cancelled"
    assert rollout.failed == dict.fromkeys(batch, "Cancelled")
    assert [c.params for c in ssm_invocations.calls_to("CancelCommand")] == [
        {"CommandId": rollout.command_id}
    ]


def test_an_offline_node_times_out(ssm_invocations: FakeSSM, ssm: Any) -> None:
    online = ssm_invocations.add_instances(3, tags={"Role": "web"})
    (offline,) = ssm_invocations.add_instances(
        1, tags={"Role": "web"}, ping_status="ConnectionLost"
    )
    # The service gives up on it at TimeoutSeconds (600) plus executionTimeout (3600):
    # a deadline past that lets the delivery time out before any cancel.
    rollout = roll_out(
        ssm, "web", ["uptime"], deadline_seconds=5400, sleep=ssm_invocations.clock.sleep
    )
    assert rollout.failed == {offline: "DeliveryTimedOut"}
    assert sorted(rollout.succeeded) == sorted(online)
    # Delivery timeouts don't count against MaxErrors, but the command is not a Success.
    assert rollout.status == "Incomplete"
