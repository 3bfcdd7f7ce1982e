"""Testing an output parser on outputs cut and split exactly as the SSM agent does."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from disk_usage import fleet_disk_usage, parse_output
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import factories
from pytest_ssm_invocations.fake import FakeSSM

HEADER = "Filesystem     1024-blocks      Used Available Capacity Mounted on"
STALE = "df: /mnt/shared: Stale file handle"


def df(mounts: dict[str, int]) -> str:
    """What ``df -P`` prints for these mount points and their Capacity."""
    rows = [HEADER]
    for n, (mount, percent) in enumerate(mounts.items()):
        total = 8_388_608 * (n + 1)
        used = total * percent // 100
        rows.append(
            f"/dev/nvme{n}n1 {total:>12} {used:>10} {total - used:>10} {percent:>7}% {mount}"
        )
    return "\n".join(rows) + "\n"


def many_mounts(n: int) -> dict[str, int]:
    return {f"/var/lib/containers/storage/overlay/{k:04d}": k % 101 for k in range(n)}


def _output(stdout: str, stderr: str = "", status: str = "Success") -> str:
    record = factories.plugin(
        status=status,
        document="AWS-RunShellScript",
        stdout=stdout,
        stderr=stderr,
        response_code=1 if status == "Failed" else None,
    )
    return record["Output"]


def test_a_short_report_is_read_whole() -> None:
    mounts = {"/": 41, "/boot/efi": 3, "/var/log": 97}
    usage = parse_output(_output(df(mounts)))
    assert usage.used_percent == mounts
    assert usage.complete
    assert usage.errors == []


#: What the SSM agent adds to the stderr of a shell script that failed (its runscript).
AGENT_LINE = "failed to run commands: exit status 1"


def test_stderr_is_reported_apart_from_the_rows() -> None:
    mounts = {"/": 41, "/data": 12}
    usage = parse_output(_output(df(mounts), STALE, status="Failed"))  # df exits 1
    assert usage.used_percent == mounts
    assert usage.errors == [STALE, AGENT_LINE]


def test_a_cut_output_keeps_only_whole_rows_and_says_so() -> None:
    mounts = many_mounts(40)
    output = _output(df(mounts))
    assert "---Output truncated---" in output  # the agent kept 2500 characters
    usage = parse_output(output)
    assert not usage.complete
    assert usage.used_percent.items() < mounts.items()


MOUNT_NAMES = st.from_regex(r"[a-z0-9_.-]{0,30}", fullmatch=True)
DF_ERRORS = st.from_regex(r"df: [a-z/]{1,30}: [A-Za-z ]{1,30}", fullmatch=True)


def mount_tables(max_size: int) -> st.SearchStrategy[dict[str, int]]:
    """Mount points with their Capacity; sizes spread evenly, so the agent often cuts."""
    rows = st.tuples(MOUNT_NAMES, st.integers(0, 100))
    return st.integers(0, max_size).flatmap(
        lambda n: st.lists(rows, min_size=n, max_size=n).map(
            lambda drawn: {f"/mnt/{i}/{name}": percent for i, (name, percent) in enumerate(drawn)}
        )
    )


# Tables of up to 80 mounts and 60 errors are large on purpose (the agent must cut
# them); on a busy machine drawing them can trip Hypothesis's too_slow health check.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(mounts=mount_tables(max_size=80), stderr=st.lists(DF_ERRORS, max_size=60))
def test_whatever_the_agent_cuts_no_row_is_invented(
    mounts: dict[str, int], stderr: list[str]
) -> None:
    output = _output(df(mounts), "\n".join(stderr), status="Failed" if stderr else "Success")
    usage = parse_output(output)
    assert usage.used_percent.items() <= mounts.items()
    if usage.complete:
        assert usage.used_percent == mounts
    else:
        assert "---Output truncated---" in output
    printed = [*stderr, AGENT_LINE] if stderr else []  # the agent's line after df's own
    if "---Error truncated----" in output:
        assert set(usage.errors) < set(printed)
    else:
        assert usage.errors == printed


@pytest.fixture
def ssm() -> Any:
    return boto3.client("ssm", region_name="us-east-1")


def test_cut_nodes_are_read_again_in_full(ssm_invocations: FakeSSM, ssm: Any) -> None:
    big, small = many_mounts(150), {"/": 41}
    nodes = [f"i-{n:017x}" for n in range(4)]
    printed = {node: big if i % 2 else small for i, node in enumerate(nodes)}
    handle = ssm_invocations.add_command(
        instance_ids=nodes, outputs={node: (df(mounts), "") for node, mounts in printed.items()}
    )
    report = fleet_disk_usage(ssm, handle.command_id)
    assert {node: usage.used_percent for node, usage in report.items()} == printed
    assert all(u.complete for u in report.values())
    fetched = [c.params["InstanceId"] for c in ssm_invocations.calls_to("GetCommandInvocation")]
    assert fetched == [node for node in nodes if printed[node] is big]  # only the cut ones


def test_a_report_beyond_what_the_service_keeps_stays_incomplete(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    huge = many_mounts(400)  # more than GetCommandInvocation's 24000 characters
    handle = ssm_invocations.add_command(instances=1, stdout=df(huge))
    (usage,) = fleet_disk_usage(ssm, handle.command_id).values()
    assert not usage.complete
    assert usage.used_percent.items() < huge.items()
    whole_rows = df(huge)[:24000].count("\n") - 1  # all that GetCommandInvocation showed
    assert len(usage.used_percent) == whole_rows
