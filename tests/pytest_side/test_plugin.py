"""The pytest plugin, tested the way pytest plugins are: with pytester."""

from __future__ import annotations

import re

import pytest

pytest_plugins = ["pytester"]

RECORD_TEST = """
    from pytest_ssm_invocations import factories

    def test_record():
        print("RECORD", factories.invocation()["CommandId"])
"""


def _records(result: pytest.RunResult) -> list[str]:
    return re.findall(r"RECORD (\S+)", result.stdout.str())


def test_seed_is_shown_in_the_header(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest("--ssm-seed=1234")
    result.stdout.fnmatch_lines(["ssm-invocations: seed 1234 (replay with --ssm-seed=1234)"])
    result.assert_outcomes(passed=1)


def test_a_random_seed_is_chosen_and_shown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest()
    result.stdout.re_match_lines([r"ssm-invocations: seed \d+ \(replay with --ssm-seed=\d+\)"])


def test_the_seed_replays_the_records(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(RECORD_TEST)
    first = _records(pytester.runpytest("-s", "--ssm-seed=7"))
    again = _records(pytester.runpytest("-s", "--ssm-seed=7"))
    other = _records(pytester.runpytest("-s", "--ssm-seed=8"))
    assert first
    assert first == again
    assert first != other


def test_the_ini_option_seeds_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nssm_invocations_seed = 99\n")
    pytester.makepyfile(RECORD_TEST)
    result = pytester.runpytest("-s")
    result.stdout.fnmatch_lines(["ssm-invocations: seed 99 *"])
    assert _records(result) == _records(pytester.runpytest("-s", "--ssm-seed=99"))


def test_a_bad_ini_seed_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nssm_invocations_seed = abc\n")
    pytester.makepyfile("def test_nothing(): pass")
    result = pytester.runpytest()
    result.stderr.fnmatch_lines(["*ssm_invocations_seed must be an integer, not 'abc'*"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_each_test_gets_its_own_reproducible_generator(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from pytest_ssm_invocations import factories

        def test_a():
            print("RECORD", factories.invocation()["CommandId"])

        def test_b():
            print("RECORD", factories.invocation()["CommandId"])
        """
    )
    both = _records(pytester.runpytest("-s", "--ssm-seed=3", "-p", "no:randomly"))
    only_b = _records(pytester.runpytest("-s", "--ssm-seed=3", "-k", "test_b"))
    assert len(set(both)) == 2
    assert only_b == both[1:]  # independent of which tests ran before


def test_the_marker_fixes_a_tests_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_ssm_invocations import factories

        @pytest.mark.ssm_invocations(seed=5)
        def test_fixed():
            assert factories.invocation() == factories.invocation(seed=5)
        """
    )
    pytester.runpytest("--ssm-seed=1", "--strict-markers").assert_outcomes(passed=1)


def test_status_case_fixture_covers_every_case_with_readable_ids(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        def test_case(ssm_status_case):
            assert ssm_status_case.status_details
        """
    )
    result = pytester.runpytest("-v", "-p", "no:randomly")
    result.assert_outcomes(passed=13)
    result.stdout.fnmatch_lines(
        [
            "*test_case[[]Pending[]] PASSED*",
            "*test_case[[]DeliveryTimedOut[]] PASSED*",
            "*test_case[[]AccessDenied[]] PASSED*",
        ]
    )


def test_status_cases_marker_narrows_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_status_cases(terminal=True)
        def test_terminal(ssm_status_case):
            assert ssm_status_case.terminal

        @pytest.mark.ssm_status_cases("Failed", "Delivery Timed Out")
        def test_named(ssm_status_case):
            pass

        @pytest.mark.ssm_status_cases(terminal=True, reached_node=False)
        def test_never_ran(ssm_status_case):
            assert ssm_status_case.response_codes == (-1,)
        """
    )
    result = pytester.runpytest("-v", "--strict-markers")
    result.assert_outcomes(passed=9 + 2 + 6)
    result.stdout.fnmatch_lines(["*test_named[[]DeliveryTimedOut[]] PASSED*"])


def test_status_cases_marker_rejects_unknown_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_status_cases(final=True)
        def test_x(ssm_status_case):
            pass
        """
    )
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*unknown options [[]'final'[]]*"])
    assert result.ret != 0


def test_fixture_is_listed(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--fixtures")
    result.stdout.fnmatch_lines(["ssm_status_case*", "*Each StatusDetails case in turn*"])


def test_markers_are_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.ssm_invocations*", "@pytest.mark.ssm_status_cases*"])


SUITE = """
import pathlib

import boto3
import pytest

from pytest_ssm_invocations import factories


@pytest.mark.parametrize("n", range(4))
def test_fleet(ssm_invocations, request, n):
    handle = ssm_invocations.add_command(instances=n + 1)
    # The suite's own client, built as a user builds it.
    c = boto3.client("ssm", region_name="us-east-1",
                     aws_access_key_id="a", aws_secret_access_key="b")
    pages = c.get_paginator("list_command_invocations").paginate(
        CommandId=handle.command_id, PaginationConfig={"PageSize": 2})
    assert sum(len(p["CommandInvocations"]) for p in pages) == n + 1
    # What this test drew, for comparing runs: records and the fixture's ids.
    out = pathlib.Path(request.config.rootpath, f"{request.config.option.tag}-{n}.txt")
    out.write_text(factories.invocation()["CommandId"] + " " + handle.command_id)


def test_case(ssm_status_case):
    assert ssm_status_case.status_details
"""
SUITE_TESTS = 4 + 13
TAG_OPTION = "def pytest_addoption(parser):\n    parser.addoption('--tag')\n"


def _drawn(pytester: pytest.Pytester, tag: str) -> list[str]:
    """What each test_fleet[n] of a run tagged ``tag`` drew, by n."""
    return [(pytester.path / f"{tag}-{n}.txt").read_text() for n in range(4)]


def test_xdist_workers_use_the_seed_the_controller_chose(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    pytester.makeconftest(TAG_OPTION)
    pytester.makepyfile(SUITE)
    result = pytester.runpytest("-p", "xdist", "-n", "2", "--tag=xdist")  # no seed given
    result.assert_outcomes(passed=SUITE_TESTS)
    chosen = re.search(r"ssm-invocations: seed (\d+)", result.stdout.str())
    assert chosen, result.stdout.str()
    serial = pytester.runpytest(f"--ssm-seed={chosen[1]}", "--tag=serial", "-p", "no:randomly")
    serial.assert_outcomes(passed=SUITE_TESTS)
    assert _drawn(pytester, "xdist") == _drawn(pytester, "serial")
    assert len(set(_drawn(pytester, "serial"))) == 4


def _order(result: pytest.RunResult) -> list[str]:
    return re.findall(r"::(test_\S+) PASSED", result.stdout.str())


def test_pytest_randomly_order_changes_no_tests_records(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_randomly")
    pytester.makeconftest(TAG_OPTION)
    pytester.makepyfile(SUITE)
    orders = []
    for shuffle in (1, 2):
        result = pytester.runpytest(
            "-v", "-p", "randomly", f"--randomly-seed={shuffle}", "-p", "no:cacheprovider",
            "--ssm-seed=4", f"--tag=shuffle{shuffle}",
        )  # fmt: skip
        result.assert_outcomes(passed=SUITE_TESTS)
        orders.append(_order(result))
    assert orders[0] != orders[1]  # two different orders, and two different global seeds...
    assert sorted(orders[0]) == sorted(orders[1])
    assert _drawn(pytester, "shuffle1") == _drawn(pytester, "shuffle2")  # ...the same records
