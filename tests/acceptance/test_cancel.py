"""CancelCommand: running invocations go Cancelling then Cancelled, pending ones Cancelled.

API reference (CancelCommand, "There is no output if the command succeeds")
and the user guide's statuses: Cancelling is "the command was canceled
before it was completed" in flight; Cancelled is terminal.
"""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest

from pytest_ssm_invocations.fake import FakeSSM

SHELL = {"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["./long-job.sh"]}}


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
    # Success on one node and Cancelled on the rest: not every invocation is a Success.
    assert command_status(ssm, command_id) == ("Failed", "Incomplete")
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
