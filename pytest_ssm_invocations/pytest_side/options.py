"""The options of ``@pytest.mark.ssm_invocations``, merged across levels and checked once.

A marker can sit on the module (``pytestmark``), the class and the function;
each option comes from the closest marker that sets it, so a module-wide
``region="eu-west-1"`` survives a test that adds ``strict=False``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import pytest

from ..catalogue.defaults import DEFAULT_REGION
from ..catalogue.spelling import did_you_mean
from ..records.checks import check_region, is_whole
from ..service.paging import PAGING_MODES
from ..store.clock import TIME_MODES

MARKER = "ssm_invocations"


@dataclass(frozen=True)
class MarkerOptions:
    """One test's options: ``seed`` (None: the run's), ``region``, ``strict``, ``paging``
    (None: the run's ``--ssm-paging``), ``time`` (None: the run's ``--ssm-time``),
    ``real_sends``."""

    seed: int | None = None
    region: str = DEFAULT_REGION
    strict: bool = True
    paging: str | None = None
    time: str | None = None
    real_sends: bool = False
    """Let this test's SendCommand and CancelCommand reach AWS when no fake is active."""

    def __post_init__(self) -> None:
        if self.seed is not None and not is_whole(self.seed):
            raise TypeError(f"{MARKER} marker: seed must be an int, not {self.seed!r}")
        try:
            check_region(self.region)  # the rule every region= follows
        except (TypeError, ValueError):
            raise ValueError(
                f"{MARKER} marker: region must be an AWS region name such as 'eu-west-1', "
                f"not {self.region!r}"
            ) from None
        if not isinstance(self.strict, bool):
            raise TypeError(f"{MARKER} marker: strict must be True or False, not {self.strict!r}")
        if not isinstance(self.real_sends, bool):
            raise TypeError(
                f"{MARKER} marker: real_sends must be True or False, not {self.real_sends!r}"
            )
        if self.paging is not None and self.paging not in PAGING_MODES:
            raise ValueError(
                f"{MARKER} marker: paging={self.paging!r}; valid: {', '.join(PAGING_MODES)}"
            )
        if self.time is not None and self.time not in TIME_MODES:
            raise ValueError(f"{MARKER} marker: time={self.time!r}; valid: {', '.join(TIME_MODES)}")


NAMES = tuple(f.name for f in dataclasses.fields(MarkerOptions))


def options_of(item: pytest.Item) -> MarkerOptions:
    """The item's options: every ``ssm_invocations`` marker on it, closest first per key."""
    merged: dict[str, Any] = {}
    for marker in item.iter_markers(MARKER):
        unknown = sorted(set(marker.kwargs) - set(NAMES))
        if marker.args or unknown:
            hint = did_you_mean(unknown[0], NAMES) if unknown else ""
            raise TypeError(
                f"{MARKER} marker got {unknown or list(marker.args)}{hint}; "
                f"valid keyword options: {', '.join(NAMES)}"
            )
        for key, value in marker.kwargs.items():
            merged.setdefault(key, value)
    return MarkerOptions(**merged)
