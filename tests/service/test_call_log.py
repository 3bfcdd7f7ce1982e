"""The call log: whole in a test's fake, bounded in a long-running server's."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.service import call_log
from pytest_ssm_invocations.service.errors import ServiceError

keys = st.sampled_from(["CommandId", "NextToken", "Filters", "key", "value", "x" * 300])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text("ab\u00e9", max_size=300),
    lambda inner: st.lists(inner, max_size=8) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60)
@given(st.dictionaries(keys, json_values, max_size=4))
def test_bounded_params_stay_near_the_budget_and_keep_small_ones_whole(
    params: dict[str, Any],
) -> None:
    kept = call_log.bounded(params, budget=100)
    # JSON punctuation around what fits, one marker per open container, one last scalar
    assert len(json.dumps(kept)) <= 6 * 100 + 9 * 40 + 100
    if len(json.dumps(params)) <= 80:
        assert kept == params


def test_empty_entries_cannot_slip_past_the_budget() -> None:
    kept = call_log.bounded({"Filters": [[] for _ in range(300_000)]})
    assert len(kept["Filters"]) < call_log.PARAMS_BUDGET
    assert kept["Filters"][-1].startswith("...[")


def test_a_small_request_is_kept_whole() -> None:
    params = {"CommandId": "x" * 36, "Filters": [{"key": "Status", "value": "Success"}]}
    assert call_log.bounded(params) == params


def test_an_oversized_value_is_cut_with_its_size() -> None:
    kept = call_log.bounded({"NextToken": "t" * 10_000_000})["NextToken"]
    head, marker = kept.split("...")
    assert marker == f"[{10_000_000 - len(head)} more characters]"
    assert len(kept) < call_log.PARAMS_BUDGET + 40


def test_deep_nesting_is_cut() -> None:
    deep: Any = "leaf"
    for _ in range(900):
        deep = [deep]
    kept = call_log.bounded({"Filters": deep})
    assert "nested too deep" in json.dumps(kept)


def test_a_bounded_fake_keeps_the_latest_calls_with_cut_params() -> None:
    fake = FakeSSM(call_limit=3)
    for n in range(5):
        fake.handle("ListCommands", {"MaxResults": n + 1})
    with pytest.raises(ServiceError):
        fake.handle("ListCommandInvocations", {"NextToken": "t" * 10_000_000})
    assert [c.params.get("MaxResults") for c in fake.calls] == [4, 5, None]
    assert len(fake.calls[-1].params["NextToken"]) < 3000
    assert fake.calls[-1].error == "InvalidNextToken"


def test_a_tests_fake_keeps_every_call_whole() -> None:
    fake = FakeSSM()
    token = "t" * 100_000
    for _ in range(3):
        with pytest.raises(ServiceError):
            fake.handle("ListCommandInvocations", {"NextToken": token})
    for n in range(200):
        fake.handle("ListCommands", {"MaxResults": 1 + n % 50})
    assert len(fake.calls) == 203
    assert fake.calls[0].params["NextToken"] == token


@pytest.mark.parametrize("limit", [0, -1, 2.5, "10", True])
def test_call_limit_must_be_a_positive_whole_number(limit: Any) -> None:
    with pytest.raises(
        ValueError,
        match=re.escape(f"call_limit must be None or an int >= 1, not {limit!r}"),
    ):
        FakeSSM(call_limit=limit)
