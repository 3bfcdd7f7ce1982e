"""Storing a million invocations at once without the cyclic garbage collector scanning them.

Every 700 new container objects trigger a young collection, and each older
generation's collection scans more of a heap that keeps growing: a quarter
of the time of storing a million-node command. Storing makes no garbage, so
the collector pauses for large commands and resumes as it was (in a thread
that paused it, or any other).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Below this many nodes, pausing is not worth touching process-wide state; from about a
#: thousand, the young collections a command's objects trigger cost a sixth of its time.
LARGE = 1_000


@contextmanager
def paused_for(count: int) -> Iterator[None]:
    """The collector paused while ``count`` nodes' objects are built, if that is many."""
    if count < LARGE or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
