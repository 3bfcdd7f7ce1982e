"""Storing an ``add_command`` command at once keeps what asking each invocation would give."""

from __future__ import annotations

import gc
from collections import Counter

import pytest

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.store import collector as _collector
from pytest_ssm_invocations.store.entries import CommandEntry

MIX = {"Success": 70, "Failed": 30, "DeliveryTimedOut": 20, "InProgress": 10, "Cancelled": 10}


def stored(fake: FakeSSM, command_id: str) -> CommandEntry:
    return fake.store.region(fake.region).commands[command_id]


@pytest.mark.parametrize("progress", [None, "clock", "poll"])
def test_a_commands_tally_counted_at_once_is_the_one_counted_entry_by_entry(
    progress: str | None,
) -> None:
    fake = FakeSSM(seed=4)
    handle = fake.add_command(statuses=MIX, progress=progress)  # type: ignore[arg-type]
    command = stored(fake, handle.command_id)
    assert command.tally is not None
    for step in ("added", "later", "cancelled"):
        if step == "later":
            fake.clock.advance(7200)
        elif step == "cancelled":  # moves each unfinished invocation: its old count goes
            fake.handle("CancelCommand", {"CommandId": handle.command_id})
            fake.clock.advance(60)
        now = fake.clock.now_ms
        # What each invocation shows now, counted afresh (not by another tally).
        counted = dict(
            Counter(e.view(now, observe=False)["StatusDetails"] for e in command.invocations)
        )
        assert command.tally.at(now) == counted, step
        if progress is None and step == "added":
            assert counted == MIX


@pytest.mark.parametrize("size", [5, 40])  # indexed one by one, and at once
def test_a_node_in_several_commands_is_indexed_under_each(size: int) -> None:
    fake = FakeSSM(seed=2)
    first = fake.add_command(instances=size)
    others = [f"i-{n:017x}" for n in range(size)]
    again = fake.add_command(instance_ids=[first.instance_ids[1], *others])
    state = fake.store.region(fake.region)
    assert [e.command.command_id for e in state.on_instance(first.instance_ids[1])] == [
        again.command_id,
        first.command_id,
    ]
    for node in others:
        assert [e.command.command_id for e in state.on_instance(node)] == [again.command_id]
    for node in first.instance_ids[2:]:
        assert [e.command.command_id for e in state.on_instance(node)] == [first.command_id]


def _failing_while_paused(count: int, seen: list[bool]) -> None:
    with _collector.paused_for(count):
        seen.append(gc.isenabled())
        raise ValueError("a check failing while the command is built")


@pytest.mark.parametrize("count", [10, _collector.LARGE])
def test_the_collector_is_paused_for_large_commands_only_and_resumes(count: int) -> None:
    if not gc.isenabled():
        pytest.skip("the collector is off in this process: nothing to pause")
    seen: list[bool] = []
    with pytest.raises(ValueError, match="a check failing"):
        _failing_while_paused(count, seen)
    assert seen == [count < _collector.LARGE]
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with _collector.paused_for(_collector.LARGE):
            pass
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
