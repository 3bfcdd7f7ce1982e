"""pytest-ssm-invocations: AWS Systems Manager Run Command results for your tests.

The package is loaded by pytest at start-up, so it imports nothing heavy:
every public name below loads its module on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_LAZY = {
    "ANY": "control.matching",
    "STATUS_CASES": "catalogue.statuses",
    "StatusCase": "catalogue.statuses",
    "status_case": "catalogue.statuses",
    "FakeSSM": "fake",
    "CommandHandle": "handles",
    "Call": "service.faults",
    "FakeClock": "store.clock",
}
__all__ = [
    "ANY",
    "STATUS_CASES",
    "Call",
    "CommandHandle",
    "FakeClock",
    "FakeSSM",
    "StatusCase",
    "status_case",
]

if TYPE_CHECKING:
    from .catalogue.statuses import STATUS_CASES, StatusCase, status_case
    from .control.matching import ANY
    from .fake import FakeSSM
    from .handles import CommandHandle
    from .service.faults import Call
    from .store.clock import FakeClock


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
