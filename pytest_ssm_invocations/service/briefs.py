"""An invocation's record without details, one object per record shown.

ListCommandInvocations without ``Details`` shows ``CommandPlugins: []``. The
wire encodes each record once, keyed by the record's identity (see
``wire.encoded``), so the copy without details must be the same object each
time its record is shown: it is made once per record and kept, at most
``capacity`` of them, the least recently shown dropped first.
"""

from __future__ import annotations

from collections import OrderedDict

from ..records import Record

CAPACITY = 10_000


class Briefs:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[int, tuple[Record, Record]] = OrderedDict()

    def clear(self) -> None:
        self._kept.clear()

    def of(self, record: Record) -> Record:
        """``record`` with no plugins, the same object for the same record."""
        key = id(record)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is record:
            self._kept.move_to_end(key)
            return kept[1]
        brief = {**record, "CommandPlugins": []}
        self._kept[key] = (record, brief)
        if len(self._kept) > self.capacity:
            self._kept.popitem(last=False)
        return brief
