"""The one way a mistaken name is answered: the closest valid one, suggested.

``add_command(status=...)``, ``fail("ThrotlingException")``, ``"success"`` for a
status: every refusal of a name names the one the author most likely meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(value: object, valid: Iterable[str]) -> str:
    """``" (did you mean 'statuses'?)"`` for the valid name closest to ``value``; "" if none."""
    if not isinstance(value, str):
        return ""
    choices = list(valid)
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if not close:
        folded = {c.casefold(): c for c in choices}
        found = folded.get(value.casefold())
        close = [found] if found else []
    return f" (did you mean {close[0]!r}?)" if close else ""
