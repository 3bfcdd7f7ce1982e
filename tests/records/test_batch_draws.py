"""A command's nodes drawn at once take the same draws as node by node: same seed, same records."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import factories
from pytest_ssm_invocations.catalogue.documents import DOCUMENTS, SKIP_WORDINGS, Document
from pytest_ssm_invocations.catalogue.statuses import (
    STATUS_CASES,
    STATUS_VARIANTS,
    StatusCase,
    status_case,
)
from pytest_ssm_invocations.records import ids
from pytest_ssm_invocations.records.batch import NodeDraws, draw_nodes
from pytest_ssm_invocations.records.draws import pick_case
from pytest_ssm_invocations.records.invocations import draw_instance_name, draw_platform
from pytest_ssm_invocations.records.runs import draw_plugins

ALL_CASES = (*STATUS_CASES, *STATUS_VARIANTS)
REQUESTED_MS = 1_746_057_600_000


def node_by_node(
    r: random.Random,
    doc: Document,
    nodes: Sequence[str],
    cases: Sequence[StatusCase | None],
    streams: tuple[str | None, str | None],
    outputs: Mapping[str, tuple[str, str]],
    platforms: Sequence[str] | None,
    skip_wording: str,
) -> list[NodeDraws]:
    """The draws as the general functions take them, one node after another."""
    drawn = []
    for i, (node, given_case) in enumerate(zip(nodes, cases, strict=True)):
        case = given_case if given_case is not None else pick_case(r, None)
        while given_case is None and node in outputs and not case.finished:
            case = pick_case(r, None)
        platform = platforms[i] if platforms is not None else draw_platform(r, doc)
        name = draw_instance_name(r, platform)
        out, err = outputs.get(node) or (streams if case.finished else (None, None))
        plugins = draw_plugins(
            r, doc, case, REQUESTED_MS, platform=platform, stdout=out, stderr=err,
            skip_wording=skip_wording,
        )  # fmt: skip
        drawn.append(NodeDraws(node, name, platform, case, plugins))
    return drawn


@st.composite
def commands(draw: st.DrawFn) -> dict[str, object]:
    doc = draw(st.sampled_from(DOCUMENTS))
    n = draw(st.integers(0, 40))
    nodes = [f"i-{k:017x}" for k in range(n)]
    case = st.sampled_from(ALL_CASES)
    cases = draw(st.lists(st.one_of(st.none(), case), min_size=n, max_size=n))
    text = st.sampled_from([None, "", "ok\n", "x" * 2600])
    given = draw(st.lists(st.sampled_from(nodes), max_size=3)) if nodes else []
    outputs = {node: (draw(st.sampled_from(["mine", "y" * 2600])), "") for node in given}
    given_platforms = draw(st.booleans())
    return {
        "doc": doc,
        "nodes": nodes,
        "cases": cases,
        "streams": (draw(text), draw(text)),
        "outputs": outputs,
        "platforms": [draw(st.sampled_from(doc.platforms)) for _ in nodes]
        if given_platforms
        else None,
        "skip_wording": draw(st.sampled_from((*SKIP_WORDINGS, "never"))),
    }


@settings(max_examples=400, deadline=None)
@given(command=commands(), seed=st.integers(0, 2**32))
def test_drawing_a_command_at_once_takes_the_draws_of_node_by_node(
    command: dict[str, object], seed: int
) -> None:
    at_once, one_by_one = random.Random(seed), random.Random(seed)
    args = (
        command["doc"], command["nodes"], command["cases"], command["streams"],
        command["outputs"], command["platforms"], command["skip_wording"],
    )  # fmt: skip
    try:
        expected: object = node_by_node(one_by_one, *args)  # type: ignore[arg-type]
    except ValueError as error:
        expected = str(error)
    doc, nodes, cases, streams, outputs, platforms, wording = args
    try:
        got: object = draw_nodes(
            at_once, doc, REQUESTED_MS, nodes, cases, streams, outputs, platforms, wording,  # type: ignore[arg-type]
        )  # fmt: skip
    except ValueError as error:
        got = str(error)
    assert got == expected
    assert at_once.getstate() == one_by_one.getstate()


@pytest.mark.parametrize("seed", range(20))
def test_stdout_goes_to_the_drawn_nodes_that_ran_and_no_seed_refuses_it(seed: int) -> None:
    # Before: a drawn case that never ran (DeliveryTimedOut, ...) met stdout and raised.
    records = factories.command(
        instances=60, stdout="patched", document="AWS-RunShellScript", seed=seed
    )
    ran = 0
    for record in records:
        (plugin,) = record["CommandPlugins"]
        if status_case(record["StatusDetails"]).finished:
            assert plugin["Output"].startswith("patched")
            ran += 1
        else:
            assert plugin["Output"] == ""
    assert ran >= 40  # most of a healthy fleet ran


class _Repeating(random.Random):
    """A generator whose ids repeat often (8 values): the path that draws again."""

    def getrandbits(self, k: int) -> int:
        return super().getrandbits(3)


@pytest.mark.parametrize("kind", [random.Random, _Repeating])
@pytest.mark.parametrize("hybrid", [False, True])
def test_unique_ids_in_batches_are_the_ids_drawn_one_at_a_time(
    kind: type[random.Random], hybrid: bool
) -> None:
    for seed in range(60):
        n = seed % 9 if kind is _Repeating else seed * 7
        batched, single = kind(seed), kind(seed)
        expected: dict[str, None] = {}
        while len(expected) < n:
            expected.setdefault(ids.instance_id(single, hybrid=hybrid), None)
        assert ids.unique_instance_ids(batched, n, hybrid=hybrid) == list(expected)
        assert batched.getstate() == single.getstate()
