"""An invocation's record without details, one object per record shown.

ListCommandInvocations without ``Details`` shows ``CommandPlugins: []``. The
wire encodes each record once, keyed by the record's identity (see
``wire.encoded``), so the copy without details must be the same object each
time its record is shown: one is made per record and kept (``by_identity``).
"""

from __future__ import annotations

from ..records import Record
from ..records.by_identity import ByIdentity


def _brief(record: Record) -> Record:
    return {**record, "CommandPlugins": []}


def briefs() -> ByIdentity[Record]:
    """A fake's copies without details: ``briefs().of(record)``."""
    return ByIdentity(_brief)
