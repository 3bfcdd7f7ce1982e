"""Teardown reports that explain: a test that already failed is not failed twice."""

from __future__ import annotations

import pytest


def test_a_failed_test_notes_what_it_left_unused_instead_of_a_second_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_fails_before_paging(ssm_invocations):
            ssm_invocations.page_plan(3, 0)
            ssm_invocations.fail("ThrottlingException", times=2)
            assert False, "the code's own bug"

        @pytest.mark.xfail(reason="known bug", strict=True)
        def test_expected_failure(ssm_invocations):
            ssm_invocations.on_send(statuses=["Failed"])
            raise RuntimeError("known bug")

        def test_passes_but_leaves_a_plan(ssm_invocations):
            ssm_invocations.page_plan(2)
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "-rA")
    result.assert_outcomes(failed=1, xfailed=1, passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*- ssm_invocations: not used up -*",
            "*ListCommandInvocations*",
        ]
    )
    result.stdout.fnmatch_lines(["ERROR *test_passes_but_leaves_a_plan*"])
    out = result.stdout.str()
    assert "ERROR at teardown of test_fails_before_paging" not in out
    assert "ERROR at teardown of test_expected_failure" not in out
    assert "ERROR at teardown of test_passes_but_leaves_a_plan" in out
