"""Each record encoded once, its JSON text reused by every page showing it.

Serializing a page is most of what the fake adds to a call (a page of 50
with details holds 150 timestamps). The service never changes a record it
has shown, so a record's text is kept under the record's identity
(``records.by_identity``). Each fake has its own cache (:func:`records_of`).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from ..records import Record
from ..records.by_identity import CAPACITY, ByIdentity
from .responses import compact


class EncodedRecords(ByIdentity[bytes]):
    """A fake's records' compact JSON texts (``records.by_identity``)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        super().__init__(compact, capacity)
        self.lock = threading.Lock()
        """Held while a page is encoded: the server encodes on many threads."""

    @property
    def encoded(self) -> int:
        """How many records were serialized (each one a miss)."""
        return self.made

    def text(self, record: Record) -> bytes:
        """``record``'s compact JSON text (call with :attr:`lock` held)."""
        return self.of(record)

    def clear(self) -> None:
        with self.lock:
            super().clear()


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
