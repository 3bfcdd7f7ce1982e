"""The kit catches a roll-out that waits only for the instance ids the send response lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against


def test_the_suite_catches_waiting_for_the_send_responses_instance_ids(
    pytester: pytest.Pytester,
) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_fleet_rollout")
    assert run.failed_tests == {
        "test_reports_the_failed_nodes_and_stops_at_max_errors",
        "test_cancels_at_the_deadline",
        "test_an_offline_node_times_out",
    }
    assert run.passed > 0
