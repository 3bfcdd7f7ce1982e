"""SendCommand and CancelCommand: a command started on the fleet, rolled out on the fake clock.

A sent command resolves its nodes against the fleet, takes the outcome the
test chose (``on_send``) or the one the fleet implies, builds every node's
invocation as if it ran at once, then lets the roll-out (MaxConcurrency,
MaxErrors, the delivery timeout: see ``rollout``) decide when each node runs
or how it ends without running. What the fleet implies, with no outcome
chosen: an online node whose platform the document supports succeeds; an
offline one (ConnectionLost, Inactive) ends ``DeliveryTimedOut`` once the
delivery timeout passes (the user guide: a command "not received by the
agent" before its timeout; ``Undeliverable`` is kept for nodes AWS cannot
reach at all, which a declared fleet does not have); one whose platform the
document cannot run ends ``InvalidPlatform``. A chosen ``InProgress`` on the
clock runs until the document's ``executionTimeout`` and ends
``ExecutionTimedOut``, as the agent ends a run that long.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from ..catalogue.defaults import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_ERRORS,
    DEFAULT_TIMEOUT_SECONDS,
)
from ..catalogue.documents import Document
from ..catalogue.statuses import StatusCase, status_case
from ..records import Record
from ..records.commands import (
    BuiltCommand,
    CommandOptions,
    build_command,
    expand_statuses,
)
from ..records.nodes import ManagedNode
from ..records.reshape import ended_after, never_ran, shifted
from ..records.times import from_ms, to_ms
from ..store.entries import NO_ALARMS, CommandEntry, InvocationEntry
from ..store.fleet import TargetError
from ..store.indexes import Store
from ..store.lifecycle import SETTLE_MS
from ..store.rollout import NEVER, NodeOutcome, NodePlan, roll_out
from .errors import ServiceError
from .outcomes import Outcome, Outcomes
from .send_checks import (
    check_distinct,
    check_notification,
    check_outputs,
    check_parameters,
    check_platforms,
    check_targeting,
    find_document,
    output_options,
)

_SUCCESS = status_case("Success")
_INVALID_PLATFORM = status_case("InvalidPlatform")
_DELIVERY_TIMED_OUT = status_case("DeliveryTimedOut")
_IN_PROGRESS = status_case("InProgress")
_EXECUTION_TIMED_OUT = status_case("ExecutionTimedOut")
#: What a node the test left waiting ends as once the delivery timeout passes.
_NEVER_DELIVERED = {
    status_case("Pending"): status_case("DeliveryTimedOut"),
    status_case("Delayed"): status_case("DeliveryTimedOut:after-delay"),
}


def start_command(
    store: Store,
    rng: random.Random,
    outcomes: Outcomes,
    params: Mapping[str, Any],
    region: str,
    progress: str | None,
) -> CommandEntry:
    """The command a SendCommand request starts, stored and rolling out."""
    # Every check comes before anything is drawn, stored or used up: a refused request
    # changes nothing (no outcome used, no draw from the seed's generator).
    instance_ids, targets = check_targeting(params)
    doc, accepted = find_document(params, store.documents.get(region, {}))
    # Echoed sorted by name, as real ListCommands and SendCommand answers show them.
    parameters = {k: list(v) for k, v in sorted((params.get("Parameters") or {}).items())}
    execution_timeout = check_parameters(doc, accepted, parameters)
    check_notification(params)
    check_outputs(params)
    now = store.clock.now_ms
    try:
        if instance_ids:
            nodes = store.fleet.by_ids(region, instance_ids, platforms=doc.platforms, now_ms=now)
            check_platforms(doc, nodes)
        else:
            nodes = store.fleet.by_targets(region, targets, platforms=doc.platforms, now_ms=now)
    except TargetError as error:
        raise ServiceError(error.code, str(error)) from None
    outcome = outcomes.next_for(doc.name)
    if outcome is not None:
        check_outcome(outcome, doc, nodes, rng)  # a test's mistake: OnSendMismatch
        outcome.used += 1
    cases = _planned_cases(rng, doc, nodes, outcome)
    options = CommandOptions(
        instance_ids=[n.instance_id for n in nodes], statuses=cases, document=doc,
        comment=params.get("Comment", ""),
        # Not sent: "" in every real answer (SendCommand, ListCommands, the invocations).
        document_version=params.get("DocumentVersion", ""),
        requested=from_ms(now), region=region, output_options=output_options(params),
        stdout=outcome.stdout if outcome else None, stderr=outcome.stderr if outcome else None,
        outputs=outcome.outputs if outcome else None, platforms=[n.platform_type for n in nodes],
    )  # fmt: skip
    built = build_command(rng, options)
    entry = CommandEntry.of_built(
        built,
        region=region,
        seq=store.next_seq(),
        keep=False,
        parameters=parameters,
        targets=targets,
        targeted_by_ids=bool(instance_ids),
        max_concurrency=params.get("MaxConcurrency", DEFAULT_MAX_CONCURRENCY),
        max_errors=params.get("MaxErrors", DEFAULT_MAX_ERRORS),
        timeout_seconds=params.get("TimeoutSeconds", DEFAULT_TIMEOUT_SECONDS),
        execution_timeout=execution_timeout,
        alarm_configuration=_alarms(params.get("AlarmConfiguration")),
        request=dict(params),
        progress=progress if outcome is None else outcome.progress,
        invisible_for=0 if outcome is None else outcome.invisible_for,
    )
    entry.invocations = _rolled_out(entry, built, cases, nodes)
    store.add(entry)
    return entry


def sent_view(entry: CommandEntry, now_ms: int) -> Record:
    """The ``Command`` a SendCommand response carries: sent by Targets, the service has
    not resolved them yet (``InstanceIds`` empty, ``TargetCount`` 0, as real responses show)."""
    view = entry.view(now_ms)
    if not entry.targeted_by_ids:
        view["TargetCount"] = 0
    return view


def cancel_command(store: Store, params: Mapping[str, Any], region: str) -> Record:
    """Cancel a command on every node, or on the ``InstanceIds`` given; ``{}`` as AWS answers."""
    command = store.region(region).commands.get(params["CommandId"])
    if command is None:
        raise ServiceError("InvalidCommandId")
    wanted = list(params.get("InstanceIds") or [])
    check_distinct(wanted)
    entries = command.invocations
    if wanted:
        by_id = {e.instance_id: e for e in command.invocations}
        unknown = [i for i in wanted if i not in by_id]
        if unknown:
            raise ServiceError(
                "InvalidInstanceId",
                f"Command {command.command_id} was not sent to {', '.join(unknown)}",
            )
        entries = [by_id[i] for i in wanted]
    with store.lock:  # one change: no reader sees the cancel without its roll-out
        ended = store.cancel(entries, store.clock.now_ms)
        if ended and not wanted:
            command.cancelled = True
        elif ended and command.rollout is not None:
            _roll_out_again(command, store.clock.now_ms)
    return {}


def _planned_cases(
    rng: random.Random, doc: Document, nodes: Sequence[ManagedNode], outcome: Outcome | None
) -> list[StatusCase]:
    """Each node's case as if it ran now: the outcome the test chose (checked against the
    nodes by ``check_outcome``), or the fleet's."""
    if outcome is None or outcome.statuses is None:
        return [_implied(doc, node) for node in nodes]
    cases = expand_statuses(outcome.statuses)
    if isinstance(outcome.statuses, Mapping):
        rng.shuffle(cases)
    if outcome.progress == "clock":
        # A run the test left going never ends by itself, but the document's
        # executionTimeout ends it: InProgress until then, ExecutionTimedOut after; a
        # node left Pending or Delayed stays so until the delivery timeout, then
        # DeliveryTimedOut (a snapshot, progress None, or a poll walk keeps them as asked).
        cases = [
            _EXECUTION_TIMED_OUT if c is _IN_PROGRESS else _NEVER_DELIVERED.get(c, c) for c in cases
        ]
    return cases


