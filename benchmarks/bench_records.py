"""Records per second: the kit's builder against a naive one-Faker-call-per-field generator.

Run: python benchmarks/bench_records.py [--seconds 2]

Both build the same shape (one invocation, details, one plugin) in the same
process; the ratio is what to quote, as it cancels most of the machine's noise.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta, timezone
from typing import Any

from faker import Faker

from pytest_ssm_invocations import factories


def naive_generator() -> Callable[[], dict[str, Any]]:
    """What a test author writes with Faker: one provider call per field."""
    fake = Faker()
    fake.seed_instance(1)
    statuses = ["Success", "Failed", "TimedOut", "Pending", "InProgress"]

    def build() -> dict[str, Any]:
        requested = fake.date_time_between("-30d", "now", tzinfo=timezone.utc)
        start = requested + timedelta(seconds=fake.pyfloat(min_value=0.1, max_value=3))
        status = fake.random_element(statuses)
        return {
            "CommandId": fake.uuid4(),
            "InstanceId": "i-" + fake.hexify("^" * 17),
            "InstanceName": fake.hostname(),
            "Comment": fake.sentence(nb_words=6)[:100],
            "DocumentName": fake.random_element(["AWS-RunShellScript", "AWS-RunPatchBaseline"]),
            "DocumentVersion": "$DEFAULT",
            "RequestedDateTime": requested,
            "Status": status,
            "StatusDetails": status,
            "StandardOutputUrl": "",
            "StandardErrorUrl": "",
            "CommandPlugins": [
                {
                    "Name": "aws:runShellScript",
                    "Status": status,
                    "StatusDetails": status,
                    "ResponseCode": fake.random_element([0, 1, -1]),
                    "ResponseStartDateTime": start,
                    "ResponseFinishDateTime": start
                    + timedelta(seconds=fake.pyfloat(min_value=0.1, max_value=30)),
                    "Output": fake.text(max_nb_chars=200),
                    "StandardOutputUrl": "",
                    "StandardErrorUrl": "",
                    "OutputS3Region": fake.random_element(["us-east-1", "eu-west-1"]),
                    "OutputS3BucketName": "",
                    "OutputS3KeyPrefix": "",
                }
            ],
            "ServiceRole": "",
            "NotificationConfig": {
                "NotificationArn": "",
                "NotificationEvents": [],
                "NotificationType": "",
            },
            "CloudWatchOutputConfig": {
                "CloudWatchLogGroupName": "",
                "CloudWatchOutputEnabled": fake.pybool(),
            },
        }

    return build


def kit_generator() -> Callable[[], dict[str, Any]]:
    rng = random.Random(1)

    def build() -> dict[str, Any]:
        return factories.invocation(rng=rng, document="AWS-RunShellScript")

    build()  # fill the pools outside the timing
    return build


def rate(build: Callable[[], object], seconds: float, rounds: int = 5) -> float:
    """Median records per second over ``rounds`` runs of about ``seconds / rounds`` each."""
    rates = []
    for _ in range(rounds):
        n, start = 0, time.perf_counter()
        deadline = start + seconds / rounds
        while True:
            for _ in range(200):
                build()
            n += 200
            now = time.perf_counter()
            if now >= deadline:
                break
        rates.append(n / (now - start))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per generator")
    args = parser.parse_args()
    naive = rate(naive_generator(), args.seconds)
    kit = rate(kit_generator(), args.seconds)
    print(f"naive Faker-per-field baseline: {naive:>10,.0f} records/s")
    print(f"pytest-ssm-invocations:         {kit:>10,.0f} records/s")
    print(f"ratio: {kit / naive:.1f}x the baseline")


if __name__ == "__main__":
    main()
