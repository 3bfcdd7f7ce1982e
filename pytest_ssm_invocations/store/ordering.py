"""The service's order, kept so that adding the newest item is an append.

Items are served in ascending sort key, ``(-RequestedDateTime ms, -command
sequence, index)``: newest first. A command added now is the newest, so a
list in that order would grow at the front, moving every item on each add.
:class:`NewestFirst` stores its items oldest first, where a new command's
invocations are appended, and reads them back newest first. Finding where a
page starts, or where a time filter's range begins and ends, is a binary
search over the same storage.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol, TypeVar, overload

Key = tuple[int, int, int]


class Keyed(Protocol):
    @property
    def key(self) -> Key: ...


T = TypeVar("T", bound=Keyed)


class NewestFirst(Sequence[T]):
    """A sequence in ascending sort key (newest first), stored in reverse."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: list[T] = []

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self._items)
        if not 0 <= index < len(self._items):
            raise IndexError(index)
        return self._items[-1 - index]

    def __iter__(self) -> Iterator[T]:
        return reversed(self._items)

    def insert_run(self, run: Iterable[T]) -> None:
        """Add items that follow each other in the order, no other item between them.

        A run newer than everything stored (the usual case: a command sent now)
        is appended; an older one is put in its place with one slice assignment.
        """
        segment = list(run)[::-1]
        if not segment:
            return
        items = self._items
        if not items or _stored(items[-1]) < _stored(segment[0]):
            items.extend(segment)
            return
        position = bisect_left(items, _stored(segment[0]), key=_stored)
        items[position:position] = segment

    def after(self, key: Key) -> int:
        """The position of the first item whose sort key is greater than ``key``."""
        # Stored ascending by the negated key: the items with a key <= ``key`` end the list.
        return len(self._items) - bisect_left(self._items, _negated(key), key=_stored)

    def at_or_after(self, key: Key) -> int:
        """The position of the first item whose sort key is ``key`` or greater."""
        return len(self._items) - bisect_right(self._items, _negated(key), key=_stored)


def position_after(items: Sequence[T], key: Key) -> int:
    """The first position in ``items`` (ascending keys) whose key is greater than ``key``."""
    if isinstance(items, NewestFirst):
        return items.after(key)
    return bisect_right(items, key, key=_key)


def position_at(items: Sequence[T], key: Key) -> int:
    """The first position in ``items`` (ascending keys) whose key is ``key`` or greater."""
    if isinstance(items, NewestFirst):
        return items.at_or_after(key)
    return bisect_left(items, key, key=_key)


def _negated(key: Key) -> Key:
    return (-key[0], -key[1], -key[2])


def _stored(item: Keyed) -> Key:
    """The storage order: the sort key negated, so the newest item sorts last."""
    return _negated(item.key)


def _key(item: Keyed) -> Key:
    return item.key
