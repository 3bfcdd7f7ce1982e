"""aiobotocore clients get the same fake: calls, async paginators, waiters, errors, retries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from pytest_ssm_invocations.fake import FakeSSM

aiobotocore_session = pytest.importorskip("aiobotocore.session")
pytestmark = pytest.mark.asyncio


def _client(**config: Any) -> Any:
    """An aiobotocore client: the async form is the point of this module, not ``client()``."""
    from aiobotocore.config import AioConfig

    return aiobotocore_session.get_session().create_client(
        "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b",
        config=AioConfig(**config) if config else None,
    )  # fmt: skip


async def test_async_paginator_reads_every_page(ssm_invocations: FakeSSM) -> None:
    nodes = [f"i-0f00000000000{n:04d}" for n in range(11)]
    handle = ssm_invocations.add_command(statuses={"Success": 9, "Failed": 2}, instance_ids=nodes)
    async with _client() as client:
        paginator = client.get_paginator("list_command_invocations")
        items = [
            item
            async for page in paginator.paginate(
                CommandId=handle.command_id, Details=True, PaginationConfig={"PageSize": 4}
            )
            for item in page["CommandInvocations"]
        ]
    assert [i["InstanceId"] for i in items] == nodes
    assert items[0]["RequestedDateTime"].tzinfo is not None
    assert [c.returned for c in ssm_invocations.calls] == [4, 4, 3]


async def test_async_errors_are_modelled_exceptions(ssm_invocations: FakeSSM) -> None:
    async with _client() as client:
        with pytest.raises(client.exceptions.InvalidNextToken):
            await client.list_command_invocations(NextToken="garbage")
        with pytest.raises(client.exceptions.InvalidFilterKey):
            await client.list_command_invocations(
                Filters=[{"key": "ExecutionStage", "value": "Executing"}]
            )


async def test_async_retries_throttling_without_sleeping(ssm_invocations: FakeSSM) -> None:
    handle = ssm_invocations.add_command(instances=6)
    ssm_invocations.fail("ThrottlingException", page=2, times=2)
    start = ssm_invocations.clock.now
    async with _client(retries={"mode": "standard", "max_attempts": 4}) as client:
        paginator = client.get_paginator("list_command_invocations")
        pages = paginator.paginate(CommandId=handle.command_id, PaginationConfig={"PageSize": 4})
        items = [i async for page in pages for i in page["CommandInvocations"]]
    assert len(items) == 6
    assert ssm_invocations.clock.now > start  # the backoff went to the fake clock


async def test_async_waiter_and_get_command_invocation(ssm_invocations: FakeSSM) -> None:
    handle = ssm_invocations.add_command(statuses=["Success"], progress="poll", invisible_for=1)
    start = ssm_invocations.clock.now
    async with _client() as client:
        waiter = client.get_waiter("command_executed")
        await waiter.wait(CommandId=handle.command_id, InstanceId=handle.instance_ids[0])
        detail = await client.get_command_invocation(
            CommandId=handle.command_id, InstanceId=handle.instance_ids[0]
        )
    assert detail["Status"] == "Success"
    assert ssm_invocations.clock.now - start == timedelta(seconds=15)  # 3 waits of 5 s


async def test_async_list_commands(ssm_invocations: FakeSSM) -> None:
    ssm_invocations.add_command(statuses={"Success": 2, "Failed": 1})
    async with _client() as client:
        command = (await client.list_commands())["Commands"][0]
    assert (command["Status"], command["ErrorCount"]) == ("Failed", 1)


async def test_async_adaptive_retries_wait_on_the_fake_clock(ssm_invocations: FakeSSM) -> None:
    ssm_invocations.fail("ThrottlingException", times=3)
    async with _client(retries={"mode": "adaptive", "max_attempts": 6}) as client:
        await client.list_command_invocations()  # throttled three times: the limiter slows down
        after_retries = ssm_invocations.clock.now_ms
        for _ in range(3):
            await client.list_command_invocations()
    assert ssm_invocations.clock.now_ms - after_retries >= 1000


async def test_async_send_wait_and_cancel(ssm_invocations: FakeSSM) -> None:
    nodes = ssm_invocations.add_instances(3, tags={"Role": "batch"})
    ssm_invocations.on_send(statuses=["Success", "Failed", "InProgress"])
    async with _client() as client:
        sent = await client.send_command(
            Targets=[{"Key": "tag:Role", "Values": ["batch"]}], MaxErrors="1",
            DocumentName="AWS-RunShellScript", Parameters={"commands": ["./job.sh"]},
        )  # fmt: skip
        command_id = sent["Command"]["CommandId"]
        await client.get_waiter("command_executed").wait(CommandId=command_id, InstanceId=nodes[0])
        await client.cancel_command(CommandId=command_id, InstanceIds=[nodes[2]])
        ssm_invocations.clock.advance(hours=1)  # whatever node 1 took, it is over
        page = await client.list_command_invocations(CommandId=command_id)
        nodes_info = await client.describe_instance_information()
    assert [i["StatusDetails"] for i in page["CommandInvocations"]] == [
        "Success", "Failed", "Cancelled",
    ]  # fmt: skip
    assert [i["InstanceId"] for i in nodes_info["InstanceInformationList"]] == nodes


async def test_aiobotocore_imported_after_the_fake_sleeps_on_its_clock() -> None:
    """The fake no longer imports aiobotocore (a fifth of a second); once imported, it is
    patched before its first retry: here in a fresh interpreter, where it is not loaded yet."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import asyncio, sys
        from pytest_ssm_invocations import FakeSSM

        async def main():
            with FakeSSM(seed=1) as fake:
                assert "aiobotocore" not in sys.modules
                import aiobotocore.session
                from aiobotocore.config import AioConfig

                fake.fail("ThrottlingException", operation="ListCommands", times=3)
                before = fake.clock.now
                async with aiobotocore.session.get_session().create_client(
                    "ssm", region_name="us-east-1", aws_access_key_id="a",
                    aws_secret_access_key="b",
                    config=AioConfig(retries={"mode": "standard", "max_attempts": 4}),
                ) as client:
                    await client.list_commands()
                print((fake.clock.now - before).total_seconds() > 0)
            import aiobotocore.endpoint
            print(aiobotocore.endpoint.asyncio is asyncio)

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


async def test_async_answers_parse_as_botocore_parses_their_bytes(
    ssm_invocations: FakeSSM,
) -> None:
    import botocore.parsers

    from pytest_ssm_invocations import wire

    handle = ssm_invocations.add_command(statuses={"Success": 3, "Failed": 2})
    params = {"CommandId": handle.command_id, "Details": True}
    async with _client() as client:
        ours = await client.list_command_invocations(**params)
        shape = client.meta.service_model.operation_model("ListCommandInvocations").output_shape
    body = wire.encode(ssm_invocations.handle("ListCommandInvocations", params))
    theirs = botocore.parsers.create_parser("json").parse(
        {"body": body, "headers": {}, "status_code": 200}, shape
    )
    ours.pop("ResponseMetadata"), theirs.pop("ResponseMetadata")
    assert list(ours["CommandInvocations"][0]) == list(theirs["CommandInvocations"][0])
    assert ours == theirs
