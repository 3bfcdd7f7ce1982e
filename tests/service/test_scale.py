"""What a query costs does not grow with the store: counted in entries read, never in seconds."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import wire
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.records.commands import TAKEN
from pytest_ssm_invocations.store.entries import InvocationEntry
from pytest_ssm_invocations.store.ordering import NewestFirst
from pytest_ssm_invocations.wire.encoded import EncodedRecords, records_of

T0 = datetime(2025, 5, 1, tzinfo=timezone.utc)
AFTER = (T0 + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
PAGE = 10


@pytest.fixture
def touches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every read of an entry's record, sort key or node: what a scan could not hide."""
    seen: list[str] = []
    for name in ("key", "instance_id"):
        real = getattr(InvocationEntry, name)

        def counting(self: InvocationEntry, real: Any = real, name: str = name) -> Any:
            seen.append(name)
            return real.__get__(self, InvocationEntry)

        def setting(self: InvocationEntry, value: Any, real: Any = real) -> None:
            real.__set__(self, value)  # a field (set when stored), not a computed property

        monkeypatch.setattr(InvocationEntry, name, property(counting, setting))
    real_view = InvocationEntry.view

    def viewing(self: InvocationEntry, now_ms: int, observe: bool = True) -> Any:
        seen.append("view")
        return real_view(self, now_ms, observe)

    monkeypatch.setattr(InvocationEntry, "view", viewing)
    return seen


