"""Paging modes: pages that look like AWS's (boto3 issues 2643 and 3791), without losing items.

boto3 issue 2643: an account-wide ``Status`` filter answered empty lists plus a
NextToken for ~15 s; boto3 issue 3791: 34 of 45 items on page 1 with
MaxResults 50, plus a NextToken.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.service.filters import parse_instant
from pytest_ssm_invocations.service.paging import PAGING_MODES

FAILED = [{"key": "Status", "value": "Failed"}]


def _fleet(seed: int, paging: str, nodes: int = 120) -> tuple[FakeSSM, str]:
    fake = FakeSSM(seed=seed, paging=paging)
    handle = fake.add_command(statuses={"Success": nodes - nodes // 3, "Failed": nodes // 3})
    fake.add_command(statuses={"Failed": 7, "Success": 3})
    return fake, handle.command_id


def _walk(fake: FakeSSM, operation: str = "ListCommandInvocations", **query: Any) -> list[Any]:
    """Every page of the chain, as (items, token) pairs."""
    key = "CommandInvocations" if operation == "ListCommandInvocations" else "Commands"
    pages = []
    while True:
        page = fake.handle(operation, dict(query))
        pages.append((page[key], page.get("NextToken")))
        if "NextToken" not in page:
            return pages
        query["NextToken"] = page["NextToken"]


def _sizes(pages: list[Any]) -> list[int]:
    return [len(items) for items, _ in pages]


def test_exact_fills_every_page() -> None:
    fake, _ = _fleet(1, "exact")
    assert _sizes(_walk(fake, Filters=FAILED, MaxResults=10)) == [10, 10, 10, 10, 7]


def test_aws_gives_account_wide_filtered_queries_short_and_empty_pages() -> None:
    shapes = []
    for seed in range(30):
        fake, _ = _fleet(seed, "aws")
        shapes.append(_sizes(_walk(fake, Filters=FAILED, MaxResults=10)))
    assert all(sum(s) == 47 for s in shapes)
    assert any(0 in s[:-1] for s in shapes)  # an empty page that still carried a token
    assert any(0 < n < 10 for s in shapes for n in s[:-1])  # a short page that was not the last
    assert any(s[-1] == 0 and s[-2] > 0 for s in shapes)  # the last items, then an empty page
    # aws: at least half of MaxResults, but for the last items
    assert all(n == 0 or n >= 5 for s in shapes for n in s[:-2])


@pytest.mark.parametrize(
    "query",
    [{}, {"Filters": FAILED, "CommandId": None}, {"CommandId": None}, {"Details": True}],
    ids=["unfiltered", "filtered-command", "command", "details"],
)
def test_aws_gives_other_queries_full_pages(query: dict[str, Any]) -> None:
    for seed in range(10):
        fake, command_id = _fleet(seed, "aws")
        params = {k: (command_id if v is None else v) for k, v in query.items()}
        sizes = _sizes(_walk(fake, MaxResults=10, **params))
        assert all(n == 10 for n in sizes[:-1])
        assert 0 < sizes[-1] <= 10


def test_aws_gives_list_commands_full_pages() -> None:
    fake = FakeSSM(seed=3, paging="aws")
    for _ in range(12):
        fake.add_command(instances=1)
    sizes = _sizes(_walk(fake, "ListCommands", MaxResults=5, Filters=[
        {"key": "DocumentName", "value": "AWS-RunShellScript"}]))  # fmt: skip
    assert sizes == [5, 5, 2]


def test_chaos_shapes_every_query_with_empty_pages_included() -> None:
    shapes = [_sizes(_walk(_fleet(seed, "chaos")[0], MaxResults=20)) for seed in range(20)]
    assert all(sum(s) == 130 for s in shapes)
    assert any(0 in s[:-1] for s in shapes)
    assert all(any(n < 20 for n in s[:-1]) for s in shapes if len(s) > 1)
    commands = FakeSSM(seed=4, paging="chaos")
    for _ in range(30):
        commands.add_command(instances=1)
    assert _sizes(_walk(commands, "ListCommands", MaxResults=10)) != [10, 10, 10]


@pytest.mark.parametrize("seed", range(40))
def test_chaos_answers_a_query_of_one_item_whole(seed: int) -> None:
    fake, command_id = _fleet(seed, "chaos", nodes=3)
    # No such node: one empty, final page.
    assert _walk(fake, CommandId=command_id, InstanceId="i-0123456789abcdef0") == [([], None)]
    instance_id = fake.store.region("us-east-1").commands[command_id].invocations[0].instance_id
    (one,) = _walk(fake, CommandId=command_id, InstanceId=instance_id)
    assert len(one[0]) == 1
    assert one[1] is None
    (command,) = _walk(fake, "ListCommands", CommandId=command_id)
    assert len(command[0]) == 1
    assert command[1] is None


def test_a_page_plan_wins_over_the_mode() -> None:
    fake, command_id = _fleet(5, "chaos")
    fake.page_plan(3, 0, 4)
    pages = _walk(fake, CommandId=command_id, MaxResults=50)
    assert _sizes(pages)[:3] == [3, 0, 4]
    assert sum(_sizes(pages)) == 120


def test_the_mode_follows_the_seed_not_the_call_count() -> None:
    one, _ = _fleet(6, "chaos")
    other, _ = _fleet(6, "chaos")
    other.handle("ListCommands", {})  # more calls before the walk change nothing
    assert _sizes(_walk(one, MaxResults=7)) == _sizes(_walk(other, MaxResults=7))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    mode=st.sampled_from(PAGING_MODES),
    max_results=st.integers(1, 50),
    filtered=st.booleans(),
)
def test_no_item_is_lost_or_repeated_and_a_page_asked_again_is_the_same(
    seed: int, mode: str, max_results: int, filtered: bool
) -> None:
    fake, _ = _fleet(seed, mode, nodes=60)
    query: dict[str, Any] = {"MaxResults": max_results}
    if filtered:
        query["Filters"] = FAILED
    pages = _walk(fake, **query)
    seen = [(i["CommandId"], i["InstanceId"]) for items, _ in pages for i in items]
    expected = [
        (r["CommandId"], r["InstanceId"])
        for e in fake.store.region("us-east-1").ordered
        for r in [e.final]
        if not filtered or r["Status"] == "Failed"
    ]
    assert seen == expected
    with_items = [n for n, (items, _) in enumerate(pages) if items]
    assert len(pages) - 1 - max(with_items, default=0) <= 1  # at most one empty page after
    for n, (_, token) in enumerate(pages[:-1]):
        again = fake.handle("ListCommandInvocations", {**query, "NextToken": token})
        assert again["CommandInvocations"] == pages[n + 1][0]
        assert again.get("NextToken") == pages[n + 1][1]


def test_an_unknown_mode_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"'wild'.*exact, aws, chaos"):
        FakeSSM(paging="wild")
    fake = FakeSSM()
    assert fake.paging == "aws"
    fake.paging = "exact"
    assert fake.paging == "exact"
    with pytest.raises(ValueError, match="exact, aws, chaos"):
        fake.paging = "full"


# -- the pytest side ------------------------------------------------------------

_PROBE = """
import pytest

