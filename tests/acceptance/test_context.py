"""``FakeSSM`` as a context manager, and ``reset()``: the fake without the fixture."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import botocore.endpoint
import botocore.waiter
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.retries import bucket
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import FakeSSM
from pytest_ssm_invocations.records.times import ANCHOR
from pytest_ssm_invocations.transports import registry

from ..conftest import client

ACQUIRE = bucket.TokenBucket.acquire


def count(ssm: Any) -> int:
    return len(ssm.list_command_invocations()["CommandInvocations"])


def test_the_block_answers_clients_made_before_and_inside_it() -> None:
    before = client()
    with FakeSSM(seed=1) as fake:
        fake.add_command(instances=3)
        assert count(before) == 3
        assert count(client()) == 3
    assert len(fake.calls) == 2


def test_after_the_block_requests_go_where_they_were_going() -> None:
    with FakeSSM(seed=1) as fake:
        fake.add_command(instances=1)
    closed_port = client(retries={"total_max_attempts": 1})
    closed_port.meta.events.register_first(
        "before-sign.ssm", lambda request, **_: setattr(request, "url", "http://127.0.0.1:9/")
    )
    with pytest.raises(EndpointConnectionError):
        closed_port.list_command_invocations()
    assert fake.calls == []
    assert registry.active() is None


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_retry_sleeps_move_the_fake_clock_and_time_is_back_after(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ssm = client(retries={"mode": mode, "max_attempts": 5})
    with FakeSSM(seed=1) as fake:
        fake.add_command(instances=2)
        fake.fail("ThrottlingException", times=3)
        with monkeypatch.context() as patch:
            patch.setattr(time, "sleep", pytest.fail)  # nothing may wait for real
            assert count(ssm) == 2
        assert fake.clock.now > ANCHOR
        assert [c.fault for c in fake.calls] == ["ThrottlingException"] * 3 + [None]
    assert botocore.endpoint.time is time
    assert botocore.waiter.time is time
    assert bucket.time is time
    assert bucket.TokenBucket.acquire is ACQUIRE


def test_nested_fakes_the_innermost_answers_and_sleeps() -> None:
    outer, inner = FakeSSM(seed=1), FakeSSM(seed=2)
    outer.add_command(instances=1)
    inner.add_command(instances=4)
    with outer:
        with inner:
            assert count(client()) == 4
            botocore.waiter.time.sleep(30)
        assert count(client()) == 1
    assert inner.clock.now == ANCHOR + timedelta(seconds=30)
    assert outer.clock.now == ANCHOR
    assert botocore.waiter.time is time


def test_fakes_may_be_left_in_another_order() -> None:
    first, second = FakeSSM(seed=1), FakeSSM(seed=2)
    first.add_command(instances=1)
    second.add_command(instances=2)
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    try:
        assert count(client()) == 2
        botocore.endpoint.time.sleep(5)
        assert second.clock.now == ANCHOR + timedelta(seconds=5)
    finally:
        second.__exit__(None, None, None)
    assert botocore.endpoint.time is time
    assert registry.active() is None


def test_the_block_is_left_when_the_code_raises() -> None:
    with pytest.raises(RuntimeError), FakeSSM(seed=1):
        raise RuntimeError("boom")
    assert registry.active() is None
    assert botocore.endpoint.time is time


def test_reset_empties_everything_and_rewinds() -> None:
    fake = FakeSSM(seed=4)
    first_id = fake.add_command(instances=2).command_id
    fake.page_plan(1, 1)
    fake.fail("ThrottlingException", page=3)
    fake.handle("ListCommandInvocations", {"MaxResults": 5})
    fake.clock.advance(hours=1)

    fake.reset()

    assert fake.calls == []
    assert fake.unconsumed() == []
    assert fake.clock.now == ANCHOR
    assert fake.handle("ListCommandInvocations", {"MaxResults": 5})["CommandInvocations"] == []
    assert fake.add_command(instances=2).command_id == first_id  # as a fresh FakeSSM(seed=4)
    assert FakeSSM(seed=4).add_command(instances=2).command_id == first_id


def test_reset_keeps_the_fake_active() -> None:
    with FakeSSM(seed=1) as fake:
        fake.add_command(instances=1)
        fake.reset()
        fake.add_command(instances=3)
        assert count(client()) == 3


SHARED = FakeSSM(seed=9)


@settings(max_examples=25, deadline=None)
@given(statuses=st.lists(st.sampled_from(["Success", "Failed", "ExecutionTimedOut"]), max_size=12))
def test_one_fake_reset_per_hypothesis_example(statuses: list[str]) -> None:
    with SHARED:
        SHARED.reset()
        SHARED.add_command(statuses=statuses)
        got = client().list_command_invocations(Details=False)["CommandInvocations"]
    assert sorted(i["StatusDetails"] for i in got) == sorted(statuses)
    assert len(SHARED.calls) == 1