def _store(size: int) -> tuple[FakeSSM, str, str]:
    fake = FakeSSM(seed=size)
    big = fake.add_command(instances=size, requested=T0)
    for i in range(5):
        fake.add_command(instances=4, requested=T0 + timedelta(hours=1, minutes=i))
    return fake, big.command_id, big.instance_ids[size // 2]


def _shapes(command_id: str, instance_id: str) -> dict[str, dict[str, Any]]:
    return {
        "CommandId": {"CommandId": command_id},
        "CommandId+InstanceId": {"CommandId": command_id, "InstanceId": instance_id},
        "InstanceId": {"InstanceId": instance_id},
        "no filter": {},
        "InvokedAfter": {"Filters": [{"key": "InvokedAfter", "value": AFTER}]},
        "InvokedBefore": {"Filters": [{"key": "InvokedBefore", "value": AFTER}]},
    }


@pytest.mark.parametrize("shape", list(_shapes("", "")))
def test_a_page_reads_its_items_and_one_more_whatever_the_store_holds(
    touches: list[str], shape: str
) -> None:
    looked = []
    for size in (100, 3000):
        fake, command_id, instance_id = _store(size)
        params = {**_shapes(command_id, instance_id)[shape], "MaxResults": PAGE}
        touches.clear()
        first = fake.handle("ListCommandInvocations", params)
        views = touches.count("view")
        token = first.get("NextToken")
        if token is not None:  # a page deep in the chain costs the same
            fake.handle("ListCommandInvocations", {**params, "NextToken": token})
        looked.append((views, len(touches)))
    # Each item served is looked at twice (filter, then serve), the next one once.
    assert all(views <= 2 * PAGE + 1 for views, _ in looked)
    # Binary searches grow with log2(size): 30 times the store adds ~5 steps to each.
    (_, small), (_, large) = looked
    assert large - small <= 40, looked


def test_get_command_invocation_reads_one_entry(touches: list[str]) -> None:
    fake, command_id, instance_id = _store(3000)
    touches.clear()
    params = {"CommandId": command_id, "InstanceId": instance_id}
    answer = fake.handle("GetCommandInvocation", params)
    assert answer["InstanceId"] == instance_id
    assert touches.count("view") == 1
    assert len(touches) <= 30  # two binary searches among the node's invocations


def test_hidden_commands_are_counted_down_without_visiting_the_others() -> None:
    fake = FakeSSM(seed=1)
    for _ in range(50):
        fake.add_command(instances=1)
    hidden = fake.add_command(instances=2, invisible_for=2)
    state = fake.store.region("us-east-1")
    assert state.hidden == {hidden._entry}
    for expected in (0, 0, 2):
        page = fake.handle("ListCommandInvocations", {"CommandId": hidden.command_id})
        assert len(page["CommandInvocations"]) == expected
    assert state.hidden == set()
    fake.store.hide(hidden._entry, 1)
    assert fake.handle("ListCommandInvocations", {"CommandId": hidden.command_id}) == {
        "CommandInvocations": []
    }
    assert state.hidden == set()


class _Item:
    def __init__(self, key: tuple[int, int, int]) -> None:
        self.key = key


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4)), max_size=12),
    st.tuples(st.integers(-6, 1), st.integers(-15, 1), st.integers(-1, 5)),
)
def test_newest_first_keeps_the_order_and_finds_positions(
    commands: list[tuple[int, int]], probe: tuple[int, int, int]
) -> None:
    """Runs added in any order read back in ascending key; positions match a scan."""
    kept: NewestFirst[_Item] = NewestFirst()
    everything = []
    for seq, (requested, size) in enumerate(commands, start=1):
        run = [_Item((-requested, -seq, index)) for index in range(size)]
        kept.insert_run(run)
        everything.extend(run)
    expected = sorted(everything, key=lambda item: item.key)
    assert list(kept) == expected
    assert [kept[i] for i in range(len(kept))] == expected
    keys = [item.key for item in expected]
    assert kept.after(probe) == sum(k <= probe for k in keys)
    assert kept.at_or_after(probe) == sum(k < probe for k in keys)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), min_size=1, max_size=8),
    st.integers(0, 5),
    st.sampled_from(["InvokedAfter", "InvokedBefore"]),
)
def test_time_filters_and_order_match_a_scan(
    commands: list[tuple[int, int]], cut: int, key: str
) -> None:
    """Commands sent at any times, in any order: a time filter gives what a scan gives."""
    fake = FakeSSM(seed=len(commands))
    for minute, size in commands:
        fake.add_command(instances=size, requested=T0 + timedelta(minutes=minute))
    every = [e.final for e in fake.store.region("us-east-1").ordered]
    times = [r["RequestedDateTime"] for r in every]
    assert times == sorted(times, reverse=True)
    instant = T0 + timedelta(minutes=cut)
    value = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    got = _walk(fake, {"Filters": [{"key": key, "value": value}], "MaxResults": 3})
    want = [r for r in every if (r["RequestedDateTime"] >= instant) == (key == "InvokedAfter")]
    assert [(r["CommandId"], r["InstanceId"]) for r in got] == [
        (r["CommandId"], r["InstanceId"]) for r in want
    ]


