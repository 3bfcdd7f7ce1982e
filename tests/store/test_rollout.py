"""A sent command's roll-out schedule: the ramp, MaxConcurrency, MaxErrors, delivery timeout.

Sources: SendCommand API reference (MaxConcurrency, MaxErrors, TimeoutSeconds)
and the user guide's "Using rate controls" ("If you specify 3, the system
stops sending the command when the fourth error is received") and "Run
commands at scale" (one node first, two more once it completed, then
exponentially more until MaxConcurrency is met).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations.catalogue.statuses import status_case
from pytest_ssm_invocations.store.rollout import NEVER, NodePlan, concurrency, roll_out
from pytest_ssm_invocations.store.rollup import allowed_errors

HOUR_MS = 3_600_000


DELIVERY_MS = 1_000


def plan(status: str, delivery_ms: int = DELIVERY_MS, run_ms: int = 10_000) -> NodePlan:
    return NodePlan(status_case(status), delivery_ms, run_ms)


def details(outcomes: list) -> list[str]:
    return [o.case.status_details for o in outcomes]


def test_the_roll_out_ramps_up_one_then_two_then_four() -> None:
    outcomes = roll_out(
        [plan("Success")] * 8, max_concurrency="50", max_errors="0", delivery_timeout_ms=HOUR_MS
    )
    starts = [o.start_ms for o in outcomes]
    # The user guide: one node, then two more once it completed, then four more (each
    # node takes 11 s from being sent to finishing), then the one left.
    assert starts == [1_000] + [12_000] * 2 + [23_000] * 4 + [34_000]
    assert details(outcomes) == ["Success"] * 8


def test_once_the_ramp_meets_max_concurrency_a_freed_place_is_filled_at_once() -> None:
    runs = [10_000, 10_000, 10_000, 5_000, 20_000, 10_000, 10_000]
    plans = [plan("Success", run_ms=r) for r in runs]
    outcomes = roll_out(plans, max_concurrency="2", max_errors="0", delivery_timeout_ms=HOUR_MS)
    starts = [o.start_ms for o in outcomes]
    # 1, then 2 (the ramp meets MaxConcurrency), then a node each time a place frees:
    # no more waves (the 5 s node frees its place first).
    assert starts == [1_000, 12_000, 12_000, 23_000, 23_000, 29_000, 40_000]


def test_the_error_past_max_errors_terminates_the_nodes_not_yet_sent() -> None:
    plans = [plan("Failed"), plan("Failed"), plan("Success"), plan("Success")]
    outcomes = roll_out(plans, max_concurrency="1", max_errors="1", delivery_timeout_ms=HOUR_MS)
    assert details(outcomes) == ["Failed", "Failed", "Terminated", "Terminated"]
    second_failure_end = outcomes[1].end_ms
    assert [o.end_ms for o in outcomes[2:]] == [second_failure_end] * 2
    assert outcomes[2].start_ms is None


def test_nodes_already_running_finish_after_max_errors_is_exceeded() -> None:
    # The first node runs alone (the ramp), the next two together.
    plans = [plan("Success"), plan("Failed", run_ms=1_000), plan("Success", run_ms=50_000)]
    plans += [plan("Success")]
    outcomes = roll_out(plans, max_concurrency="2", max_errors="0", delivery_timeout_ms=HOUR_MS)
    assert details(outcomes) == ["Success", "Failed", "Success", "Terminated"]


def test_a_node_that_never_completes_holds_the_ramp_until_the_delivery_timeout() -> None:
    plans = [plan("DeliveryTimedOut"), plan("Success"), plan("Success")]
    outcomes = roll_out(plans, max_concurrency="50", max_errors="0", delivery_timeout_ms=60_000)
    # The next wave waits for the first node to complete, which it does only when the
    # service gives up on it: by then the others' delivery timeout has passed too.
    assert details(outcomes) == ["DeliveryTimedOut"] * 3
    assert [o.end_ms for o in outcomes] == [60_000] * 3


def test_errors_that_do_not_count_never_stop_the_roll_out() -> None:
    plans = [plan("Undeliverable"), plan("InvalidPlatform"), plan("Success")]
    plans += [plan("DeliveryTimedOut")]
    outcomes = roll_out(plans, max_concurrency="1", max_errors="0", delivery_timeout_ms=60_000)
    assert details(outcomes) == ["Undeliverable", "InvalidPlatform", "Success", "DeliveryTimedOut"]


def test_a_node_not_started_by_the_delivery_timeout_never_runs() -> None:
    plans = [plan("Success", run_ms=40_000)] * 3
    outcomes = roll_out(plans, max_concurrency="1", max_errors="0", delivery_timeout_ms=60_000)
    # The second starts at 42 s; the third would start at 83 s, past the 60 s timeout.
    assert details(outcomes) == ["Success", "Success", "DeliveryTimedOut"]
    assert outcomes[2].start_ms is None
    assert outcomes[2].end_ms == 60_000


def test_an_offline_node_times_out_at_the_delivery_timeout_and_holds_its_place() -> None:
    plans = [plan("DeliveryTimedOut"), plan("Success")]
    outcomes = roll_out(plans, max_concurrency="1", max_errors="0", delivery_timeout_ms=60_000)
    assert [o.end_ms for o in outcomes] == [60_000, 60_000]
    assert details(outcomes) == ["DeliveryTimedOut", "DeliveryTimedOut"]


def test_a_case_that_never_ends_holds_its_place_forever() -> None:
    plans = [plan("InProgress"), plan("Success")]
    outcomes = roll_out(plans, max_concurrency="1", max_errors="0", delivery_timeout_ms=60_000)
    assert outcomes[0].end_ms == NEVER
    assert details(outcomes) == ["InProgress", "DeliveryTimedOut"]


@pytest.mark.parametrize(
    ("value", "targets", "running", "errors"),
    [("10", 3, 10, 10), ("10%", 50, 5, 5), ("10%", 15, 2, 1), ("10%", 5, 1, 0), ("100%", 7, 7, 7)],
)
def test_rates_are_counts_or_percentages_of_the_targets(
    value: str, targets: int, running: int, errors: int
) -> None:
    assert concurrency(value, targets) == running
    assert allowed_errors(value, targets) == errors


_CASES = ("Success", "Failed", "ExecutionTimedOut", "Undeliverable", "DeliveryTimedOut")


@given(
    cases=st.lists(st.sampled_from(_CASES), max_size=30),
    runs=st.lists(st.integers(1, 100_000), min_size=30, max_size=30),
    at_once=st.integers(1, 12),
    max_errors=st.integers(0, 5),
    timeout_s=st.integers(30, 600),
)
def test_any_roll_out_respects_every_rate_control(
    cases: list[str], runs: list[int], at_once: int, max_errors: int, timeout_s: int
) -> None:
    plans = [plan(c, run_ms=r) for c, r in zip(cases, runs[: len(cases)], strict=True)]
    timeout_ms = timeout_s * 1000
    outcomes = roll_out(
        plans,
        max_concurrency=str(at_once),
        max_errors=str(max_errors),
        delivery_timeout_ms=timeout_ms,
    )
    assert len(outcomes) == len(plans)
    # Never more than MaxConcurrency nodes running at any instant, nor more than the
    # ramp allows: a wave of 1, 2, 4... is sent once every node before it completed, so
    # a node is sent only while those running number at most one more than those done.
    spans = [(o.start_ms, o.end_ms) for o in outcomes if o.start_ms is not None]
    for start, _ in spans:
        running = sum(s <= start < e for s, e in spans)
        done_when_sent = sum(o.end_ms <= start - DELIVERY_MS for o in outcomes)
        assert running <= min(at_once, done_when_sent + 1)
    # Every node ends in a final state (every case planned here has one).
    assert all(o.case.terminal and o.end_ms != NEVER for o in outcomes)
    # Every node that ran started before the delivery timeout, and ended as planned.
    for planned, outcome in zip(plans, outcomes, strict=True):
        if outcome.start_ms is not None:
            assert outcome.start_ms < timeout_ms
            assert outcome.case is planned.case
        else:
            assert outcome.case.status_details in (planned.case.status_details, "Terminated",
                                                   "DeliveryTimedOut")  # fmt: skip
    # Terminated only once the errors so far exceeded MaxErrors, and then for the rest.
    terminated = [o for o in outcomes if o.case.status_details == "Terminated"]
    if terminated:
        stop = terminated[0].end_ms
        errors_by_then = [
            o for o in outcomes if o.case.counts_against_max_errors and o.end_ms <= stop
        ]
        assert len(errors_by_then) == max_errors + 1
        first = outcomes.index(terminated[0])
        assert all(o.case.status_details == "Terminated" for o in outcomes[first:])


@given(nodes=st.integers(1, 60), at_once=st.integers(1, 60), run_ms=st.integers(1, 50_000))
def test_nodes_alike_start_in_waves_doubling_up_to_max_concurrency(
    nodes: int, at_once: int, run_ms: int
) -> None:
    outcomes = roll_out(
        [plan("Success", run_ms=run_ms)] * nodes,
        max_concurrency=str(at_once),
        max_errors="0",
        delivery_timeout_ms=10 * HOUR_MS,
    )
    waves: dict[int | None, int] = {}
    for outcome in outcomes:
        waves[outcome.start_ms] = waves.get(outcome.start_ms, 0) + 1
    # Nodes that take as long as each other start together: 1, 2, 4... then
    # MaxConcurrency at a time, the last wave what is left.
    expected: list[int] = []
    left, size = nodes, 1
    while left:
        expected.append(min(size, at_once, left))
        left -= expected[-1]
        size *= 2
    assert list(waves.values()) == expected
    assert all(o.case.status_details == "Success" for o in outcomes)


def test_a_cancelled_node_frees_its_place_when_the_cancel_takes_effect() -> None:
    plans = [plan("InProgress"), plan("Success"), plan("Success")]
    outcomes = roll_out(plans, max_concurrency="50", max_errors="0",
                        delivery_timeout_ms=HOUR_MS, cancelled={0: 30_000})  # fmt: skip
    assert details(outcomes) == ["Cancelled", "Success", "Success"]
    assert (outcomes[0].start_ms, outcomes[0].end_ms) == (1_000, 30_000)
    # The next wave goes out as the cancel frees the place: the first node never would.
    assert [o.start_ms for o in outcomes[1:]] == [31_000, 31_000]


def test_a_node_cancelled_before_its_turn_is_never_sent() -> None:
    plans = [plan("Success"), plan("Success"), plan("Success")]
    outcomes = roll_out(plans, max_concurrency="1", max_errors="0",
                        delivery_timeout_ms=HOUR_MS, cancelled={1: 5_000})  # fmt: skip
    assert details(outcomes) == ["Success", "Cancelled", "Success"]
    assert (outcomes[1].start_ms, outcomes[1].end_ms) == (None, 5_000)
    assert outcomes[2].start_ms == outcomes[0].end_ms + DELIVERY_MS  # its place went on


@given(
    cases=st.lists(st.sampled_from(_CASES), min_size=1, max_size=20),
    at_once=st.integers(1, 8),
    data=st.data(),
)
def test_a_cancel_changes_nothing_before_it_took_effect(
    cases: list[str], at_once: int, data: st.DataObject
) -> None:
    """A roll-out is causal: what started or ended before a cancel took effect is as it
    was; the cancelled nodes end Cancelled then, if they had not ended."""
    plans = [plan(c) for c in cases]
    rates = {"max_concurrency": str(at_once), "max_errors": "2", "delivery_timeout_ms": HOUR_MS}
    before = roll_out(plans, **rates)  # type: ignore[arg-type]
    at = data.draw(st.integers(0, 200_000))
    nodes = data.draw(st.sets(st.integers(0, len(plans) - 1), min_size=1))
    cut = {n: at for n in nodes if before[n].end_ms > at}
    after = roll_out(plans, **rates, cancelled=cut)  # type: ignore[arg-type]
    for node, (old, new) in enumerate(zip(before, after, strict=True)):
        if node in cut:
            assert (new.case.status_details, new.end_ms) == ("Cancelled", at)
        elif old.end_ms <= at or (old.start_ms is not None and old.start_ms <= at):
            assert new == old
