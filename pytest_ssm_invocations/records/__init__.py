"""Pure builders: a seed in, dicts shaped exactly like AWS's out."""

from __future__ import annotations

from typing import Any

#: A record as the builders make it: a plain dict with AWS's keys.
Record = dict[str, Any]
