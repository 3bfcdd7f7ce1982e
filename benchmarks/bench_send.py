"""SendCommand to 50 nodes and the walk of its invocations, against moto in the same process.

Run: python benchmarks/bench_send.py [--rounds 15]

The fake: ``send_command`` to 50 instance ids, then every page of
``list_command_invocations`` with details. moto: its own ``send_command``
to the same 50 ids, then ``list_commands`` for that command (moto has no
ListCommandInvocations; its ListCommands is the closest read it answers).
Both inside one ``mock_aws``: the fake answers while it is active, moto
otherwise. Both through real boto3 clients; rounds alternate
(see ``timing``) and the ratio printed is the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import boto3
from moto import mock_aws
from timing import interleaved

from pytest_ssm_invocations import FakeSSM
from pytest_ssm_invocations.transports import moto_bridge

NODES = [f"i-{n:017x}" for n in range(1, 51)]
SEND = {"InstanceIds": NODES, "DocumentName": "AWS-RunShellScript",
        "Parameters": {"commands": ["uptime"]}}  # fmt: skip


def ours(client: Any) -> None:
    command_id = client.send_command(**SEND)["Command"]["CommandId"]
    pages = client.get_paginator("list_command_invocations").paginate(
        CommandId=command_id, Details=True
    )
    assert sum(len(p["CommandInvocations"]) for p in pages) == 50


def moto_s(client: Any) -> None:
    command_id = client.send_command(**SEND)["Command"]["CommandId"]
    assert client.list_commands(CommandId=command_id)["Commands"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=5)
    args = parser.parse_args()
    fake = FakeSSM(seed=1)
    with mock_aws(), fake:  # moto answers whenever the fake is not active
        client = boto3.client("ssm", region_name="us-east-1")  # carries both hooks
    with mock_aws():

        def with_fake() -> None:
            moto_bridge.install()  # what the pytest plugin does at session start
            with fake:
                ours(client)
            fake.reset()

        def with_moto() -> None:
            moto_bridge.uninstall()  # moto's own SendCommand and ListCommands
            moto_s(client)

        result = interleaved(with_fake, with_moto, rounds=args.rounds, number=args.number)
    print("SendCommand to 50 nodes + walk of its invocations vs moto send_command + list_commands")
    print(f"  {result.describe()}")


if __name__ == "__main__":
    main()
