"""How the fake's answers grow with what it stores: every figure a ratio from one run.

Run: python benchmarks/bench_scale.py [--full] [--rounds 7]

Default: 1,000 against 100,000 stored invocations (about two minutes).
``--full``: against 1,000,000, and the million walked through boto3's
paginator (several minutes and about 1.5 GB).

1. Walking every page of one command (``wire.exchange``, what every
   transport does, 50 with details per page) at 10,000 and at the
   large size: the growth exponent k of time ~ n**k (1.0 is linear).
2. Page 1 of each query shape with the large store against the small one:
   CommandId, CommandId+InstanceId, InstanceId, no filter, a Status filter,
   InvokedAfter and InvokedBefore (the store: one big command, 10% Failed,
   and ten small commands an hour later). Rounds alternate small, large.
3. GetCommandInvocation with the large store against the small one.
4. 10,000 commands of 10 nodes against 100: page 1 by CommandId, and adding
   them (time per command, 10,000 against 1,000).
5. ``add_command`` throughput: invocations per second building the big command.
6. A ListCommands page (every command, the big one among them) with the large
   store against the small one; ``--list-commands`` runs only this.

``--add-rate`` runs only figure 5, building the store ``--rounds`` times.

Times are CPU seconds of this process (see ``timing``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

from pytest_ssm_invocations import wire
from pytest_ssm_invocations.fake import FakeSSM

sys.path.insert(0, str(Path(__file__).parent))
from timing import growth_exponent, interleaved

T0 = datetime(2025, 5, 1, tzinfo=timezone.utc)
AFTER = (T0 + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")


def exchange(fake: FakeSSM, operation: str, params: dict[str, Any]) -> wire.Exchanged:
    """A request as a transport carries it: its body decoded, answered, the answer encoded."""
    return wire.exchange(fake, operation, json.dumps(params).encode(), fake.region)


class Store:
    """A fake holding one big command of ``size`` invocations and ten small later ones."""

    def __init__(self, size: int) -> None:
        self.fake = FakeSSM(seed=size)
        self.size = size
        start = time.process_time()
        big = self.fake.add_command(
            instances=size, statuses={"Success": size - size // 10, "Failed": size // 10},
            requested=T0,
        )  # fmt: skip
        self.add_seconds = time.process_time() - start
        for i in range(10):
            self.fake.add_command(instances=10, requested=T0 + timedelta(hours=1, minutes=i))
        self.command_id = big.command_id
        self.instance_id = big.instance_ids[size // 2]

    def shapes(self) -> dict[str, dict[str, Any]]:
        """Each query shape's parameters for page 1."""
        cid, iid = self.command_id, self.instance_id
        return {
            "CommandId": {"CommandId": cid},
            "CommandId+InstanceId": {"CommandId": cid, "InstanceId": iid},
            "InstanceId": {"InstanceId": iid},
            "no filter": {},
            "Status=Failed": {"Filters": [{"key": "Status", "value": "Failed"}]},
            "InvokedAfter": {"Filters": [{"key": "InvokedAfter", "value": AFTER}]},
            "InvokedBefore": {"Filters": [{"key": "InvokedBefore", "value": AFTER}]},
        }

    def page(self, params: dict[str, Any]) -> bytes:
        query = {"Details": True, "MaxResults": 50, **params}
        return exchange(self.fake, "ListCommandInvocations", query).body

    def commands_page(self) -> bytes:
        return exchange(self.fake, "ListCommands", {"MaxResults": 50}).body

    def get(self) -> bytes:
        params = {"CommandId": self.command_id, "InstanceId": self.instance_id}
        return exchange(self.fake, "GetCommandInvocation", params).body


def walk(fake: FakeSSM, command_id: str) -> int:
    """Every page of one command, encoded; returns the number of invocations seen."""
    params: dict[str, Any] = {"CommandId": command_id, "Details": True, "MaxResults": 50}
    seen = 0
    while True:
        answer = exchange(fake, "ListCommandInvocations", params).answer
        seen += len(answer["CommandInvocations"])
        token = answer.get("NextToken")
        if token is None:
            return seen
        params["NextToken"] = token


def walk_seconds(size: int) -> float:
    fake = FakeSSM(seed=3)
    handle = fake.add_command(instances=size, statuses={"Success": size})
    start = time.process_time()
    seen = walk(fake, handle.command_id)
    took = time.process_time() - start
    if seen != size:
        raise AssertionError(f"walked {seen} of {size}")
    return took


