"""Finding calls in the fake's call log, and saying what was called when an assertion fails.

What ``FakeSSM.calls_to``, ``assert_called`` and ``assert_all_consumed`` share:
operation names in either spelling (``ListCommandInvocations`` or botocore's
``list_command_invocations``), request parameters matched by equality
(:data:`ANY` matches any value the request carried), and failure messages
that list every call served, as pytest-httpx and responses list requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..catalogue.spelling import did_you_mean
from ..records.checks import check_whole
from ..service.faults import Call
from ..service.operations import OPERATIONS


class _AnyValue:
    """Equal to every value: ``assert_called("ListCommandInvocations", NextToken=ANY)``."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "ANY"


#: Matches any value of a request parameter that is present (and any nested value).
ANY: Any = _AnyValue()

_BY_SNAKE_NAME = {snake: name for name, snake in OPERATIONS.items()}


def operation_name(operation: str) -> str:
    """The API name of ``operation``, given as the API or botocore's client method names it.

    Raises ``ValueError`` naming the faked operations for any other name, so a
    typo never reads as "no calls".
    """
    if isinstance(operation, str):
        if operation in OPERATIONS:
            return operation
        if operation in _BY_SNAKE_NAME:
            return _BY_SNAKE_NAME[operation]
    valid = ", ".join(f"{name} ({snake})" for name, snake in OPERATIONS.items())
    hint = did_you_mean(operation, [*OPERATIONS, *_BY_SNAKE_NAME])
    raise ValueError(f"unknown operation {operation!r}{hint}; the fake answers: {valid}")


def matching(calls: Iterable[Call], operation: str, params: Mapping[str, Any]) -> list[Call]:
    """The calls of ``operation`` whose request carried every one of ``params``, equal."""
    name = operation_name(operation)
    return [c for c in calls if c.operation == name and _carries(c.params, params)]


def _carries(sent: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    return all(key in sent and sent[key] == value for key, value in wanted.items())


def check_called(
    calls: Sequence[Call], operation: str, times: int | None, params: Mapping[str, Any]
) -> list[Call]:
    """The matching calls; ``AssertionError`` listing every call when their number is wrong.

    ``times=None`` asks for at least one call, an int for exactly that many.
    """
    if times is not None:
        check_whole("times", times, 0, optional=True)
    found = matching(calls, operation, params)
    if (times is None and found) or len(found) == times:
        return found
    wanted = _request(operation_name(operation), params)
    expected = "at least once" if times is None else _count(times)
    raise AssertionError(
        f"expected {wanted} to be called {expected}, but it was called {_count(len(found))}.\n"
        + describe_calls(calls)
    )


def check_consumed(unconsumed: Sequence[str], calls: Sequence[Call]) -> None:
    """``AssertionError`` naming what was registered and never used, and every call served."""
    if unconsumed:
        left = "\n".join(f"  - {item}" for item in unconsumed)
        raise AssertionError(
            f"registered on the fake SSM but not used up:\n{left}\n" + describe_calls(calls)
        )


def describe_calls(calls: Sequence[Call]) -> str:
    """Every call served, one a line: the request, its region and what was answered."""
    if not calls:
        return "No SSM call was served."
    lines = [f"SSM calls served ({len(calls)}):"]
    for number, call in enumerate(calls, 1):
        lines.append(f"  {number}. {_request(call.operation, call.params)} in {call.region}")
        lines.append(f"     -> {_outcome(call)}")
    return "\n".join(lines)


def _request(operation: str, params: Mapping[str, Any]) -> str:
    arguments = ", ".join(f"{key}={value!r}" for key, value in params.items())
    return f"{operation}({arguments})"


def _outcome(call: Call) -> str:
    if call.error is not None:
        injected = " (injected)" if call.fault == call.error else ""
        return f"error {call.error}{injected}"
    parts = [] if call.returned is None else [f"{call.returned} items"]
    if call.page is not None:
        parts.append(f"page {call.page}")
    if call.next_token_out:
        parts.append("a NextToken")
    return ", ".join(parts) or "answered"


def _count(times: int) -> str:
    return "once" if times == 1 else "never" if times == 0 else f"{times} times"
