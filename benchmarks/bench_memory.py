"""Memory per stored invocation, traced with tracemalloc.

Run: python benchmarks/bench_memory.py [--full]

Stores one command of 100,000 invocations (``--full``: 1,000,000) and counts
the bytes traced while adding it, per invocation: draws, index entries,
everything the fake keeps; then again once every invocation has been read
(each record rendered, and its draws let go). The baseline, from the same
run: the same records held as plain dicts, each with its own copies (what a
list of ``copy.deepcopy``'d records, or parsed JSON, holds).
"""

from __future__ import annotations

import argparse
import copy
import gc
import sys
import tracemalloc
from collections.abc import Callable

from pytest_ssm_invocations.fake import FakeSSM


def traced(build: Callable[[], object]) -> tuple[object, int]:
    """What ``build`` returns, and the bytes it left allocated."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = build()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return kept, after - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="a million invocations")
    args = parser.parse_args()
    size = 1_000_000 if args.full else 100_000
    fake = FakeSSM(seed=1)
    fake.add_command(instances=10)  # the pools and the region exist before the count
    mix = {"Success": size - size // 10, "Failed": size // 10}
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    handle = fake.add_command(instances=size, statuses=mix)
    gc.collect()
    stored = tracemalloc.get_traced_memory()[0] - before
    command = fake.store.region("us-east-1").commands[handle.command_id]
    records = [e.final for e in command.invocations]
    gc.collect()
    read = tracemalloc.get_traced_memory()[0] - before - sys.getsizeof(records)
    tracemalloc.stop()
    sample = records[:100_000]
    _, plain = traced(lambda: [copy.deepcopy(dict(r)) for r in sample])
    plain_per = plain / len(sample)
    print(f"memory per stored invocation ({size:,} in one command): {stored / size:,.0f} B, "
          f"{read / size:,.0f} B once every record was read (target <= 1,200 B); "
          f"the same records as plain dicts: {plain_per:,.0f} B; "
          f"ratio {read / size / plain_per:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
