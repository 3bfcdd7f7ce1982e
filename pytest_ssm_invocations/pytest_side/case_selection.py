"""Which StatusDetails cases ``@pytest.mark.ssm_status_cases(...)`` selects, checked.

A selection that is malformed or selects nothing is the test author's
mistake, never a reason to skip the test silently: :func:`select` raises
``ValueError`` naming the valid values, and the plugin fails that test alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..catalogue.statuses import STATUS_CASES, StatusCase, status_case

MARKER = "ssm_status_cases"
OPTIONS = ("terminal", "reached_node")


def select(args: Sequence[Any], kwargs: Mapping[str, Any]) -> list[StatusCase]:
    """The cases named by ``args`` (names, or one tuple/list of them), narrowed by ``kwargs``."""
    unknown = sorted(set(kwargs) - set(OPTIONS))
    if unknown:
        raise ValueError(
            f"{MARKER} marker got unknown options {unknown}; valid: StatusDetails names as "
            "arguments (or one tuple of them), terminal=True/False, reached_node=True/False"
        )
    cases = _named(args)
    for option in OPTIONS:
        wanted = kwargs.get(option)
        if wanted is None:
            continue
        if not isinstance(wanted, bool):
            raise ValueError(
                f"{MARKER} marker: {option} must be True, False or None, not {wanted!r}"
            )
        cases = [c for c in cases if getattr(c, option) is wanted]
    if not cases:
        raise ValueError(
            f"{MARKER} marker selects no case: {_describe(args, kwargs)}; the cases with "
            f"their terminal/reached_node flags: {_catalogue()}"
        )
    return cases


def _named(args: Sequence[Any]) -> list[StatusCase]:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    if not args:
        return list(STATUS_CASES)
    cases: list[StatusCase] = []
    for name in args:
        try:
            case = status_case(name)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{MARKER} marker: {error}") from None
        if case not in cases:
            cases.append(case)
    return cases


def _describe(args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{MARKER}({', '.join(parts)})"


def _catalogue() -> str:
    return ", ".join(_flags(c) for c in STATUS_CASES)


def _flags(case: StatusCase) -> str:
    marks: Iterable[str] = (
        name for name, on in (("terminal", case.terminal), ("reached", case.reached_node)) if on
    )
    return f"{case.status_details} ({'/'.join(marks) or '-'})"
