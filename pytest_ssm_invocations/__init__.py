"""pytest-ssm-invocations: AWS Systems Manager Run Command results for your tests.

The package is loaded by pytest at start-up, so it imports nothing heavy:
``STATUS_CASES`` and the submodules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["STATUS_CASES", "StatusCase", "status_case"]

if TYPE_CHECKING:
    from .catalogue.statuses import STATUS_CASES, StatusCase, status_case


def __getattr__(name: str) -> Any:
    if name in __all__:
        from .catalogue import statuses

        return getattr(statuses, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
