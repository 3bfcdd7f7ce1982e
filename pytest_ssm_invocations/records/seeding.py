"""Where records get their randomness when a caller passes neither seed nor rng.

Inside pytest, the plugin points this at a generator derived from the run's
seed and the test's node id, so a failing test replays with ``--ssm-seed``.
Outside pytest it is a generator seeded from the system. Standard library only:
the plugin imports this at start-up.
"""

from __future__ import annotations

import _random
import random
import threading
from collections import Counter
from typing import Any

from .checks import is_whole

_default = random.Random()
_new = random.Random.__new__
_seed = _random.Random.seed
_ordinals: Counter[str] = Counter()
_ordinals_lock = threading.Lock()


def use(rng: random.Random) -> None:
    """Make ``rng`` the generator of records built with no seed and no rng.

    The plugin calls it as each test starts, which also starts the test's
    :func:`ordinal` counts afresh.
    """
    global _default
    _default = rng
    with _ordinals_lock:
        _ordinals.clear()


def ordinal(key: str) -> int:
    """How many times ``key`` was asked for before, in this test (outside pytest, in this
    process): the n-th fake of a seed is the n-th of its test, whatever ran before."""
    with _ordinals_lock:
        nth = _ordinals[key]
        _ordinals[key] += 1
    return nth


def for_test(seed: int, scope: str) -> random.Random:
    """The generator of one test: the run's seed and the test's node id."""
    return random.Random(f"{seed}:{scope}")


def resolve(seed: int | None, rng: Any) -> random.Random:
    """A ``random.Random`` from a seed, a Random, a Faker (its ``.random``), or the default."""
    if rng is not None:
        if seed is not None:
            raise TypeError("pass either seed or rng, not both")
        if isinstance(rng, random.Random):
            return rng
        inner = getattr(rng, "random", None)
        if isinstance(inner, random.Random):
            return inner
        raise TypeError(
            f"rng must be a random.Random or a Faker instance, not {type(rng).__name__}"
        )
    if seed is not None:
        if not is_whole(seed):
            raise TypeError(f"seed must be an int, not {type(seed).__name__}")
        return seeded(seed)
    return _default


def seeded(seed: int) -> random.Random:
    """``random.Random(seed)`` for an int, in the same state, for two thirds of the cost.

    ``Random.__init__`` passes an int seed through Python-level checks to the C
    generator's ``seed``; a test building one record per seed pays for it per record.
    """
    generator = _new(random.Random)
    _seed(generator, seed)
    generator.gauss_next = None  # type: ignore[attr-defined]
    return generator
