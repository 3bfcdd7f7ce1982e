"""``@pytest.mark.ssm_status_cases``: what it selects; mistakes fail the test, never skip it."""

from __future__ import annotations

import pytest


def test_names_as_arguments_or_one_tuple_or_list(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_status_cases("Failed", "Undeliverable")
        def test_arguments(ssm_status_case):
            pass

        @pytest.mark.ssm_status_cases(("Failed", "Undeliverable"))
        def test_tuple(ssm_status_case):
            pass

        @pytest.mark.ssm_status_cases(["Failed", "Delivery Timed Out"], terminal=True)
        def test_list_narrowed(ssm_status_case):
            pass
        """
    )
    result = pytester.runpytest("-v", "-p", "no:randomly")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(
        ["*test_tuple[[]Undeliverable[]] PASSED*", "*test_list_narrowed[[]DeliveryTimedOut[]]*"]
    )


BAD_MARKERS = {
    'terminal="yes"': "terminal must be True, False or None, not 'yes'",
    "reached_node=1": "reached_node must be True, False or None, not 1",
    '"Success", terminal=False': "selects no case: ssm_status_cases('Success', terminal=False)*",
    '"Sucess"': "unknown StatusDetails 'Sucess' (did you mean 'Success'?); valid values: *",
    "final=True": "unknown options [[]'final'[]]; valid: StatusDetails names*terminal=*",
}


def test_a_bad_marker_fails_that_test_alone_naming_the_valid_values(
    pytester: pytest.Pytester,
) -> None:
    bad = "".join(
        f"@pytest.mark.ssm_status_cases({marker})\ndef test_bad_{n}(ssm_status_case):\n    pass\n\n"
        for n, marker in enumerate(BAD_MARKERS)
    )
    pytester.makepyfile(
        f"import pytest\n\n{bad}"
        '@pytest.mark.ssm_status_cases("Success")\n'
        "def test_good(ssm_status_case):\n    pass\n\n"
        "def test_other():\n    pass\n"
    )
    result = pytester.runpytest("-v", "-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=len(BAD_MARKERS))
    for n, message in enumerate(BAD_MARKERS.values()):
        result.stdout.fnmatch_lines(
            [
                f"*ERROR at setup of test_bad_{n}[[]bad-marker[]]*",
                f"ssm_status_cases marker*{message}",
            ]
        )
    result.stdout.no_fnmatch_line("*Traceback*")


def test_an_empty_selection_names_each_cases_flags(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_status_cases("Pending", terminal=True)
        def test_nothing_left(ssm_status_case):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*Pending (-)*Success (terminal/reached)*"])


def test_a_case_equals_its_status_details_string(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_case(ssm_status_case):
            assert ssm_status_case == ssm_status_case.status_details
            assert ssm_status_case != "Nothing"
            assert {ssm_status_case: 1}[str(ssm_status_case)] == 1
            if ssm_status_case == "Success":
                assert ssm_status_case.response_codes == (0,)
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=13)
