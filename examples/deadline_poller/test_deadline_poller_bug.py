"""The kit catches a poller that reports unfinished nodes as done when its deadline passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against


def test_the_suite_catches_a_deadline_taken_for_success(pytester: pytest.Pytester) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_deadline_poller")
    assert run.failed_tests == {"test_a_node_still_running_at_the_deadline_is_an_error"}
    assert run.passed > 0
