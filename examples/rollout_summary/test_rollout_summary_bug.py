"""The whole suite, unedited, catches the short-page bug once the pages look like AWS's.

With full pages (``--ssm-paging=exact``) the buggy loop passes every test;
with ``--ssm-paging=chaos`` every query gets seeded short and empty pages
carrying a NextToken, and the tests that read more than two pages fail
whatever the seed (the 7-node one only when its single page comes short).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_runs import run_tests_against

FOLDER = Path(__file__).parent


def test_full_pages_let_the_bug_through(pytester: pytest.Pytester) -> None:
    run = run_tests_against(pytester, FOLDER, "buggy_rollout_summary", "--ssm-paging=exact")
    assert run.failed_tests == set()
    assert run.passed == 3


def test_chaos_paging_catches_it_without_editing_the_suite(pytester: pytest.Pytester) -> None:
    run = run_tests_against(
        pytester, FOLDER, "buggy_rollout_summary", "--ssm-paging=chaos", "--ssm-seed=20260219"
    )
    multi_page = {"test_counts_every_node_of_a_large_rollout", "test_asks_for_full_pages"}
    assert multi_page <= run.failed_tests <= multi_page | {"test_counts_a_small_rollout"}
