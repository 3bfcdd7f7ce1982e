"""The kit catches a parser that ignores the agent's truncation markers."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against


def test_the_suite_catches_a_parser_that_ignores_output_truncated(
    pytester: pytest.Pytester,
) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_disk_usage")
    assert run.failed_tests == {
        "test_stderr_is_reported_apart_from_the_rows",
        "test_a_cut_output_keeps_only_whole_rows_and_says_so",
        "test_whatever_the_agent_cuts_no_row_is_invented",
        "test_cut_nodes_are_read_again_in_full",
        "test_a_report_beyond_what_the_service_keeps_stays_incomplete",
    }
    assert run.passed == 1  # a short, clean output: the only case hand-written dicts show
