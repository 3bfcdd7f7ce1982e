"""The kit catches a report that reads only the first page."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against


def test_the_suite_catches_a_report_that_reads_only_the_first_page(
    pytester: pytest.Pytester,
) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_fleet_report")
    assert run.failed_tests == {"test_report_reads_every_page"}
    assert run.passed > 0
