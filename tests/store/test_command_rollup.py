"""ListCommands' counts and status come from a tally kept as invocations move, never a walk.

The oracle is the walk ListCommands did before: every invocation's case now,
counted afresh and rolled up by ``rollup.command_status`` (whose rules
``test_status_rows`` holds to rows written from the user guide). Random commands (added or
sent, every status and variant, each progress, rate controls) are moved at
random (the clock forward and back, polls, cancels) and looked at now and
then, so the tally sometimes catches up over many moves at once.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import factories, wire
from pytest_ssm_invocations.catalogue.statuses import (
    STATUS_CASES,
    STATUS_VARIANTS,
    status_case,
)
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.store.entries import CommandEntry, InvocationEntry
from pytest_ssm_invocations.store.lifecycle import SETTLE_MS
from pytest_ssm_invocations.store.rollup import NO_INSTANCES_IN_TAG, command_status

ROLLED_UP = (
    "Status", "StatusDetails", "TargetCount", "CompletedCount", "ErrorCount",
    "DeliveryTimedOutCount",
)  # fmt: skip
STATUSES = [c.status_details for c in STATUS_CASES] + [c.name for c in STATUS_VARIANTS]
SHELL = {"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["./job.sh"]}}


# -- the oracle: the full walk ListCommands used to do --------------------------------


def walked(command: CommandEntry, now_ms: int) -> dict[str, Any]:
    """The rolled-up fields, from every invocation's case at ``now_ms``."""
    cases = [
        status_case(e.view(now_ms, observe=False)["StatusDetails"]) for e in command.invocations
    ]
    if not cases and command.targets:
        settled = now_ms >= command.requested_ms + SETTLE_MS
        status, detail = NO_INSTANCES_IN_TAG if settled else ("Pending", "Pending")
    else:
        shown = Counter(c.status_details for c in cases)
        status, detail = command_status(shown, command.max_errors, command.cancelled)
    return {
        "Status": status,
        "StatusDetails": detail,
        "TargetCount": len(cases),
        "CompletedCount": sum(c.terminal for c in cases),
        "ErrorCount": sum(c.status_details in ("Failed", "ExecutionTimedOut") for c in cases),
        "DeliveryTimedOutCount": sum(c.status_details == "DeliveryTimedOut" for c in cases),
    }


def assert_rolled_up_as_walked(fake: FakeSSM) -> None:
    """Every command, and the ListCommands page of them all, byte for byte."""
    now = fake.clock.now_ms
    commands = list(fake.store.region(fake.region).ordered_commands)
    for command in commands:
        shown = command.view(now)
        assert {k: shown[k] for k in ROLLED_UP} == walked(command, now)
    page = fake.handle("ListCommands", {})
    expected = {"Commands": [{**c.view(now), **walked(c, now)} for c in commands]}
    assert wire.encode(page) == wire.encode(expected)


# -- random commands and moves ----------------------------------------------------------

max_errors = st.sampled_from(["0", "1", "2", "50%", "100%"])
progress = st.sampled_from([None, "clock", "poll"])


@st.composite
def added(draw: st.DrawFn) -> dict[str, Any]:
    statuses = draw(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=8))
    return {
        "statuses": statuses,
        "progress": draw(progress),
        "max_errors": draw(max_errors),
        "timeout_seconds": draw(st.sampled_from([30, 600, 3600])),
    }


@st.composite
def sent(draw: st.DrawFn) -> dict[str, Any]:
    nodes = draw(st.integers(1, 8))
    pings = draw(st.lists(st.sampled_from(["Online", "ConnectionLost"]), min_size=nodes))
    statuses = draw(
        st.none()
        | st.lists(
            st.sampled_from([s for s in STATUSES if s != "InvalidPlatform"]),
            min_size=nodes,
            max_size=nodes,
        )
    )
    request = {
        "MaxConcurrency": draw(st.sampled_from(["1", "2", "50", "50%"])),
        "MaxErrors": draw(max_errors),
        "TimeoutSeconds": draw(st.sampled_from([30, 120, 3600])),
    }
    return {"pings": pings[:nodes], "statuses": statuses, "progress": draw(progress), **request}


move = st.one_of(
    st.tuples(st.just("advance"), st.sampled_from([0, 1, 999, 1000, 2500, 60_000, 3_600_000])),
    st.tuples(st.just("advance"), st.integers(0, 8_000_000)),
    st.tuples(st.just("cancel"), st.integers(0, 7), st.lists(st.integers(0, 7), max_size=3)),
    st.tuples(st.just("poll"), st.integers(0, 7), st.integers(1, 8)),
    st.tuples(st.just("get"), st.integers(0, 7), st.integers(0, 7)),
    st.tuples(st.just("reset")),
)


