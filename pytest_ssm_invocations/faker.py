"""The record builders as a Faker provider, honouring Faker's seeding.

>>> from faker import Faker
>>> from pytest_ssm_invocations.faker import SSMProvider
>>> fake = Faker()
>>> fake.add_provider(SSMProvider)
>>> Faker.seed(4)
>>> fake.ssm_instance_id().startswith("i-")
True
"""

from __future__ import annotations

from typing import Any

from faker.providers import BaseProvider

from .catalogue.documents import DOCUMENTS
from .catalogue.statuses import STATUS_CASES, StatusCase
from .records import ids
from .records.commands import command
from .records.invocations import invocation
from .records.plugins import plugin
from .types import InvocationRecord, PluginRecord


class SSMProvider(BaseProvider):
    """``fake.ssm_invocation()``, ``fake.ssm_command()``, ``fake.ssm_instance_id()``, ..."""

    def _rng(self) -> Any:
        return self.generator.random

    def ssm_invocation(self, **overrides: Any) -> InvocationRecord:
        """A ListCommandInvocations item; takes the overrides of ``factories.invocation``."""
        return invocation(rng=self._rng(), **overrides)

    def ssm_plugin(self, **overrides: Any) -> PluginRecord:
        return plugin(rng=self._rng(), **overrides)

    def ssm_command(self, **overrides: Any) -> list[InvocationRecord]:
        """The invocations of one command; takes the options of ``factories.command``."""
        return command(rng=self._rng(), **overrides)

    def ssm_instance_id(self, hybrid: bool = False) -> str:
        return ids.instance_id(self._rng(), hybrid=hybrid)

    def ssm_command_id(self) -> str:
        return ids.command_id(self._rng())

    def ssm_status_case(self, terminal: bool | None = None) -> StatusCase:
        cases = [c for c in STATUS_CASES if terminal is None or c.terminal is terminal]
        case: StatusCase = self._rng().choice(cases)
        return case

    def ssm_status_details(self) -> str:
        return self.ssm_status_case().status_details

    def ssm_document_name(self) -> str:
        name: str = self._rng().choice(DOCUMENTS).name
        return name
