"""Timing helpers shared by the benchmarks: interleaved rounds, medians and spreads.

The machine these run on is shared and noisy, so a figure is always a ratio
against a baseline measured in the same process, in rounds that alternate
(A, B, A, B, ...): drift in the machine's load lands on both sides alike.
Calls are timed in CPU seconds of this process (``time.process_time``), so
time spent waiting for a core while other jobs run is not counted; what
other jobs do to the caches still is, hence the spread printed with each ratio.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Comparison:
    ours: float
    """Median seconds per call of the measured side."""
    base: float
    """Median seconds per call of the baseline."""
    ratio: float
    """Median of the per-round ratios ours / base."""
    low: float
    high: float
    """The lowest and highest per-round ratio: the spread."""

    def describe(self, unit: float = 1e3, name: str = "ms") -> str:
        return (
            f"{self.ours * unit:.3g} {name} vs {self.base * unit:.3g} {name}: "
            f"ratio {self.ratio:.3f} (rounds {self.low:.3f}..{self.high:.3f})"
        )


def batch(fn: Callable[[], object], number: int) -> float:
    """CPU seconds per call over ``number`` calls."""
    start = time.process_time()
    for _ in range(number):
        fn()
    return (time.process_time() - start) / number


def interleaved(
    ours: Callable[[], object], base: Callable[[], object], *, rounds: int, number: int
) -> Comparison:
    """``rounds`` batches of each, alternating, after one warm-up call of each."""
    ours()
    base()
    mine: list[float] = []
    theirs: list[float] = []
    for index in range(rounds):
        # Alternate which side goes first, so neither always runs on a warmer cache.
        if index % 2:
            theirs.append(batch(base, number))
            mine.append(batch(ours, number))
        else:
            mine.append(batch(ours, number))
            theirs.append(batch(base, number))
    ratios = [a / b for a, b in zip(mine, theirs, strict=True)]
    return Comparison(
        statistics.median(mine), statistics.median(theirs), statistics.median(ratios),
        min(ratios), max(ratios),
    )  # fmt: skip


def median_time(fn: Callable[[], object], *, rounds: int, number: int) -> float:
    """Median seconds per call over ``rounds`` batches of ``number`` calls (after a warm-up)."""
    fn()
    return statistics.median(batch(fn, number) for _ in range(rounds))


def growth_exponent(small: tuple[int, float], large: tuple[int, float]) -> float:
    """k in time ~ n**k, from two (n, seconds) points."""
    import math

    (n1, t1), (n2, t2) = small, large
    return math.log(t2 / t1) / math.log(n2 / n1)