def _walk(fake: FakeSSM, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = fake.handle("ListCommandInvocations", params)
        items.extend(page["CommandInvocations"])
        if "NextToken" not in page:
            return items
        params = {**params, "NextToken": page["NextToken"]}


def _reference(document: Any) -> bytes:
    """The body as plain ``json.dumps`` writes it, datetimes as epoch floats."""
    return json.dumps(document, default=wire.epoch_seconds, separators=(",", ":")).encode()


def _exchange(fake: FakeSSM, params: dict[str, Any]) -> wire.Exchanged:
    """What every transport does with a request: its answer, encoded."""
    body = json.dumps(params).encode()
    return wire.exchange(fake, "ListCommandInvocations", body, fake.region)


@pytest.mark.parametrize("details", [True, False])
def test_a_page_is_encoded_once_and_its_bytes_are_json_dumps(details: bool) -> None:
    fake = FakeSSM(seed=4)
    handle = fake.add_command(instances=7, s3_bucket="bucket", cloudwatch=True)
    params = {"CommandId": handle.command_id, "Details": details, "MaxResults": 5}
    first = _exchange(fake, params)
    assert first.body == _reference(first.answer)
    encoded = records_of(fake).encoded
    again = _exchange(fake, params)
    assert again.body == first.body
    assert records_of(fake).encoded == encoded  # nothing serialized twice
    items = first.answer["CommandInvocations"]
    assert all(item["CommandPlugins"] == [] for item in items) != details
    fake.release()
    assert _exchange(fake, params).body == b'{"CommandInvocations":[]}'
    assert records_of(fake).encoded == encoded


def test_encoded_pages_follow_the_clock_and_polls() -> None:
    fake = FakeSSM(seed=5)
    clocked = fake.add_command(instances=3, progress="clock")
    polled = fake.add_command(instances=3, progress="poll")
    seen: dict[str, list[str]] = {"clock": [], "poll": []}
    for _ in range(4):
        for name, handle in (("clock", clocked), ("poll", polled)):
            page = _exchange(fake, {"CommandId": handle.command_id, "Details": True})
            assert page.body == _reference(page.answer)
            seen[name].append(page.answer["CommandInvocations"][0]["Status"])
        fake.clock.advance(hours=2)
    assert seen["clock"][0] == "Pending"
    assert seen["clock"][-1] == "Success"
    assert seen["poll"][:3] == ["Pending", "InProgress", "Success"]


def test_a_replaced_record_is_never_served_from_the_old_bytes() -> None:
    fake = FakeSSM(seed=6)
    handle = fake.add_command(instances=1)
    params = {"CommandId": handle.command_id, "Details": True}
    _exchange(fake, params)
    entry = handle._entry.invocations[0]
    entry.final = {**entry.final, "Comment": "changed"}  # what a cancel does to a record
    assert b'"Comment":"changed"' in _exchange(fake, params).body


def test_the_encoded_records_kept_are_bounded() -> None:
    fake = FakeSSM(seed=7)
    handle = fake.add_command(instances=4)
    cache = EncodedRecords(capacity=2)
    for entry in handle._entry.invocations:
        cache.text(entry.final)
    assert len(cache._kept) == 2
    assert cache.encoded == 4


def test_a_commands_invocations_share_what_they_show_alike() -> None:
    fake = FakeSSM(seed=8)
    handle = fake.add_command(instances=3, notification_arn="arn:aws:sns:us-east-1:1:t")
    first, second, _ = (e.final for e in handle._entry.invocations)
    for name in ("NotificationConfig", "CloudWatchOutputConfig", "RequestedDateTime"):
        assert first[name] is second[name]
    assert type(first) is dict
    assert first == dict(first)
    assert all(not e.streams for e in handle._entry.invocations)  # Output shows them whole


def test_streams_cut_from_output_are_kept_for_get_command_invocation() -> None:
    fake = FakeSSM(seed=9)
    long = "x" * 3000
    handle = fake.add_command(instances=1, stdout=long, document="AWS-RunShellScript")
    detail = fake.handle(
        "GetCommandInvocation",
        {"CommandId": handle.command_id, "InstanceId": handle.instance_ids[0]},
    )
    assert detail["StandardOutputContent"] == long


def test_storing_a_command_renders_no_record_and_a_page_renders_what_it_shows() -> None:
    fake = FakeSSM(seed=3)
    handle = fake.add_command(instances=5_000, statuses={"Success": 4_000, "Failed": 1_000})
    command = fake.store.region(fake.region).commands[handle.command_id]
    entries = command.invocations
    assert sum(e.rendered is not None for e in entries) == 0
    page = fake.handle(
        "ListCommandInvocations", {"CommandId": handle.command_id, "MaxResults": PAGE}
    )
    rendered = [e.instance_id for e in entries if e.rendered is not None]
    assert sorted(rendered) == sorted(i["InstanceId"] for i in page["CommandInvocations"])
    assert len(fake.handle("ListCommands", {})["Commands"]) == 1  # from the tally
    assert sum(e.rendered is not None for e in entries) == PAGE
    assert command.drawn is not None  # and the draws of those rendered are let go
    assert sum(node is TAKEN for node in command.drawn.nodes) == PAGE


@settings(max_examples=40)
@given(
    seed=st.integers(0, 2**32),
    statuses=st.dictionaries(
        st.sampled_from(
            [
                "Success",
                "Failed",
                "InProgress",
                "ExecutionTimedOut",
                "Cancelled",
                "Undeliverable",
                "DeliveryTimedOut",
                "Pending",
                "Delayed",
            ]
        ),
        st.integers(1, 4),
        min_size=1,
    ),
    document=st.sampled_from(
        [
            None,
            "AWS-RunShellScript",
            "AWS-RunPatchBaseline",
            "AWS-ConfigureAWSPackage",
            "AWS-RunPowerShellScript",
        ]
    ),
    order=st.randoms(use_true_random=False),
)
def test_invocations_rendered_when_read_are_those_built_at_once(
    seed: int, statuses: dict[str, int], document: str | None, order: Any
) -> None:
    """Rendering in any order, one at a time, gives what rendering all at once gives."""
    import random

    from pytest_ssm_invocations.records.commands import CommandOptions, build_command

    def built() -> Any:
        return build_command(
            random.Random(seed), CommandOptions(statuses=statuses, document=document)
        )

    at_once = built()
    one_by_one = built()
    indexes = list(range(len(one_by_one.nodes)))
    order.shuffle(indexes)
    rendered = {i: one_by_one.render(i) for i in indexes}
    assert [rendered[i] for i in range(len(indexes))] == list(
        zip(at_once.records, at_once.streams, strict=True)
    )


def _cyclic_garbage(release: bool) -> int:
    """How many objects a used fake leaves for the cyclic collector once dropped."""
    import gc

    def use() -> None:
        fake = FakeSSM(seed=1)
        with fake:
            handle = fake.add_command(instances=200)
            fake.handle("ListCommandInvocations", {"CommandId": handle.command_id})
        if release:
            fake.release()

    enabled = gc.isenabled()
    gc.disable()
    try:
        use()
        gc.collect()  # what the first use imported or cached
        gc.set_debug(gc.DEBUG_SAVEALL)
        use()
        gc.collect()
        left = len(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    return left


def test_a_released_fake_leaves_its_records_to_reference_counting() -> None:
    assert _cyclic_garbage(release=False) > 500  # the store, records and all
    assert _cyclic_garbage(release=True) < 100  # the fake's own few objects


def test_the_fixture_releases_its_fake_when_the_test_ends(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        kept = []

        def test_one(ssm_invocations):
            ssm_invocations.add_command(instances=5)
            kept.append(ssm_invocations)

        def test_two():
            assert kept[0].store.regions() == []
            assert len(kept[0].calls) == 0
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_threads_reading_the_same_invocations_render_each_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    fake = FakeSSM(seed=9)
    handle = fake.add_command(instances=400)
    entries = fake.store.region(fake.region).commands[handle.command_id].invocations

    def read_all(_: int) -> list[str]:
        return [e.final["InstanceId"] for e in entries]

    with ThreadPoolExecutor(4) as pool:
        seen = list(pool.map(read_all, range(8)))
    assert all(ids == seen[0] for ids in seen)
    assert sorted(seen[0]) == sorted(handle.instance_ids)


def test_a_status_filter_renders_only_the_invocations_it_keeps() -> None:
    fake = FakeSSM(seed=5)
    handle = fake.add_command(instances=5_000, statuses={"Success": 4_500, "Failed": 500})
    entries = fake.store.region(fake.region).commands[handle.command_id].invocations
    query = {"CommandId": handle.command_id, "MaxResults": PAGE,
             "Filters": [{"key": "Status", "value": "Failed"}]}  # fmt: skip
    page = fake.handle("ListCommandInvocations", query)
    assert [i["Status"] for i in page["CommandInvocations"]] == ["Failed"] * PAGE
    assert sum(e.rendered is not None for e in entries) == PAGE
