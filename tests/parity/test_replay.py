"""The replay on its own: ids swapped in one pass, and the guards of a replay on real nodes."""

from __future__ import annotations

from typing import Any

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.parity.replay import replay, swapped
from pytest_ssm_invocations.parity.snapshots import parse

from ..conftest import active, client

A, B = "i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"
SHORT, LONG = "i-12345678", "i-12345678abcdef012"


def test_ids_swapped_for_each_other_come_out_right() -> None:
    assert swapped({"InstanceIds": [A, B], "Comment": f"{A} {B}"}, {A: B, B: A}) == {
        "InstanceIds": [B, A], "Comment": f"{B} {A}",
    }  # fmt: skip


def test_an_id_that_begins_a_longer_one_leaves_the_longer_one_alone() -> None:
    assert swapped([SHORT, LONG], {SHORT: A, LONG: B}) == [A, B]


def scenario(request: dict[str, Any], **extra: Any) -> Any:
    return parse({
        "title": "t", "source": "s", "date": "2026-12-01",
        "nodes": [{"InstanceId": A}], **extra,
        "steps": [{"operation": "SendCommand", "request": request}],
    }, scenario=True)  # fmt: skip


SHELL = {"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["uptime"]}}


def test_on_real_nodes_a_send_may_reach_only_the_nodes_given() -> None:
    fake = FakeSSM()
    fake.add_instances(instance_ids=[A, B], tags={"Role": "web"})
    with active(fake):
        by_tag = replay(scenario({"Targets": [{"Key": "tag:Role", "Values": ["web"]}], **SHELL}),
                        client(), nodes=[A], guarded=True)  # fmt: skip
        other = replay(scenario({"InstanceIds": [A, B], **SHELL}), client(), nodes=[A],
                       guarded=True)  # fmt: skip
        mine = replay(scenario({"InstanceIds": [A], **SHELL}), client(), nodes=[A], guarded=True)
    assert "a SendCommand would reach [{'Key': 'tag:Role'" in by_tag.failed
    assert f"would reach ['{B}']" in other.failed
    assert len(fake.sent) == 1  # only the one to the node given went out
    assert not mine.failed


def test_a_replay_that_stops_early_cancels_what_it_sent_to_real_nodes() -> None:
    fake = FakeSSM()
    fake.add_instances(instance_ids=[A])
    fake.on_send(statuses=["InProgress"])
    waited = parse({
        "title": "t", "source": "s", "date": "2026-12-01", "nodes": [{"InstanceId": A}],
        "steps": [{"operation": "SendCommand", "request": {"InstanceIds": [A], **SHELL}},
                  {"operation": "ListCommands", "after": "finished", "request": {}}],
    }, scenario=True)  # fmt: skip
    with active(fake):
        result = replay(waited, client(), nodes=[A], guarded=True, patience_s=60,
                        sleep=lambda s: fake.clock.advance(seconds=s))  # fmt: skip
        fake.clock.advance(seconds=5)
        (command,) = client().list_commands()["Commands"]
    assert result.failed == "step 1: the command did not finish in 60 s"
    assert command["Status"] == "Cancelled"
