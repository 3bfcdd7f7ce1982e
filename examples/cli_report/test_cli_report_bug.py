"""The kit catches a shell tool that sees only the first page."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against
from test_cli_report import pytestmark as needs_the_aws_cli

pytestmark = needs_the_aws_cli


def test_the_suite_catches_a_tool_that_reads_one_page(pytester: pytest.Pytester) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_cli_report")
    assert run.failed_tests == {
        "test_reports_failed_nodes_with_their_exit_codes",
        "test_failed_nodes_past_the_first_page_are_reported",
    }
    assert run.passed > 0
