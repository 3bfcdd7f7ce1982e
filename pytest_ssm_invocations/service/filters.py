"""The ``Filters`` of ListCommandInvocations and ListCommands.

Keys and their meaning (API reference): ``InvokedAfter`` keeps items
requested at or after the ISO 8601 instant, ``InvokedBefore`` those requested
before it, ``DocumentName`` an exact name, ``Status`` a value matched against
both ``Status`` and ``StatusDetails`` (``TimedOut`` covers both timeouts,
``Failed`` covers Undeliverable and the other failures reported as Failed).
``ExecutionStage`` (``Executing`` or ``Complete``) belongs to ListCommands
only; on ListCommandInvocations it is ``InvalidFilterKey``. Several filters
must all hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Any

from ..catalogue.statuses import STATUS_CASES
from ..records.times import to_ms
from ..store.ordering import Key
from .errors import ServiceError

EXECUTION_STAGES = ("Executing", "Complete")
#: Command-level StatusDetails beyond the Status enum (user guide, command statuses).
#: ListCommands' Status filter values, as the AWS CLI reference lists them (the model
#: has no enum for filter values): command statuses and command-level details.
_COMMAND_FILTER_VALUES = (
    "Pending", "InProgress", "Success", "Cancelled", "Failed", "TimedOut", "AccessDenied",
    "DeliveryTimedOut", "ExecutionTimedOut", "Incomplete", "NoInstancesInTag", "LimitExceeded",
)  # fmt: skip


@cache
def status_values(operation: str) -> tuple[str, ...]:
    """The Status filter values each operation accepts."""
    if operation == "ListCommandInvocations":
        # The API reference's list: every Status and StatusDetails but Cancelling.
        values = [c.status for c in STATUS_CASES] + [c.status_details for c in STATUS_CASES]
        return tuple(dict.fromkeys(v for v in values if v != "Cancelling"))
    return _COMMAND_FILTER_VALUES


def parse_instant(value: str) -> int:
    """Milliseconds of an ISO 8601 instant such as ``2024-07-07T00:00:00Z`` (UTC if no zone)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return to_ms(when, "filter value")


@dataclass(frozen=True)
class Filter:
    key: str
    value: str
    instant_ms: int = 0

    def _status_matches(self, record: dict[str, Any]) -> bool:
        return self.value in (record["Status"], record["StatusDetails"])

    def _time_matches(self, record: dict[str, Any]) -> bool:
        requested = to_ms(record["RequestedDateTime"], "RequestedDateTime")
        if self.key == "InvokedAfter":
            return requested >= self.instant_ms
        return requested < self.instant_ms

    def matches_invocation(self, record: dict[str, Any]) -> bool:
        if self.key == "Status":
            return self._status_matches(record)
        if self.key == "DocumentName":
            return str(record["DocumentName"]) == self.value
        return self._time_matches(record)

    def matches_command(self, record: dict[str, Any]) -> bool:
        if self.key == "ExecutionStage":
            running: bool = record["CompletedCount"] < record["TargetCount"]
            return (self.value == "Executing") == running
        return self.matches_invocation(record)


Span = tuple[Key | None, Key | None]
TIME_KEYS = ("InvokedAfter", "InvokedBefore")
#: Lower than any sequence number or index: a key with it starts its millisecond.
_FIRST = -(2**62)


def time_span(filters: list[Filter]) -> Span:
    """The sort keys InvokedAfter and InvokedBefore leave: ``[low, high)``, None if open.

    Items are ordered newest first by ``RequestedDateTime`` (see ``Store``), so
    both filters keep a run of them: the time filters cost a binary search,
    not a scan. The keys hold the command's ``RequestedDateTime``, which each
    of its invocations shows (a capture is loaded with its first record's).
    """
    low: Key | None = None
    high: Key | None = None
    for item in filters:
        # requested < T is a key >= (-T + 1, ...); requested >= T a key below it.
        bound = (-item.instant_ms + 1, _FIRST, _FIRST)
        if item.key == "InvokedBefore":
            low = bound if low is None else max(low, bound)
        elif item.key == "InvokedAfter":
            high = bound if high is None else min(high, bound)
    return low, high


def parse_filters(operation: str, raw: list[dict[str, str]] | None) -> list[Filter]:
    """Check filter keys and values; ``InvalidFilterKey`` or ``ValidationException``."""
    filters: list[Filter] = []
    for item in raw or ():
        key, value = item["key"], item["value"]
        if key == "ExecutionStage" and operation == "ListCommandInvocations":
            raise ServiceError(
                "InvalidFilterKey",
                "ExecutionStage is not a valid filter key for ListCommandInvocations; "
                "valid keys: InvokedAfter, InvokedBefore, Status, DocumentName",
            )
        if key in ("InvokedAfter", "InvokedBefore"):
            try:
                filters.append(Filter(key, value, parse_instant(value)))
            except ValueError:
                example = "an ISO 8601 timestamp such as 2024-07-07T00:00:00Z"
                raise _bad_value(key, value, example) from None
            continue
        if key == "Status" and value not in status_values(operation):
            raise _bad_value(key, value, ", ".join(status_values(operation)))
        if key == "ExecutionStage" and value not in EXECUTION_STAGES:
            raise _bad_value(key, value, ", ".join(EXECUTION_STAGES))
        filters.append(Filter(key, value))
    return filters


def _bad_value(key: str, value: str, valid: str) -> ServiceError:
    # unverified: the exact code AWS uses for a bad filter value on these operations.
    return ServiceError(
        "ValidationException", f"Invalid value {value!r} for filter key {key}; valid: {valid}"
    )