def test_default(ssm_invocations):
    print("MODE", ssm_invocations.paging)

@pytest.mark.ssm_invocations(paging="exact")
def test_marked(ssm_invocations):
    print("MODE", ssm_invocations.paging)
"""


def _modes(result: pytest.RunResult) -> list[str]:
    return re.findall(r"MODE (\w+)", result.stdout.str())


def test_run_option_ini_and_marker_choose_the_mode(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(_PROBE)
    result = pytester.runpytest("-s", "-p", "no:randomly", "--ssm-seed=5")
    assert _modes(result) == ["aws", "exact"]
    result.stdout.fnmatch_lines(["ssm-invocations: paging aws, pages seeded by 5 *"])
    result = pytester.runpytest("-s", "-p", "no:randomly", "--ssm-paging=chaos", "--ssm-seed=5")
    assert _modes(result) == ["chaos", "exact"]
    result.stdout.fnmatch_lines([
        "ssm-invocations: paging chaos, pages seeded by 5 "
        "(replay with --ssm-paging=chaos --ssm-seed=5)"
    ])  # fmt: skip
    pytester.makeini("[pytest]\nssm_invocations_paging = exact\n")
    assert _modes(pytester.runpytest("-s", "-p", "no:randomly")) == ["exact", "exact"]


def test_bad_modes_are_usage_errors(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_invocations(paging="full")
        def test_it(ssm_invocations):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.stdout.fnmatch_lines(["*paging='full'; valid: exact, aws, chaos*"])
    assert result.ret != 0
    result = pytester.runpytest("-p", "no:randomly", "--ssm-paging=full")
    result.stderr.fnmatch_lines(["*invalid choice: 'full'*"])
    pytester.makeini("[pytest]\nssm_invocations_paging = full\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.stderr.fnmatch_lines(["*ssm_invocations_paging must be one of exact, aws, chaos*"])


def test_a_module_wide_paging_merges_with_a_tests_own_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.ssm_invocations(paging="chaos")

        @pytest.mark.ssm_invocations(strict=False)
        def test_it(ssm_invocations):
            print("MODE", ssm_invocations.paging)
        """
    )
    assert _modes(pytester.runpytest("-s", "-p", "no:randomly")) == ["chaos"]


@pytest.mark.parametrize("mode", ["aws", "chaos"])
def test_page_sizes_do_not_follow_the_real_clock_through_a_time_filter(mode: str) -> None:
    """An ``InvokedAfter`` of now minus a day differs from one run to the next; the
    pages' sizes must not (their tokens are bound to the query, so they differ)."""
    sizes = []
    for now in ("2025-05-31T10:00:00Z", "2025-05-31T10:00:01Z", "2025-05-31T23:59:59Z"):
        fake, _ = _fleet(4, mode)  # its commands sent at 2025-06-01T00:00:00Z
        day_before = (parse_instant(now) - 86_400_000) // 1000
        after = datetime.fromtimestamp(day_before, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        pages = _walk(fake, Filters=[{"key": "InvokedAfter", "value": after}], MaxResults=10)
        sizes.append([len(items) for items, _ in pages])
    assert sizes[0] == sizes[1] == sizes[2]
    assert sum(sizes[0]) == 130  # nothing lost
    assert len(set(sizes[0])) > 1  # and shaped
