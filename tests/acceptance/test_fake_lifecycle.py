"""Lifecycle, the waiter, GetCommandInvocation, ListCommands, eventual consistency, load()."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import timedelta
from typing import Any

import botocore.exceptions
import pytest

from pytest_ssm_invocations.catalogue.documents import Step, document
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.records.output import OUTPUT_TRUNCATED
from pytest_ssm_invocations.service.detail import elapsed_text

from ..conftest import client, walk


def _statuses(ssm: Any, command_id: str) -> list[str]:
    return [i["StatusDetails"] for i in walk(ssm, CommandId=command_id, Details=True)]


def test_clock_moves_invocations_through_their_lifecycle(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    handle = ssm_invocations.add_command(
        statuses=["Success", "Failed", "DeliveryTimedOut"], progress="clock"
    )
    assert _statuses(ssm, handle.command_id) == ["Pending", "Pending", "Pending"]
    ssm_invocations.clock.advance(seconds=3)  # plugins have started, none finished yet
    now = _statuses(ssm, handle.command_id)
    assert now[2] == "Pending"
    assert set(now[:2]) <= {"InProgress", "Success", "Failed"}
    ssm_invocations.clock.advance(hours=2)  # past every finish and the delivery timeout
    assert _statuses(ssm, handle.command_id) == ["Success", "Failed", "DeliveryTimedOut"]


def test_in_progress_view_is_consistent(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(statuses=["Success"], progress="poll")
    walk(ssm, CommandId=handle.command_id)  # first look: Pending
    running = walk(ssm, CommandId=handle.command_id, Details=True)[0]
    assert running["Status"] == "InProgress"
    plugin = running["CommandPlugins"][0]
    assert plugin["Status"] == "InProgress"
    assert plugin["ResponseCode"] == -1
    assert "ResponseStartDateTime" in plugin
    assert "ResponseFinishDateTime" not in plugin
    assert plugin["Output"] == ""


def test_poll_progress_moves_one_step_per_observation(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(statuses=["Failed"], progress="poll")
    node = handle.instance_ids[0]
    seen = [
        ssm.get_command_invocation(CommandId=handle.command_id, InstanceId=node)["Status"]
        for _ in range(4)
    ]
    assert seen == ["Pending", "InProgress", "Failed", "Failed"]


@pytest.mark.parametrize("status", ["Success", "ExecutionTimedOut", "Undeliverable"])
def test_waiter_succeeds_or_fails_without_sleeping(
    ssm_invocations: FakeSSM, ssm: Any, status: str
) -> None:
    handle = ssm_invocations.add_command(statuses=[status], progress="poll", invisible_for=2)
    start = ssm_invocations.clock.now
    waiter = ssm.get_waiter("command_executed")
    kwargs = {"CommandId": handle.command_id, "InstanceId": handle.instance_ids[0]}
    if status == "Success":
        waiter.wait(**kwargs)
    else:
        with pytest.raises(botocore.exceptions.WaiterError, match="terminal failure state"):
            waiter.wait(**kwargs)
    calls = ssm_invocations.calls_to("GetCommandInvocation")
    assert [c.error for c in calls[:2]] == ["InvocationDoesNotExist"] * 2
    # The waiter's 5-second delays went to the fake clock, not to real time.
    assert ssm_invocations.clock.now - start == timedelta(seconds=5 * (len(calls) - 1))


@pytest.mark.parametrize("status", ["Cancelled", "Failed", "DeliveryTimedOut", "Cancelling"])
def test_waiter_failure_states(ssm_invocations: FakeSSM, ssm: Any, status: str) -> None:
    handle = ssm_invocations.add_command(statuses=[status])
    with pytest.raises(botocore.exceptions.WaiterError) as error:
        ssm.get_waiter("command_executed").wait(
            CommandId=handle.command_id, InstanceId=handle.instance_ids[0]
        )
    assert error.value.last_response["StatusDetails"] == status


def test_waiter_gives_up_after_max_attempts(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(statuses=["InProgress"])
    with pytest.raises(botocore.exceptions.WaiterError, match="Max attempts exceeded"):
        ssm.get_waiter("command_executed").wait(
            CommandId=handle.command_id, InstanceId=handle.instance_ids[0]
        )
    assert len(ssm_invocations.calls) == 20


def test_eventual_consistency_window(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=2, invisible_for=2)
    assert walk(ssm, CommandId=handle.command_id) == []
    with pytest.raises(ssm.exceptions.InvocationDoesNotExist):
        ssm.get_command_invocation(CommandId=handle.command_id, InstanceId=handle.instance_ids[0])
    assert len(walk(ssm, CommandId=handle.command_id)) == 2


def test_get_command_invocation_per_plugin(ssm_invocations: FakeSSM, ssm: Any) -> None:
    long_stdout = "line of output\n" * 3000  # 45,000 characters
    handle = ssm_invocations.add_command(
        statuses=["Failed"],
        document="AWS-RunPatchBaseline",
        stdout=long_stdout,
        stderr="yum: repository failed",
        s3_bucket="ops-output",
    )
    node = handle.instance_ids[0]
    with pytest.raises(ssm.exceptions.InvalidPluginName) as raised:
        ssm.get_command_invocation(CommandId=handle.command_id, InstanceId=node)
    assert raised.value.response["Error"]["Message"] == ""  # the model's error has none
    listed = walk(ssm, CommandId=handle.command_id, Details=True)[0]
    failing = next(p for p in listed["CommandPlugins"] if p["Status"] == "Failed")
    detail = ssm.get_command_invocation(
        CommandId=handle.command_id, InstanceId=node, PluginName=failing["Name"]
    )
    assert detail["Status"] == detail["StatusDetails"] == "Failed"
    assert detail["ResponseCode"] == failing["ResponseCode"]
    assert detail["StandardOutputContent"] == long_stdout[:24000]
    # The script's stderr, then the agent's line for a failed script.
    line = f"failed to run commands: exit status {failing['ResponseCode']}"
    assert detail["StandardErrorContent"] == "yum: repository failed\n" + line
    assert OUTPUT_TRUNCATED in failing["Output"]
    assert detail["StandardOutputUrl"] == failing["StandardOutputUrl"]
    start = failing["ResponseStartDateTime"].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    assert detail["ExecutionStartDateTime"] == start
    elapsed = failing["ResponseFinishDateTime"] - failing["ResponseStartDateTime"]
    assert detail["ExecutionElapsedTime"] == elapsed_text(elapsed // timedelta(milliseconds=1))


def test_pending_invocation_detail_has_empty_times(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(statuses=["Pending"])
    detail = ssm.get_command_invocation(
        CommandId=handle.command_id, InstanceId=handle.instance_ids[0]
    )
    assert detail["ResponseCode"] == -1
    # Captures of plugins that never started: no start, no elapsed time, an empty end.
    assert "ExecutionStartDateTime" not in detail
    assert "ExecutionElapsedTime" not in detail
    assert detail["ExecutionEndDateTime"] == ""


@pytest.mark.parametrize(
    ("statuses", "max_errors", "expected"),
    [
        ({"Success": 4}, "0", ("Success", "Success")),
        ({"Success": 3, "Failed": 1}, "0", ("Failed", "Failed")),
        ({"Success": 3, "Failed": 1}, "1", ("Failed", "Incomplete")),
        # Delivery timeouts don't count against MaxErrors but decide the command's
        # status: more of them than MaxErrors is "Delivery Timed Out" (user guide).
        ({"Success": 3, "DeliveryTimedOut": 1}, "0", ("TimedOut", "DeliveryTimedOut")),
        ({"Success": 3, "DeliveryTimedOut": 1}, "1", ("Failed", "Incomplete")),
        ({"Success": 2, "ExecutionTimedOut": 2}, "25%", ("TimedOut", "ExecutionTimedOut")),
        ({"Success": 2, "ExecutionTimedOut": 1, "Failed": 1}, "1", ("Failed", "Failed")),
        # "If a command has five invocations, four of which return the status Undeliverable
        # and one of which returns the status Success, then the parent command's status is
        # Success"; all of them Undeliverable: Failed (user guide, command statuses).
        ({"Success": 1, "Undeliverable": 4}, "0", ("Success", "Success")),
        ({"Undeliverable": 2}, "0", ("Failed", "Failed")),
        ({"Success": 1, "InvalidPlatform": 1, "AccessDenied": 1}, "0", ("Success", "Success")),
        ({"Success": 1, "Cancelled": 1}, "0", ("Failed", "Incomplete")),
        ({"Success": 2, "InProgress": 2}, "0", ("InProgress", "InProgress")),
        ({"Pending": 2}, "0", ("Pending", "Pending")),
        ({"Cancelled": 2}, "0", ("Cancelled", "Cancelled")),
        ({"DeliveryTimedOut": 2}, "0", ("TimedOut", "DeliveryTimedOut")),
    ],
)
def test_list_commands_aggregates_under_max_errors(
    ssm_invocations: FakeSSM, ssm: Any, statuses: dict[str, int], max_errors: str, expected: Any
) -> None:
    nodes = [f"i-0f00000000000{n:04d}" for n in range(sum(statuses.values()))]
    handle = ssm_invocations.add_command(
        statuses=statuses, instance_ids=nodes, max_errors=max_errors
    )
    command = ssm.list_commands(CommandId=handle.command_id)["Commands"][0]
    assert (command["Status"], command["StatusDetails"]) == expected
    assert command["TargetCount"] == sum(statuses.values())
    assert command["ErrorCount"] == statuses.get("Failed", 0) + statuses.get("ExecutionTimedOut", 0)
    assert command["DeliveryTimedOutCount"] == statuses.get("DeliveryTimedOut", 0)
    running = {"Pending", "InProgress"}
    assert command["CompletedCount"] == sum(n for s, n in statuses.items() if s not in running)
    assert command["MaxErrors"] == max_errors
    assert sorted(command["InstanceIds"]) == nodes


def test_list_commands_follows_the_clock(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(statuses={"Success": 3}, progress="clock")
    assert ssm.list_commands()["Commands"][0]["Status"] == "Pending"
    ssm_invocations.clock.advance(hours=1)
    command = ssm.list_commands(CommandId=handle.command_id)["Commands"][0]
    assert (command["Status"], command["CompletedCount"]) == ("Success", 3)


def test_large_commands_are_sent_by_targets(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=60)
    command = ssm.list_commands(CommandId=handle.command_id)["Commands"][0]
    assert command["InstanceIds"] == []
    assert command["Targets"] == [{"Key": "tag:Fleet", "Values": ["pytest"]}]


def test_call_log_shows_how_the_code_paginated(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=7)
    walk(ssm, CommandId=handle.command_id, PaginationConfig={"PageSize": 3})
    calls = ssm_invocations.calls_to("ListCommandInvocations")
    assert [c.returned for c in calls] == [3, 3, 1]
    assert [c.params.get("MaxResults") for c in calls] == [3, 3, 3]
    assert calls[0].next_token_in is None
    assert calls[1].next_token_in == calls[0].next_token_out
    assert calls[2].next_token_out is None


def test_page_plans_force_exact_shapes(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=5)
    ssm_invocations.page_plan(2, 0, 3, 0)
    pages = list(
        ssm.get_paginator("list_command_invocations").paginate(
            CommandId=handle.command_id, PaginationConfig={"PageSize": 50}
        )
    )
    assert [len(p["CommandInvocations"]) for p in pages] == [2, 0, 3, 0]
    assert ["NextToken" in p for p in pages] == [True, True, True, False]


def test_load_serves_captured_cli_output(ssm_invocations: FakeSSM, ssm: Any) -> None:
    captured = {
        "CommandInvocations": [
            {
                "CommandId": "ef7fdfd8-9b57-4151-a15c-db9a12345678",
                "InstanceId": f"i-02573cafcf123456{n}",
                "InstanceName": "",
                "Comment": "b48291dd-ba76-43e0-b9df-13e11ddaac26:6960febb-2907-4b59-8e1a-d6ce8"
                "EXAMPLE",
                "DocumentName": "AWS-UpdateSSMAgent",
                "DocumentVersion": "",
                "RequestedDateTime": 1582136283.089,
                "Status": "Success",
                "StatusDetails": "Success",
                "StandardOutputUrl": "",
                "StandardErrorUrl": "",
                "CommandPlugins": [
                    {
                        "Name": "aws:updateSsmAgent",
                        "Status": "Success",
                        "StatusDetails": "Success",
                        "ResponseCode": 0,
                        "ResponseStartDateTime": 1582136283.419,
                        "ResponseFinishDateTime": 1582136283.51,
                        "Output": "Updating amazon-ssm-agent from 2.3.842.0 to latest\n",
                        "StandardOutputUrl": "",
                        "StandardErrorUrl": "",
                        "OutputS3Region": "us-east-2",
                        "OutputS3BucketName": "",
                        "OutputS3KeyPrefix": "",
                    }
                ],
                "ServiceRole": "",
                "NotificationConfig": {
                    "NotificationArn": "",
                    "NotificationEvents": [],
                    "NotificationType": "",
                },
                "CloudWatchOutputConfig": {
                    "CloudWatchLogGroupName": "",
                    "CloudWatchOutputEnabled": False,
                },
            }
            for n in range(5)
        ]
    }
    ssm_invocations.load(json.dumps(captured))
    pages = list(
        ssm.get_paginator("list_command_invocations").paginate(
            Details=True, PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(p["CommandInvocations"]) for p in pages] == [2, 2, 1]
    first = pages[0]["CommandInvocations"][0]
    assert first["RequestedDateTime"].timestamp() == 1582136283.089
    assert first["CommandPlugins"][0]["ResponseFinishDateTime"].timestamp() == 1582136283.51
    detail = ssm.get_command_invocation(
        CommandId="ef7fdfd8-9b57-4151-a15c-db9a12345678", InstanceId="i-02573cafcf1234560"
    )
    assert detail["StandardOutputContent"].startswith("Updating amazon-ssm-agent")
    assert detail["ExecutionElapsedTime"] == "PT0.091S"


def test_load_rejects_what_is_not_cli_output(ssm_invocations: FakeSSM) -> None:
    with pytest.raises(ValueError, match="an object with CommandInvocations"):
        ssm_invocations.load({"Commands": []})


def test_threads_paginating_at_once_lose_nothing(ssm_invocations: FakeSSM) -> None:
    nodes = [[f"i-0f0000000000{c}{n:04d}" for n in range(40)] for c in range(4)]
    handles = [ssm_invocations.add_command(instance_ids=ids) for ids in nodes]
    clients = [client() for _ in handles]  # one each, built before the threads start
    results: dict[int, list[str]] = {}

    def read(i: int) -> None:
        command_id = handles[i].command_id
        items = walk(clients[i], CommandId=command_id, PaginationConfig={"PageSize": 3})
        results[i] = [x["InstanceId"] for x in items]

    threads = [threading.Thread(target=read, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[i] for i in range(4)] == nodes


def test_handle_shows_the_live_records(ssm_invocations: FakeSSM) -> None:
    handle = ssm_invocations.add_command(statuses=["Success"], progress="clock")
    assert handle.invocations[0]["Status"] == "Pending"
    ssm_invocations.clock.advance(hours=1)
    assert handle.invocations[0]["Status"] == "Success"
    assert handle.command["Status"] == "Success"


MOVING = ["Success", "Failed", "DeliveryTimedOut", "ExecutionTimedOut", "InProgress", "Pending"]
#: Two plugins in a row: a node's record changes while it stays InProgress.
TWO_STEPS = dataclasses.replace(
    document("AWS-RunShellScript"),
    name="Build-Then-Deploy",
    steps=(Step("build", "aws:runShellScript"), Step("deploy", "aws:runShellScript")),
)


def _moving_command(fake: FakeSSM) -> Any:
    return fake.add_command(document=TWO_STEPS, statuses=MOVING, progress="clock")


def _plugin_instants(handle: Any) -> list[int]:
    return sorted(
        {
            round(p[name].timestamp() * 1000)
            for record in handle.invocations
            for p in record["CommandPlugins"]
            for name in ("ResponseStartDateTime", "ResponseFinishDateTime")
            if name in p
        }
    )


def test_handle_views_read_over_time_are_what_a_first_read_shows() -> None:
    """Read again and again as the clock moves (and once back), the handle shows at every
    instant what a twin fake read for the first time at that instant shows."""
    fake = FakeSSM(seed=3)
    handle = _moving_command(fake)
    start = fake.clock.now_ms
    fake.clock.advance(days=1)
    instants = _plugin_instants(handle)
    assert len(instants) > 4  # several plugins start and finish at different times
    times = sorted({start, *(t + d for t in instants for d in (-1, 0, 1))})
    fake.clock.reset()
    for at in [*times, times[len(times) // 2]]:  # the last one after the clock went back
        if at < fake.clock.now_ms:
            fake.clock.reset()
        fake.clock.advance_ms(at - fake.clock.now_ms)
        twin = FakeSSM(seed=3)
        twin_handle = _moving_command(twin)
        twin.clock.advance_ms(at - twin.clock.now_ms)
        assert handle.invocations == twin_handle.invocations, at - start
        assert handle.command == twin_handle.command


def test_handle_builds_a_record_again_only_once_it_looks_different() -> None:
    fake = FakeSSM(seed=3)
    handle = _moving_command(fake)
    first = handle.invocations
    fake.clock.advance_ms(1)
    again = handle.invocations
    assert all(a is b for a, b in zip(first, again, strict=True))
    fake.clock.advance(days=1)
    final = handle.invocations
    assert [r["Status"] for r in final] != [r["Status"] for r in first]
    assert all(a is b for a, b in zip(final, handle.invocations, strict=True))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"progress": "always"}, "progress='always'; valid"),
        ({"invisible_for": -1}, "invisible_for must be an int >= 0"),
        ({"max_errors": "many"}, "max_errors='many' does not match"),
        ({"timeout_seconds": 5}, "timeout_seconds must be an int from 30"),
        ({"outputs": {"i-0123456789abcdef0": ("a", "")}}, "not sent to"),
    ],
)
def test_bad_add_command_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakeSSM().add_command(**kwargs)


@pytest.mark.parametrize(
    ("parameters", "expires_after_s"),
    [
        (None, 600 + 3600),  # AWS-RunShellScript's executionTimeout default
        ({"commands": ["make"], "executionTimeout": ["120"]}, 600 + 120),
    ],
)
def test_an_added_command_expires_after_its_own_execution_timeout(
    parameters: dict[str, list[str]] | None, expires_after_s: int
) -> None:
    """The delivery timeout is TimeoutSeconds plus the command's executionTimeout, as for
    a command sent through the API (earlier add_command always added 3600)."""
    handle = FakeSSM(seed=3).add_command(instances=1, parameters=parameters, timeout_seconds=600)
    command = handle.command
    assert command["ExpiresAfter"] - command["RequestedDateTime"] == timedelta(
        seconds=expires_after_s
    )


@pytest.mark.parametrize("document", ["AWS-RunShellScript", None])  # None: drawn by the seed
def test_a_bad_execution_timeout_is_refused_before_anything_is_drawn(document: str | None) -> None:
    fake, fresh = FakeSSM(seed=3), FakeSSM(seed=3)
    bad = {"commands": ["x"], "executionTimeout": ["soon"]}
    with pytest.raises(ValueError, match=r"^parameters: executionTimeout='soon'; a number of"):
        fake.add_command(instances=1, parameters=bad, document=document)
    assert fake.add_command(instances=2).invocations == fresh.add_command(instances=2).invocations


def test_added_parameters_come_back_sorted_by_name() -> None:
    handle = FakeSSM().add_command(instances=1, parameters={"workingDirectory": ["/"],
                                                             "commands": ["id"]})  # fmt: skip
    assert list(handle.command["Parameters"]) == ["commands", "workingDirectory"]
