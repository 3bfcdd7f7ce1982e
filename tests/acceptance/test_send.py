"""SendCommand through real boto3: the response, the checks, targets, outcomes, rate controls.

Sources are named beside each behaviour: the SendCommand API reference, the
user guide ("Understanding command statuses", "Using rate controls") and real
responses quoted in public issues.
"""

from __future__ import annotations

import itertools
import textwrap
from datetime import datetime, timedelta
from typing import Any

import botocore.exceptions
import pytest

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.service.outcomes import OnSendMismatch

SHELL = {"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["uptime"]}}
NODE = "i-0123456789abcdef0"


def send(ssm: Any, **params: Any) -> dict[str, Any]:
    command: dict[str, Any] = ssm.send_command(**{**SHELL, **params})["Command"]
    return command


def code_of(error: pytest.ExceptionInfo[botocore.exceptions.ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def statuses(ssm: Any, command_id: str) -> dict[str, str]:
    pages = ssm.get_paginator("list_command_invocations").paginate(CommandId=command_id)
    return {i["InstanceId"]: i["StatusDetails"] for p in pages for i in p["CommandInvocations"]}


# -- the response -----------------------------------------------------------------


def test_the_response_is_the_command_as_aws_returns_it_right_after_sending(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    command = send(ssm, InstanceIds=[NODE])
    # Key order and values of a real 2026 CLI v2 capture (no options given).
    assert list(command) == [
        "CommandId", "DocumentName", "DocumentVersion", "Comment", "ExpiresAfter", "Parameters",
        "InstanceIds", "Targets", "RequestedDateTime", "Status", "StatusDetails",
        "OutputS3Region", "OutputS3BucketName", "OutputS3KeyPrefix", "MaxConcurrency",
        "MaxErrors", "TargetCount", "CompletedCount", "ErrorCount", "DeliveryTimedOutCount",
        "ServiceRole", "NotificationConfig", "CloudWatchOutputConfig", "TimeoutSeconds",
        "AlarmConfiguration", "TriggeredAlarms",
    ]  # fmt: skip
    assert (command["Status"], command["StatusDetails"]) == ("Pending", "Pending")
    assert command["RequestedDateTime"] == ssm_invocations.clock.now
    # TimeoutSeconds (3600) plus the document's executionTimeout (3600), as captures show.
    assert command["ExpiresAfter"] - command["RequestedDateTime"] == timedelta(seconds=7200)
    assert command["DocumentVersion"] == ""  # not sent: empty, as real answers show
    assert command["Parameters"] == {"commands": ["uptime"]}  # as sent, no defaults added
    assert (command["InstanceIds"], command["Targets"], command["TargetCount"]) == ([NODE], [], 1)
    assert (command["MaxConcurrency"], command["MaxErrors"], command["TimeoutSeconds"]) == (
        "50", "0", 3600,
    )  # fmt: skip
    assert command["OutputS3Region"] == "us-east-1"
    assert command["AlarmConfiguration"] == {"IgnorePollAlarmFailure": False, "Alarms": []}
    assert command["TriggeredAlarms"] == []


def test_parameters_come_back_sorted_by_name_and_the_version_as_sent(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    """Real ListCommands answers list a command's Parameters by name (AWS-RunPatchBaseline:
    InstallOverrideList, Operation, RebootOption, SnapshotId), whatever order was sent."""
    parameters = {"workingDirectory": ["/tmp"], "executionTimeout": ["60"], "commands": ["id"]}
    command = ssm.send_command(
        InstanceIds=[NODE], DocumentName="AWS-RunShellScript", Parameters=parameters,
        DocumentVersion="1",
    )["Command"]  # fmt: skip
    expected = ["commands", "executionTimeout", "workingDirectory"]
    assert list(command["Parameters"]) == expected
    listed = ssm.list_commands(CommandId=command["CommandId"])["Commands"][0]
    assert list(listed["Parameters"]) == expected
    assert command["DocumentVersion"] == listed["DocumentVersion"] == "1"


def test_sent_by_targets_the_response_lists_no_instances_until_resolved(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    web = ssm_invocations.add_instances(3, tags={"Role": "web"})
    targets = [{"Key": "tag:Role", "Values": ["web"]}]
    command = send(ssm, Targets=targets, TimeoutSeconds=600)
    # Real responses: "InstanceIds": [] and TargetCount 0; ListCommands shows the count later.
    assert (command["InstanceIds"], command["TargetCount"], command["Targets"]) == ([], 0, targets)
    assert command["ExpiresAfter"] - command["RequestedDateTime"] == timedelta(seconds=4200)
    listed = ssm.list_commands(CommandId=command["CommandId"])["Commands"][0]
    assert (listed["InstanceIds"], listed["TargetCount"]) == ([], 3)
    assert sorted(statuses(ssm, command["CommandId"])) == sorted(web)


def test_a_sent_command_runs_on_the_fake_clock_and_the_waiter_sees_it_finish(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    command_id = send(ssm, InstanceIds=[NODE])["CommandId"]
    assert statuses(ssm, command_id) == {NODE: "Pending"}
    ssm.get_waiter("command_executed").wait(CommandId=command_id, InstanceId=NODE)
    detail = ssm.get_command_invocation(CommandId=command_id, InstanceId=NODE)
    assert detail["StatusDetails"] == "Success"
    assert ssm_invocations.clock.now > ssm_invocations.sent[0].command["RequestedDateTime"]


def test_sent_lists_the_requests_in_order(ssm_invocations: FakeSSM, ssm: Any) -> None:
    first = send(ssm, InstanceIds=[NODE], Comment="first")["CommandId"]
    second = send(ssm, InstanceIds=[NODE], Comment="second", MaxErrors="1")["CommandId"]
    assert [h.command_id for h in ssm_invocations.sent] == [first, second]
    assert ssm_invocations.sent[1].request == {
        **SHELL,
        "InstanceIds": [NODE],
        "Comment": "second",
        "MaxErrors": "1",
    }
    ssm_invocations.add_command(instances=1)
    assert len(ssm_invocations.sent) == 2  # add_command is not a send


# -- what the service refuses -----------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"InstanceIds": [NODE], "Targets": [{"Key": "tag:Role", "Values": ["web"]}]},
         "ValidationException", "Exactly one of InstanceIds and Targets"),
        ({}, "ValidationException", "Exactly one of InstanceIds and Targets"),
        ({"InstanceIds": [NODE], "DocumentName": "My-Deploy"}, "InvalidDocument",
         "Document with name My-Deploy does not exist"),
        ({"InstanceIds": [NODE], "DocumentVersion": "7"}, "InvalidDocumentVersion", "version 7"),
        ({"InstanceIds": [NODE], "Parameters": {"comands": ["uptime"]}}, "InvalidParameters",
         "document AWS-RunShellScript does not support parameters. (pytest-ssm-invocations: "
         "it declares no parameter 'comands'"),
        ({"InstanceIds": [NODE], "Parameters": {"workingDirectory": ["/tmp"]}},
         "InvalidParameters", "requires commands"),
        ({"InstanceIds": [NODE], "Parameters": {"commands": ["x"], "executionTimeout": ["0"]}},
         "InvalidParameters", "executionTimeout='0'"),
        ({"InstanceIds": [NODE], "NotificationConfig": {"NotificationArn": "arn:aws:sns:x"}},
         "InvalidRole", "ServiceRoleArn is a required parameter to enable notification"),
        ({"InstanceIds": [NODE, NODE]}, "DuplicateInstanceId", NODE),
        ({"InstanceIds": [NODE], "Comment": "c" * 101}, "ValidationException",
         "at 'comment' failed to satisfy constraint: Member must have length less than or "
         "equal to 100"),
        ({"InstanceIds": [f"i-{n:017x}" for n in range(51)]}, "ValidationException",
         "at 'instanceIds' failed to satisfy constraint: Member must have length less than "
         "or equal to 50"),
        ({"InstanceIds": [NODE], "MaxConcurrency": "0"}, "ValidationException", "maxConcurrency"),
        ({"InstanceIds": [NODE], "TimeoutSeconds": 2592001}, "ValidationException",
         "timeoutSeconds"),
    ],
)  # fmt: skip
def test_bad_requests_get_the_services_errors(
    ssm_invocations: FakeSSM, ssm: Any, params: dict[str, Any], code: str, message: str
) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as error:
        ssm.send_command(**{**SHELL, **params})
    assert code_of(error) == code
    assert message in error.value.response["Error"]["Message"]
    assert ssm_invocations.sent == []


def test_an_open_fleet_takes_any_id_a_declared_one_only_its_own(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    send(ssm, InstanceIds=["i-00000000000000001", "mi-00000000000000002"])
    (known,) = ssm_invocations.add_instances(1)
    send(ssm, InstanceIds=[known])
    with pytest.raises(botocore.exceptions.ClientError) as error:
        send(ssm, InstanceIds=["i-00000000000000001"])
    assert code_of(error) == "InvalidInstanceId"
    assert error.value.response["Error"]["Message"] == (
        "Instances [[i-00000000000000001]] not in a valid state for account 123456789012"
    )


def test_a_node_named_by_id_must_run_the_documents_platform(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    (windows,) = ssm_invocations.add_instances(1, platform="Windows")
    with pytest.raises(botocore.exceptions.ClientError) as error:
        send(ssm, InstanceIds=[windows])
    assert code_of(error) == "UnsupportedPlatformType"
    assert error.value.response["Error"]["Message"] == (
        f"Cannot perform operation for instance id {windows} of platform type Windows"
    )


# -- targets and what the fleet implies -------------------------------------------------


def test_tag_targets_match_any_value_and_several_targets_all_hold(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    web = ssm_invocations.add_instances(2, tags={"Role": "web", "Env": "prod"})
    api = ssm_invocations.add_instances(2, tags={"Role": "api", "Env": "prod"})
    ssm_invocations.add_instances(2, tags={"Role": "web", "Env": "dev"})
    either = send(ssm, Targets=[{"Key": "tag:Role", "Values": ["web", "api"]}])
    assert len(statuses(ssm, either["CommandId"])) == 6
    both = send(ssm, Targets=[{"Key": "tag:Role", "Values": ["web", "api"]},
                              {"Key": "tag:Env", "Values": ["prod"]}])  # fmt: skip
    assert list(statuses(ssm, both["CommandId"])) == web + api
    by_key = send(ssm, Targets=[{"Key": "tag-key", "Values": ["Env"]}])
    assert len(statuses(ssm, by_key["CommandId"])) == 6
    by_ids = send(ssm, Targets=[{"Key": "InstanceIds", "Values": api}])
    assert list(statuses(ssm, by_ids["CommandId"])) == api


def test_a_resource_group_target_sends_to_its_members(ssm_invocations: FakeSSM, ssm: Any) -> None:
    """Run Command takes ``Key=resource-groups:Name,Values=<group>`` (the model's Target)."""
    web = ssm_invocations.add_instances(2, resource_groups=["web-servers", "prod"])
    ssm_invocations.add_instances(1, resource_groups=["db-servers"])
    ssm_invocations.add_instances(1)
    group = [{"Key": "resource-groups:Name", "Values": ["web-servers"]}]
    command = send(ssm, Targets=group)
    assert command["Targets"] == group
    assert list(statuses(ssm, command["CommandId"])) == web
    none = send(ssm, Targets=[{"Key": "resource-groups:Name", "Values": ["no-such-group"]}])
    ssm_invocations.clock.advance(5)
    listed = ssm.list_commands(CommandId=none["CommandId"])["Commands"][0]
    assert (listed["StatusDetails"], listed["TargetCount"]) == ("NoInstancesInTag", 0)


@pytest.mark.parametrize(
    ("groups", "error", "message"),
    [
        ("web", TypeError, "resource_groups"),
        ([""], ValueError, "resource_groups must name each group"),
    ],
)
def test_resource_groups_are_a_list_of_names(
    ssm_invocations: FakeSSM, groups: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        ssm_invocations.add_instances(1, resource_groups=groups)


def test_a_tag_that_matches_nothing_ends_no_instances_in_tag(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    ssm_invocations.add_instances(2, tags={"Role": "web"})
    command_id = send(ssm, Targets=[{"Key": "tag:Role", "Values": ["db"]}])["CommandId"]
    assert ssm.list_commands(CommandId=command_id)["Commands"][0]["Status"] == "Pending"
    ssm_invocations.clock.advance(5)
    listed = ssm.list_commands(CommandId=command_id)["Commands"][0]
    # Real ListCommands output: Success (NoInstancesInTag) [0 total, 0 complete, 0 error].
    assert (listed["Status"], listed["StatusDetails"]) == ("Success", "NoInstancesInTag")
    assert (listed["TargetCount"], listed["CompletedCount"], listed["ErrorCount"]) == (0, 0, 0)
    assert statuses(ssm, command_id) == {}


def test_the_fleet_decides_when_no_outcome_was_chosen(ssm_invocations: FakeSSM, ssm: Any) -> None:
    online = ssm_invocations.add_instances(2, tags={"Role": "app"})
    windows = ssm_invocations.add_instances(1, tags={"Role": "app"}, platform="Windows")
    # Last: the ramp's next wave would wait for it until its delivery timeout.
    offline = ssm_invocations.add_instances(1, tags={"Role": "app"}, ping_status="ConnectionLost")
    command_id = send(ssm, Targets=[{"Key": "tag:Role", "Values": ["app"]}], TimeoutSeconds=600,
                      MaxErrors="2")["CommandId"]  # fmt: skip
    # The delivery timeout is TimeoutSeconds plus executionTimeout (3600 by default):
    # the user guide's "4,200 seconds (70 minutes)".
    ssm_invocations.clock.advance(seconds=4199)
    assert statuses(ssm, command_id)[offline[0]] == "Pending"
    ssm_invocations.clock.advance(seconds=1)
    assert statuses(ssm, command_id) == {
        **dict.fromkeys(online, "Success"),
        offline[0]: "DeliveryTimedOut",
        windows[0]: "InvalidPlatform",
    }


# -- outcomes the test chooses ---------------------------------------------------------------


def test_on_send_chooses_each_nodes_status_and_output(ssm_invocations: FakeSSM, ssm: Any) -> None:
    nodes = ssm_invocations.add_instances(3)
    ssm_invocations.on_send(
        statuses=["Success", "Failed", "Success"], stdout="deployed\n", stderr="disk full",
        outputs={nodes[2]: ("custom\n", "")},
    )  # fmt: skip
    command_id = send(ssm, InstanceIds=nodes, MaxErrors="1")["CommandId"]
    ssm_invocations.clock.advance(minutes=5)
    assert list(statuses(ssm, command_id).values()) == ["Success", "Failed", "Success"]
    failed = ssm.get_command_invocation(CommandId=command_id, InstanceId=nodes[1])
    assert failed["StandardErrorContent"].startswith("disk full")
    custom = ssm.get_command_invocation(CommandId=command_id, InstanceId=nodes[2])
    assert custom["StandardOutputContent"] == "custom\n"
    assert ssm_invocations.unconsumed() == []


def test_outcomes_serve_sends_in_order_and_by_document(ssm_invocations: FakeSSM, ssm: Any) -> None:
    ssm_invocations.on_send(statuses={"Failed": 1}, document="AWS-RunPowerShellScript")
    ssm_invocations.on_send(statuses={"Undeliverable": 1}, times=2)
    runs = [send(ssm, InstanceIds=[NODE])["CommandId"] for _ in range(3)]
    ssm_invocations.clock.advance(minutes=5)
    assert [statuses(ssm, c)[NODE] for c in runs] == ["Undeliverable", "Undeliverable", "Success"]
    assert ssm_invocations.unconsumed() == [
        "on_send outcome for the next command of AWS-RunPowerShellScript (used 0 of 1)"
    ]
    ssm_invocations.service.outcomes.clear()  # this test looks at it on purpose


def test_an_outcome_for_the_wrong_number_of_nodes_fails_the_test_not_the_code(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    ssm_invocations.add_instances(instance_ids=[NODE])
    ssm_invocations.on_send(statuses=["Success", "Failed"])
    generator = ssm_invocations.rng.getstate()

    def code_under_test() -> str:
        try:
            send(ssm, InstanceIds=[NODE])
        except Exception:  # its own handling must never see the test's mistake
            return "caught"
        return "sent"

    with pytest.raises(OnSendMismatch, match="gives 2 nodes, but the AWS-RunShellScript command"):
        code_under_test()
    # Nothing was used up or drawn, and the outcome is not "not used up" a second time.
    assert (ssm_invocations.sent, ssm_invocations.unconsumed()) == ([], [])
    assert ssm_invocations.rng.getstate() == generator
    ssm_invocations.service.outcomes.clear()  # this test looks at the mistake on purpose


def test_a_mismatched_outcome_is_reported_once_whatever_the_code_catches(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_sends(ssm_invocations):
            ssm_invocations.on_send(statuses=["Success"] * 3)
            ssm = boto3.client("ssm")
            try:
                ssm.send_command(
                    DocumentName="AWS-RunShellScript", Parameters={"commands": ["uptime"]},
                    InstanceIds=["i-0123456789abcdef0", "i-0123456789abcdef1"],
                )
            except Exception:
                pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*on_send(statuses=...) gives 3 nodes*resolved to 2*", "*(sent at *test_*.py:*)"]
    )
    result.stdout.no_fnmatch_line("*not used up*")


def test_a_mismatch_over_the_local_endpoint_fails_the_test_at_teardown(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import boto3, botocore.exceptions
        from botocore.config import Config

        def test_sends_from_outside(ssm_invocations_server, ssm_invocations):
            ssm_invocations.on_send(statuses=["Success"] * 3)
            ssm = boto3.client(
                "ssm", endpoint_url=ssm_invocations_server.endpoint_url,
                config=Config(retries={"max_attempts": 1}),
            )
            try:
                ssm.send_command(
                    DocumentName="AWS-RunShellScript", Parameters={"commands": ["uptime"]},
                    InstanceIds=["i-0123456789abcdef0"],
                )
            except botocore.exceptions.ClientError:
                pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*on_send(statuses=...) gives 3 nodes*resolved to 1*"])
    result.stdout.no_fnmatch_line("*not used up*")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            """
            ssm_invocations.add_instances(instance_ids=["i-0123456789abcdef0"])
            ssm_invocations.on_send(statuses=["Failed"])
            with pytest.raises(botocore.exceptions.ClientError):
                send(InstanceIds=["i-0fedcba9876543210"])
            """,
            "*used 0 of 1): the send was refused with InvalidInstanceId: Instances "
            "??i-0fedcba9876543210?? not in a valid state*",
        ),
        (
            """
            ssm_invocations.on_send(statuses=["Failed"])
            with pytest.raises(botocore.exceptions.ClientError):
                send(InstanceIds=["i-0123456789abcdef0\\n"])
            """,
            "*the send was refused with ValidationException: 1 validation error detected*",
        ),
        (
            """
            command = send(InstanceIds=["i-0123456789abcdef0"])
            ssm_invocations.on_send(statuses=["Failed"])
            """,
            "*used 0 of 1): registered after its SendCommand (AWS-RunShellScript, command *): "
            "register on_send before the code sends*",
        ),
    ],
    ids=["refused", "refused-by-validation", "registered-late"],
)
def test_teardown_says_why_an_outcome_was_not_used(
    pytester: pytest.Pytester, body: str, said: str
) -> None:
    lines = "\n".join("    " + line for line in textwrap.dedent(body).strip().splitlines())
    pytester.makepyfile(
        "import boto3, botocore.exceptions, pytest\n\n"
        "def test_sends(ssm_invocations):\n"
        "    ssm = boto3.client('ssm')\n"
        "    def send(**targets):\n"
        "        return ssm.send_command(DocumentName='AWS-RunShellScript',\n"
        "                                Parameters={'commands': ['uptime']}, **targets)\n"
        f"{lines}\n"
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([said])


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"statuses": {"Sucess": 1}}, "unknown StatusDetails 'Sucess'"),
        ({"times": 0}, "times must be None or an int >= 1"),
        ({"progress": "fast"}, "progress='fast'"),
    ],
)
def test_bad_outcomes_are_refused_when_registered(
    ssm_invocations: FakeSSM, kwargs: dict[str, Any], error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        ssm_invocations.on_send(**kwargs)


# -- rate controls and timeouts ---------------------------------------------------------------


def test_never_more_than_max_concurrency_nodes_run_at_once(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    nodes = ssm_invocations.add_instances(10, tags={"Role": "web"})
    command_id = send(ssm, Targets=[{"Key": "tag:Role", "Values": ["web"]}],
                      MaxConcurrency="30%")["CommandId"]  # fmt: skip
    seen_running = []
    for _ in range(400):
        now = statuses(ssm, command_id)
        seen_running.append(sum(s == "InProgress" for s in now.values()))
        if all(s == "Success" for s in now.values()):
            break
        ssm_invocations.clock.advance(seconds=1)
    # 30% of 10. The ramp (1, then 2, then 3 at a time) and each node's own delivery
    # delay decide whether three are ever seen at once: the cap is what holds.
    assert max(seen_running) <= 3
    assert statuses(ssm, command_id) == dict.fromkeys(nodes, "Success")


def test_max_errors_terminates_the_nodes_not_yet_sent(ssm_invocations: FakeSSM, ssm: Any) -> None:
    nodes = ssm_invocations.add_instances(6)
    ssm_invocations.on_send(
        statuses=["Failed", "Failed", "Success", "Success", "Success", "Success"]
    )
    command_id = send(ssm, InstanceIds=nodes, MaxConcurrency="1", MaxErrors="1")["CommandId"]
    ssm_invocations.clock.advance(hours=3)
    assert list(statuses(ssm, command_id).values()) == ["Failed", "Failed"] + ["Terminated"] * 4
    listed = ssm.list_commands(CommandId=command_id)["Commands"][0]
    assert (listed["Status"], listed["StatusDetails"], listed["ErrorCount"]) == (
        "Failed", "Failed", 2,
    )  # fmt: skip


def test_the_documents_execution_timeout_ends_a_run_that_is_too_long(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    ssm_invocations.on_send(statuses=["ExecutionTimedOut"])
    params = {"commands": ["sleep 9999"], "executionTimeout": ["120"]}
    command_id = send(ssm, InstanceIds=[NODE], Parameters=params)["CommandId"]
    ssm_invocations.clock.advance(seconds=60)
    assert statuses(ssm, command_id) == {NODE: "InProgress"}
    ssm_invocations.clock.advance(seconds=70)
    detail = ssm.get_command_invocation(CommandId=command_id, InstanceId=NODE)
    assert detail["StatusDetails"] == "ExecutionTimedOut"
    # 120 s and a little: written as Java's Duration prints it (PT2M, PT2M0.5S).
    assert detail["ExecutionElapsedTime"].startswith("PT2M")


def _runs(ssm: Any, command_id: str) -> list[tuple[datetime, datetime]]:
    """When each node's run started and finished, as its plugin's times say."""
    pages = ssm.get_paginator("list_command_invocations").paginate(
        CommandId=command_id, Details=True
    )
    plugins = [i["CommandPlugins"][0] for p in pages for i in p["CommandInvocations"]]
    return [(p["ResponseStartDateTime"], p["ResponseFinishDateTime"]) for p in plugins]


def _waves_apart(runs: list[tuple[datetime, datetime]], sizes: list[int]) -> bool:
    """Whether the runs, by start, fall into waves of ``sizes``, each starting only once
    every run of the wave before had finished."""
    runs = sorted(runs)
    first = 0
    for size, next_size in itertools.pairwise(sizes):
        wave, following = runs[first : first + size], runs[first + size : first + size + next_size]
        if max(end for _, end in wave) > min(start for start, _ in following):
            return False
        first += size
    return True


def _most_running(runs: list[tuple[datetime, datetime]]) -> int:
    return max(sum(s <= start < e for s, e in runs) for start, _ in runs)


def test_the_roll_out_starts_on_one_node_then_two_more_then_grows(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    # Earlier, every node up to MaxConcurrency (50 by default) started at once.
    nodes = ssm_invocations.add_instances(7, tags={"Role": "web"})
    command_id = send(ssm, Targets=[{"Key": "tag:Role", "Values": ["web"]}])["CommandId"]
    ssm_invocations.clock.advance(hours=1)
    assert statuses(ssm, command_id) == dict.fromkeys(nodes, "Success")
    # The user guide: one node, two more once it completed, then four (exponentially),
    # each wave once the one before completed.
    assert _waves_apart(_runs(ssm, command_id), [1, 2, 4])


@pytest.mark.parametrize(("max_concurrency", "cap"), [("2", 2), ("40%", 4)])
def test_the_ramp_stops_growing_at_max_concurrency(
    ssm_invocations: FakeSSM, ssm: Any, max_concurrency: str, cap: int
) -> None:
    nodes = ssm_invocations.add_instances(8)
    command_id = send(ssm, InstanceIds=nodes, MaxConcurrency=max_concurrency)["CommandId"]
    ssm_invocations.clock.advance(hours=1)
    runs = _runs(ssm, command_id)
    assert _waves_apart(runs, [1, 2])
    assert _most_running(runs) <= cap  # 2, or 40% of 8 (rounded up)
    listed = ssm.list_commands(CommandId=command_id)["Commands"][0]
    assert (listed["Status"], listed["CompletedCount"]) == ("Success", 8)


@pytest.mark.parametrize(("execution_timeout", "given_up_at"), [(None, 4200), ("100", 700)])
def test_an_offline_node_times_out_after_timeout_seconds_plus_execution_timeout(
    ssm_invocations: FakeSSM, ssm: Any, execution_timeout: str | None, given_up_at: int
) -> None:
    # Earlier the fake gave up at TimeoutSeconds alone (600 s).
    (offline,) = ssm_invocations.add_instances(1, ping_status="ConnectionLost")
    parameters = {"commands": ["uptime"]}
    if execution_timeout is not None:
        parameters["executionTimeout"] = [execution_timeout]
    command = send(ssm, InstanceIds=[offline], TimeoutSeconds=600, Parameters=parameters)
    assert command["ExpiresAfter"] - command["RequestedDateTime"] == timedelta(seconds=given_up_at)
    ssm_invocations.clock.advance(seconds=given_up_at - 1)
    assert statuses(ssm, command["CommandId"]) == {offline: "Pending"}
    ssm_invocations.clock.advance(seconds=1)
    assert statuses(ssm, command["CommandId"]) == {offline: "DeliveryTimedOut"}
    listed = ssm.list_commands(CommandId=command["CommandId"])["Commands"][0]
    assert (listed["StatusDetails"], listed["DeliveryTimedOutCount"]) == ("DeliveryTimedOut", 1)


@pytest.mark.parametrize(("execution_timeout", "ends_at"), [(None, 3600), ("120", 120)])
def test_a_run_left_in_progress_ends_at_the_execution_timeout(
    ssm_invocations: FakeSSM, ssm: Any, execution_timeout: str | None, ends_at: int
) -> None:
    # Earlier on_send(statuses=["InProgress"]) stayed InProgress forever.
    ssm_invocations.on_send(statuses=["InProgress"])
    parameters = {"commands": ["sleep infinity"]}
    if execution_timeout is not None:
        parameters["executionTimeout"] = [execution_timeout]
    command_id = send(ssm, InstanceIds=[NODE], Parameters=parameters)["CommandId"]
    ssm_invocations.clock.advance(seconds=ends_at - 5)
    assert statuses(ssm, command_id) == {NODE: "InProgress"}
    ssm_invocations.clock.advance(seconds=10)
    detail = ssm.get_command_invocation(CommandId=command_id, InstanceId=NODE)
    assert (detail["Status"], detail["StatusDetails"]) == ("TimedOut", "ExecutionTimedOut")
    listed = ssm.list_commands(CommandId=command_id)["Commands"][0]
    assert (listed["StatusDetails"], listed["ErrorCount"]) == ("ExecutionTimedOut", 1)


@pytest.mark.parametrize("waiting", ["Pending", "Delayed"])
def test_a_node_left_waiting_ends_delivery_timed_out_at_the_delivery_timeout(
    ssm_invocations: FakeSSM, ssm: Any, waiting: str
) -> None:
    # Earlier on_send(statuses=["Pending"]) or ["Delayed"] stayed so forever. The delivery
    # timeout is TimeoutSeconds plus the document's executionTimeout (600 + 3600 here).
    ssm_invocations.on_send(statuses=[waiting])
    command_id = send(ssm, InstanceIds=[NODE], TimeoutSeconds=600)["CommandId"]
    ssm_invocations.clock.advance(seconds=4195)
    assert statuses(ssm, command_id) == {NODE: waiting}
    shown = ssm.get_command_invocation(CommandId=command_id, InstanceId=NODE)
    assert (shown["Status"], shown["StatusDetails"]) == (waiting, waiting)
    ssm_invocations.clock.advance(seconds=10)
    detail = ssm.get_command_invocation(CommandId=command_id, InstanceId=NODE)
    assert (detail["Status"], detail["StatusDetails"], detail["ResponseCode"]) == (
        "TimedOut", "DeliveryTimedOut", -1,
    )  # fmt: skip
    listed = ssm.list_commands(CommandId=command_id)["Commands"][0]
    assert (listed["StatusDetails"], listed["DeliveryTimedOutCount"]) == ("DeliveryTimedOut", 1)


def test_a_snapshot_left_in_progress_stays_in_progress(ssm_invocations: FakeSSM, ssm: Any) -> None:
    # Without progress on the clock the test asked for a state, not a run: it is kept.
    ssm_invocations.on_send(statuses=["InProgress"], progress=None)
    command_id = send(ssm, InstanceIds=[NODE])["CommandId"]
    ssm_invocations.clock.advance(hours=3)
    assert statuses(ssm, command_id) == {NODE: "InProgress"}


def test_list_commands_counts_the_eventual_consistency_window_down(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    # Earlier only ListCommandInvocations and GetCommandInvocation counted: code that
    # polls ListCommands alone never saw its command.
    ssm_invocations.on_send(invisible_for=2)
    command_id = send(ssm, InstanceIds=[NODE])["CommandId"]
    assert ssm.list_commands(CommandId=command_id)["Commands"] == []
    assert ssm.list_commands()["Commands"] == []
    (listed,) = ssm.list_commands(CommandId=command_id)["Commands"]
    assert listed["CommandId"] == command_id


def test_add_command_and_send_command_share_the_delivery_timeout(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    added = ssm_invocations.add_command(
        instance_ids=[NODE], statuses=["DeliveryTimedOut"], progress="clock", timeout_seconds=300
    )
    ssm_invocations.on_send(statuses=["DeliveryTimedOut"])
    sent = send(ssm, InstanceIds=[NODE], TimeoutSeconds=300)["CommandId"]
    # 300 s plus the document's executionTimeout (3600 s): until then not yet given up.
    ssm_invocations.clock.advance(seconds=3899)
    assert statuses(ssm, added.command_id) == statuses(ssm, sent) == {NODE: "Pending"}
    ssm_invocations.clock.advance(seconds=1)
    assert statuses(ssm, added.command_id) == statuses(ssm, sent) == {NODE: "DeliveryTimedOut"}


def test_list_commands_filters_by_command_level_details(ssm_invocations: FakeSSM, ssm: Any) -> None:
    incomplete = ssm_invocations.add_command(statuses=["Success", "Failed"], max_errors="1")
    ssm_invocations.add_instances(1, tags={"Role": "web"})
    untagged = send(ssm, Targets=[{"Key": "tag:Role", "Values": ["db"]}])["CommandId"]
    ssm_invocations.clock.advance(seconds=5)

    def listed(value: str) -> list[str]:
        found = ssm.list_commands(Filters=[{"key": "Status", "value": value}])["Commands"]
        return [c["CommandId"] for c in found]

    # The AWS CLI reference's values for ListCommands, command-level details included.
    assert listed("Incomplete") == [incomplete.command_id]
    assert listed("NoInstancesInTag") == [untagged]
    assert listed("LimitExceeded") == []
    with pytest.raises(botocore.exceptions.ClientError) as error:
        listed("Cancelling")
    assert "LimitExceeded" in error.value.response["Error"]["Message"]


def test_a_document_of_your_own_runs_once_declared(ssm_invocations: FakeSSM, ssm: Any) -> None:
    params = {"InstanceIds": [NODE], "DocumentName": "Acme-Deploy"}
    with pytest.raises(botocore.exceptions.ClientError) as error:
        ssm.send_command(**params, Parameters={"version": ["1.2"]})
    assert code_of(error) == "InvalidDocument"
    assert "add_document" in error.value.response["Error"]["Message"]
    ssm_invocations.add_document("Acme-Deploy", parameters={"version": None, "env": "prod"})
    ssm_invocations.on_send(statuses=["Failed"], document="Acme-Deploy", stderr="no such tag")
    command_id = ssm.send_command(**params, Parameters={"version": ["1.2"]})["Command"]["CommandId"]
    ssm_invocations.clock.advance(minutes=5)
    assert statuses(ssm, command_id) == {NODE: "Failed"}
    with pytest.raises(botocore.exceptions.ClientError) as error:
        ssm.send_command(**params, Parameters={"env": ["dev"]})
    assert code_of(error) == "InvalidParameters"
    message = error.value.response["Error"]["Message"]
    assert message.endswith(
        "does not support parameters. (pytest-ssm-invocations: it requires version)"
    )


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (("AWS-RunShellScript",), {}, "AWS-owned document"),
        (("a b",), {}, "does not match"),
        (("Acme-Deploy",), {"platforms": ["Solaris"]}, "unknown platform 'Solaris'"),
        (("Acme-Deploy",), {"platforms": "Linux"}, "platforms must be a non-empty list"),
        (("Acme-Deploy",), {"parameters": {"version": 1}}, "parameters map each name"),
    ],
)
def test_bad_documents_are_refused_when_declared(
    ssm_invocations: FakeSSM, args: tuple[Any, ...], kwargs: dict[str, Any], error: str
) -> None:
    with pytest.raises((TypeError, ValueError), match=error):
        ssm_invocations.add_document(*args, **kwargs)


def test_an_outcome_for_every_send_serves_them_all(ssm_invocations: FakeSSM, ssm: Any) -> None:
    node = ssm_invocations.add_instances(1)[0]
    ssm_invocations.on_send(statuses=["Failed"], progress=None, times=None)
    for _ in range(3):
        sent = ssm.send_command(
            InstanceIds=[node], DocumentName="AWS-RunShellScript",
            Parameters={"commands": ["false"]},
        )["Command"]["CommandId"]  # fmt: skip
        got = ssm.get_command_invocation(CommandId=sent, InstanceId=node)
        assert got["StatusDetails"] == "Failed"
    assert ssm_invocations.unconsumed() == []


def test_an_outcome_for_every_send_that_none_used_is_reported() -> None:
    fake = FakeSSM(seed=1)
    fake.on_send(statuses=["Failed"], times=None)
    assert fake.unconsumed() == ["on_send outcome for the next command sent (used 0 of every send)"]
