"""A test's NextTokens and page shapes follow from the seed and the test's id alone.

Serially, and under pytest-randomly with two pytest-xdist workers (another order,
other tests before each in its process), the same ``--ssm-seed`` gives every test
the same NextToken bytes and the same page sizes, even for a query whose
``InvokedAfter`` the test computes from the real clock.
"""

from __future__ import annotations

import pytest

SUITE = """
import pathlib
from datetime import datetime, timedelta, timezone

import pytest

from pytest_ssm_invocations.fake import FakeSSM


@pytest.mark.parametrize("n", range(6))
def test_tokens(ssm_invocations, request, n):
    for _ in range(n % 3):  # other fakes of the bare seed, built first
        FakeSSM(seed=4).add_command(instances=1)
    own = FakeSSM(seed=4)  # a fake of the test's own, as suites build them
    tokens = []
    for fake in (ssm_invocations, own):
        fake.add_command(instances=n + 2)
        page = fake.handle("ListCommandInvocations", {"MaxResults": 1})
        tokens.append(page["NextToken"])
    # A query carrying the real clock, under the default paging mode.
    ssm_invocations.add_command(instances=60, requested=datetime(2030, 1, 1, tzinfo=timezone.utc))
    day_ago = datetime.now(timezone.utc) - timedelta(days=1)
    query = {"Filters": [{"key": "InvokedAfter", "value": day_ago.strftime("%Y-%m-%dT%H:%M:%SZ")}]}
    sizes = []
    while True:
        page = ssm_invocations.handle("ListCommandInvocations", query)
        sizes.append(str(len(page["CommandInvocations"])))
        if "NextToken" not in page:
            break
        query["NextToken"] = page["NextToken"]
    out = pathlib.Path(request.config.rootpath, f"{request.config.option.tag}-{n}.txt")
    out.write_text(" ".join(tokens) + " " + ",".join(sizes))
"""
TAG_OPTION = "def pytest_addoption(parser):\n    parser.addoption('--tag')\n"


def _seen(pytester: pytest.Pytester, tag: str) -> list[str]:
    return [(pytester.path / f"{tag}-{n}.txt").read_text() for n in range(6)]


def test_tokens_and_page_sizes_are_the_same_serially_and_shuffled_on_two_workers(
    pytester: pytest.Pytester,
) -> None:
    pytest.importorskip("xdist")
    pytest.importorskip("pytest_randomly")
    pytester.makeconftest(TAG_OPTION)
    pytester.makepyfile(SUITE)
    serial = pytester.runpytest("--ssm-seed=4", "--tag=serial", "-p", "no:randomly")
    serial.assert_outcomes(passed=6)
    shuffled = pytester.runpytest(
        "-p", "xdist", "-n", "2", "-p", "randomly", "--randomly-seed=2", "-p", "no:cacheprovider",
        "--ssm-seed=4", "--tag=shuffled",
    )  # fmt: skip
    shuffled.assert_outcomes(passed=6)
    assert _seen(pytester, "shuffled") == _seen(pytester, "serial")
    fixtures = [line.split()[0] for line in _seen(pytester, "serial")]
    assert len(set(fixtures)) == 6  # the fixture's secret follows the test's id
    assert all(len(set(line.split()[:2])) == 2 for line in _seen(pytester, "serial"))
    assert any(len(set(line.split()[2].split(","))) > 1 for line in _seen(pytester, "serial"))
