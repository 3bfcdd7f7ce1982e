"""The send side of the fake: the fleet, documents and outcomes for the commands your code sends.

:class:`SendSide` is part of :class:`~pytest_ssm_invocations.fake.FakeSSM`;
its methods live here because they describe the account the code sends to,
not the commands a test adds itself.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from operator import attrgetter

from ..catalogue.spelling import checked_keywords
from ..handles import CommandHandle
from ..records.checks import check_region, check_whole
from ..records.commands import StatusMix, expand_statuses
from ..service.outcomes import Outcome
from ..service.service import SSMService
from ..store.clock import FakeClock
from ..store.entries import CommandEntry, Progress
from ..store.fleet import declare_nodes
from ..store.indexes import Store
from .arguments import check_document_name, check_send_outputs, check_serving, own_document


class SendSide:
    """``add_instances``, ``add_document``, ``on_send`` and ``sent``."""

    region: str
    rng: random.Random
    clock: FakeClock
    store: Store
    service: SSMService

    @checked_keywords("add_instances")
    def add_instances(
        self,
        count: int | None = None,
        *,
        instance_ids: Sequence[str] | None = None,
        tags: Mapping[str, str] | None = None,
        platform: str = "Linux",
        ping_status: str = "Online",
        name: str | None = None,
        hybrid: bool = False,
        region: str | None = None,
        resource_groups: Sequence[str] = (),
    ) -> list[str]:
        """Declare managed nodes, as DescribeInstanceInformation lists them; their ids.

        ``count`` new ids (``hybrid=True`` for ``mi-``), or the ``instance_ids``
        given, all with these ``tags``, ``platform`` (Linux, Windows, MacOS) and
        ``ping_status`` (Online, ConnectionLost, Inactive), members of the
        ``resource_groups`` named (``Targets`` ``resource-groups:Name``). Until a region has
        nodes, SendCommand takes any well-formed id as an online node; once it
        has, an id outside the fleet is ``InvalidInstanceId``.
        """
        region = self.region if region is None else check_region(region)
        nodes = declare_nodes(
            self.rng, count=count, instance_ids=instance_ids, tags=tags, platform=platform,
            ping_status=ping_status, name=name, hybrid=hybrid, region=region,
            now_ms=self.clock.now_ms, resource_groups=resource_groups,
        )  # fmt: skip
        self.store.fleet.add(region, nodes)
        return [n.instance_id for n in nodes]

    @checked_keywords("add_document")
    def add_document(
        self,
        name: str,
        *,
        parameters: Mapping[str, str | None] | None = None,
        platforms: Sequence[str] = ("Linux",),
        region: str | None = None,
    ) -> None:
        """Declare a document of your own, which SendCommand then runs (else ``InvalidDocument``).

        ``parameters`` maps each parameter it declares to its default, ``None``
        for a required one (``{"commands": None, "executionTimeout": "3600"}``);
        without it, any parameters are accepted. It runs one
        ``aws:runShellScript`` step on ``platforms``.
        """
        region = check_region(region) if region is not None else self.region
        doc, accepted = own_document(name, parameters, platforms)
        self.store.documents.setdefault(region, {})[doc.name] = (doc, accepted)

    @checked_keywords("on_send")
    def on_send(
        self,
        *,
        statuses: StatusMix | None = None,
        stdout: str | None = None,
        stderr: str | None = None,
        outputs: Mapping[str, tuple[str, str]] | None = None,
        progress: Progress = "clock",
        invisible_for: int = 0,
        document: str | None = None,
        times: int | None = 1,
    ) -> None:
        """Choose the outcome of the next SendCommand your code makes (of ``document``, if given).

        ``statuses`` is a mix (``{"Success": 57, "Failed": 3}``) or one status per
        node the command resolves to, in the fleet's order; without it, what the
        fleet implies. ``stdout``, ``stderr``, ``outputs``, ``progress`` and
        ``invisible_for`` mean what they mean for :meth:`add_command`. The
        command's rate controls still apply: a node MaxErrors stops ends
        ``Terminated``. Outcomes serve sends in order, ``times`` sends each
        (``times=None``: every send from then on, as ``fail(times=None)``); one
        never used fails the test at teardown (``strict=False`` allows it).
        """
        check_serving(progress, invisible_for)
        check_send_outputs(stdout, stderr, outputs)  # here, not in the code under test
        if document is not None:
            check_document_name(document)
        if statuses is not None:
            expand_statuses(statuses)  # a bad status fails here, not in the code under test
        if times is not None:
            check_whole("times", times, optional=True)
        outcome = Outcome(
            statuses, stdout, stderr, outputs, progress, invisible_for, document, times
        )
        self.service.outcomes.add(outcome)

    @property
    def sent(self) -> list[CommandHandle]:
        """The commands that arrived through SendCommand, in order (``.request``: as sent)."""
        return [self._handle(entry) for entry in self.service.sent]

    def _handle(self, entry: CommandEntry) -> CommandHandle:
        ids = tuple(map(attrgetter("instance_id"), entry.invocations))
        return CommandHandle(entry.command_id, ids, entry.region, self.clock, entry)
