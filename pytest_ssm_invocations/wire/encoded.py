"""Each record encoded once, its JSON text reused by every page showing it.

Serializing a page is most of what the fake adds to a call (a page of 50
with details holds 150 timestamps). The service never changes a record it
has shown: an invocation in its final case shows one record object, and any
change of state (the clock or a poll moving it, a cancel replacing its
record) shows another. So a record's text is kept under the record's
identity, the record held beside it (its ``id`` is not reused meanwhile):
nothing stale is ever served. Each fake has its own cache
(:func:`records_of`); at most ``capacity`` records are kept, the least
recently shown dropped first.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any

from .responses import compact

CAPACITY = 10_000

Record = dict[str, Any]


class EncodedRecords:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[int, tuple[Record, bytes]] = OrderedDict()
        self.lock = threading.Lock()
        """Held while a page is encoded: the server encodes on many threads."""
        self.encoded = 0
        """How many records were serialized (each one a cache miss)."""

    def clear(self) -> None:
        with self.lock:
            self._kept.clear()

    def text(self, record: Record) -> bytes:
        """``record``'s compact JSON text (call with :attr:`lock` held)."""
        key = id(record)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is record:
            self._kept.move_to_end(key)
            return kept[1]
        self.encoded += 1
        text = compact(record)
        self._kept[key] = (record, text)
        if len(self._kept) > self.capacity:
            self._kept.popitem(last=False)
        return text


_caches: weakref.WeakKeyDictionary[Any, EncodedRecords] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def records_of(fake: Any) -> EncodedRecords:
    """The cache of ``fake``'s records, made on first use and gone with the fake."""
    cache = _caches.get(fake)
    if cache is None:
        with _caches_lock:
            cache = _caches.setdefault(fake, EncodedRecords())
    return cache


def forget(fake: Any) -> None:
    """Drop what ``fake``'s records were encoded as (its records are being released)."""
    cache = _caches.get(fake)
    if cache is not None:
        cache.clear()