def check_outcome(
    outcome: Outcome, doc: Document, nodes: Sequence[ManagedNode], rng: random.Random
) -> None:
    """:class:`OnSendMismatch` when ``outcome`` cannot serve this command: its statuses
    count other nodes than it resolved to, or give a node a status its platform cannot
    reach with ``doc``. Checked before anything is used or drawn (a mix is shuffled on a
    copy of ``rng``, as ``_planned_cases`` will shuffle it), so nothing changes."""
    if outcome.statuses is None:
        return
    cases = expand_statuses(outcome.statuses)
    if len(cases) != len(nodes):
        outcome.mismatch(
            f"on_send(statuses=...) gives {len(cases)} nodes, but the {doc.name} command the "
            f"code sent resolved to {len(nodes)}: {[n.instance_id for n in nodes]}. Give one "
            "status per node, in the fleet's order, or a mix such as {'Success': 2}"
        )
    if isinstance(outcome.statuses, Mapping):
        trial = random.Random()
        trial.setstate(rng.getstate())
        trial.shuffle(cases)
    for node, case in zip(nodes, cases, strict=True):
        if case.reached_node and node.platform_type not in doc.platforms:
            outcome.mismatch(
                f"on_send status {case} for {node.instance_id}, a {node.platform_type} "
                f"node, which cannot run {doc.name} (it runs on {', '.join(doc.platforms)})"
            )


