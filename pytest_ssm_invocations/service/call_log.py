"""What a long-running server keeps of the requests it served: a bounded share.

A test's own fake keeps every call whole (tests assert on them). A server that
lives for a whole session or until Ctrl-C keeps the latest ``limit`` calls,
each with its params cut to a budget, so a request carrying a 10 MB NextToken
costs a few kilobytes, not 10 MB for ever.
"""

from __future__ import annotations

from typing import Any

#: Characters of params kept per call when the log is bounded (a real request has a few hundred).
PARAMS_BUDGET = 2048
#: Nesting kept (a real request nests three deep: params, Filters, a filter).
_DEPTH = 8


def append(calls: list[Any], call: Any, limit: int | None) -> None:
    """Add ``call``; past ``limit`` entries, forget the oldest."""
    calls.append(call)
    if limit is not None and len(calls) > limit:
        del calls[: len(calls) - limit]


def recorded(params: object, limit: int | None) -> dict[str, Any]:
    """What a call keeps of its params: all of them, or a bounded copy in a bounded log."""
    if not isinstance(params, dict):
        return {}
    return dict(params) if limit is None else bounded(params)


def bounded(params: dict[str, Any], budget: int = PARAMS_BUDGET) -> dict[str, Any]:
    """A copy of ``params`` holding at most about ``budget`` characters.

    What does not fit is replaced by a marker saying how much was left out:
    ``"abc...[9999997 more characters]"``, ``"...[40 more items]"``, a ``"..."`` key.
    """
    return _Cutter(budget).mapping(params, 0)


class _Cutter:
    def __init__(self, budget: int) -> None:
        self.left = budget

    def value(self, value: Any, depth: int) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (dict, list)) and depth >= _DEPTH:
            return "...[nested too deep]"
        if isinstance(value, dict):
            return self.mapping(value, depth + 1)
        if isinstance(value, list):
            return self.sequence(value, depth + 1)
        self.left -= len(repr(value))
        return value

    def text(self, value: str) -> str:
        keep = max(self.left, 0)
        self.left -= len(value)
        if len(value) <= keep:
            return value
        return f"{value[:keep]}...[{len(value) - keep} more characters]"

    def mapping(self, value: dict[str, Any], depth: int) -> dict[str, Any]:
        kept: dict[str, Any] = {}
        for n, (key, item) in enumerate(value.items()):
            if self.left <= 0:
                kept["..."] = f"[{len(value) - n} more keys]"
                break
            self.left -= 1  # every entry costs something, even an empty one
            name = self.text(str(key))
            kept[name] = self.value(item, depth)
        return kept

    def sequence(self, value: list[Any], depth: int) -> list[Any]:
        kept: list[Any] = []
        for n, item in enumerate(value):
            if self.left <= 0:
                kept.append(f"...[{len(value) - n} more items]")
                break
            self.left -= 1
            kept.append(self.value(item, depth))
        return kept
