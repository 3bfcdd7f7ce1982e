"""A command with many invocations and a status mix."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations import factories
from pytest_ssm_invocations import strategies as ssm_st

from ..consistency import assert_consistent


def test_status_mix_gives_exact_counts_interleaved() -> None:
    records = factories.command(statuses={"Success": 40, "Failed": 5, "Undeliverable": 2}, seed=1)
    assert Counter(r["StatusDetails"] for r in records) == {
        "Success": 40,
        "Failed": 5,
        "Undeliverable": 2,
    }
    order = [r["StatusDetails"] for r in records]
    assert order != sorted(order, key=["Success", "Failed", "Undeliverable"].index)


def test_a_list_of_statuses_is_kept_in_order() -> None:
    records = factories.command(statuses=["Success", "Delivery Timed Out", "Failed"], seed=1)
    assert [r["StatusDetails"] for r in records] == ["Success", "DeliveryTimedOut", "Failed"]


def test_invocations_share_the_commands_fields() -> None:
    when = datetime(2024, 7, 7, tzinfo=timezone.utc)
    records = factories.command(
        instances=12, document="AWS-RunShellScript", requested=when, comment="deploy", seed=3
    )
    for field in ("CommandId", "DocumentName", "Comment", "RequestedDateTime", "DocumentVersion"):
        assert len({str(r[field]) for r in records}) == 1, field
    assert records[0]["RequestedDateTime"] == when
    assert len({r["InstanceId"] for r in records}) == 12


def test_given_instance_ids_are_used_in_order() -> None:
    nodes = ["i-0123456789abcdef0", "mi-0123456789abcdef0"]
    assert [r["InstanceId"] for r in factories.command(instance_ids=nodes, seed=1)] == nodes


def test_the_commands_output_is_shown_only_by_nodes_that_ran() -> None:
    mix = ["Failed", "Undeliverable", "InProgress", "Success"]
    records = factories.command(
        statuses=mix, document="AWS-RunShellScript", stderr="disk full", seed=4
    )
    outputs = [r["CommandPlugins"][0]["Output"] for r in records]
    code = records[0]["CommandPlugins"][0]["ResponseCode"]
    # The script's stderr, then the agent's line for the failed script.
    assert outputs[0].endswith(
        f"----------ERROR-------\ndisk full\nfailed to run commands: exit status {code}"
    )
    assert outputs[1:3] == ["", ""]  # never reached; still running
    assert outputs[3].endswith("disk full")


def test_output_given_for_a_node_that_never_ran_is_an_error() -> None:
    node = "i-0123456789abcdef0"
    with pytest.raises(
        ValueError, match=r"outputs\['i-0123456789abcdef0'\].*Undeliverable never ran"
    ):
        factories.command(
            statuses=["Undeliverable"], instance_ids=[node], outputs={node: ("", "boom")}, seed=1
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"instances": 2, "statuses": {"Success": 3}}, "node counts disagree"),
        ({"instance_ids": ["i-0123456789abcdef0"] * 2}, r"repeat \['i-0123456789abcdef0'\]"),
        ({"statuses": {"Success": -1}}, "must be an int >= 0"),
        ({"instances": -2}, "instances must be an int >= 0"),
        ({"statuses": {"Done": 1}}, "unknown StatusDetails 'Done'"),
    ],
)
def test_bad_commands_are_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        factories.command(seed=1, **kwargs)  # type: ignore[arg-type]


@given(
    mix=st.dictionaries(
        st.sampled_from([c.status_details for c in factories.STATUS_CASES]),
        st.integers(0, 6),
        max_size=5,
    ),
    doc=ssm_st.documents(),
    seed=ssm_st.SEEDS,
)
def test_any_mix_gives_consistent_invocations_of_one_command(
    mix: dict[str, int], doc: Any, seed: int
) -> None:
    records = factories.command(statuses=mix, document=doc, seed=seed)
    assert Counter(r["StatusDetails"] for r in records) == +Counter(mix)
    assert len({r["CommandId"] for r in records}) <= 1
    assert len({r["InstanceId"] for r in records}) == len(records)
    assert {r["DocumentName"] for r in records} <= {doc.name}
    for record in records:
        assert_consistent(record)
