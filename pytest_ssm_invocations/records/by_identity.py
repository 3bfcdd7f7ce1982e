"""What is made from a record, kept under the record's identity and made once.

The service never changes a record it has shown (a final invocation shows one
record object; any change of state shows another), so what is derived from a
record (its text on the wire, its copy without details) can be kept under
its ``id``, with the record itself held beside it so that the ``id`` is not
reused meanwhile: nothing stale is ever served. At most ``capacity`` are kept,
the least recently asked for dropped first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from . import Record

V = TypeVar("V")
CAPACITY = 10_000


class ByIdentity(Generic[V]):
    def __init__(self, make: Callable[[Record], V], capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._make = make
        self._kept: OrderedDict[int, tuple[Record, V]] = OrderedDict()
        self.made = 0
        """How many were made (each one a miss)."""

    def of(self, record: Record) -> V:
        """What ``make`` gives for ``record``, the same object while ``record`` is kept."""
        key = id(record)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is record:
            self._kept.move_to_end(key)
            return kept[1]
        self.made += 1
        value = self._make(record)
        self._kept[key] = (record, value)
        if len(self._kept) > self.capacity:
            self._kept.popitem(last=False)
        return value

    def clear(self) -> None:
        self._kept.clear()
