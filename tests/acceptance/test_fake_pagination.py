"""Pagination through a real boto3 paginator: nothing lost, nothing repeated, order kept.

The expected order comes from what each test sent (its command ids, node ids,
times and statuses), never from the fake's own state: AWS lists the newest
RequestedDateTime first, at one instant the command sent last first, and a
command's invocations in the order its nodes were given.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import strategies as ssm_st
from pytest_ssm_invocations.fake import FakeSSM

from ..conftest import active, client, walk

T0 = datetime(2024, 7, 7, tzinfo=timezone.utc)
#: Minutes after T0 of the commands, in the order they are sent: out of time
#: order, and the first and fifth at the same instant.
MINUTES = (3, 0, 5, 1, 3, 2)


@dataclass(frozen=True)
class Sent:
    """One command as the test sent it: the oracle the listings are checked against."""

    command_id: str
    requested: datetime
    document: str
    nodes: tuple[tuple[str, str], ...]  # (InstanceId, StatusDetails), in the order given


def _send(fake: FakeSSM, index: int, per_command: int) -> Sent:
    nodes = tuple(
        (f"i-{index:08x}{n:09x}", "Failed" if n % 4 == 3 else "Success") for n in range(per_command)
    )
    sent = Sent(
        command_id=str(uuid.UUID(int=index + 1, version=4)),
        requested=T0 + timedelta(minutes=MINUTES[index]),
        document="AWS-RunShellScript" if index % 2 else "AWS-RunPatchBaseline",
        nodes=nodes,
    )
    fake.add_command(
        command_id=sent.command_id,
        instance_ids=[node for node, _ in nodes],
        statuses=[status for _, status in nodes],
        document=sent.document,
        requested=sent.requested,
    )
    return sent


def _fleet(fake: FakeSSM, commands: int, per_command: int) -> list[Sent]:
    return [_send(fake, index, per_command) for index in range(commands)]


Keep = Callable[[Sent, str], bool]


def _aws_order(sent: list[Sent], keep: Keep = lambda command, status: True) -> list[Any]:
    """(CommandId, InstanceId) of the kept invocations, in the order AWS lists them."""
    newest_first = sorted(enumerate(sent), key=lambda p: (p[1].requested, p[0]), reverse=True)
    return [
        (command.command_id, node)
        for _, command in newest_first
        for node, status in command.nodes
        if keep(command, status)
    ]


def _keys(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["CommandId"], i["InstanceId"]) for i in items]


@dataclass(frozen=True)
class Fleet:
    fake: FakeSSM
    sent: list[Sent]


@pytest.fixture(scope="module")
def fleet() -> Fleet:
    fake = FakeSSM(seed=3)
    return Fleet(fake, _fleet(fake, commands=6, per_command=40))


def test_newest_first_and_stable_within_a_command(fleet: Fleet) -> None:
    with active(fleet.fake):
        items = walk(client())
    commands = list(dict.fromkeys(i["CommandId"] for i in items))
    assert commands == [fleet.sent[i].command_id for i in (2, 4, 0, 5, 3, 1)]
    assert len(items) == 240
    assert _keys(items) == _aws_order(fleet.sent)


@pytest.mark.parametrize("page_size", [None, 1, 7, 50])
@pytest.mark.parametrize("max_items", [None, 1, 33, 239, 500])
def test_every_pagination_config(fleet: Fleet, page_size: Any, max_items: Any) -> None:
    config = {k: v for k, v in (("PageSize", page_size), ("MaxItems", max_items)) if v}
    ssm = client()
    with active(fleet.fake):
        paginator = ssm.get_paginator("list_command_invocations")
        result = paginator.paginate(Details=True, PaginationConfig=config).build_full_result()
        got = result["CommandInvocations"]
        expected = _aws_order(fleet.sent)
        assert _keys(got) == expected[: max_items or None]
        if max_items and max_items < len(expected):
            # Resume where MaxItems stopped, with StartingToken.
            rest = paginator.paginate(
                Details=True,
                PaginationConfig={**config, "MaxItems": 1000, "StartingToken": result["NextToken"]},
            ).build_full_result()
            assert _keys(got) + _keys(rest["CommandInvocations"]) == expected


def test_filters_through_the_paginator(fleet: Fleet) -> None:
    after = (T0 + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    filters = [
        {"key": "Status", "value": "Failed"},
        {"key": "InvokedAfter", "value": after},
        {"key": "DocumentName", "value": "AWS-RunShellScript"},
    ]
    with active(fleet.fake):
        items = walk(client(), Filters=filters, PaginationConfig={"PageSize": 4})

    def keep(command: Sent, status: str) -> bool:
        return (
            status == "Failed"
            and command.requested >= T0 + timedelta(minutes=2)  # InvokedAfter includes it
            and command.document == "AWS-RunShellScript"
        )

    assert items
    assert _keys(items) == _aws_order(fleet.sent, keep)


def test_invoked_before_is_strict_and_details_false_empties_plugins(fleet: Fleet) -> None:
    before = (T0 + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with active(fleet.fake):
        items = walk(client(), Filters=[{"key": "InvokedBefore", "value": before}])
    assert {i["CommandId"] for i in items} == {fleet.sent[1].command_id}  # the one at T0
    assert {i["RequestedDateTime"] for i in items} == {T0}
    assert all(i["CommandPlugins"] == [] for i in items)


def test_status_filter_matches_status_and_status_details(ssm: Any) -> None:
    fake = FakeSSM(seed=1)
    fake.add_command(statuses=["Undeliverable", "Failed", "DeliveryTimedOut", "ExecutionTimedOut"])
    with active(fake):

        def details(value: str) -> set[str]:
            items = walk(ssm, Filters=[{"key": "Status", "value": value}])
            return {i["StatusDetails"] for i in items}

        assert details("Failed") == {"Failed", "Undeliverable"}
        assert details("Undeliverable") == {"Undeliverable"}
        assert details("TimedOut") == {"DeliveryTimedOut", "ExecutionTimedOut"}
        assert details("Success") == set()


def test_by_instance_across_commands(ssm: Any) -> None:
    fake = FakeSSM(seed=1)
    node = "i-0123456789abcdef0"
    for minute in range(3):
        fake.add_command(instance_ids=[node, f"i-0123456789abcdef{minute + 1}"],
                         requested=T0 + timedelta(minutes=minute))  # fmt: skip
    with active(fake):
        items = walk(ssm, InstanceId=node)
    assert [i["InstanceId"] for i in items] == [node] * 3
    assert [i["RequestedDateTime"] for i in items] == [T0 + timedelta(minutes=m) for m in (2, 1, 0)]


def test_commands_added_between_pages_lose_and_repeat_nothing(ssm: Any) -> None:
    fake = FakeSSM(seed=5)
    before = _aws_order(_fleet(fake, commands=3, per_command=10))
    with active(fake):
        first = ssm.list_command_invocations(MaxResults=7)
        fake.add_command(instances=5, requested=T0 + timedelta(hours=1))  # newer: sorts first
        fake.add_command(instances=5, requested=T0 - timedelta(hours=1))  # older: sorts last
        rest = walk(ssm, PaginationConfig={"StartingToken": first["NextToken"]})
    seen = _keys(first["CommandInvocations"]) + _keys(rest)
    assert len(seen) == len(set(seen))
    assert [k for k in seen if k in before] == before


def test_tokens_are_bound_to_their_query(fleet: Fleet, ssm: Any) -> None:
    with active(fleet.fake):
        token = ssm.list_command_invocations(MaxResults=5)["NextToken"]
        ssm.list_command_invocations(MaxResults=9, NextToken=token)  # page size may change
        for params in (
            {"Details": True},
            {"Filters": [{"key": "Status", "value": "Failed"}]},
            {"InstanceId": "i-0123456789abcdef0"},
        ):
            with pytest.raises(ssm.exceptions.InvalidNextToken):
                ssm.list_command_invocations(NextToken=token, **params)
        tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
        for bad in ("garbage", tampered, token[:-4], "AAAA" + token):
            with pytest.raises(ssm.exceptions.InvalidNextToken, match="token isn't valid"):
                ssm.list_command_invocations(NextToken=bad)
        with pytest.raises(ssm.exceptions.InvalidNextToken):
            ssm.list_commands(NextToken=token)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    commands=st.integers(0, len(MINUTES)),
    per_command=st.integers(0, 30),
    page_size=st.integers(1, 50),
    status=st.sampled_from([None, "Success", "Failed", "TimedOut"]),
    plan=ssm_st.page_plans(max_pages=5, max_size=12),
)
def test_union_of_pages_is_the_filtered_set(
    commands: int, per_command: int, page_size: int, status: Any, plan: list[int]
) -> None:
    fake = FakeSSM(seed=commands * 100 + per_command)
    sent = _fleet(fake, commands, per_command)
    if plan:
        fake.page_plan(*plan)
    params: dict[str, Any] = {"PaginationConfig": {"PageSize": page_size}}
    if status:
        params["Filters"] = [{"key": "Status", "value": status}]
    with active(fake):
        items = walk(client(), **params)
    # The fleet sends only Success and Failed, whose Status is their StatusDetails.
    assert _keys(items) == _aws_order(sent, lambda command, s: status in (None, s))
    served = [c.returned for c in fake.calls]
    for planned, got in zip(plan, served[: len(plan)], strict=False):
        assert got <= planned
