"""What ``time="fake"`` adds to a test, measured against the same test on real time.

Run: python benchmarks/bench_time.py [--rounds 15] [--number 300]

A test here is what the fixture does around a small body: a fresh fake
entered and exited, one command added, the clock read by the code
(``datetime.now``) and one ``time.sleep(0)`` (on real time that really
yields; on fake time it moves the clock by nothing). Side A runs it with
``time="fake"``, side B with the default real time; rounds alternate (see
``timing``). Printed: the median per-test cost of each, their difference
(goal: at most 0.2 ms) and the ratio with its spread.

Then the cost of one clock read by the code under test on fake time
(``time.time()`` through time-machine, ``time.monotonic()`` through the
kit) against the real functions, for code that reads the clock in a loop.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from timing import interleaved

from pytest_ssm_invocations.fake import FakeSSM


def one_test(mode: str) -> None:
    with FakeSSM(time=mode) as fake:
        fake.add_command(instances=2)
        datetime.now(timezone.utc)
        time.sleep(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=300)
    args = parser.parse_args()
    test = interleaved(
        lambda: one_test("fake"), lambda: one_test("real"), rounds=args.rounds, number=args.number
    )
    extra_ms = (test.ours - test.base) * 1e3
    print(f"1. a test with time='fake' vs real time: {test.describe()}")
    print(f"   time='fake' adds {extra_ms:.3f} ms per test (goal <= 0.2 ms)")

    fake = FakeSSM(time="fake")
    reads = 2000
    with fake:
        fake_read = interleaved(time.time, time.monotonic, rounds=args.rounds, number=reads)
    real_read = interleaved(time.time, time.monotonic, rounds=args.rounds, number=reads)
    print(
        f"2. one clock read on fake time: time.time {fake_read.ours * 1e6:.2f} us, "
        f"time.monotonic {fake_read.base * 1e6:.2f} us; on real time "
        f"{real_read.ours * 1e6:.2f} us and {real_read.base * 1e6:.2f} us"
    )


if __name__ == "__main__":
    main()
