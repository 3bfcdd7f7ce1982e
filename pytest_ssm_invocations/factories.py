"""Records that look exactly like AWS's: plain functions, usable with no fixture.

>>> from pytest_ssm_invocations import factories
>>> record = factories.invocation(status="Failed", seed=7)
>>> record["Status"], record["CommandPlugins"][-1]["ResponseCode"] != 0
('Failed', True)

Every builder takes ``seed=`` (or ``rng=``, a ``random.Random`` or a Faker):
the same seed gives the same records. With neither, inside pytest the run's
``--ssm-seed`` and the test's id decide, so a failure replays.
"""

from __future__ import annotations

from typing import Any

# ``name as name``: not builders, but kept importable from here (out of __all__).
from .catalogue.documents import DOCUMENTS as DOCUMENTS
from .catalogue.documents import Document as Document
from .catalogue.documents import Step as Step
from .catalogue.documents import document as document
from .catalogue.statuses import STATUS_CASES as STATUS_CASES
from .catalogue.statuses import STATUS_VARIANTS as STATUS_VARIANTS
from .catalogue.statuses import StatusCase as StatusCase
from .catalogue.statuses import status_case as status_case
from .records import ids, seeding
from .records.commands import command
from .records.invocations import invocation
from .records.output import is_truncated as is_truncated
from .records.output import plugin_output as plugin_output
from .records.pages import next_token as next_token
from .records.pages import pages, response, stub_pages
from .records.plugins import overall_case as overall_case
from .records.plugins import plugin
from .records.shapes import strip_below_minimums as strip_below_minimums


def command_id(*, seed: int | None = None, rng: Any = None) -> str:
    """A ``CommandId`` as SendCommand returns it: a version-4 UUID."""
    return ids.command_id(seeding.resolve(seed, rng))


def instance_id(*, hybrid: bool = False, seed: int | None = None, rng: Any = None) -> str:
    """An EC2 instance id (``i-`` and 17 hex digits), or a hybrid node's (``mi-``)."""
    return ids.instance_id(seeding.resolve(seed, rng), hybrid=hybrid)


__all__ = [
    "command",
    "command_id",
    "instance_id",
    "invocation",
    "pages",
    "plugin",
    "response",
    "stub_pages",
]
