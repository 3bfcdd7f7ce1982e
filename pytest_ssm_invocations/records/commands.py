"""A command sent to many nodes, built once: its invocations and what serving it needs.

:class:`CommandOptions` is the one spec of what shapes a command's records
(names, defaults, checks), and :func:`build_command` builds from it what
``factories.command``, ``FakeSSM.add_command`` and SendCommand stand on: each
node's draws (rendered as records on demand), the output settings and the
resolved document, id, comment and time, so nothing has to be read back out of
the records.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from ..catalogue.defaults import DEFAULT_REGION
from ..catalogue.documents import Document
from ..catalogue.spelling import checked_keywords
from ..catalogue.statuses import StatusCase, status_case
from . import ids, seeding
from .batch import NodeDraws, draw_nodes
from .checks import (
    check_count,
    check_document_version,
    check_flag,
    check_length,
    check_mapping,
    check_optional_str,
    check_str_list,
    check_streams,
)
from .draws import pick_document
from .invocations import CommandParts, command_parts, invocation_record
from .plugins import Placement
from .pools import pools
from .runs import PluginDraws, render_plugins
from .settings import OPTION_NAMES, OutputSettings, output_settings
from .shapes import strip_below_minimums
from .times import default_requested_ms, to_ms

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..types import InvocationRecord
    from .settings import OutputOptions

DEFAULT_INSTANCES = 3
#: A status mix: counts by status (``{"Success": 40, "Failed": 5}``) or one status per node.
StatusMix = Mapping[str, int] | Mapping[StatusCase, int] | Sequence[str | StatusCase]


@dataclass(slots=True)
class CommandOptions:
    """What a command's records are built from, with the defaults of ``factories.command``.

    ``FakeSSM.add_command`` and SendCommand fill the same spec (with a fake's
    own defaults where its API differs: a document, no comment, the fake's
    region); :func:`build_command` checks it once. ``platforms`` gives each
    node's platform (a fleet's); without it each is drawn. ``output_options``
    are the ``OutputOptions`` keywords. Not frozen: one is made per command, and
    a frozen one's init costs four times as much (a small command's add pays it).
    """

    instances: int | None = None
    instance_ids: Sequence[str] | None = None
    statuses: StatusMix | None = None
    document: str | Document | None = None
    command_id: str | None = None
    comment: str | None = None
    document_version: str = "$DEFAULT"
    requested: datetime | None = None
    hybrid: bool = False
    details: bool = True
    region: str = DEFAULT_REGION
    output_options: Mapping[str, Any] = field(default_factory=dict)
    stdout: str | None = None
    stderr: str | None = None
    outputs: Mapping[str, tuple[str, str]] | None = None
    stubber_safe: bool = False
    platforms: Sequence[str] | None = None
    skip_wording: str = "preconditions"


#: The defaults every public builder's signature reads (one spelling: :class:`CommandOptions`).
DEFAULTS = CommandOptions()


#: What stands for a node's draws once rendered and let go.
TAKEN = NodeDraws("", "", "", status_case("Success"), PluginDraws(0, ("", ""), ()))


@dataclass(frozen=True)
class BuiltCommand:
    """One command's invocations, drawn, and everything the fake needs to serve them.

    Each node's invocation is drawn at once and rendered as a record on demand
    (:meth:`render`): the fake stores a million nodes without building a
    million records, and renders each when a call first shows it. ``records``
    renders them all, in order.
    """

    command_id: str
    document: Document
    comment: str
    document_version: str
    requested_ms: int
    settings: OutputSettings
    nodes: list[NodeDraws]
    """Each node's draws (``TAKEN`` once :meth:`take` has rendered it)."""
    details: bool = True
    stubber_safe: bool = False
    skip_wording: str = "preconditions"

    @cached_property
    def _parts(self) -> CommandParts:
        return command_parts(self.settings, self.requested_ms)

    def render(self, index: int) -> tuple[InvocationRecord, dict[str, tuple[str, str]]]:
        """Node ``index``'s record, and the full stdout and stderr of each finished plugin
        whose ``Output`` was cut (the others are read back from ``Output``: see
        ``output.output_streams``)."""
        node = self.nodes[index]
        if node is TAKEN:
            raise RuntimeError(f"node {index} of command {self.command_id} was taken already")
        place = Placement(self.command_id, node.instance_id, self.document, self.settings)
        streams: dict[str, tuple[str, str]] = {}
        plugins = render_plugins(
            place, node.case, node.platform, node.plugins, streams, self.skip_wording
        )
        record = invocation_record(
            place, node.instance_name, self.comment, self.document_version, self.requested_ms,
            node.case, plugins, self.details, self._parts,
        )  # fmt: skip
        if self.stubber_safe:
            record = strip_below_minimums(record, "CommandInvocation")
        return cast("InvocationRecord", record), streams or NO_STREAMS

    def take(self, index: int) -> tuple[InvocationRecord, dict[str, tuple[str, str]]]:
        """What :meth:`render` gives, once: the node's draws are let go (the fake keeps
        the record it renders, and a million draws kept beside it would double it)."""
        rendered = self.render(index)
        self.nodes[index] = TAKEN
        return rendered

    @property
    def records(self) -> list[InvocationRecord]:
        return [record for record, _ in self._rendered]

    @property
    def streams(self) -> list[dict[str, tuple[str, str]]]:
        """Per node, what :meth:`render` gives beside its record."""
        return [streams for _, streams in self._rendered]

    @cached_property
    def _rendered(self) -> list[tuple[InvocationRecord, dict[str, tuple[str, str]]]]:
        return [self.render(i) for i in range(len(self.nodes))]


