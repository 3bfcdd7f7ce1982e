"""``add_command`` for a small command, what each test of a downstream suite calls once.

Run: python benchmarks/bench_add.py [--rounds 15] [--number 200] [--base DIR] [--profile]

Times ``add_command(instances=100, statuses={"Success": 90, "Failed": 10})``
on a fresh fake (as the fixture gives each test), and ``instances=1`` for
its fixed cost. With ``--base DIR``, a copy of the package imported from DIR
under the name ``ssm_base`` (``git archive REF pytest_ssm_invocations`` there,
renamed: its imports are relative) is timed in alternating rounds, and the
figure is the median ratio with its spread. ``--profile`` prints where this
copy's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import pstats
import sys
import time
from statistics import median
from typing import Any

from pytest_ssm_invocations.fake import FakeSSM

MIX = {"Success": 90, "Failed": 10}


def adder(fake_class: Any, instances: int, statuses: dict[str, int] | None, number: int) -> Any:
    """A batch of ``number`` calls, each adding one command to a fresh fake: CPU seconds per
    call. The fakes are made before and released after the timing, as the fixture does."""

    def add() -> float:
        fakes = [fake_class(seed=n) for n in range(number)]
        start = time.process_time()
        for fake in fakes:
            fake.add_command(instances=instances, statuses=statuses)
        took = time.process_time() - start
        for fake in fakes:
            fake.release()
        return took / number

    return add


def compare(ours: Any, base: Any, rounds: int) -> tuple[float, float, float, float, float]:
    """Median seconds per call of each, and the median, lowest and highest per-round ratio."""
    ours(), base()
    mine, theirs = [], []
    for index in range(rounds):
        first, second = (base, ours) if index % 2 else (ours, base)
        a, b = first(), second()
        mine.append(b if index % 2 else a)
        theirs.append(a if index % 2 else b)
    ratios = sorted(a / b for a, b in zip(mine, theirs, strict=True))
    return median(mine), median(theirs), median(ratios), ratios[0], ratios[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--number", type=int, default=200)
    parser.add_argument("--base", help="a directory holding the baseline package as ssm_base")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    cases = {"100 nodes, 90/10": (100, MIX), "1 node": (1, None)}
    if args.profile:
        fakes = [FakeSSM(seed=n) for n in range(2000)]
        profile = cProfile.Profile()
        profile.runcall(lambda: [f.add_command(instances=100, statuses=MIX) for f in fakes])
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return
    if args.base:
        sys.path.insert(0, args.base)
        base = importlib.import_module("ssm_base.fake").FakeSSM
        for name, (n, mix) in cases.items():
            ours, theirs, ratio, low, high = compare(
                adder(FakeSSM, n, mix, args.number), adder(base, n, mix, args.number), args.rounds
            )
            print(f"{name:<18} {ours * 1e6:.1f} us vs base {theirs * 1e6:.1f} us: "
                  f"ratio {ratio:.3f} (rounds {low:.3f}..{high:.3f})")  # fmt: skip
        return
    for name, (n, mix) in cases.items():
        add = adder(FakeSSM, n, mix, args.number)
        took = median(add() for _ in range(args.rounds))
        print(f"{name:<18} {took * 1e6:.1f} us per add_command")


if __name__ == "__main__":
    main()
