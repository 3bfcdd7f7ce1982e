"""Pagination through a real boto3 paginator: nothing lost, nothing repeated, order kept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import strategies as ssm_st
from pytest_ssm_invocations.fake import FakeSSM

from .fakes import active, client, walk

T0 = datetime(2024, 7, 7, tzinfo=timezone.utc)


def _fleet(fake: FakeSSM, commands: int, per_command: int) -> list[Any]:
    handles = []
    for i in range(commands):
        handles.append(
            fake.add_command(
                instances=per_command,
                statuses={"Success": per_command - per_command // 4, "Failed": per_command // 4},
                document="AWS-RunShellScript" if i % 2 else "AWS-RunPatchBaseline",
                requested=T0 + timedelta(minutes=i),
            )
        )
    return handles


def _keys(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["CommandId"], i["InstanceId"]) for i in items]


@pytest.fixture(scope="module")
def fleet() -> FakeSSM:
    fake = FakeSSM(seed=3)
    _fleet(fake, commands=6, per_command=40)
    return fake


def _expected(fake: FakeSSM, keep: Any = lambda r: True) -> list[tuple[str, str]]:
    records = [e.final for e in fake.store.region("us-east-1").ordered if keep(e.final)]
    return _keys(records)


def test_newest_first_and_stable_within_a_command(fleet: FakeSSM) -> None:
    with active(fleet):
        items = walk(client())
    times = [i["RequestedDateTime"] for i in items]
    assert times == sorted(times, reverse=True)
    assert len(items) == 240
    assert _keys(items) == _expected(fleet)


@pytest.mark.parametrize("page_size", [None, 1, 7, 50])
@pytest.mark.parametrize("max_items", [None, 1, 33, 239, 500])
def test_every_pagination_config(fleet: FakeSSM, page_size: Any, max_items: Any) -> None:
    config = {k: v for k, v in (("PageSize", page_size), ("MaxItems", max_items)) if v}
    ssm = client()
    with active(fleet):
        paginator = ssm.get_paginator("list_command_invocations")
        result = paginator.paginate(Details=True, PaginationConfig=config).build_full_result()
        got = result["CommandInvocations"]
        expected = _expected(fleet)
        assert _keys(got) == expected[: max_items or None]
        if max_items and max_items < len(expected):
            # Resume where MaxItems stopped, with StartingToken.
            rest = paginator.paginate(
                Details=True,
                PaginationConfig={**config, "MaxItems": 1000, "StartingToken": result["NextToken"]},
            ).build_full_result()
            assert _keys(got) + _keys(rest["CommandInvocations"]) == expected


def test_filters_through_the_paginator(fleet: FakeSSM) -> None:
    after = (T0 + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    filters = [
        {"key": "Status", "value": "Failed"},
        {"key": "InvokedAfter", "value": after},
        {"key": "DocumentName", "value": "AWS-RunShellScript"},
    ]
    with active(fleet):
        items = walk(client(), Filters=filters, PaginationConfig={"PageSize": 4})

    def keep(r: dict[str, Any]) -> bool:
        return (
            r["Status"] == "Failed"
            and r["RequestedDateTime"] >= T0 + timedelta(minutes=2)
            and r["DocumentName"] == "AWS-RunShellScript"
        )

    assert items
    assert _keys(items) == _expected(fleet, keep)


def test_invoked_before_is_strict_and_details_false_empties_plugins(fleet: FakeSSM) -> None:
    before = (T0 + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with active(fleet):
        items = walk(client(), Filters=[{"key": "InvokedBefore", "value": before}])
    assert {i["RequestedDateTime"] for i in items} == {T0}
    assert all(i["CommandPlugins"] == [] for i in items)


def test_status_filter_matches_status_and_status_details() -> None:
    fake = FakeSSM(seed=1)
    fake.add_command(statuses=["Undeliverable", "Failed", "DeliveryTimedOut", "ExecutionTimedOut"])
    ssm = client()
    with active(fake):

        def details(value: str) -> set[str]:
            items = walk(ssm, Filters=[{"key": "Status", "value": value}])
            return {i["StatusDetails"] for i in items}

        assert details("Failed") == {"Failed", "Undeliverable"}
        assert details("Undeliverable") == {"Undeliverable"}
        assert details("TimedOut") == {"DeliveryTimedOut", "ExecutionTimedOut"}
        assert details("Success") == set()


def test_by_instance_across_commands() -> None:
    fake = FakeSSM(seed=1)
    node = "i-0123456789abcdef0"
    for minute in range(3):
        fake.add_command(instance_ids=[node, f"i-0123456789abcdef{minute + 1}"],
                         requested=T0 + timedelta(minutes=minute))  # fmt: skip
    with active(fake):
        items = walk(client(), InstanceId=node)
    assert [i["InstanceId"] for i in items] == [node] * 3
    assert [i["RequestedDateTime"] for i in items] == [T0 + timedelta(minutes=m) for m in (2, 1, 0)]


def test_commands_added_between_pages_lose_and_repeat_nothing() -> None:
    fake = FakeSSM(seed=5)
    _fleet(fake, commands=3, per_command=10)
    before = _expected(fake)
    ssm = client()
    with active(fake):
        first = ssm.list_command_invocations(MaxResults=7)
        fake.add_command(instances=5, requested=T0 + timedelta(hours=1))  # newer: sorts first
        fake.add_command(instances=5, requested=T0 - timedelta(hours=1))  # older: sorts last
        rest = walk(ssm, PaginationConfig={"StartingToken": first["NextToken"]})
    seen = _keys(first["CommandInvocations"]) + _keys(rest)
    assert len(seen) == len(set(seen))
    assert [k for k in seen if k in before] == before


def test_tokens_are_bound_to_their_query(fleet: FakeSSM) -> None:
    ssm = client()
    with active(fleet):
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
    commands=st.integers(0, 4),
    per_command=st.integers(0, 30),
    page_size=st.integers(1, 50),
    status=st.sampled_from([None, "Success", "Failed", "TimedOut"]),
    plan=ssm_st.page_plans(max_pages=5, max_size=12),
)
def test_union_of_pages_is_the_filtered_set(
    commands: int, per_command: int, page_size: int, status: Any, plan: list[int]
) -> None:
    fake = FakeSSM(seed=commands * 100 + per_command)
    _fleet(fake, commands, per_command)
    if plan:
        fake.page_plan(*plan)
    filters = [{"key": "Status", "value": status}] if status else None
    params: dict[str, Any] = {"PaginationConfig": {"PageSize": page_size}}
    if filters:
        params["Filters"] = filters
    with active(fake):
        items = walk(client(), **params)
    expected = _expected(
        fake, lambda r: status is None or status in (r["Status"], r["StatusDetails"])
    )
    assert _keys(items) == expected
    served = [c.returned for c in fake.calls]
    for planned, got in zip(plan, served[: len(plan)], strict=False):
        assert got <= planned