def _send(fake: FakeSSM, plan: dict[str, Any]) -> None:
    nodes = [fake.add_instances(1, ping_status=p)[0] for p in plan["pings"]]
    if plan["statuses"] is not None or plan["progress"] != "clock":
        fake.on_send(statuses=plan["statuses"], progress=plan["progress"])
    request = {k: plan[k] for k in ("MaxConcurrency", "MaxErrors", "TimeoutSeconds")}
    fake.handle("SendCommand", {**SHELL, **request, "InstanceIds": nodes})


def _move(fake: FakeSSM, commands: list[CommandEntry], step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "advance":
        fake.clock.advance(step[1] / 1000)
    elif kind == "reset":
        fake.clock.reset()
    else:
        command = commands[step[1] % len(commands)]
        ids = [e.instance_id for e in command.invocations]
        if kind == "cancel":
            wanted = sorted({ids[i % len(ids)] for i in step[2]})
            fake.handle("CancelCommand", {"CommandId": command.command_id, "InstanceIds": wanted})
        elif kind == "poll":
            params = {"CommandId": command.command_id, "MaxResults": step[2]}
            fake.handle("ListCommandInvocations", params)
        else:
            params = {"CommandId": command.command_id, "InstanceId": ids[step[2] % len(ids)]}
            fake.handle("GetCommandInvocation", params)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(added().map(lambda a: ("add", a)), sent().map(lambda s: ("send", s))),
             min_size=1, max_size=3),
    st.lists(st.tuples(move, st.booleans()), max_size=25),
)  # fmt: skip
def test_the_tally_rolls_up_as_a_walk_of_every_invocation(
    built: list[tuple[str, dict[str, Any]]], moves: list[tuple[tuple[Any, ...], bool]]
) -> None:
    fake = FakeSSM(seed=7)
    for kind, plan in built:
        if kind == "add":
            fake.add_command(**plan)
        else:
            _send(fake, plan)
    commands = list(fake.store.region(fake.region).ordered_commands)
    assert_rolled_up_as_walked(fake)
    for step, look in moves:
        _move(fake, commands, step)
        if look:
            assert_rolled_up_as_walked(fake)
    assert_rolled_up_as_walked(fake)


def test_a_clock_reset_recounts_from_the_start() -> None:
    fake = FakeSSM(seed=1)
    handle = fake.add_command(statuses={"Success": 3}, progress="clock")
    fake.clock.advance(hours=2)
    assert handle.command["CompletedCount"] == 3
    fake.clock.reset()
    assert (handle.command["Status"], handle.command["CompletedCount"]) == ("Pending", 0)
    assert_rolled_up_as_walked(fake)


# -- what rendering costs, counted ------------------------------------------------------


@pytest.fixture
def looks(monkeypatch: pytest.MonkeyPatch) -> list[InvocationEntry]:
    """Every invocation looked at for its case: the tally's way, or a walk's."""
    seen: list[InvocationEntry] = []
    for name in ("details_at", "view"):
        real = getattr(InvocationEntry, name)

        def counting(self: InvocationEntry, *args: Any, real: Any = real, **kw: Any) -> Any:
            seen.append(self)
            return real(self, *args, **kw)

        monkeypatch.setattr(InvocationEntry, name, counting)
    return seen


@pytest.mark.parametrize("progress", [None, "clock", "poll"])
def test_rendering_a_command_looks_at_no_invocation(
    looks: list[InvocationEntry], progress: Any
) -> None:
    for size in (100, 3000):
        fake = FakeSSM(seed=size)
        mix = {"Success": size // 2, "Failed": size // 4, "InProgress": size - 3 * (size // 4)}
        handle = fake.add_command(statuses=mix, progress=progress)
        looks.clear()
        page = fake.handle("ListCommands", {})
        assert page["Commands"][0]["TargetCount"] == size
        assert handle.command["CommandId"] == handle.command_id
        assert looks == []


def test_catching_up_with_the_clock_looks_at_each_invocation_once_per_change(
    looks: list[InvocationEntry],
) -> None:
    for size in (100, 3000):
        fake = FakeSSM(seed=size)
        handle = fake.add_command(instances=size, progress="clock")
        looks.clear()
        steps = 0
        while handle.command["Status"] != "Success":
            fake.clock.advance(seconds=1)
            steps += 1
        # Pending -> InProgress -> Success: at most two looks each, however many renders.
        assert steps > 2
        assert len(looks) <= 2 * size
        assert handle.command["CompletedCount"] == size


def test_a_capture_with_an_unknown_status_is_refused_when_loaded() -> None:
    """The tally counts every invocation as the command is stored: a StatusDetails the
    kit does not know fails ``load`` itself, naming it, not a later ListCommands."""
    fake = FakeSSM(seed=1)
    record = {**factories.invocation(seed=1), "StatusDetails": "Weird"}
    with pytest.raises(ValueError, match="unknown StatusDetails 'Weird'; valid values: Pending"):
        fake.load(wire.dumps({"CommandInvocations": [record]}))
    assert fake.handle("ListCommands", {}) == {"Commands": []}
