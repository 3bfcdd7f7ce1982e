"""A whole command's node draws: each node's case, platform, name and plugins, in turn.

``build_command`` draws up to a million nodes. Each takes the general draws
(``draw_case``, the platform and name draws of ``invocation``, and its
plugins through ``runs.plugin_drawer``), with what is constant for the
command looked up once: the document's platforms, the name pools, and one
plugin drawer per case, platform and output. Records for a given seed are
the same as node-by-node drawing gives (``tests/records/test_batch_draws.py``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..catalogue.documents import Document
from ..catalogue.statuses import StatusCase
from .draws import draw_case
from .invocations import name_from, platform_from
from .runs import PluginDrawer, PluginDraws, plugin_drawer

#: What each node printed: (stdout, stderr), or None to draw it.
Printed = tuple[str | None, str | None]
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
    # By the identities of the case and streams (all alive till the end: ids stay theirs;
    # ``outputs`` is a dict, whose ``get`` gives its own tuples), and the platform: a case
    # hashes all its fields.
    drawers: dict[tuple[int, str, int], PluginDrawer] = {}
    drawn: list[NodeDraws] = []
    append = drawn.append
    for i, (node, given) in enumerate(zip(nodes, cases, strict=True)):
        # A node given output is one that ran.
        case = given if given is not None else draw_case(rand, node in outputs)
        platform = platforms[i] if platforms is not None else platform_from(rand, doc.platforms)
        name = name_from(rand, platform)
        # Only a node that ran prints: the command's streams go to those that did.
        printed = (outputs and outputs.get(node)) or (streams if case.finished else _NONE)
        key = (id(case), platform, id(printed))
        drawer = drawers.get(key)
        if drawer is None:
            drawer = drawers[key] = plugin_drawer(
                r, doc, case, requested_ms, platform, *printed, skip_wording=skip_wording
            )
        append(new(NodeDraws, (node, name, platform, case, drawer(rand))))
    return drawn