@checked_keywords("factories.command", also=OPTION_NAMES)
def command(
    *,
    instances: int | None = None,
    instance_ids: Sequence[str] | None = None,
    statuses: StatusMix | None = None,
    document: str | Document | None = None,
    command_id: str | None = None,
    comment: str | None = None,
    document_version: str = DEFAULTS.document_version,
    requested: datetime | None = None,
    hybrid: bool = DEFAULTS.hybrid,
    details: bool = DEFAULTS.details,
    region: str = DEFAULTS.region,
    stdout: str | None = None,
    stderr: str | None = None,
    outputs: Mapping[str, tuple[str, str]] | None = None,
    seed: int | None = None,
    rng: Any = None,
    stubber_safe: bool = DEFAULTS.stubber_safe,
    skip_wording: str = DEFAULTS.skip_wording,
    **output_options: Unpack[OutputOptions],
) -> list[InvocationRecord]:
    """The invocations of one command sent to several nodes.

    ``statuses`` is a mix such as ``{"Success": 40, "Failed": 5}`` (interleaved
    at random, reproducibly) or one status per node in order. The node count
    comes from ``instances``, ``instance_ids`` or the mix, which must agree.
    Every invocation shares the command's id, document, comment, time and
    output settings (``region`` and ``output_options``: ``s3_bucket``,
    ``s3_key_prefix``, ``cloudwatch``, ``notification_arn``/``_events``/
    ``_type``, ``service_role``), as AWS shows them. ``stdout``/``stderr`` are
    what every node that ran printed (a node never reached, or still running,
    shows no output); ``outputs`` maps instance ids to ``(stdout, stderr)``
    tuples for those nodes. Only a node that ran prints: an ``outputs`` entry
    for a node whose status never ran is a ``ValueError``, and a node with an
    entry and no status given is drawn among the statuses that ran.
    A status may name a variant (``{"Cancelled:after-start": 2}``, see
    ``STATUS_VARIANTS``); ``skip_wording="platform"`` words skipped steps as
    older agents did.
    """
    options = CommandOptions(
        instances=instances, instance_ids=instance_ids, statuses=statuses, document=document,
        command_id=command_id, comment=comment, document_version=document_version,
        requested=requested, hybrid=hybrid, details=details, region=region,
        output_options=output_options, stdout=stdout, stderr=stderr, outputs=outputs,
        stubber_safe=stubber_safe, skip_wording=skip_wording,
    )  # fmt: skip
    return build_command(seeding.resolve(seed, rng), options).records


def build_command(r: random.Random, options: CommandOptions) -> BuiltCommand:
    """The command ``options`` describe, checked, with what the fake needs beside the records."""
    o = options
    for flag in ("hybrid", "details", "stubber_safe"):
        check_flag(flag, getattr(o, flag))
    check_optional_str("stdout", o.stdout)
    check_optional_str("stderr", o.stderr)
    nodes, cases = _nodes(r, o.instances, o.instance_ids, o.statuses, o.hybrid)
    given_outputs = _check_outputs(o.outputs, nodes, cases)
    doc = pick_document(r, o.document)
    cid = ids.check_command_id(o.command_id) if o.command_id is not None else ids.command_id(r)
    comment = o.comment
    if comment is None:
        comment = r.choice(pools().comments) if r.random() < 0.5 else ""
    check_length("comment", comment, "CommandInvocation", "Comment")
    check_document_version(o.document_version)
    requested_ms = (
        to_ms(o.requested, "requested") if o.requested is not None else default_requested_ms(r)
    )
    settings = output_settings(doc.name, o.region, o.output_options)
    drawn = draw_nodes(
        r, doc, requested_ms, nodes, cases, (o.stdout, o.stderr), given_outputs, o.platforms,
        o.skip_wording,
    )  # fmt: skip
    return BuiltCommand(
        cid, doc, comment, o.document_version, requested_ms, settings, drawn, o.details,
        o.stubber_safe, o.skip_wording,
    )  # fmt: skip


