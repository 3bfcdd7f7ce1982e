"""Assertions on the fake's call log: ``calls_to``, ``assert_called``, ``assert_all_consumed``."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_ssm_invocations import ANY, FakeSSM
from tests.conftest import walk


def test_calls_to_takes_either_name_and_filters_by_params(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    first = ssm_invocations.add_command(instances=3)
    second = ssm_invocations.add_command(instances=2)
    walk(ssm, CommandId=first.command_id, MaxResults=2)
    walk(ssm, CommandId=second.command_id)

    assert len(ssm_invocations.calls_to("ListCommandInvocations")) == 3
    assert ssm_invocations.calls_to("list_command_invocations") == ssm_invocations.calls_to(
        "ListCommandInvocations"
    )
    mine = ssm_invocations.calls_to("ListCommandInvocations", CommandId=first.command_id)
    assert [c.returned for c in mine] == [2, 1]
    assert len(ssm_invocations.calls_to("ListCommandInvocations", NextToken=ANY)) == 1
    assert ssm_invocations.calls_to("ListCommandInvocations", MaxResults=50) == []


def test_an_unknown_operation_is_an_error_not_an_empty_list(ssm_invocations: FakeSSM) -> None:
    with pytest.raises(
        ValueError, match=r"unknown operation 'ListInvocations' \(did you mean '.+'\?\); the fake"
    ):
        ssm_invocations.calls_to("ListInvocations")
    with pytest.raises(ValueError, match=r"ListCommandInvocations \(list_command_invocations\)"):
        ssm_invocations.assert_called("listCommandInvocations")


def test_page_plan_and_fail_take_botocores_names_too(ssm_invocations: FakeSSM, ssm: Any) -> None:
    ssm_invocations.add_command(instances=3)
    ssm_invocations.page_plan(1, 2, operation="list_command_invocations")
    ssm_invocations.fail("InvalidCommandId", operation="list_commands")
    assert len(walk(ssm)) == 3
    assert [c.returned for c in ssm_invocations.calls_to("ListCommandInvocations")] == [1, 2]
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.list_commands()
    ssm_invocations.assert_all_consumed()


def test_assert_called_counts_matching_calls(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=3)
    walk(ssm, CommandId=handle.command_id, Details=True, MaxResults=2)

    found = ssm_invocations.assert_called("list_command_invocations", CommandId=handle.command_id)
    assert len(found) == 2
    ssm_invocations.assert_called("ListCommandInvocations", times=2, Details=True, MaxResults=2)
    ssm_invocations.assert_called("ListCommandInvocations", times=1, NextToken=ANY)
    ssm_invocations.assert_called("ListCommands", times=0)


def test_a_failed_assert_called_lists_every_call_served(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=3)
    walk(ssm, CommandId=handle.command_id, MaxResults=2)
    ssm_invocations.fail("InvalidCommandId", operation="ListCommands")
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.list_commands()

    with pytest.raises(AssertionError) as failure:
        ssm_invocations.assert_called("ListCommandInvocations", times=1, Details=True)
    message = str(failure.value)
    assert message.startswith(
        "expected ListCommandInvocations(Details=True) to be called once, but it was called never."
    )
    lines = message.splitlines()
    assert lines[1] == "SSM calls served (3):"
    request = f"ListCommandInvocations(CommandId='{handle.command_id}', MaxResults=2)"
    assert lines[2] == f"  1. {request} in us-east-1"
    assert lines[3] == "     -> 2 items, page 1, a NextToken"
    assert lines[5] == "     -> 1 items, page 2"
    assert lines[6] == "  3. ListCommands() in us-east-1"
    assert lines[7] == "     -> error InvalidCommandId (injected)"


def test_assert_called_with_no_call_says_so(ssm_invocations: FakeSSM) -> None:
    with pytest.raises(AssertionError, match=r"called at least once, but it was called never\.\n"
                       r"No SSM call was served\.$"):  # fmt: skip
        ssm_invocations.assert_called("GetCommandInvocation")


def test_assert_called_rejects_a_bad_times(ssm_invocations: FakeSSM) -> None:
    with pytest.raises(ValueError, match="times must be None or an int >= 0, not -1"):
        ssm_invocations.assert_called("ListCommands", times=-1)


def test_assert_all_consumed_names_what_was_left(ssm: Any) -> None:
    with FakeSSM(seed=1) as fake:
        fake.add_command(instances=2)
        fake.page_plan(1, 1)
        fake.fail("InternalServerError", operation="GetCommandInvocation")
        ssm.list_command_invocations()
        with pytest.raises(AssertionError) as failure:
            fake.assert_all_consumed()
    message = str(failure.value)
    assert message.splitlines()[:3] == [
        "registered on the fake SSM but not used up:",
        "  - InternalServerError on GetCommandInvocation at the next call: served 0 of 1",
        "  - page plan [1, 1] on ListCommandInvocations (page 2 never served)",
    ]
    assert message.splitlines()[3:] == [
        "SSM calls served (1):",
        "  1. ListCommandInvocations() in us-east-1",
        "     -> 1 items, page 1, a NextToken",
    ]


def test_any_equals_everything_and_reads_as_any() -> None:
    assert ANY == {"nested": 1}
    assert {"Key": ANY, "Value": "Failed"} == {"Key": "Status", "Value": "Failed"}
    assert repr(ANY) == "ANY"


def test_assert_all_consumed_names_an_unused_on_send_outcome() -> None:
    with FakeSSM(seed=1) as fake:
        fake.on_send(statuses={"Failed": 1})
        with pytest.raises(AssertionError, match=r"not used up:\n  - on_send outcome") as failure:
            fake.assert_all_consumed()
    assert str(failure.value).endswith("No SSM call was served.")
