"""The service core: how requests are read and checked, page plans, faults, token binding."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import strategies as ssm_st
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.service.errors import ServiceError
from pytest_ssm_invocations.service.validation import java_text
from pytest_ssm_invocations.store.entries import CommandEntry

from ..conftest import active, client

T0 = datetime(2024, 7, 7, tzinfo=timezone.utc)
UUID = "ef7fdfd8-9b57-4151-a15c-db9a12345678"
LIST = "ListCommandInvocations"


def _refusal(fake: FakeSSM, params: Any, operation: str = LIST) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        fake.handle(operation, params)
    return error.value


def _nodes(start: int, count: int) -> list[str]:
    return [f"i-{n:017x}" for n in range(start, start + count)]


def _fleet(fake: FakeSSM, sizes: list[int]) -> list[tuple[str, str]]:
    """Commands one minute apart; the order AWS lists them in, worked out from what was added."""
    expected: list[tuple[str, str]] = []
    first = 0
    for minute, size in enumerate(sizes):
        nodes = _nodes(first, size)
        first += size
        handle = fake.add_command(instance_ids=nodes, requested=T0 + timedelta(minutes=minute))
        expected = [(handle.command_id, node) for node in nodes] + expected  # newest first
    return expected


def _keys(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["CommandId"], i["InstanceId"]) for i in items]


# -- requests read as AWS reads them: JSON types, nulls -----------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"MaxResults": "x"}, "STRING_VALUE can not be converted to an Integer"),
        ({"MaxResults": 5.5}, "DECIMAL_VALUE can not be converted to an Integer"),
        ({"MaxResults": True}, "TRUE_VALUE can not be converted to an Integer"),
        ({"MaxResults": False}, "FALSE_VALUE can not be converted to an Integer"),
        ({"MaxResults": [5]}, "Start of list found where not expected"),
        ({"MaxResults": {"n": 5}}, "Start of structure or map found where not expected."),
        ({"Details": "yes"}, "Unexpected token received from parser"),
        ({"Details": 1}, "NUMBER_VALUE can not be converted to a Boolean"),
        ({"CommandId": 123}, "NUMBER_VALUE can not be converted to a String"),
        ({"Filters": {"key": "Status", "value": "Failed"}},
         "Start of structure or map found where not expected."),
        ({"Filters": "Status"}, "Expected list or null"),
        ({"Filters": ["Status", "Failed"]}, "Expected null"),
        ({"Filters": [["Status", "Failed"]]}, "Start of list found where not expected"),
        ({"Filters": [{"key": "Status", "value": 5}]},
         "NUMBER_VALUE can not be converted to a String"),
    ],
)  # fmt: skip
def test_json_type_mismatches_are_serialization_errors(params: Any, message: str) -> None:
    fake = FakeSSM()
    error = _refusal(fake, params)
    assert (error.code, error.message, error.status) == ("SerializationException", message, 400)
    assert fake.calls[-1].error == "SerializationException"


@pytest.mark.parametrize(
    ("body", "message"),
    [(None, ""), (1, ""), ("x", ""), (True, ""), ([], "Start of list found where not expected")],
)
def test_a_body_that_is_not_an_object_is_a_serialization_error(body: Any, message: str) -> None:
    fake = FakeSSM()
    for operation in (LIST, "ListCommands", "GetCommandInvocation"):
        error = _refusal(fake, body, operation)
        assert (error.code, error.message) == ("SerializationException", message)
    assert [c.params for c in fake.calls] == [{}, {}, {}]


def test_type_errors_through_botocore_with_validation_off() -> None:
    fake = FakeSSM(seed=1)
    fake.add_command(instances=2)
    ssm = client(parameter_validation=False)
    with active(fake):
        for params, message in (
            ({"MaxResults": "x"}, "STRING_VALUE can not be converted to an Integer"),
            ({"MaxResults": 5.5}, "DECIMAL_VALUE can not be converted to an Integer"),
            ({"Details": "yes"}, "Unexpected token received from parser"),
            ({"Filters": [{"key": "Status", "value": 5}]}, "NUMBER_VALUE can not be converted"),
        ):
            with pytest.raises(botocore.exceptions.ClientError, match=message) as error:
                ssm.list_command_invocations(**params)
            assert error.value.response["Error"]["Code"] == "SerializationException"
        with pytest.raises(botocore.exceptions.ClientError, match="to a String"):
            ssm.get_command_invocation(CommandId=123, InstanceId="i-0123456789abcdef0")


def test_null_members_are_absent_through_botocore() -> None:
    fake = FakeSSM(seed=1)
    fake.add_command(instances=3)
    ssm = client(parameter_validation=False)
    with active(fake):
        assert len(ssm.list_command_invocations(MaxResults=None)["CommandInvocations"]) == 3
        assert len(ssm.list_commands(MaxResults=None, NextToken=None)["Commands"]) == 1
    assert [c.error for c in fake.calls] == [None, None]


@pytest.mark.parametrize("operation", [LIST, "ListCommands"])
def test_null_members_are_absent_for_every_operation(operation: str) -> None:
    fake = FakeSSM(seed=2)
    node = _nodes(0, 3)[0]
    fake.add_command(instance_ids=_nodes(0, 3), command_id=UUID)
    nulls = dict.fromkeys(("CommandId", "InstanceId", "MaxResults", "NextToken", "Filters"))
    if operation == LIST:
        nulls["Details"] = None
    assert fake.handle(operation, nulls) == fake.handle(operation, {})
    # A token issued for a request with nulls is good for the same request without them.
    first = fake.handle(operation, {**nulls, "MaxResults": 1})
    if operation == LIST:
        assert fake.handle(operation, {"NextToken": first["NextToken"]})["CommandInvocations"]
    request = {"CommandId": UUID, "InstanceId": node, "PluginName": None}
    assert fake.handle("GetCommandInvocation", request)["InstanceId"] == node


# -- validation: one collector, AWS's wording ---------------------------------------


def test_every_broken_constraint_is_reported_in_one_message() -> None:
    error = _refusal(FakeSSM(), {"InstanceId": "web-01", "MaxResults": 51})
    assert error.code == "ValidationException"
    assert error.message == (
        "2 validation errors detected: Value 'web-01' at 'instanceId' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
        "(^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$); Value '51' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 50"
    )


def test_nulls_where_a_value_is_required() -> None:
    error = _refusal(FakeSSM(), {"CommandId": None, "InstanceId": None}, "GetCommandInvocation")
    assert error.message == (
        "2 validation errors detected: "
        "Value null at 'commandId' failed to satisfy constraint: Member must not be null; "
        "Value null at 'instanceId' failed to satisfy constraint: Member must not be null"
    )
    filters = {"Filters": [{"key": "Status", "value": None}, None]}
    assert _refusal(FakeSSM(), filters).message == (
        "2 validation errors detected: Value null at 'filters.1.member.value' failed to satisfy "
        "constraint: Member must not be null; Value null at 'filters.2.member' failed to "
        "satisfy constraint: Member must not be null"
    )


def test_list_lengths_show_the_list_as_aws_prints_it() -> None:
    filters = [{"key": "Status", "value": "Success"}] * 6
    shown = ", ".join(["{key=Status, value=Success}"] * 6)
    assert _refusal(FakeSSM(), {"Filters": filters}).message == (
        f"1 validation error detected: Value '[{shown}]' at 'filters' failed to satisfy "
        "constraint: Member must have length less than or equal to 5"
    )
    assert java_text(["i-aaa", "i-bbb"]) == "[i-aaa, i-bbb]"
    assert java_text([]) == "[]"
    assert java_text({"Values": ["a", None], "On": True}) == "{Values=[a, null], On=true}"


def test_a_number_beyond_a_java_int_is_reported_without_its_value() -> None:
    assert _refusal(FakeSSM(), {"MaxResults": 99999999999}).message == (
        "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 50"
    )


# -- page plans belong to page numbers ----------------------------------------------


def test_max_items_resume_over_a_page_plan_repeats_nothing() -> None:
    fake = FakeSSM(seed=4)
    expected = _fleet(fake, [10])
    fake.page_plan(5, 1)
    paginator = client().get_paginator("list_command_invocations")
    with active(fake):
        first = paginator.paginate(PaginationConfig={"MaxItems": 3}).build_full_result()
        rest = paginator.paginate(
            PaginationConfig={"StartingToken": first["NextToken"]}
        ).build_full_result()
    seen = _keys(first["CommandInvocations"]) + _keys(rest["CommandInvocations"])
    assert seen == expected
    assert [c.returned for c in fake.calls] == [5, 5, 1, 4]  # page 1 served twice, the same
    assert [c.page for c in fake.calls] == [1, 1, 2, 3]
    assert fake.unconsumed() == []


@cache
def _paginator() -> Any:
    return client().get_paginator("list_command_invocations")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(0, 12), max_size=3),
    plan=ssm_st.page_plans(max_pages=5, max_size=8),
    page_size=st.none() | st.integers(1, 9),
    stops=st.lists(st.integers(1, 15), min_size=1, max_size=6),
)
def test_any_plan_and_any_resume_sequence_yields_each_item_once_in_order(
    sizes: list[int], plan: list[int], page_size: int | None, stops: list[int]
) -> None:
    fake = FakeSSM(seed=len(plan))
    expected = _fleet(fake, sizes)
    if plan:
        fake.page_plan(*plan)
    base = {"PageSize": page_size} if page_size else {}
    seen: list[tuple[str, str]] = []
    token = None
    with active(fake):
        for max_items in [*stops, 10_000]:
            config = {**base, "MaxItems": max_items}
            if token:
                config["StartingToken"] = token
            result = _paginator().paginate(PaginationConfig=config).build_full_result()
            seen += _keys(result["CommandInvocations"])
            token = result.get("NextToken")
            if token is None:
                break
    assert token is None
    assert seen == expected


def test_a_plan_serves_every_chain_and_reports_pages_never_served() -> None:
    fake = FakeSSM(seed=5)
    fake.add_command(instances=5)
    fake.page_plan(2, 0, 3)
    with active(fake):
        ssm = client()
        for _ in range(2):
            pages = list(ssm.get_paginator("list_command_invocations").paginate())
            assert [len(p["CommandInvocations"]) for p in pages] == [2, 0, 3]
        assert fake.unconsumed() == []
        fake.page_plan(1, 2)  # every planned page was served: a new plan starts at page 1
        assert len(ssm.list_command_invocations()["CommandInvocations"]) == 1
        fake.page_plan(4)  # page 2 never served: this one is page 3
        assert fake.unconsumed() == [
            "page plan [1, 2, 4] on ListCommandInvocations (pages 2, 3 never served)"
        ]


# -- faults -------------------------------------------------------------------------


def test_a_fault_used_in_part_says_how_often_it_was_served() -> None:
    fake = FakeSSM()
    fake.fail("ThrottlingException", times=10)
    for _ in range(5):
        assert _refusal(fake, {}).code == "ThrottlingException"
    assert fake.unconsumed() == [
        "ThrottlingException on ListCommandInvocations at the next call: served 5 of 10"
    ]


def test_times_none_fails_every_call_and_is_never_unused() -> None:
    fake = FakeSSM(seed=1)
    fake.add_command(instance_ids=_nodes(0, 4), command_id=UUID)
    fake.fail("ThrottlingException", times=None)
    fake.fail("InternalServerError", operation="ListCommands", page=2, times=None)
    fake.fail("AccessDeniedException", operation="GetCommandInvocation", on_call=2, times=None)
    assert fake.unconsumed() == []
    for _ in range(20):
        assert _refusal(fake, {}).code == "ThrottlingException"
    with active(fake):
        ssm = client(retries={"mode": "standard", "max_attempts": 2})  # 3 attempts
        with pytest.raises(botocore.exceptions.ClientError, match="Rate exceeded"):
            ssm.list_command_invocations()
        ids = {"CommandId": UUID, "InstanceId": _nodes(0, 1)[0]}
        ssm.get_command_invocation(**ids)
        for _ in range(3):
            with pytest.raises(botocore.exceptions.ClientError, match="AccessDenied"):
                ssm.get_command_invocation(**ids)
    faults = [c.fault for c in fake.calls[20:]]
    assert faults == ["ThrottlingException"] * 3 + [None] + ["AccessDeniedException"] * 3
    assert fake.unconsumed() == []


def test_fail_takes_http_status_and_the_old_name_with_a_warning() -> None:
    fake = FakeSSM()
    fake.fail("ServiceUnavailable", http_status=502)
    assert _refusal(fake, {}).status == 502
    with pytest.warns(DeprecationWarning, match="http_status"):
        fake.fail("ServiceUnavailable", status=504)
    assert _refusal(fake, {}).status == 504
    with pytest.raises(ValueError, match="not status"):
        fake.fail("ServiceUnavailable", status=504, http_status=502)
    for bad in (200, 999, "500", True):
        with pytest.raises(ValueError, match="http_status must be an HTTP error status"):
            fake.fail("ServiceUnavailable", http_status=bad)  # type: ignore[arg-type]
    assert fake.unconsumed() == []


def test_invisible_for_is_one_name_from_the_call_to_the_store() -> None:
    fake = FakeSSM(seed=1)
    handle = fake.add_command(instances=2, invisible_for=2)
    entry: CommandEntry = fake.store.region("us-east-1").commands[handle.command_id]
    assert entry.invisible_for == 2
    assert fake.handle(LIST, {})["CommandInvocations"] == []
    assert entry.invisible_for == 1


# -- NextTokens belong to the fake that issued them ---------------------------------


def test_two_fakes_with_one_seed_refuse_each_others_tokens() -> None:
    one, two = FakeSSM(seed=9), FakeSSM(seed=9)
    for fake in (one, two):
        fake.add_command(instances=4, command_id=UUID)
    token = one.handle(LIST, {"MaxResults": 2})["NextToken"]
    assert len(one.handle(LIST, {"MaxResults": 2, "NextToken": token})["CommandInvocations"]) == 2
    assert _refusal(two, {"MaxResults": 2, "NextToken": token}).code == "InvalidNextToken"


def _python(script: str, *args: str) -> list[str]:
    """What ``script`` prints, run by a fresh interpreter with this checkout importable."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    argv = [sys.executable, "-c", script, *args]
    return subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stdout.split()


