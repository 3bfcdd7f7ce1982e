"""One machinery for the list operations: how a query opens, and what its page holds.

ListCommandInvocations, ListCommands and DescribeInstanceInformation open
alike (:func:`open_query`: the NextToken's cursor, bound to the query; the
call's record; a fault due) and page alike (:func:`serve`: the page's size from
a page plan or the paging mode, then up to that many kept candidates after the
cursor, a NextToken while more would be kept). What each operation adds is its
candidates, in ascending key order, a ``keep`` that shows a candidate (None:
left out) and a cheap ``more`` that says whether one would be kept, without
showing it: reading on to decide the NextToken renders nothing.

Every NextToken pins a position in the data, never "before everything": a
first page is read from just before the first candidate there is then (see
:func:`pinned`), so an empty first page hands on a token that later commands,
newer and so sorted in front, cannot move. The same token reads the same page,
which botocore's resume tokens (a NextToken and a count to skip) rely on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..catalogue import model
from ..records import Record
from ..store.ordering import Key, Keyed, position_after, position_at
from .faults import Call
from .filters import TIME_KEYS, Span
from .state import ServiceState
from .tokens import Cursor, query_digest

K = TypeVar("K", bound=Keyed)
#: Where a chain starts: before every key.
START = Cursor(1, (-(2**62), -(2**62), -(2**62)))


@dataclass(frozen=True)
class Query:
    """A list call, opened: its operation, where its page starts, what binds its tokens."""

    operation: str
    cursor: Cursor
    digest: bytes
    shape: bytes
    """What the paging mode's draws read of the query: the query less its time
    filters' instants, which a test often computes from the real clock."""


@dataclass
class Page:
    items: list[Any]
    next_cursor: Cursor | None


def open_query(
    service: ServiceState, operation: str, params: dict[str, Any], region: str, call: Call
) -> Query:
    """The cursor the NextToken carries (``InvalidNextToken`` for another query's), noted
    on the call with its page, then the fault due on it, if any."""
    digest = query_digest(operation, region, params)
    token = params.get("NextToken")
    cursor = START if token is None else service.tokens.decode(token, digest)
    call.next_token_in = token
    call.page = cursor.page
    service.faults.raise_if_due(call)
    return Query(operation, cursor, digest, query_digest(operation, region, _timeless(params)))


def _timeless(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with the instants of InvokedAfter and InvokedBefore left out (their keys
    kept): an ``InvokedAfter`` of now minus a day must not change the pages' sizes from
    one second to the next, since everything a test sees follows from its seed."""
    filters = params.get("Filters")
    if not filters:
        return params
    # DescribeInstanceInformation's filters spell ``Key``: none of them is a time filter.
    kept = [{"key": f["key"]} if f.get("key") in TIME_KEYS else f for f in filters]
    return {**params, "Filters": kept}


def serve(
    service: ServiceState,
    query: Query,
    params: dict[str, Any],
    call: Call,
    key: str,
    candidates: Sequence[K],
    keep: Callable[[K], Any | None],
    more: Callable[[K], bool],
    span: Span = (None, None),
) -> Record:
    """The response: the page of ``candidates`` under ``key``, and its NextToken."""
    size, more_planned, trailing = _page_size(service, query, params)
    cursor = pinned(query.cursor, candidates, service.store.fresh_key())
    page = page_of(candidates, cursor, size, keep, more, more_planned, span, trailing)
    body: Record = {key: page.items}
    call.returned = len(page.items)
    if page.next_cursor is not None:
        token = service.tokens.encode(page.next_cursor, query.digest)
        body["NextToken"] = call.next_token_out = token
    return body


def pinned(cursor: Cursor, candidates: Sequence[K], fresh: Key) -> Cursor:
    """``cursor``, its "before everything" (a first page's) made a position in the data:
    just before the first candidate there is now, or, when there is none, ``fresh``,
    where the invocations and commands added from now on will sort (``Store.fresh_key``;
    a fleet's keys are places, all after it, and new nodes come last). What is added
    later sorts in front of the position, outside the chain."""
    if cursor.key != START.key:
        return cursor
    if candidates:
        first = candidates[0].key
        return Cursor(cursor.page, (first[0], first[1], first[2] - 1))
    return Cursor(cursor.page, fresh)


def _page_size(
    service: ServiceState, query: Query, params: dict[str, Any]
) -> tuple[int, bool, bool]:
    """The size of this page, whether a plan has pages after it, and whether the page
    with the last items keeps a NextToken: a page plan first, then the paging mode."""
    operation, page = query.operation, query.cursor.page
    if service.faults.planned(operation, page):
        max_results = params.get("MaxResults") or model.default_page_size(operation)
        size, more_planned = service.faults.page_size(operation, page, max_results)
        return size, more_planned, False
    size, trailing = service.paging.page_size(operation, params, query.shape, page)
    return size, False, trailing


def page_of(
    candidates: Sequence[K],
    cursor: Cursor,
    size: int,
    keep: Callable[[K], Any | None],
    more: Callable[[K], bool],
    more_planned: bool = False,
    span: Span = (None, None),
    trailing: bool = False,
) -> Page:
    """Up to ``size`` kept items after ``cursor``, and where the next page starts.

    ``candidates`` are in ascending key order; ``span`` bounds the keys worth
    reading (a time filter's range). Only the candidates read for the page are
    shown, and those after it up to the next one ``more`` would keep are asked.
    ``trailing``: a page that serves the last items still carries a NextToken
    (the empty page after it carries none).
    """
    start, end = position_after(candidates, cursor.key), len(candidates)
    low, high = span
    if low is not None:
        start = max(start, position_at(candidates, low))
    if high is not None:
        end = min(end, position_at(candidates, high))
    items: list[Any] = []
    last = None
    index = start
    while index < end and len(items) < size:
        candidate = candidates[index]
        shown = keep(candidate)
        if shown is not None:
            items.append(shown)
            last = candidate
        index += 1
    left = any(more(candidates[i]) for i in range(index, end))
    if left or more_planned or (trailing and items):
        return Page(items, Cursor(cursor.page + 1, cursor.key if last is None else last.key))
    return Page(items, None)
