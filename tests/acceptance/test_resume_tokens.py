"""Resuming a walk (botocore's ``StartingToken`` and ``MaxItems``) with commands added between.

botocore's resume token is the NextToken of the page it was reading and how
many of that page's items it already handed out: resuming asks for that page
again and skips them. So a NextToken must read the same page whenever it is
sent, even after an empty page and after newer commands arrived; else an item
repeats or goes missing. The expectation is what the test added before the
walk began, in AWS's order (newest first, at one instant the command added last
first): what is added later sorts in front of the walk and is never part of it.

A resume token cut from the first page carries no NextToken: resuming reads a
first page again, a new query that sees what was added (against AWS too), so
commands are added only while the resume token holds a NextToken.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import strategies as ssm_st
from pytest_ssm_invocations.fake import FakeSSM

from ..conftest import active, client

Key = tuple[str, str]
FILTERS: list[list[dict[str, str]] | None] = [
    None,
    [{"key": "Status", "value": "Success"}],
    [{"key": "InvokedAfter", "value": "2020-01-01T00:00:00Z"}],  # the account-wide shape
]


def _keys(items: list[dict[str, Any]]) -> list[Key]:
    return [(i["CommandId"], i["InstanceId"]) for i in items]


class Pages:
    """Every ListCommandInvocations page a client was served: its request and its items."""

    def __init__(self, ssm: Any) -> None:
        self.served: list[tuple[dict[str, Any], list[Key]]] = []
        events = ssm.meta.events
        events.register("provide-client-params.ssm.ListCommandInvocations", self._request)
        events.register("after-call.ssm.ListCommandInvocations", self._response)

    def _request(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["sent"] = dict(params)

    def _response(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        self.served.append((context["sent"], _keys(parsed.get("CommandInvocations", []))))


def _resume(ssm: Any, params: dict[str, Any], token: str | None, max_items: int) -> Any:
    config: dict[str, Any] = {"MaxItems": max_items, "StartingToken": token}
    if params.get("MaxResults"):
        config["PageSize"] = params["MaxResults"]
    query = {k: v for k, v in params.items() if k != "MaxResults"}
    paginator = ssm.get_paginator("list_command_invocations")
    return paginator.paginate(PaginationConfig=config, **query).build_full_result()


def _holds_next_token(resume: str) -> bool:
    """Whether botocore's resume token (base64 JSON) holds a NextToken of the service."""
    return bool(json.loads(base64.b64decode(resume)).get("NextToken"))


def _add(fake: FakeSSM, sizes: list[int], later: bool) -> None:
    if later:
        fake.clock.advance(seconds=1)
    for size in sizes:
        fake.add_command(instances=size)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mode=st.sampled_from(["exact", "aws", "chaos"]),
    plan=st.one_of(st.just([]), ssm_st.page_plans(max_pages=6, max_size=4)),
    before=st.lists(st.integers(1, 3), max_size=4),
    filters=st.sampled_from(FILTERS),
    page_size=st.sampled_from([None, 1, 2, 3]),
    max_items=st.integers(1, 4),
    added=st.lists(st.tuples(st.lists(st.integers(1, 2), max_size=2), st.booleans()), max_size=8),
    seed=st.integers(0, 2**16),
)
def test_resumed_walks_repeat_and_lose_nothing(
    mode: str,
    plan: list[int],
    before: list[int],
    filters: list[dict[str, str]] | None,
    page_size: int | None,
    max_items: int,
    added: list[tuple[list[int], bool]],
    seed: int,
) -> None:
    fake = FakeSSM(seed=seed, paging=mode)
    handles = [fake.add_command(instances=size) for size in before]
    expected = [(h.command_id, node) for h in reversed(handles) for node in h.instance_ids]
    if plan:
        fake.page_plan(*plan)
    params: dict[str, Any] = {"Filters": filters} if filters else {}
    if page_size:
        params["MaxResults"] = page_size
    ssm = client()
    pages = Pages(ssm)
    walked: list[Key] = []
    resumed: list[tuple[str | None, list[Key], str | None]] = []
    with active(fake):
        token: str | None = None
        for step in range(200):
            result = _resume(ssm, params, token, max_items)
            got = _keys(result["CommandInvocations"])
            resumed.append((token, got, result.get("NextToken")))
            walked += got
            token = result.get("NextToken")
            if token is None:
                break
            if step < len(added) and _holds_next_token(token):
                _add(fake, *added[step])
        assert token is None, "the walk never ended"
        assert walked == expected  # nothing repeated, nothing lost, nothing from later

        _add(fake, [1, 2], later=True)
        for sent, items in list(pages.served):  # each NextToken reads the page it read before
            if "NextToken" in sent:
                again = ssm.list_command_invocations(**sent)
                assert _keys(again["CommandInvocations"]) == items
        for token, got, handed_on in resumed:  # and each resume token its items
            if token is None or not _holds_next_token(token):
                continue  # a first page, read again: a new query
            result = _resume(ssm, params, token, max_items)
            again = _keys(result["CommandInvocations"])
            assert (again, result.get("NextToken")) == (got, handed_on)


def test_an_empty_first_page_hands_on_a_token_newer_commands_cannot_move() -> None:
    """The case of issue 22: page 1 empty, page 2 [A0, A1], MaxItems 1, then a newer B."""
    fake = FakeSSM(seed=3)
    first = fake.add_command(instances=2)
    fake.page_plan(0)
    ssm = client()
    with active(fake):
        head = _resume(ssm, {}, None, 1)
        assert _keys(head["CommandInvocations"]) == [(first.command_id, first.instance_ids[0])]
        fake.add_command(instances=1)
        rest = _resume(ssm, {}, head["NextToken"], 10)
    assert _keys(rest["CommandInvocations"]) == [(first.command_id, first.instance_ids[1])]
    assert "NextToken" not in rest
