"""The fake SSM's semantics: one object answers every request, whatever carried it.

``handle(operation, params, region)`` returns the response dict or raises
:class:`ServiceError`; it returns plain records, never bytes. The botocore
hook, moto and the HTTP server carry bytes to and from it through one
exchange (``wire.exchange``), so they can never disagree.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import Record, ids
from ..store.entries import CommandEntry, InvocationEntry
from ..store.indexes import Store
from ..store.ordering import position_after, position_at
from . import call_log
from .briefs import Briefs
from .detail import invocation_detail
from .errors import ServiceError
from .faults import Call, Faults
from .filters import TIME_KEYS, Span, parse_filters, time_span
from .node_filters import Listed, check_named_nodes, parse_node_filters
from .operations import OPERATIONS as OPERATIONS
from .operations import NotFaked
from .outcomes import Outcomes
from .paging import DEFAULT_MAX_RESULTS, PagingPolicy
from .polls import PollWatch, polled
from .send import cancel_command, sent_view, start_command
from .tokens import Cursor, TokenCodec, fake_secret, query_digest
from .validation import check_body, validate

#: DescribeInstanceInformation's default page size (API reference: "The default value is 10").
DEFAULT_NODES_PER_PAGE = 10


@dataclass
class Page:
    items: list[Any]
    next_cursor: Cursor | None


@dataclass
class SSMService:
    store: Store
    secret: bytes = b"pytest-ssm-invocations"
    faults: Faults = field(default_factory=Faults)
    calls: list[Call] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)
    """Draws what a sent command's records leave open (outputs, times)."""
    outcomes: Outcomes = field(default_factory=Outcomes)
    sent: list[CommandEntry] = field(default_factory=list)
    """Commands that arrived through SendCommand, in order."""
    send_progress: str | None = "clock"
    """How a sent command with no chosen outcome moves (see ``add_command``'s progress)."""
    call_limit: int | None = None
    """Bound the call log (long-running servers): the latest calls, params cut to a budget."""
    paging: PagingPolicy = field(default_factory=PagingPolicy)
    polls: PollWatch = field(default_factory=PollWatch)
    """Poll loops on a frozen clock, stopped (see ``polls``)."""

    def __post_init__(self) -> None:
        self._tokens = TokenCodec(self.secret)
        self.briefs = Briefs()
        # Each faked operation is answered by the method named after it: ``_list_commands``.
        self._handlers: dict[str, Callable[[dict[str, Any], str, Call], Record]] = {
            operation: getattr(self, f"_{snake}") for operation, snake in OPERATIONS.items()
        }

    # -- entry point ---------------------------------------------------------

    def handle(self, operation: str, params: dict[str, Any], region: str) -> Record:
        """Answer one request, recording it in :attr:`calls`.

        ``params`` is the parsed JSON body as sent: anything but an object, or a
        member of the wrong JSON type, is ``SerializationException``; null
        members are absent (see ``serialization``).
        """
        handler = self._handlers.get(operation)
        if handler is None:
            raise NotFaked(operation)
        recorded = call_log.recorded(params, self.call_limit)
        call = Call(operation=operation, params=recorded, region=region)
        with self.store.lock:
            call_log.append(self.calls, call, self.call_limit)
            try:
                params = check_body(operation, params)
                validate(operation, params)
                response = handler(params, region, call)
            except ServiceError as error:
                call.error = error.code
                raise
            except Exception:
                call.error = "InternalServerError"
                raise
            if polled(operation, params):
                self._watch(operation, params, region, response)
        return response

    def _watch(self, operation: str, params: dict[str, Any], region: str, answer: Record) -> None:
        """Stop a loop that polls one command on a clock that stands still (see ``polls``)."""
        command = self.store.region(region).commands.get(params["CommandId"])
        if command is None or command.progress == "poll":
            return
        if operation == "GetCommandInvocation":
            states = [answer["StatusDetails"]]
        else:
            key = "Commands" if operation == "ListCommands" else "CommandInvocations"
            states = [item["StatusDetails"] for item in answer[key]]
        self.polls.answered(operation, params, region, states, self.store.clock.now_ms)

    # -- helpers -------------------------------------------------------------

    def _cursor(self, operation: str, params: dict[str, Any], region: str) -> tuple[Cursor, bytes]:
        digest = query_digest(operation, region, params)
        token = params.get("NextToken")
        if token is None:
            return Cursor(1, (-(2**62), -(2**62), -(2**62))), digest
        return self._tokens.decode(token, digest), digest

    def _page(
        self,
        candidates: Sequence[Any],
        cursor: Cursor,
        size: int,
        keep: Callable[[Any], Any | None],
        more_planned: bool,
        span: Span = (None, None),
        trailing: bool = False,
    ) -> Page:
        """Up to ``size`` kept items after ``cursor``, and where the next page starts.

        ``candidates`` are in ascending key order; ``span`` bounds the keys
        worth reading (a time filter's range). Only the items read for the page,
        and those up to the next kept one, are looked at. ``trailing``: a page
        that serves the last items still carries a NextToken (the empty page
        after it carries none).
        """
        start, end = position_after(candidates, cursor.key), len(candidates)
        low, high = span
        if low is not None:
            start = max(start, position_at(candidates, low))
        if high is not None:
            end = min(end, position_at(candidates, high))
        items: list[Any] = []
        last = None
        index = start
        while index < end and len(items) < size:
            candidate = candidates[index]
            shown = keep(candidate)
            if shown is not None:
                items.append(shown)
                last = candidate
            index += 1
        more = any(keep_peek(keep, candidates[i]) for i in range(index, end))
        if more or more_planned or (trailing and items):
            return Page(items, Cursor(cursor.page + 1, cursor.key if last is None else last.key))
        return Page(items, None)

    def _page_size(
        self, operation: str, params: dict[str, Any], cursor: Cursor, digest: bytes
    ) -> tuple[int, bool, bool]:
        """The size of this page, whether a plan has pages after it, and whether the
        page with the last items keeps a NextToken: a page plan first, then the mode."""
        if self.faults.planned(operation, cursor.page):
            max_results = params.get("MaxResults", DEFAULT_MAX_RESULTS)
            size, more_planned = self.faults.page_size(operation, cursor.page, max_results)
            return size, more_planned, False
        size, trailing = self.paging.page_size(operation, params, digest, cursor.page)
        return size, False, trailing

    def _respond(self, call: Call, key: str, page: Page, digest: bytes) -> Record:
        body: Record = {key: page.items}
        call.returned = len(page.items)
        if page.next_cursor is not None:
            body["NextToken"] = call.next_token_out = self._tokens.encode(page.next_cursor, digest)
        return body

    def _observe(self, region: str) -> set[CommandEntry]:
        """Start a call that eventual consistency counts: the commands it cannot see."""
        state = self.store.region(region)
        hidden = set(state.hidden)
        for command in hidden:
            command.invisible_for -= 1
            if command.invisible_for <= 0:
                state.hidden.discard(command)
        return hidden

    # -- ListCommandInvocations ---------------------------------------------

    def _list_command_invocations(self, params: dict[str, Any], region: str, call: Call) -> Record:
        operation = "ListCommandInvocations"
        filters = parse_filters(operation, params.get("Filters"))
        command_id = params.get("CommandId")
        if command_id is not None:
            _check_uuid(command_id)
        cursor, digest = self._cursor(operation, params, region)
        call.next_token_in = params.get("NextToken")
        call.page = cursor.page
        self.faults.raise_if_due(call)
        hidden = self._observe(region)
        state = self.store.region(region)
        instance_id = params.get("InstanceId")
        candidates: Sequence[InvocationEntry]
        if command_id is not None:
            command = state.commands.get(command_id)
            candidates = command.invocations if command else []
            if command is not None and instance_id is not None:
                candidates = state.invocations_of(command, instance_id)
        elif instance_id is not None:
            candidates = state.on_instance(instance_id)
        else:
            candidates = state.ordered
        details = bool(params.get("Details", False))
        now = self.store.clock.now_ms

        brief = None if details else self.briefs.of
        per_item = [f for f in filters if f.key not in TIME_KEYS]  # the span applies the others

        def keep(entry: InvocationEntry, observe: bool = True) -> Record | None:
            if hidden and entry.command in hidden:
                return None
            if per_item:
                seen = entry.peek(now)
                if not all(f.matches_invocation(seen) for f in per_item):
                    return None
            if not observe:
                return _SEEN  # a peek: is there more? Nothing to render or encode.
            record = entry.view(now, observe=True)
            return record if brief is None else brief(record)

        size, more_planned, trailing = self._page_size(operation, params, cursor, digest)
        span = time_span(filters)
        page = self._page(candidates, cursor, size, keep, more_planned, span, trailing=trailing)
        return self._respond(call, "CommandInvocations", page, digest)

    # -- ListCommands ---------------------------------------------------------

    def _list_commands(self, params: dict[str, Any], region: str, call: Call) -> Record:
        operation = "ListCommands"
        filters = parse_filters(operation, params.get("Filters"))
        cursor, digest = self._cursor(operation, params, region)
        call.next_token_in = params.get("NextToken")
        call.page = cursor.page
        self.faults.raise_if_due(call)
        state = self.store.region(region)
        command_id = params.get("CommandId")
        instance_id = params.get("InstanceId")
        candidates: Sequence[CommandEntry]
        if command_id is not None:
            _check_uuid(command_id)
            found = state.commands.get(command_id)
            if found is None:
                # unverified: ListCommands is taken to refuse an unknown id, as moto does
                # (with no message: the model's InvalidCommandId has none, see errors).
                raise ServiceError("InvalidCommandId")
            candidates = [found]
        else:
            candidates = state.ordered_commands
        if instance_id is not None:
            on_node = state.commands_on(instance_id)
            candidates = on_node if command_id is None else [c for c in candidates if c in on_node]
        now = self.store.clock.now_ms

        def keep(command: CommandEntry, observe: bool = True) -> Record | None:
            if command.invisible_for:
                return None
            record = command.view(now)
            return record if all(f.matches_command(record) for f in filters) else None

        size, more_planned, trailing = self._page_size(operation, params, cursor, digest)
        page = self._page(candidates, cursor, size, keep, more_planned, trailing=trailing)
        return self._respond(call, "Commands", page, digest)

    # -- GetCommandInvocation -----------------------------------------------

    def _get_command_invocation(self, params: dict[str, Any], region: str, call: Call) -> Record:
        command_id, instance_id = params["CommandId"], params["InstanceId"]
        _check_uuid(command_id)
        self.faults.raise_if_due(call)
        hidden = self._observe(region)
        command = self.store.region(region).commands.get(command_id)
        found: Sequence[InvocationEntry] = ()
        if command is not None and command not in hidden:
            found = self.store.region(region).invocations_of(command, instance_id)
        if not found:
            raise ServiceError("InvocationDoesNotExist")
        entry = found[0]
        record = entry.view(self.store.clock.now_ms)
        plugins = record["CommandPlugins"]
        name = params.get("PluginName")
        # A document with several plugins needs PluginName. InvalidPluginName has no
        # message in the model, and AWS sends none (see errors).
        if name is None:
            if len(plugins) != 1:
                raise ServiceError("InvalidPluginName")
            plugin = plugins[0]
        else:
            plugin = next((p for p in plugins if p["Name"] == name), None)
            if plugin is None:
                raise ServiceError("InvalidPluginName")
        return invocation_detail(entry, record, plugin)

    # -- SendCommand, CancelCommand -----------------------------------------

    def _send_command(self, params: dict[str, Any], region: str, call: Call) -> Record:
        self.faults.raise_if_due(call)
        entry = start_command(
            self.store, self.rng, self.outcomes, params, region, self.send_progress
        )
        self.sent.append(entry)
        return {"Command": sent_view(entry, self.store.clock.now_ms)}

    def _cancel_command(self, params: dict[str, Any], region: str, call: Call) -> Record:
        _check_uuid(params["CommandId"])
        self.faults.raise_if_due(call)
        return cancel_command(self.store, params, region)

    # -- DescribeInstanceInformation ------------------------------------------

    def _describe_instance_information(
        self, params: dict[str, Any], region: str, call: Call
    ) -> Record:
        operation = "DescribeInstanceInformation"
        tests = parse_node_filters(params)
        cursor, digest = self._cursor(operation, params, region)
        call.next_token_in = params.get("NextToken")
        call.page = cursor.page
        self.faults.raise_if_due(call)
        nodes = self.store.fleet.nodes(region)
        check_named_nodes(params, {n.instance_id for n in nodes})
        listed = [Listed((i, 0, 0), node) for i, node in enumerate(nodes)]

        def keep(item: Listed, observe: bool = True) -> Record | None:
            return item.node.information() if all(t(item.node) for t in tests) else None

        size, more_planned = self.faults.page_size(
            operation, cursor.page, params.get("MaxResults", DEFAULT_NODES_PER_PAGE)
        )
        page = self._page(listed, cursor, size, keep, more_planned)
        return self._respond(call, "InstanceInformationList", page, digest)


#: What a peek answers for an item it keeps.
_SEEN: Record = {}


def keep_peek(keep: Callable[..., Any], item: Any) -> bool:
    return keep(item, observe=False) is not None


def _check_uuid(command_id: str) -> None:
    if not ids.is_uuid(command_id):
        raise ServiceError("InvalidCommandId")


def secret_for(seed: int, rng: random.Random | None = None) -> bytes:
    """A new fake's token secret: its own, and reproducible from the seed (see ``tokens``)."""
    return fake_secret(seed, rng)
