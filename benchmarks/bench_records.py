"""Records per second: the kit's builder against a naive one-Faker-call-per-field generator.

Run: python benchmarks/bench_records.py [--seconds 2]

All build the same shape (one invocation, details, one plugin) in the same
process, in alternating rounds; the ratio is what to quote, as it cancels
most of the machine's noise. The kit is measured as tests call it:
``factories.invocation(seed=n)`` with a new seed per call (the headline), and
with one ``random.Random`` passed as ``rng=``.
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

    for _ in range(50):
        build()  # fill the pools outside the timing
    return build


def seeded_generator() -> Callable[[], dict[str, Any]]:
    """A new seed per record, as a test writes ``invocation(seed=7)``."""
    seeds = iter(range(10**9))

    def build() -> dict[str, Any]:
        return factories.invocation(seed=next(seeds), document="AWS-RunShellScript")

    for _ in range(50):
        build()
    return build


def rates(builders: dict[str, Callable[[], object]], seconds: float, rounds: int = 5) -> Any:
    """Median records per second of each builder, the builders taking turns each round."""
    samples: dict[str, list[float]] = {name: [] for name in builders}
    for _ in range(rounds):
        for name, build in builders.items():
            n, start = 0, time.perf_counter()
            deadline = start + seconds / rounds / len(builders)
            while True:
                for _ in range(50):
                    build()
                n += 50
                now = time.perf_counter()
                if now >= deadline:
                    break
            samples[name].append(n / (now - start))
    return {name: statistics.median(values) for name, values in samples.items()}, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="time for all rounds")
    args = parser.parse_args()
    builders = {"naive": naive_generator(), "seed": seeded_generator(), "rng": kit_generator()}
    medians, samples = rates(builders, args.seconds)
    naive = medians["naive"]
    spread = [s / n for s, n in zip(samples["seed"], samples["naive"], strict=True)]
    print(f"naive Faker-per-field baseline:      {naive:>10,.0f} records/s")
    print(f"invocation(seed=n), new seed a call: {medians['seed']:>10,.0f} records/s: "
          f"{medians['seed'] / naive:.1f}x (rounds {min(spread):.1f}..{max(spread):.1f}; "
          f"target >= 25)")  # fmt: skip
    print(f"invocation(rng=r), one generator:    {medians['rng']:>10,.0f} records/s: "
          f"{medians['rng'] / naive:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
