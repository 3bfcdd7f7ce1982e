"""What a test registers to shape answers: forced page sizes and injected errors.

Both are per operation and reported at teardown when never used up (a plan
the code never reached usually means the test did not test what it meant to).

A page plan belongs to positions in a NextToken chain, not to calls: its
n-th size is the size of page n (the page number a NextToken carries) of
every chain of the operation, so a page asked for again (a retry, botocore's
``StartingToken`` resuming after ``MaxItems``) is the same page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .errors import ServiceError


@dataclass
class Call:
    """One request the fake served (or refused), for tests to assert on (``fake.calls``)."""

    operation: str
    """The API's name of the operation: ``"ListCommandInvocations"``."""
    params: dict[str, Any]
    """The request's parameters as the code sent them (a long-running server's log cuts
    oversized values; see ``FakeSSM(call_limit=)``)."""
    region: str
    """The region the request was signed for (the fake's default when unsigned)."""
    returned: int | None = None
    """How many items the response's list carried; None for an error or a single item."""
    next_token_in: str | None = None
    """The NextToken the request carried (None on a chain's first page)."""
    next_token_out: str | None = None
    """The NextToken the response carried (None on a chain's last page)."""
    page: int | None = None
    """The page number within its NextToken chain (1 for a call without a token)."""
    fault: str | None = None
    """The error code injected into this call by ``fail()``, if one was."""
    error: str | None = None
    """The error code answered (an injected fault or one the service gave)."""


@dataclass
class Fault:
    operation: str
    code: str
    message: str | None
    http_status: int | None
    on_call: int | None
    page: int | None
    times: int | None
    """How many calls it answers; ``None`` for every call (never reported as unused)."""
    served: int = 0

    def due(self, call_number: int, page: int | None) -> bool:
        if self.used_up:
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
        return f"{self.code} on {self.operation} at {where}: served {self.served} of {self.times}"

    @property
    def used_up(self) -> bool:
        return self.times is not None and self.served >= self.times


@dataclass
class PagePlan:
    """Forced sizes of pages 1, 2, ... of every chain, and which pages were served."""

    sizes: list[int]
    served: set[int] = field(default_factory=set)

    @property
    def used_up(self) -> bool:
        return len(self.served) == len(self.sizes)

    def unserved(self) -> list[int]:
        return [page for page in range(1, len(self.sizes) + 1) if page not in self.served]


@dataclass
class Faults:
    faults: list[Fault] = field(default_factory=list)
    plans: dict[str, PagePlan] = field(default_factory=dict)
    call_counts: Counter[str] = field(default_factory=Counter)

    def add_fault(self, fault: Fault) -> None:
        self.faults.append(fault)

    def add_plan(self, operation: str, sizes: list[int]) -> None:
        """Plan the pages after those already planned; a plan wholly served is replaced."""
        plan = self.plans.get(operation)
        if plan is None or plan.used_up:
            self.plans[operation] = PagePlan(list(sizes))
        else:
            plan.sizes.extend(sizes)

    def raise_if_due(self, call: Any) -> None:
        self.call_counts[call.operation] += 1
        number = self.call_counts[call.operation]
        for fault in self.faults:
            if fault.operation == call.operation and fault.due(number, call.page):
                fault.served += 1
                call.fault = fault.code
                raise ServiceError(fault.code, fault.message, fault.http_status)

    def planned(self, operation: str, page: int) -> bool:
        """Whether a page plan decides page ``page`` of the operation's chains."""
        plan = self.plans.get(operation)
        return plan is not None and page <= len(plan.sizes)

    def page_size(self, operation: str, page: int, max_results: int) -> tuple[int, bool]:
        """The size of page ``page`` of a chain, and whether the plan has pages after it."""
        plan = self.plans.get(operation)
        if plan is None or page > len(plan.sizes):
            return max_results, False
        plan.served.add(page)
        return plan.sizes[page - 1], page < len(plan.sizes)

    def unconsumed(self) -> list[str]:
        left = [f.describe() for f in self.faults if f.times is not None and not f.used_up]
        for operation, plan in self.plans.items():
            unserved = plan.unserved()
            if unserved:
                noun = "page" if len(unserved) == 1 else "pages"
                pages = ", ".join(map(str, unserved))
                left.append(f"page plan {plan.sizes} on {operation} ({noun} {pages} never served)")
        return left
