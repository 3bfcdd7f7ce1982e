"""Hypothesis strategies: overridable, shrinking to simple.

That drawn records obey the factories' rules is the one consistency property
of tests/records/test_records.py (invocations, plugins) and tests/records/test_command.py.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import find, given
from hypothesis import strategies as st

from pytest_ssm_invocations import strategies as ssm_st

from ..consistency import assert_consistent


@given(ssm_st.invocations(status="Undeliverable", document="AWS-RunPatchBaseline", details=False))
def test_overrides_are_honoured(record: dict[str, Any]) -> None:
    assert (record["Status"], record["StatusDetails"]) == ("Failed", "Undeliverable")
    assert record["DocumentName"] == "AWS-RunPatchBaseline"
    assert record["CommandPlugins"] == []


@given(ssm_st.commands(min_instances=3, max_instances=3, statuses=["Failed", "Success"]))
def test_command_statuses_and_sizes_are_honoured(records: list[dict[str, Any]]) -> None:
    assert len(records) == 3
    assert set(Counter(r["StatusDetails"] for r in records)) <= {"Failed", "Success"}


@given(ssm_st.status_cases(terminal=False))
def test_status_case_filters(case: Any) -> None:
    assert not case.terminal


def test_shrinks_towards_a_simple_record() -> None:
    smallest = find(ssm_st.invocations(), lambda record: True)
    assert smallest["StatusDetails"] == "Success"
    assert smallest["DocumentName"] == "AWS-RunShellScript"
    assert find(ssm_st.commands(), lambda records: True) == []


def test_shrinks_to_the_simplest_failure() -> None:
    failing = find(ssm_st.commands(), lambda rs: any(r["Status"] == "Failed" for r in rs))
    assert len(failing) == 1


@given(ssm_st.responses(max_items=10))
def test_drawn_responses(body: dict[str, Any]) -> None:
    assert set(body) <= {"CommandInvocations", "NextToken"}
    for record in body["CommandInvocations"]:
        assert_consistent(record)


@given(ssm_st.page_plans(max_pages=4, max_size=7, empty_pages=False), st.data())
def test_page_plans(plan: list[int], data: Any) -> None:
    assert len(plan) <= 4
    assert all(1 <= size <= 7 for size in plan)