def walk_boto3(store: Store) -> float:
    import boto3

    from pytest_ssm_invocations.transports import botocore_hook

    botocore_hook.install()  # before the session: sessions copy botocore's handlers
    ssm = boto3.session.Session().client(
        "ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    start = time.process_time()
    with store.fake:  # as the fixture: the hook, the fake clock, the parser shortcut
        paginator = ssm.get_paginator("list_command_invocations")
        seen = sum(
            len(page["CommandInvocations"])
            for page in paginator.paginate(CommandId=store.command_id, Details=True)
        )
    took = time.process_time() - start
    print(f"   walked {seen:,} invocations through boto3's paginator in {took:.1f} s")
    return took


def many_commands(commands: int) -> tuple[FakeSSM, str, float]:
    fake = FakeSSM(seed=commands)
    start = time.process_time()
    first = None
    for i in range(commands):
        handle = fake.add_command(instances=10, statuses={"Success": 10}, comment=str(i))
        first = first or handle.command_id
    took = time.process_time() - start
    return fake, str(first), took / commands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="a million invocations")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--list-commands", action="store_true", help="only figure 6")
    parser.add_argument("--add-rate", action="store_true", help="only figure 5, --rounds times")
    args = parser.parse_args()
    large = 1_000_000 if args.full else 100_000
    rounds = args.rounds
    if args.list_commands:
        list_commands(Store(1_000), Store(large), rounds)
        return
    if args.add_rate:
        add_rate(large, rounds)
        return

    ten_k, big = walk_seconds(10_000), walk_seconds(large)
    k = growth_exponent((10_000, ten_k), (large, big))
    print(f"1. walk one command: 10,000 in {ten_k:.2f} s, {large:,} in {big:.2f} s; "
          f"growth exponent {k:.2f} (target <= 1.15)")  # fmt: skip

    small_store, large_store = Store(1_000), Store(large)
    print(f"2. page 1 with {large:,} stored vs 1,000 (target <= 1.5 each):")
    small_shapes, large_shapes = small_store.shapes(), large_store.shapes()
    for name, params in large_shapes.items():
        mine = small_shapes[name]
        result = interleaved(
            lambda p=params: large_store.page(p), lambda p=mine: small_store.page(p),  # type: ignore[misc]
            rounds=rounds, number=50,
        )  # fmt: skip
        print(f"   {name:<22} {result.describe(1e6, 'us')}")
    result = interleaved(large_store.get, small_store.get, rounds=rounds, number=200)
    print(f"3. GetCommandInvocation, {large:,} vs 1,000 stored: {result.describe(1e6, 'us')} "
          "(target <= 1.5)")  # fmt: skip

    _, _, per_few = many_commands(1_000)
    many, many_id, per_many = many_commands(10_000)
    hundred, hundred_id, _ = many_commands(100)
    params = {"Details": True, "MaxResults": 50}
    result = interleaved(
        lambda: many.handle("ListCommandInvocations", {**params, "CommandId": many_id}),
        lambda: hundred.handle("ListCommandInvocations", {**params, "CommandId": hundred_id}),
        rounds=rounds, number=200,
    )  # fmt: skip
    print(f"4. 10,000 commands x 10 vs 100 x 10, page by CommandId: "
          f"{result.describe(1e6, 'us')} (target <= 1.5)")  # fmt: skip
    print(
        f"   adding commands of 10: {per_many * 1e3:.3f} ms each among 10,000, "
        f"{per_few * 1e3:.3f} ms among 1,000: ratio {per_many / per_few:.2f} (linear: 1.0)"
    )
    rate = large / large_store.add_seconds
    print(f"5. add_command of {large:,} invocations: {rate:,.0f} invocations/s (target >= 100k/s)")
    list_commands(small_store, large_store, rounds)
    if args.full:
        walk_boto3(large_store)


def add_rate(size: int, rounds: int) -> None:
    """Figure 5 alone: a fresh store of ``size`` built ``rounds`` times, its rate's spread."""
    rates = []
    for _ in range(rounds):
        store = Store(size)
        rates.append(size / store.add_seconds)
        store.fake.release()
        del store
    print(f"5. add_command of {size:,} invocations: {statistics.median(rates):,.0f} invocations/s "
          f"(rounds {min(rates):,.0f}..{max(rates):,.0f}; target >= 100k/s)")  # fmt: skip


def list_commands(small: Store, large: Store, rounds: int) -> None:
    result = interleaved(large.commands_page, small.commands_page, rounds=rounds, number=20)
    print(f"6. ListCommands page, one command of {large.size:,} nodes vs 1,000: "
          f"{result.describe(1e6, 'us')} (target <= 1.5)")  # fmt: skip


if __name__ == "__main__":
    main()
