"""The kit catches a hand-rolled NextToken loop that stops at the first empty page."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against


def test_the_suite_catches_a_loop_that_stops_at_an_empty_page(pytester: pytest.Pytester) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_async_collector")
    assert run.failed_tests == {"test_an_empty_page_with_a_next_token_is_not_the_end"}
    assert run.passed == 2
