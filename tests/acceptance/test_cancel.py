"""CancelCommand: running invocations go Cancelling then Cancelled, pending ones Cancelled.

API reference (CancelCommand, "There is no output if the command succeeds")
and the user guide's statuses: Cancelling is "the command was canceled
before it was completed" in flight; Cancelled is terminal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import botocore.exceptions
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.handles import CommandHandle
from pytest_ssm_invocations.records.times import to_ms
from pytest_ssm_invocations.store.lifecycle import SETTLE_MS

from ..conftest import active, client

SHELL = {"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["./long-job.sh"]}}


def sent(fake: FakeSSM, ssm: Any, outcome: list[str]) -> tuple[list[str], str]:
    """A shell command sent to a node per status of ``outcome``, each ending so."""
    nodes = fake.add_instances(len(outcome))
    fake.on_send(statuses=outcome)
    return nodes, ssm.send_command(InstanceIds=nodes, **SHELL)["Command"]["CommandId"]


def statuses(ssm: Any, command_id: str) -> list[str]:
    page = ssm.list_command_invocations(CommandId=command_id, Details=True)
    return [i["StatusDetails"] for i in page["CommandInvocations"]]


def command_status(ssm: Any, command_id: str) -> tuple[str, str]:
    command = ssm.list_commands(CommandId=command_id)["Commands"][0]
    return command["Status"], command["StatusDetails"]


def test_cancel_ends_running_and_waiting_nodes_and_spares_finished_ones(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    nodes = ssm_invocations.add_instances(3)
    ssm_invocations.on_send(statuses=["Success", "InProgress", "Success"])
    command_id = ssm.send_command(InstanceIds=nodes, MaxConcurrency="1", **SHELL)["Command"][
        "CommandId"
    ]
    ssm_invocations.clock.advance(minutes=5)  # node 1 done, node 2 running, node 3 waiting
    assert statuses(ssm, command_id) == ["Success", "InProgress", "Pending"]
    assert ssm.cancel_command(CommandId=command_id)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert statuses(ssm, command_id) == ["Success", "Cancelling", "Cancelled"]
    assert command_status(ssm, command_id) == ("Cancelling", "Cancelling")
    ssm_invocations.clock.advance(seconds=2)
    assert statuses(ssm, command_id) == ["Success", "Cancelled", "Cancelled"]
    # Cancelled before it was completed: not Incomplete, which needs every node attempted.
    assert command_status(ssm, command_id) == ("Cancelled", "Cancelled")
    counts = ssm.list_commands(CommandId=command_id)["Commands"][0]
    assert (counts["CompletedCount"], counts["ErrorCount"]) == (3, 0)
    started = ssm.list_command_invocations(CommandId=command_id, InstanceId=nodes[1], Details=True)
    (plugin,) = started["CommandInvocations"][0]["CommandPlugins"]
    assert (plugin["Status"], plugin["ResponseCode"]) == ("Cancelled", -1)
    assert plugin["ResponseFinishDateTime"] > plugin["ResponseStartDateTime"]
    waiting = ssm.get_command_invocation(CommandId=command_id, InstanceId=nodes[2])
    # Never started: no start time at all, and an empty end (as captures show).
    assert "ExecutionStartDateTime" not in waiting
    assert waiting["ExecutionEndDateTime"] == ""


def test_cancelling_every_node_cancels_the_command(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(statuses={"InProgress": 4})
    ssm.cancel_command(CommandId=handle.command_id)
    ssm_invocations.clock.advance(seconds=5)
    assert statuses(ssm, handle.command_id) == ["Cancelled"] * 4
    assert command_status(ssm, handle.command_id) == ("Cancelled", "Cancelled")


def test_cancel_on_some_nodes_leaves_the_others_running(ssm_invocations: FakeSSM, ssm: Any) -> None:
    nodes = ["i-00000000000000001", "i-00000000000000002"]
    handle = ssm_invocations.add_command(instance_ids=nodes, statuses={"InProgress": 2})
    ssm.cancel_command(CommandId=handle.command_id, InstanceIds=[nodes[0]])
    ssm_invocations.clock.advance(seconds=5)
    assert statuses(ssm, handle.command_id) == ["Cancelled", "InProgress"]
    assert command_status(ssm, handle.command_id) == ("InProgress", "InProgress")


def test_a_cancel_of_some_nodes_leaves_the_command_to_end_by_its_mix(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    nodes, command_id = sent(ssm_invocations, ssm, ["Success", "InProgress"])
    ssm_invocations.clock.advance(minutes=5)  # node 0 done, node 1 running
    ssm.cancel_command(CommandId=command_id, InstanceIds=[nodes[1]])
    ssm_invocations.clock.advance(hours=1)
    assert statuses(ssm, command_id) == ["Success", "Cancelled"]
    assert command_status(ssm, command_id) == ("Failed", "Incomplete")


def test_the_nodes_behind_a_cancelled_one_take_its_place(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    """The ramp sends to one node and waits for it to complete: cancelling it frees its
    place, and the next wave goes out then, not when the node would have finished."""
    nodes, command_id = sent(ssm_invocations, ssm, ["InProgress", "Success", "Success"])
    ssm_invocations.clock.advance(seconds=30)
    assert statuses(ssm, command_id) == ["InProgress", "Pending", "Pending"]
    ssm.cancel_command(CommandId=command_id, InstanceIds=[nodes[0]])
    assert statuses(ssm, command_id) == ["Cancelling", "Pending", "Pending"]
    ssm_invocations.clock.advance(seconds=SETTLE_MS // 1000 + 5)
    shown = statuses(ssm, command_id)
    assert shown[0] == "Cancelled"
    assert "Pending" not in shown[1:]  # sent at once, not after the 1 h execution timeout
    ssm_invocations.clock.advance(minutes=10)
    assert statuses(ssm, command_id) == ["Cancelled", "Success", "Success"]
    assert command_status(ssm, command_id) == ("Failed", "Incomplete")
    second = ssm.get_command_invocation(CommandId=command_id, InstanceId=nodes[1])
    cancelled = ssm.list_command_invocations(CommandId=command_id, InstanceId=nodes[0],
                                             Details=True)["CommandInvocations"][0]  # fmt: skip
    freed = cancelled["CommandPlugins"][0]["ResponseFinishDateTime"]
    assert datetime.fromisoformat(second["ExecutionStartDateTime"].replace("Z", "+00:00")) >= freed


def test_a_node_cancelled_before_its_turn_is_never_sent(ssm_invocations: FakeSSM, ssm: Any) -> None:
    nodes, command_id = sent(ssm_invocations, ssm, ["Success", "Success", "Success"])
    ssm.cancel_command(CommandId=command_id, InstanceIds=[nodes[2]])
    ssm_invocations.clock.advance(minutes=10)
    assert statuses(ssm, command_id) == ["Success", "Success", "Cancelled"]
    never = ssm.get_command_invocation(CommandId=command_id, InstanceId=nodes[2])
    assert "ExecutionStartDateTime" not in never


def test_a_whole_cancel_that_comes_too_late_does_not_cancel_the_command(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    nodes, command_id = sent(ssm_invocations, ssm, ["Success", "Success"])
    ssm.cancel_command(CommandId=command_id, InstanceIds=[nodes[1]])  # still waiting
    (entry, _) = ssm_invocations.store.region("us-east-1").commands[command_id].invocations
    (plugin,) = entry.final["CommandPlugins"]  # when it will run
    start, finish = plugin["ResponseStartDateTime"], plugin["ResponseFinishDateTime"]
    ssm_invocations.clock.set(max(start, finish - timedelta(milliseconds=SETTLE_MS // 2)))
    assert statuses(ssm, command_id) == ["InProgress", "Cancelled"]
    ssm.cancel_command(CommandId=command_id)  # reaches the node after the run ended
    ssm_invocations.clock.advance(minutes=5)
    assert statuses(ssm, command_id) == ["Success", "Cancelled"]
    assert command_status(ssm, command_id) == ("Failed", "Incomplete")


def test_a_cancel_after_the_end_changes_nothing(ssm_invocations: FakeSSM, ssm: Any) -> None:
    nodes, command_id = sent(ssm_invocations, ssm, ["Success", "InProgress"])
    ssm_invocations.clock.advance(minutes=5)
    ssm.cancel_command(CommandId=command_id, InstanceIds=[nodes[1]])
    ssm_invocations.clock.advance(hours=1)
    ssm.cancel_command(CommandId=command_id)  # every node is done: nothing to cancel
    assert command_status(ssm, command_id) == ("Failed", "Incomplete")


def test_a_finished_command_is_left_as_it_was(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(statuses=["Success", "Failed"], max_errors="1")
    ssm.cancel_command(CommandId=handle.command_id)
    assert statuses(ssm, handle.command_id) == ["Success", "Failed"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"CommandId": "ef7fdfd8-9b57-4151-a15c-db9a12345678"}, "InvalidCommandId"),
        ({"CommandId": "not-a-uuid-at-all-but-36-characters!"}, "InvalidCommandId"),
        ({"InstanceIds": ["i-0fffffffffffffff0"]}, "InvalidInstanceId"),
        ({"InstanceIds": ["i-00000000000000001", "i-00000000000000001"]}, "DuplicateInstanceId"),
    ],
)
def test_bad_cancels_get_the_services_errors(
    ssm_invocations: FakeSSM, ssm: Any, params: dict[str, Any], code: str
) -> None:
    handle = ssm_invocations.add_command(instance_ids=["i-00000000000000001"])
    with pytest.raises(botocore.exceptions.ClientError) as error:
        ssm.cancel_command(**{"CommandId": handle.command_id, **params})
    assert error.value.response["Error"]["Code"] == code


# -- a cancel as the plugin finishes: one state, every view agreeing ------------------


def _views(ssm: Any, handle: CommandHandle) -> tuple[str, str, int]:
    """The invocation's status, its plugin's status and ResponseCode, after checking that
    ListCommandInvocations, GetCommandInvocation, ListCommands and the handle agree (a
    command of one node shows that node's status)."""
    command_id, (node,) = handle.command_id, handle.instance_ids
    (listed,) = ssm.list_command_invocations(CommandId=command_id, Details=True)[
        "CommandInvocations"
    ]
    (plugin,) = listed["CommandPlugins"]
    detail = ssm.get_command_invocation(CommandId=command_id, InstanceId=node)
    command = ssm.list_commands(CommandId=command_id)["Commands"][0]
    status = listed["StatusDetails"]
    assert (detail["StatusDetails"], detail["ResponseCode"]) == (status, plugin["ResponseCode"])
    assert (command["StatusDetails"], handle.command["StatusDetails"]) == (status, status)
    assert handle.invocations == [listed]
    if status in ("Cancelled", "Success", "Failed"):
        assert plugin["StatusDetails"] == status  # a terminal invocation is its plugin's case
    if status == "Cancelled":
        assert plugin["ResponseCode"] == -1
    return status, plugin["StatusDetails"], plugin["ResponseCode"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**16),
    outcome=st.sampled_from(["Success", "Failed"]),
    before_finish_ms=st.integers(1, 3000),
)
def test_a_cancel_as_the_plugin_finishes_leaves_one_state_every_view_shows(
    seed: int, outcome: str, before_finish_ms: int
) -> None:
    # The twin, never cancelled, says when the plugin finishes and with what code.
    twin = FakeSSM(seed=seed)
    finished = twin.add_command(instances=1, statuses=[outcome], progress="clock")
    twin.clock.advance(hours=3)
    (plugin,) = finished.invocations[0]["CommandPlugins"]
    start_ms = to_ms(plugin["ResponseStartDateTime"], "start")
    finish_ms = to_ms(plugin["ResponseFinishDateTime"], "finish")
    assume(finish_ms - before_finish_ms > start_ms)

    fake = FakeSSM(seed=seed)
    handle = fake.add_command(instances=1, statuses=[outcome], progress="clock")
    ssm = client()
    with active(fake):
        fake.clock.advance_ms(finish_ms - before_finish_ms - fake.clock.now_ms)
        assert _views(ssm, handle)[0] == "InProgress"
        ssm.cancel_command(CommandId=handle.command_id)
        assert _views(ssm, handle)[0] == "Cancelling"
        for step_ms in (before_finish_ms // 2, before_finish_ms, SETTLE_MS, 5000):
            fake.clock.advance_ms(step_ms)
            _views(ssm, handle)
        final = _views(ssm, handle)
    if before_finish_ms <= SETTLE_MS:  # the run ends before the cancel reaches the node
        assert final == (outcome, outcome, plugin["ResponseCode"])
    else:
        assert final == ("Cancelled", "Cancelled", -1)
