"""The status catalogue and the command rollup, held to rows written from AWS's documents.

The rows (``status_rows``) are literal; the catalogue is compared with them
and with botocore's enums, and the rollup is read through ListCommands.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_ssm_invocations import STATUS_CASES, FakeSSM

from ..status_rows import ROLLUP_ROWS, STATUS_ROWS


def test_the_catalogue_is_the_user_guide_s_table() -> None:
    catalogued = {
        c.status_details: (
            c.status, c.plugin_status, c.terminal, c.counts_against_max_errors, c.reached_node
        )
        for c in STATUS_CASES
    }  # fmt: skip
    assert catalogued == {detail: tuple(row) for detail, row in STATUS_ROWS.items()}


def test_the_rows_use_botocore_s_wire_values(ssm_model: Any) -> None:
    invocation = set(ssm_model.shape_for("CommandInvocationStatus").enum)
    plugin = set(ssm_model.shape_for("CommandPluginStatus").enum)
    assert {row.status for row in STATUS_ROWS.values()} <= invocation
    assert {row.plugin_status for row in STATUS_ROWS.values()} <= plugin
    # Every invocation Status AWS sends has a case.
    assert invocation == {row.status for row in STATUS_ROWS.values()}


@pytest.mark.parametrize(
    ("given", "expected"), ROLLUP_ROWS, ids=[f"{m}-{e}" for (m, e), _ in ROLLUP_ROWS]
)
def test_list_commands_rolls_up_as_the_guide_says(
    ssm_invocations: FakeSSM,
    ssm: Any,
    given: tuple[dict[str, int], str],
    expected: tuple[str, str, int, int, int],
) -> None:
    mix, max_errors = given
    handle = ssm_invocations.add_command(statuses=mix, max_errors=max_errors)
    (command,) = ssm.list_commands(CommandId=handle.command_id)["Commands"]
    shown = (
        command["Status"], command["StatusDetails"], command["CompletedCount"],
        command["ErrorCount"], command["DeliveryTimedOutCount"],
    )  # fmt: skip
    assert shown == expected
    assert command["TargetCount"] == sum(mix.values())
