"""The kit catches the exit-code bug that hand-written dicts hide."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against


def test_the_suite_catches_nodes_that_never_ran_counted_as_compliant(
    pytester: pytest.Pytester,
) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_compliance_report")
    assert run.failed_tests == {
        "test_every_case_lands_in_exactly_one_bucket",
        "test_a_node_the_check_never_reached_is_never_compliant",
        "test_non_compliant_nodes_carry_the_exit_code_of_the_broken_rule",
    }
    assert "test_every_case_lands_in_exactly_one_bucket[Undeliverable]" in run.failed
    assert run.passed > 0
