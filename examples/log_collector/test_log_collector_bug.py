"""The kit catches a collector that trusts GetCommandInvocation's cut copy of stdout."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against


def test_the_suite_catches_a_collector_that_reads_the_cut_copy(pytester: pytest.Pytester) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_log_collector")
    assert run.failed_tests == {
        "test_the_whole_log_of_every_node_is_collected",
        "test_a_failed_command_is_reported_with_what_the_nodes_printed",
    }