#: The streams of a node whose plugins' Output shows all they printed (shared: read only).
NO_STREAMS: dict[str, tuple[str, str]] = {}


def _nodes(
    r: random.Random,
    instances: int | None,
    instance_ids: Sequence[str] | None,
    statuses: StatusMix | None,
    hybrid: bool,
) -> tuple[list[str], list[StatusCase | None]]:
    """The nodes the command goes to, and each one's case (None: drawn)."""
    if instances is not None:
        check_count("instances", instances)
    if instance_ids is not None:
        instance_ids = check_str_list("instance_ids", instance_ids, "instance ids")
    cases = expand_statuses(statuses) if statuses is not None else None
    if isinstance(statuses, Mapping) and cases:
        r.shuffle(cases)
    counts = {
        "instances": instances,
        "instance_ids": None if instance_ids is None else len(instance_ids),
        "statuses": None if cases is None else len(cases),
    }
    given = {k: v for k, v in counts.items() if v is not None}
    if len(set(given.values())) > 1:
        raise ValueError(f"node counts disagree: {given}")
    n = next(iter(given.values()), DEFAULT_INSTANCES)  # counts, each checked above
    if instance_ids is not None:
        nodes = [ids.check_instance_id(i, f"instance_ids[{k}]") for k, i in enumerate(instance_ids)]
        duplicates = ids.repeated(nodes)
        if duplicates:
            raise ValueError(f"instance_ids repeat {duplicates}: one invocation per node")
    else:
        nodes = ids.unique_instance_ids(r, n, hybrid=hybrid)
    given_cases: list[StatusCase | None] = [None] * n if cases is None else list(cases)
    return nodes, given_cases


def expand_statuses(statuses: StatusMix) -> list[StatusCase]:
    """A mix (counts by status) or a list of statuses, as one case per node."""
    if isinstance(statuses, Mapping):
        cases: list[StatusCase] = []
        for name, count in statuses.items():
            case = _named_case(f"statuses key {name!r}", name)
            cases.extend([case] * check_count(f"statuses[{name!r}]", count))
        return cases
    if isinstance(statuses, str) or not isinstance(statuses, Sequence):
        raise TypeError(
            "statuses must be a mapping of status to count, or a list of statuses, "
            f"not {type(statuses).__name__} {statuses!r}"
        )
    named: dict[str, StatusCase] = {}  # a status named by many nodes is looked up once
    cases = []
    for i, value in enumerate(statuses):
        known = named.get(value) if type(value) is str else None
        if known is None:
            known = _named_case(f"statuses[{i}]", value)
            if type(value) is str:
                named[value] = known
        cases.append(known)
    return cases


def _named_case(where: str, value: object) -> StatusCase:
    """The status case ``value`` names; the error says which entry of ``statuses`` is bad."""
    try:
        return status_case(value)  # type: ignore[arg-type]  # checked there
    except (TypeError, ValueError) as error:
        raise type(error)(f"{where}: {error}") from None


def _check_outputs(
    outputs: Mapping[str, tuple[str, str]] | None,
    nodes: Sequence[str],
    cases: Sequence[StatusCase | None],
) -> dict[str, tuple[str, str]]:
    """``outputs`` checked: (stdout, stderr) pairs, for nodes the command went to and that ran.

    A node whose status is drawn is drawn among the cases that ran, so the same
    call never fails for some seeds only.
    """
    if outputs is None:
        return {}
    check_mapping("outputs", outputs, "instance id to (stdout, stderr)")
    unknown = sorted(map(repr, set(outputs) - set(nodes)))
    if unknown:
        raise ValueError(f"outputs name nodes the command was not sent to: {', '.join(unknown)}")
    case_of = dict(zip(nodes, cases, strict=True))
    checked = {}
    for node, pair in outputs.items():
        checked[node] = check_streams(f"outputs[{node!r}]", pair)
        case = case_of[node]
        if case is not None and not case.finished:
            raise ValueError(
                f"outputs[{node!r}] is given, but that node's status {case} never ran: "
                "only a node that ran and finished prints output (give it a status that ran, "
                "such as Success or Failed, or drop its outputs entry)"
            )
    return checked
