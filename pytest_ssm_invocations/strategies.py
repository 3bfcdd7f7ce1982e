"""Hypothesis strategies for records, commands, responses and page plans.

Install with the ``hypothesis`` extra. Every strategy draws the *choices*
(status case, document, sizes, a seed) and hands them to the factories, so
the records obey exactly the factories' consistency rules: one source of
rules, not two. Choices shrink towards the simple: Success before other
cases, AWS-RunShellScript before other documents, seed 0, small sizes.

    from hypothesis import given
    from pytest_ssm_invocations import strategies as ssm_st

    @given(ssm_st.commands(max_instances=60))
    def test_report_counts_every_node(invocations): ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as missing:
    if missing.name != "hypothesis":
        raise
    raise ModuleNotFoundError(
        "pytest_ssm_invocations.strategies needs Hypothesis, which is not installed: "
        "pip install 'pytest-ssm-invocations[hypothesis]'",
        name="hypothesis",
    ) from None

from .catalogue.documents import DOCUMENTS, Document
from .catalogue.documents import document as find_document
from .catalogue.statuses import STATUS_CASES, StatusCase, status_case
from .records import Record
from .records import pages as _pages
from .records.commands import command as _command
from .records.invocations import invocation as _invocation
from .records.plugins import plugin as _plugin
from .types import InvocationRecord, PluginRecord

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
#: Success first: Hypothesis shrinks ``sampled_from`` towards the first element.
_CASES_SIMPLE_FIRST = sorted(STATUS_CASES, key=lambda c: c.status_details != "Success")
_DOCUMENTS_SIMPLE_FIRST = sorted(DOCUMENTS, key=lambda d: d.name != "AWS-RunShellScript")


def status_cases(
    *, terminal: bool | None = None, reached_node: bool | None = None
) -> st.SearchStrategy[StatusCase]:
    """StatusDetails cases, optionally only (non-)terminal or (not) reaching the node."""
    cases = [
        c
        for c in _CASES_SIMPLE_FIRST
        if (terminal is None or c.terminal is terminal)
        and (reached_node is None or c.reached_node is reached_node)
    ]
    return st.sampled_from(cases)


def documents() -> st.SearchStrategy[Document]:
    return st.sampled_from(_DOCUMENTS_SIMPLE_FIRST)


def _case(status: str | StatusCase | None) -> st.SearchStrategy[StatusCase]:
    return status_cases() if status is None else st.just(status_case(status))


def _document(document: str | Document | None) -> st.SearchStrategy[Document]:
    return documents() if document is None else st.just(find_document(document))


def invocations(
    *,
    status: str | StatusCase | None = None,
    document: str | Document | None = None,
    details: bool = True,
    stubber_safe: bool = False,
    **overrides: Any,
) -> st.SearchStrategy[InvocationRecord]:
    """One ListCommandInvocations item; ``overrides`` go to ``factories.invocation``."""

    def build(case: StatusCase, doc: Document, seed: int) -> InvocationRecord:
        return _invocation(
            status=case,
            document=doc,
            seed=seed,
            details=details,
            stubber_safe=stubber_safe,
            **overrides,
        )

    return st.builds(build, _case(status), _document(document), SEEDS)


def plugins(
    *, status: str | StatusCase | None = None, document: str | Document | None = None,
    **overrides: Any,
) -> st.SearchStrategy[PluginRecord]:  # fmt: skip
    """One CommandPlugins item; ``overrides`` go to ``factories.plugin``."""
    return st.builds(
        lambda case, doc, seed: _plugin(status=case, document=doc, seed=seed, **overrides),
        _case(status),
        _document(document),
        SEEDS,
    )


def commands(
    *,
    min_instances: int = 0,
    max_instances: int = 20,
    statuses: Sequence[str | StatusCase] | None = None,
    document: str | Document | None = None,
    **overrides: Any,
) -> st.SearchStrategy[list[InvocationRecord]]:
    """The invocations of one command; each node's case drawn (or from ``statuses``)."""
    cases = st.sampled_from([status_case(s) for s in statuses]) if statuses else status_cases()

    @st.composite
    def build(draw: Any) -> list[InvocationRecord]:
        mix = draw(st.lists(cases, min_size=min_instances, max_size=max_instances))
        return _command(
            statuses=mix, document=draw(_document(document)), seed=draw(SEEDS), **overrides
        )

    return build()


def page_plans(
    *, max_pages: int = 6, max_size: int = 50, empty_pages: bool = True
) -> st.SearchStrategy[list[int]]:
    """Forced page sizes for ``ssm_invocations.page_plan(*plan)``, empty pages included."""
    return st.lists(st.integers(0 if empty_pages else 1, max_size), max_size=max_pages)


def responses(
    *, max_items: int = 50, next_token: bool | None = None, **overrides: Any
) -> st.SearchStrategy[Record]:
    """A whole ListCommandInvocations response, with or without a NextToken."""

    @st.composite
    def build(draw: Any) -> Record:
        items = draw(commands(max_instances=max_items, **overrides))
        more = draw(st.booleans()) if next_token is None else next_token
        token = _pages.next_token(items, 0) if more else None
        return _pages.response(items, next_token=token)

    return build()


__all__ = [
    "commands",
    "documents",
    "invocations",
    "page_plans",
    "plugins",
    "responses",
    "status_cases",
]
