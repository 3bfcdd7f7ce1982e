"""The fake SSM a test talks to: what the ``ssm_invocations`` fixture gives.

It builds commands and invocations, forces page shapes, injects faults,
moves time and records the calls it served. Requests reach it through
botocore (see ``transports.botocore_hook``); everything they see comes from
one :class:`SSMService`.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Mapping, Sequence, Sized
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import wire
from .catalogue.defaults import (
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_MAX_ERRORS,
    DEFAULT_REGION,
    DEFAULT_TIMEOUT_SECONDS,
)
from .catalogue.documents import Document
from .catalogue.spelling import checked_keywords
from .control import matching, moto_mirror
from .control.arguments import (
    MAX_INSTANCE_IDS,
    capture_source,
    check_command_options,
    check_execution_timeout,
    check_nodes,
    check_operation,
    check_page_sizes,
    check_serving,
    checked_parameters,
    command_targets,
)
from .control.outputs import Deliveries
from .control.sending import SendSide
from .handles import CommandHandle
from .records import Record
from .records.captures import read_capture, settings_of
from .records.checks import (
    check_error_code,
    check_optional_str,
    check_region,
    check_whole,
    is_whole,
)
from .records.commands import (
    DEFAULT_INSTANCES,
    DEFAULTS,
    CommandOptions,
    StatusMix,
    build_command,
)
from .records.settings import OPTION_NAMES
from .records.times import to_ms
from .service.errors import ServiceError
from .service.faults import Call, Fault
from .service.paging import DEFAULT_PAGING, PagingPolicy, check_paging
from .service.send_checks import execution_timeout
from .service.service import SSMService, secret_for
from .store.clock import FakeClock, check_time_mode
from .store.collector import paused_for
from .store.entries import CommandEntry, InvocationEntry, Progress
from .store.indexes import Store
from .transports import activation

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .records.settings import OutputOptions


class FakeSSM(SendSide):
    """A fake AWS Systems Manager answering ListCommandInvocations and its neighbours.

    The ``ssm_invocations`` fixture gives one per test; without pytest,
    ``with FakeSSM(seed=1) as fake:`` wires it into every botocore client.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        region: str = DEFAULT_REGION,
        clock: FakeClock | None = None,
        rng: random.Random | None = None,
        call_limit: int | None = None,
        paging: str = DEFAULT_PAGING,
        time: str = "real",
    ) -> None:
        """``call_limit`` bounds :attr:`calls` for a long-running server: the latest
        ``call_limit`` calls, each with oversized params cut; by default every call is kept.

        ``time="fake"`` puts the code under test on :attr:`clock` while the fake is
        active: its ``time.sleep``, ``asyncio.sleep``, event loop timers,
        ``time.time``, ``time.monotonic`` and ``datetime.now`` (see ``fake_time``;
        it needs the ``time`` extra). The default, ``"real"``, leaves them alone."""
        if call_limit is not None:
            check_whole("call_limit", call_limit, optional=True)
        self.seed = seed
        self.region = region
        self._call_limit = call_limit
        self.clock = clock or FakeClock()
        self.rng = rng or random.Random(seed)
        self._rng_start = self.rng.getstate()
        self._paging = PagingPolicy(check_paging(paging), seed)
        self.time = check_time_mode(time)
        self._moto_seen: set[str] = set()
        """The ids of moto's commands already mirrored (see :meth:`mirror_moto`)."""
        self._start()

    def _start(self) -> None:
        """The state a fresh fake has: no commands, nodes, plans, faults, outcomes or calls."""
        self.store = Store(self.clock)
        self.deliveries = Deliveries(self.store)
        """Outputs and notifications delivered into moto when due (see ``control.outputs``)."""
        self.service = SSMService(
            self.store,
            secret=secret_for(self.seed, self.rng),
            rng=self.rng,
            call_limit=self._call_limit,
            paging=self._paging,
        )

    @property
    def paging(self) -> str:
        """The paging mode: ``"exact"``, ``"aws"`` (default) or ``"chaos"`` (``service.paging``).

        Settable (a reset keeps it); the pages it shapes follow from the fake's
        seed. A ``page_plan`` wins.
        """
        return self._paging.mode

    @paging.setter
    def paging(self, mode: str) -> None:
        self._paging = self.service.paging = PagingPolicy(check_paging(mode), self.seed)

    def reset(self) -> None:
        """Make this fake as it was built: no commands, nodes, page plans, faults,
        ``on_send`` outcomes or calls.

        The clock goes back to its start and the generator to its seed, so the
        same steps after a reset build the same records; the fake stays active if
        it is. One fake with a reset per example serves Hypothesis ``@given`` tests.
        """
        self.release()
        self.clock.reset()
        self.rng.setstate(self._rng_start)
        self._start()

    def __enter__(self) -> FakeSSM:
        """Answer the SSM requests of every botocore client of the process until exit.

        Clients made before or inside the block alike; botocore's retry and
        waiter sleeps advance :attr:`clock` instead of waiting. Blocks nest:
        the innermost fake answers.
        """
        activation.enter(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        activation.leave(self)

    @property
    def calls(self) -> list[Call]:
        """Every request served, in order: operation, params, items, tokens, fault."""
        return self.service.calls

    def calls_to(self, operation: str, **params: Any) -> list[Call]:
        """The calls of ``operation`` (``"ListCommands"`` or ``"list_commands"``), in order.

        ``params`` keeps those whose request carried these parameters, equal
        (:data:`~pytest_ssm_invocations.ANY` for any value). An operation the fake
        does not answer is a ``ValueError``, never an empty list.
        """
        return matching.matching(self.calls, operation, params)

    def assert_called(self, operation: str, times: int | None = None, **params: Any) -> list[Call]:
        """Assert ``operation`` was called (``times`` times exactly, if given) with ``params``.

        Returns the matching calls; the ``AssertionError`` lists every call served.
        """
        return matching.check_called(self.calls, operation, times, params)

    def assert_all_consumed(self) -> None:
        """Assert every page plan and fault registered was used up (see :meth:`unconsumed`)."""
        matching.check_consumed(self.unconsumed(), self.calls)

    # -- state -------------------------------------------------------------

    @checked_keywords("add_command", also=OPTION_NAMES)
    def add_command(
        self,
        *,
        instances: int | None = None,
        instance_ids: Sequence[str] | None = None,
        statuses: StatusMix | None = None,
        document: str | Document | None = "AWS-RunShellScript",
        command_id: str | None = None,
        comment: str | None = "",
        document_version: str = DEFAULTS.document_version,
        requested: datetime | None = None,
        region: str | None = None,
        hybrid: bool = DEFAULTS.hybrid,
        stdout: str | None = None,
        stderr: str | None = None,
        outputs: Mapping[str, tuple[str, str]] | None = None,
        parameters: Mapping[str, Sequence[str]] | None = None,
        targets: Sequence[Mapping[str, Any]] | None = None,
        max_concurrency: str = DEFAULT_MAX_CONCURRENCY,
        max_errors: str = DEFAULT_MAX_ERRORS,
        timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
        progress: Progress = None,
        invisible_for: int = 0,
        **output_options: Unpack[OutputOptions],
    ) -> CommandHandle:
        """Send a command, as SendCommand would, with the results you choose.

        ``statuses`` is a mix (``{"Success": 40, "Failed": 5}``) or one status per
        node; without it every node succeeds. ``stdout``/``stderr`` are what every
        node that ran printed, ``outputs`` what given nodes printed
        (``{"i-...": (stdout, stderr)}``; only nodes that ran print, so an entry
        for a node that never ran is a ``ValueError``). ``output_options`` say
        where the output goes: ``s3_bucket``, ``s3_key_prefix``, ``cloudwatch``,
        ``notification_arn``/``_events``/``_type``, ``service_role``.
        ``progress="clock"`` moves invocations Pending -> InProgress -> final as
        :attr:`clock` advances; ``"poll"`` moves them one step each time a call
        returns them. ``invisible_for=K`` hides the command from the next K calls
        of ListCommands, ListCommandInvocations and GetCommandInvocation (eventual
        consistency).
        """
        region = self.region if region is None else check_region(region)
        check_serving(progress, invisible_for)
        check_command_options(max_errors, max_concurrency, timeout_seconds)
        instance_ids = check_nodes(instances, instance_ids)
        checked = checked_parameters(parameters)
        check_execution_timeout(checked)
        if statuses is None:
            count = len(instance_ids) if instance_ids is not None else instances
            statuses = ["Success"] * (DEFAULT_INSTANCES if count is None else count)
        with paused_for(_node_count(instances, instance_ids, statuses)):
            options = CommandOptions(
                instances=instances, instance_ids=instance_ids, statuses=statuses,
                document=document, command_id=command_id, comment=comment,
                document_version=document_version,
                requested=self.clock.now if requested is None else requested,
                hybrid=hybrid, region=region, output_options=output_options,
                stdout=stdout, stderr=stderr, outputs=outputs,
            )  # fmt: skip
            built = build_command(self.rng, options)
            entry = CommandEntry.of_built(
                built,
                region=region,
                seq=self.store.next_seq(),
                parameters=checked,
                execution_timeout=execution_timeout(built.document.name, checked),
                targets=command_targets(targets, len(built.nodes)),
                targeted_by_ids=not targets and len(built.nodes) <= MAX_INSTANCE_IDS,
                max_concurrency=max_concurrency,
                max_errors=max_errors,
                timeout_seconds=timeout_seconds,
                progress=progress,
            )
            # Rendered as records when first read; until then each knows its node and case.
            drawn = [
                InvocationEntry(entry, None, None, i, 0, None, None, node_id, case)
                for i, (node_id, _, _, case, _) in enumerate(built.nodes)
            ]
            settled = (
                None
                if progress is not None
                else [case.status_details for _, _, _, case, _ in built.nodes]
            )
            handle = self._store(entry, drawn, invisible_for, settled)
        return handle

    def _store(
        self,
        entry: CommandEntry,
        invocations: list[InvocationEntry],
        invisible_for: int,
        settled: list[str] | None = None,
    ) -> CommandHandle:
        entry.invocations = invocations
        entry.invisible_for = invisible_for
        self.store.add(entry, settled)
        self.deliveries.deliver()  # under moto: what already finished is in S3 at once
        return self._handle(entry)

    @checked_keywords("load")
    def load(
        self, captured: str | Path | Mapping[str, Any], *, region: str | None = None
    ) -> list[CommandHandle]:
        """Serve captured ``aws ssm list-command-invocations --output json`` output.

        Takes the JSON text, a path to it (``Path`` or ``str``), or the parsed dict; timestamps are
        CLI v1's epoch floats or CLI v2's ISO strings, and a file may hold several
        documents in a row (``generate --page-size`` output, a page loop's).
        Invocations are grouped into their commands and re-paginated by
        MaxResults like any other.
        """
        region = self.region if region is None else check_region(region)
        handles = []
        for command_id, records in read_capture(capture_source(captured)).items():
            first = records[0]
            entry = CommandEntry(
                command_id=command_id,
                region=region,
                document_name=first["DocumentName"],
                document_version=first.get("DocumentVersion", ""),
                comment=first.get("Comment", ""),
                requested_ms=to_ms(first["RequestedDateTime"], "RequestedDateTime"),
                settings=settings_of(first, region),
                seq=self.store.next_seq(),
            )
            loaded = [InvocationEntry.of(entry, record, {}, i) for i, record in enumerate(records)]
            handles.append(self._store(entry, loaded, 0))
        return handles

    # -- shaping answers ------------------------------------------------------

    @checked_keywords("page_plan")
    def page_plan(self, *sizes: int, operation: str = "ListCommandInvocations") -> None:
        """Force the sizes of pages 1, 2, 3, ... of every NextToken chain, whatever MaxResults asks.

        ``page_plan(3, 0, 5)``: three items, then an empty page that still
        carries a NextToken, then five. While the plan has pages left, a
        NextToken is returned even when no item is left, so ``page_plan(5, 0)``
        over five items ends with an empty final page. Sizes run from 0 to
        the operation's MaxResults maximum (50): AWS never serves more. A size belongs to a
        page number, not to a call: a page asked for again (a retry, botocore
        resuming with ``StartingToken``) is the same page. Another call adds
        the pages after these, or starts a new plan once every planned page
        was served.
        """
        operation = check_operation(operation)
        self.service.faults.add_plan(operation, check_page_sizes(operation, sizes))

    @checked_keywords("fail")
    def fail(
        self,
        code: str,
        *,
        operation: str = "ListCommandInvocations",
        on_call: int | None = None,
        page: int | None = None,
        times: int | None = 1,
        message: str | None = None,
        http_status: int | None = None,
        status: int | None = None,
        unmodelled: bool = False,
    ) -> None:
        """Answer ``code`` (an AWS error code: ``ThrottlingException``, ...) instead of a response.

        On the ``on_call``-th call of ``operation``, on every attempt at page
        ``page`` of a NextToken chain, or on the next call; ``times`` calls in a
        row, or every one with ``times=None`` (persistent throttling).
        ``ThrottlingException`` is answered as AWS does ("Rate exceeded",
        HTTP 400), so botocore retries it. ``http_status`` overrides the HTTP
        status AWS gives the code (``status=`` is its deprecated old name).
        ``code`` is one SSM's model declares or AWS sends every service (a close
        miss names the code meant); ``unmodelled=True`` serves a code of your own.
        """
        check_error_code(code, unmodelled)
        check_optional_str("message", message)
        operation = check_operation(operation)
        if status is not None:
            if http_status is not None:
                raise ValueError("pass http_status, not status (its deprecated old name)")
            warnings.warn(
                "fail(status=...) is deprecated: use fail(http_status=...); "
                "status= names a StatusDetails case everywhere else",
                DeprecationWarning,
                stacklevel=2,
            )
            http_status = status
        if on_call is not None and page is not None:
            raise ValueError("pass on_call or page, not both")
        for name, value in (("on_call", on_call), ("page", page), ("times", times)):
            if value is not None:
                check_whole(name, value)
        if http_status is not None and not (is_whole(http_status) and 400 <= http_status <= 599):
            raise ValueError(
                f"http_status must be an HTTP error status (400-599), not {http_status!r}"
            )
        fault = Fault(operation, code, message, http_status, on_call, page, times)
        self.service.faults.add_fault(fault)

    def unconsumed(self) -> list[str]:
        """Planned pages never served, faults not served as often as asked, and
        ``on_send`` outcomes no SendCommand used."""
        return self.service.faults.unconsumed() + self.service.outcomes.unconsumed()

    def release(self) -> None:
        """Forget every command and invocation now (the fixture does it when its test ends).

        A fake's commands and invocations point at each other: left to the cyclic
        garbage collector, a test's records linger, and the collector's runs
        slow the tests after it. Released, they are freed at once.
        """
        self.store.release()
        self.service.briefs.clear()
        wire.forget(self)  # the texts its records were encoded as

    def handle(self, operation: str, params: dict[str, Any], region: str | None = None) -> Record:
        """Answer a request directly (what every transport does, through ``wire.exchange``)."""
        return self.service.handle(operation, params, region or self.region)

    def mirror_moto(self, region: str, backend: Any = None) -> None:
        """Take in moto's state for ``region`` before answering under ``mock_aws`` (the moto
        bridge asks): its documents, EC2 fleet and the commands of ``backend``, or of every
        account without one (see ``control.moto_mirror``)."""
        moto_mirror.mirror(self.store, self.add_command, self._moto_seen, region, backend)


def moto_backend_fake(region: str) -> FakeSSM:
    """The fake of a moto backend that no test's fake serves (the moto bridge's own): its
    sent commands end at once, as moto's do, since no test moves its clock."""
    fake = FakeSSM(region=region)
    fake.service.send_progress = None
    return fake


def _node_count(
    instances: int | None, instance_ids: Sequence[str] | None, statuses: StatusMix
) -> int:
    """How many nodes a command is about to get, as far as shows before its checks."""
    if isinstance(instances, int):
        return instances
    if isinstance(instance_ids, Sized):
        return len(instance_ids)
    if isinstance(statuses, Mapping):
        return sum(count for count in statuses.values() if isinstance(count, int))
    return len(statuses) if isinstance(statuses, Sized) else 0  # junk: the checks will say


__all__ = ["CommandHandle", "FakeSSM", "ServiceError"]