def test_tokens_replay_byte_for_byte_in_a_new_process() -> None:
    script = (
        "from pytest_ssm_invocations.fake import FakeSSM\n"
        "def token():\n"
        "    fake = FakeSSM(seed=7)\n"
        "    fake.add_command(instances=3)\n"
        "    return fake.handle('ListCommandInvocations', {'MaxResults': 1})['NextToken']\n"
        "print(token(), token())\n"
    )
    first, second = _python(script), _python(script)
    assert first == second  # the same fakes in the same order: the same tokens
    assert first[0] != first[1]  # the second fake with seed 7 signs with its own secret


def test_a_tests_tokens_do_not_depend_on_the_fakes_other_tests_built() -> None:
    """As the plugin starts each test (``seeding.use``), then fakes as a test builds them:
    its own with the test's generator, and one of the bare seed."""
    script = (
        "import sys\n"
        "from pytest_ssm_invocations.fake import FakeSSM\n"
        "from pytest_ssm_invocations.records import seeding\n"
        "def tokens(fake):\n"
        "    fake.add_command(instances=3)\n"
        "    return fake.handle('ListCommandInvocations', {'MaxResults': 1})['NextToken']\n"
        "def test(test_id):\n"
        "    seeding.use(seeding.for_test(7, test_id))\n"
        "    own = FakeSSM(seed=7, rng=seeding.for_test(7, test_id))\n"
        "    return [tokens(own), tokens(FakeSSM(seed=7)), tokens(FakeSSM(seed=7))]\n"
        "for earlier in sys.argv[1:]:\n"
        "    test(earlier)\n"
        "print(*test('t.py::test_this'))\n"
    )
    alone = _python(script)
    assert alone == _python(script, "t.py::test_other", "t.py::test_third")
    assert alone == _python(script, "t.py::test_this")  # the same id run before, as a rerun
    assert len(set(alone)) == 3  # each fake of the test signs with its own secret


def test_a_secret_from_the_fakes_rng_does_not_depend_on_earlier_fakes() -> None:
    script = (
        "import random, sys\n"
        "from pytest_ssm_invocations.service.tokens import fake_secret\n"
        "for _ in range(int(sys.argv[1])):\n"
        "    fake_secret(7, random.Random('an earlier test'))\n"
        "print(fake_secret(7, random.Random('this test')).hex())\n"
        "print(fake_secret(7, random.Random('this test')).hex())\n"
    )
    alone, after_others = _python(script, "0"), _python(script, "3")
    assert alone == after_others
    assert alone[0] != alone[1]
