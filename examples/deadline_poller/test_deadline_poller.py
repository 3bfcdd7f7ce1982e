"""Testing a wall-clock poller with ``time="fake"``: its own sleeps and clock reads, no patching.

The module under test calls ``time.sleep`` and ``datetime.now`` as it is;
the marker puts both on the fake clock, so a fifteen-minute wait takes a
few milliseconds and the records' times agree with the code's "now".
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import boto3
import pytest
from deadline_poller import DeadlineExceeded, failures_in_the_last_hour, run_script

from pytest_ssm_invocations import FakeSSM

pytestmark = pytest.mark.ssm_invocations(time="fake")


@pytest.fixture
def ssm() -> Any:
    return boto3.client("ssm", region_name="us-east-1")


def test_waits_for_every_node(ssm_invocations: FakeSSM, ssm: Any) -> None:
    nodes = ssm_invocations.add_instances(3)
    ssm_invocations.on_send(statuses=["Success", "Failed", "Success"])
    began = time.perf_counter()  # perf_counter stays real: what the wait really took
    run = run_script(ssm, nodes, ["./deploy.sh"])
    assert run.results == dict(zip(nodes, ["Success", "Failed", "Success"], strict=True))
    assert run.failed == [nodes[1]]
    assert time.perf_counter() - began < 5
    waited = ssm_invocations.clock.now - ssm_invocations.sent[0].command["RequestedDateTime"]
    assert timedelta(0) < waited < timedelta(minutes=15)


def test_tolerates_the_command_not_being_visible_yet(ssm_invocations: FakeSSM, ssm: Any) -> None:
    nodes = ssm_invocations.add_instances(2)
    ssm_invocations.on_send(invisible_for=4)  # GetCommandInvocation: InvocationDoesNotExist
    assert run_script(ssm, nodes, ["true"]).failed == []


def test_a_node_still_running_at_the_deadline_is_an_error(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    nodes = ssm_invocations.add_instances(2)
    ssm_invocations.on_send(statuses=["Success", "InProgress"])  # the second one hangs
    with pytest.raises(DeadlineExceeded) as raised:
        run_script(ssm, nodes, ["./migrate.sh"], minutes=15)
    assert raised.value.unfinished == [nodes[1]]
    requested = ssm_invocations.sent[0].command["RequestedDateTime"]
    assert ssm_invocations.clock.now - requested >= timedelta(minutes=15)


def test_failures_of_the_last_hour_follow_the_code_s_own_now(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    old = ssm_invocations.add_command(statuses={"Failed": 2})
    ssm_invocations.clock.advance(hours=2)
    recent = ssm_invocations.add_command(statuses={"Failed": 1, "Success": 4})
    ssm_invocations.add_command(statuses={"Success": 3})
    assert failures_in_the_last_hour(ssm) == [recent.command_id]
    assert old.command_id not in failures_in_the_last_hour(ssm)