def _implied(doc: Document, node: ManagedNode) -> StatusCase:
    if node.platform_type not in doc.platforms:
        return _INVALID_PLATFORM
    return _SUCCESS if node.online else _DELIVERY_TIMED_OUT


def _rolled_out(
    entry: CommandEntry,
    built: BuiltCommand,
    cases: Sequence[StatusCase],
    nodes: Sequence[ManagedNode],
) -> list[InvocationEntry]:
    """Each node's invocation, moved to its turn in the roll-out or ended without one.

    ``InstanceName`` is the node's host name, as DescribeInstanceInformation shows it.
    """
    records = [
        {**r, "InstanceName": n.computer_name} for r, n in zip(built.records, nodes, strict=True)
    ]
    plans = [_plan(record, case, entry) for record, case in zip(records, cases, strict=True)]
    entry.rollout = (records, plans)
    invocations = []
    for i, (final, settles, outcome) in enumerate(_turns(entry)):
        invocations.append(
            InvocationEntry.of(entry, final, built.streams[i], i, settles, outcome.case)
        )
    return invocations


def _turns(
    entry: CommandEntry, cancelled: Mapping[int, float] | None = None
) -> list[tuple[Record, float | None, NodeOutcome]]:
    """Each node's final record, when a node never reached settles, and its outcome, under
    the command's roll-out (``cancelled``: when cancels ended nodes, after the request)."""
    assert entry.rollout is not None  # a sent command
    records, plans = entry.rollout
    outcomes = roll_out(
        plans,
        max_concurrency=entry.max_concurrency,
        max_errors=entry.max_errors,
        delivery_timeout_ms=entry.delivery_timeout_s * 1000,
        cancelled=cancelled,
    )
    turns = []
    for record, plan, outcome in zip(records, plans, outcomes, strict=True):
        settles: float | None = None
        final: Record
        if outcome.case is not plan.case:
            final, settles = never_ran(record, outcome.case), entry.requested_ms + outcome.end_ms
        elif outcome.start_ms is not None:
            final = shifted(record, outcome.start_ms - plan.delivery_ms)
            if plan.case.status_details == "ExecutionTimedOut":
                final = ended_after(final, plan.run_ms)
        else:
            final = dict(record)
            if outcome.end_ms != NEVER:
                settles = entry.requested_ms + outcome.end_ms
        turns.append((final, settles, outcome))
    return turns


def _roll_out_again(command: CommandEntry, now_ms: int) -> None:
    """After a cancel of some nodes: the nodes still waiting their turn take the places it
    freed (``rollout``); every other node keeps what it had."""
    ended = {
        e.index: e.cancelled_ms - command.requested_ms
        for e in command.invocations
        if e.cancelled_ms is not None
    }
    turns = _turns(command, ended)
    for entry, (final, settles, outcome) in zip(command.invocations, turns, strict=True):
        if entry.cancel_ms is not None or (final == entry.final and settles == entry.settles_ms):
            continue
        entry.final, entry.settles_ms, entry.drawn_case = final, settles, outcome.case
        command.views.pop(entry.index, None)
        command.moved(entry, now_ms)


def _plan(record: Mapping[str, Any], case: StatusCase, entry: CommandEntry) -> NodePlan:
    """How long the built record takes to start and to run, from its plugins' times."""
    plugins = record["CommandPlugins"]
    starts = [
        to_ms(p["ResponseStartDateTime"], "start") for p in plugins if "ResponseStartDateTime" in p
    ]
    if not (case.reached_node and starts):
        return NodePlan(case, SETTLE_MS)
    first = min(starts)
    if case.status_details == "ExecutionTimedOut":
        run = entry.execution_timeout * 1000
    else:
        ends = [
            to_ms(p["ResponseFinishDateTime"], "end")
            for p in plugins
            if "ResponseFinishDateTime" in p
        ]
        run = max(ends, default=first) - first
    return NodePlan(case, first - entry.requested_ms, run)


def _alarms(config: Mapping[str, Any] | None) -> dict[str, Any]:
    if not config:
        return dict(NO_ALARMS)
    return {
        "IgnorePollAlarmFailure": bool(config.get("IgnorePollAlarmFailure", False)),
        "Alarms": [dict(a) for a in config.get("Alarms", [])],
    }
