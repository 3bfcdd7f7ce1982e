"""What a test registers to shape answers: forced page sizes and injected errors.

Both are per operation, consumed as calls arrive, and reported at teardown
when never consumed (a plan the code never reached usually means the test
did not test what it meant to).
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from .errors import ServiceError


@dataclass
class Call:
    """One request the fake served (or refused), for tests to assert on."""

    operation: str
    params: dict[str, Any]
    region: str
    returned: int | None = None
    """How many items the response carried."""
    next_token_in: str | None = None
    next_token_out: str | None = None
    page: int | None = None
    """The page number within its NextToken chain (1 for a call without a token)."""
    fault: str | None = None
    """The error code injected into this call, if one was."""
    error: str | None = None
    """The error code answered (an injected fault or a real error)."""


@dataclass
class Fault:
    operation: str
    code: str
    message: str | None
    status: int | None
    on_call: int | None
    page: int | None
    times: int
    served: int = 0

    def due(self, call_number: int, page: int | None) -> bool:
        if self.served >= self.times:
            return False
        if self.page is not None:
            return page == self.page
        if self.on_call is not None:
            return call_number >= self.on_call and (self.served > 0 or call_number == self.on_call)
        return True

    def describe(self) -> str:
        where = (
            f"page {self.page}"
            if self.page is not None
            else f"call {self.on_call}"
            if self.on_call is not None
            else "the next call"
        )
        return f"{self.code} on {self.operation} at {where} ({self.served}/{self.times} served)"


@dataclass
class Faults:
    faults: list[Fault] = field(default_factory=list)
    plans: dict[str, deque[int]] = field(default_factory=dict)
    call_counts: Counter[str] = field(default_factory=Counter)

    def add_fault(self, fault: Fault) -> None:
        self.faults.append(fault)

    def add_plan(self, operation: str, sizes: list[int]) -> None:
        self.plans.setdefault(operation, deque()).extend(sizes)

    def raise_if_due(self, call: Any) -> None:
        self.call_counts[call.operation] += 1
        number = self.call_counts[call.operation]
        for fault in self.faults:
            if fault.operation == call.operation and fault.due(number, call.page):
                fault.served += 1
                call.fault = fault.code
                raise ServiceError(fault.code, fault.message, fault.status)

    def page_size(self, operation: str, max_results: int) -> tuple[int, bool]:
        """The size of the page to serve, and whether the plan has more pages after it."""
        plan = self.plans.get(operation)
        if plan:
            return plan.popleft(), bool(plan)
        return max_results, False

    def unconsumed(self) -> list[str]:
        left = [f.describe() for f in self.faults if f.served < f.times]
        left += [
            f"page plan {list(sizes)} on {operation}"
            for operation, sizes in self.plans.items()
            if sizes
        ]
        return left
