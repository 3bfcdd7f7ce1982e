"""The kit catches a poller that mistakes the eventual-consistency window for the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against


def test_the_suite_catches_a_poller_that_trusts_the_first_empty_answer(
    pytester: pytest.Pytester,
) -> None:
    run = run_tests_against(pytester, Path(__file__).parent, "buggy_command_poller")
    assert run.failed_tests == {"test_waits_for_every_node_through_the_lifecycle"}
    assert run.passed > 0
