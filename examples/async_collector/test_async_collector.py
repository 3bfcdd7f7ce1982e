"""Testing an async collector on aiobotocore against the fake SSM, in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiobotocore.session import get_session
from async_collector import FailedNode, collect_failures, failed_nodes

from pytest_ssm_invocations.fake import CommandHandle, FakeSSM

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def ssm() -> AsyncIterator[Any]:
    async with get_session().create_client("ssm", region_name="us-east-1") as client:
        yield client


def expected_failures(handle: CommandHandle) -> list[FailedNode]:
    """The failed nodes as the fake holds them: Status Failed, whatever the details."""
    return [
        FailedNode(
            r["InstanceId"],
            r["StatusDetails"],
            next((p["ResponseCode"] for p in r["CommandPlugins"] if p["Status"] == "Failed"), -1),
        )
        for r in handle.invocations
        if r["Status"] == "Failed"
    ]


async def test_collects_the_failures_of_every_command(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handles = [
        ssm_invocations.add_command(statuses={"Success": 200, "Failed": 70, "Undeliverable": 5}),
        ssm_invocations.add_command(statuses={"Success": 20, "AccessDenied": 1}),
        ssm_invocations.add_command(statuses={"Success": 3}),
    ]
    found = await collect_failures(ssm, [h.command_id for h in handles])
    assert found == {h.command_id: expected_failures(h) for h in handles}
    assert len(found[handles[0].command_id]) == 75  # two pages of the filtered listing


async def test_an_empty_page_with_a_next_token_is_not_the_end(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    handle = ssm_invocations.add_command(statuses={"Success": 30, "Failed": 9})
    ssm_invocations.page_plan(4, 0, 0, 5)  # as a filtered listing may answer
    assert await failed_nodes(ssm, handle.command_id) == expected_failures(handle)
    tokens_in = [c.next_token_in is not None for c in ssm_invocations.calls]
    assert tokens_in == [False, True, True, True]


async def test_throttled_pages_are_retried_without_losing_nodes(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    handle = ssm_invocations.add_command(statuses={"Success": 10, "Failed": 60})
    ssm_invocations.fail("ThrottlingException", page=2, times=2)
    assert await failed_nodes(ssm, handle.command_id) == expected_failures(handle)
    throttled = [c for c in ssm_invocations.calls if c.fault == "ThrottlingException"]
    assert len(throttled) == 2
