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

from .catalogue.documents import DOCUMENTS, Document, Step, document
from .catalogue.statuses import STATUS_CASES, StatusCase, status_case
from .records.ids import command_id, instance_id
from .records.invocations import invocation, overall_case, plugin
from .records.output import is_truncated, plugin_output
from .records.pages import command, next_token, pages, response, stub_pages
from .records.shapes import strip_below_minimums

__all__ = [
    "DOCUMENTS",
    "STATUS_CASES",
    "Document",
    "StatusCase",
    "Step",
    "command",
    "command_id",
    "document",
    "instance_id",
    "invocation",
    "is_truncated",
    "next_token",
    "overall_case",
    "pages",
    "plugin",
    "plugin_output",
    "response",
    "status_case",
    "strip_below_minimums",
    "stub_pages",
]
