"""A whole command's node draws at once: what drawing node by node draws, in the same order.

``build_command`` draws up to a million nodes. Drawn one by one through the
general functions (``pick_case``, ``draw_platform``, ``draw_instance_name``,
``draw_plugins``), a node costs more in calls and argument checks than in
random numbers. Here what is constant for the command (its document and
platforms, the name pools, each case's response codes, outputs and
durations) is looked up once, and each node takes exactly the draws those
functions take, in their order: records for a given seed are the same either
way (``tests/test_batch_draws.py`` holds them to it).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from ..catalogue.documents import SKIP_WORDINGS, WINDOWS, Document, Failure
from ..catalogue.statuses import StatusCase
from .draws import case_weights, code_from, duration_from, printed_choices
from .pools import pools
from .runs import EXECUTION_TIMEOUT_MS, PluginDraws, draw_plugins

#: What each node printed: (stdout, stderr), or None to draw it.
Printed = tuple[str | None, str | None]
#: Draws one node's plugins from the generator's ``random``.
PluginDrawer = Callable[[Callable[[], float]], PluginDraws]
_NONE: Printed = (None, None)


class NodeDraws(NamedTuple):
    """Everything random about one node's invocation: rendering it needs no generator."""

    instance_id: str
    instance_name: str
    platform: str
    case: StatusCase
    plugins: PluginDraws


def draw_nodes(
    r: random.Random,
    doc: Document,
    requested_ms: int,
    nodes: Sequence[str],
    cases: Sequence[StatusCase | None],
    streams: Printed,
    outputs: Mapping[str, tuple[str, str]],
    platforms: Sequence[str] | None,
    skip_wording: str,
) -> list[NodeDraws]:
    """Each node's draws: its case (when not given), platform, name and plugins, in turn.

    ``streams`` is what every node that ran printed (``stdout``, ``stderr``), and
    ``outputs`` what given nodes printed; a node given output whose case is
    drawn is drawn among the cases that ran.
    """
    rand = r.random
    new = tuple.__new__  # NamedTuple's own constructor parses arguments: a million nodes skip it
    drawn_cases, cumulative = case_weights()
    total = cumulative[-1]
    names, windows_names = pools().instance_names, pools().windows_names
    choices = doc.platforms if platforms is None and len(doc.platforms) > 1 else ()
    fixed_platform = doc.platforms[0]
    # By the identities of the case and streams (all alive till the end: ids stay theirs;
    # ``outputs`` is a dict, whose ``get`` gives its own tuples), and the platform: a case
    # hashes all its fields.
    drawers: dict[tuple[int, str, int], PluginDrawer] = {}
    drawn: list[NodeDraws] = []
    append = drawn.append
    for i, (node, given) in enumerate(zip(nodes, cases, strict=True)):
        if given is not None:
            case = given
        else:
            case = drawn_cases[bisect(cumulative, rand() * total)]
            while node in outputs and not case.finished:  # a node given output is one that ran
                case = drawn_cases[bisect(cumulative, rand() * total)]
        if platforms is not None:
            platform = platforms[i]
        else:
            platform = choices[int(rand() * len(choices))] if choices else fixed_platform
        if rand() >= 0.5:  # half of real nodes show no name
            name = ""
        else:
            pool = windows_names if platform == WINDOWS else names
            name = pool[int(rand() * len(pool))]
        # Only a node that ran prints: the command's streams go to those that did.
        printed = (outputs and outputs.get(node)) or (streams if case.finished else _NONE)
        key = (id(case), platform, id(printed))
        drawer = drawers.get(key)
        if drawer is None:
            drawer = drawers[key] = plugin_drawer(
                r, doc, case, requested_ms, platform, *printed, skip_wording
            )
        append(new(NodeDraws, (node, name, platform, case, drawer(rand))))
    return drawn


def plugin_drawer(
    r: random.Random,
    doc: Document,
    case: StatusCase,
    requested_ms: int,
    platform: str,
    stdout: str | None,
    stderr: str | None,
    skip_wording: str,
) -> PluginDrawer:
    """What ``draw_plugins`` draws for these arguments, with all but the draws done once.

    A document of one step (most) is drawn here; one of several steps, or
    output given to a case that prints none, or an unknown ``skip_wording`` (errors), goes
    through ``draw_plugins``.
    """
    if (
        len(doc.steps_for(platform)) != 1
        or ((stdout or stderr) and not case.finished)
        or skip_wording not in SKIP_WORDINGS
    ):  # drawn, or refused, as draw_plugins does
        return lambda rand: draw_plugins(
            r, doc, case, requested_ms, platform=platform, stdout=stdout, stderr=stderr,
            skip_wording=skip_wording,
        )  # fmt: skip
    codes = case.response_codes
    many_codes = len(codes) > 1
    if not case.reached_node:
        if not many_codes:
            never_reached = PluginDraws(codes[0], ("", ""), ())  # shared: immutable
            return lambda rand: never_reached
        return lambda rand: PluginDraws(code_from(rand, codes), ("", ""), ())
    fixed: tuple[str, str] | None = None
    choices: Sequence[str | Failure] = ()
    if stdout is not None or stderr is not None:
        fixed = (stdout or "", stderr or "")
    else:
        choices = printed_choices(doc, case)
        fixed = None if choices else ("", "")
    finished, timed_out = case.finished, case.status == "TimedOut"
    low, high = doc.duration
    span, start = high - low, requested_ms + 80
    new = tuple.__new__

    def draw(rand: Callable[[], float]) -> PluginDraws:
        code = code_from(rand, codes) if many_codes else codes[0]
        out: tuple[str, str] | Failure
        if fixed is not None:
            out = fixed
        else:
            chosen = choices[int(rand() * len(choices))]
            out = (chosen, "") if isinstance(chosen, str) else chosen
        t = start + int(rand() * 2400)
        if not finished:
            return new(PluginDraws, (code, out, (t, None)))
        took = EXECUTION_TIMEOUT_MS if timed_out else duration_from(rand, low, span)
        return new(PluginDraws, (code, out, (t, t + took)))

    return draw
