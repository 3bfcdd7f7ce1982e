"""Each invocation encoded once per state, its JSON text reused by every page showing it.

Serializing a page is most of what the fake adds to a call (a page of 50
with details holds 150 timestamps). An invocation's record in its final
case is one object that never changes: its :class:`~..wire.Encoded` form
(with details, and without) is made the first time a page shows it and kept
while the entry still shows that same object. Any change of state (the
clock or a poll moving it, a cancel replacing its record) shows a different
object, so nothing stale is ever served; records shown while Pending or
InProgress are new each time and encoded each time. At most ``capacity``
invocations are kept, the least recently shown dropped first.
"""

from __future__ import annotations

from collections import OrderedDict

from ..records import Record
from ..store.entries import InvocationEntry
from ..wire import Encoded

CAPACITY = 10_000


class EncodedRecords:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[InvocationEntry, tuple[Record, dict[bool, Encoded]]] = OrderedDict()
        self.encoded = 0
        """How many records were serialized (each one a cache miss)."""

    def clear(self) -> None:
        self._kept.clear()

    def shown(self, entry: InvocationEntry, record: Record, details: bool) -> Encoded:
        """``record`` (what ``entry`` shows now) as a page item, details or not."""
        if record is not entry.final:
            return self._encode(record, details)
        kept = self._kept.get(entry)
        if kept is None or kept[0] is not record:
            kept = (record, {})
            self._kept[entry] = kept
            if len(self._kept) > self.capacity:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(entry)
        forms = kept[1]
        form = forms.get(details)
        if form is None:
            form = forms[details] = self._encode(record, details)
        return form

    def _encode(self, record: Record, details: bool) -> Encoded:
        self.encoded += 1
        return Encoded(record if details else {**record, "CommandPlugins": []})
