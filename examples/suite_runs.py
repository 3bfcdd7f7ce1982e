"""Run an example's own tests against a deliberately buggy variant of its code.

Each example keeps, beside ``<module>.py``, a ``buggy_<module>.py`` that
redefines a function or two with a bug hand-written test dicts let through.
``run_tests_against`` copies the example into a pytester directory, lays the
buggy definitions over the module's own, runs the example's tests in a fresh
process, and reports which of them failed: the kit must catch the bug, and
only where expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

_FAILING_LINE = re.compile(r"^(?:FAILED|ERROR) [^:]+::(\w+)(\[[^\]]*\])?")


# The variant's definitions replace the module's own, so the module's other
# functions call the buggy ones. Hypothesis only has to find a failure, not
# shrink it (shrinking a large failing example takes minutes).
_CONFTEST = """
import importlib
from hypothesis import Phase, settings

real, variant = importlib.import_module({module!r}), importlib.import_module({variant!r})
vars(real).update((k, v) for k, v in vars(variant).items() if not k.startswith("__"))

settings.register_profile("bug_hunt", phases=[Phase.generate], database=None)
settings.load_profile("bug_hunt")
"""


@dataclass(frozen=True)
class SuiteRun:
    failed: frozenset[str]  # ids of the tests that failed or errored, parameters included
    passed: int

    @property
    def failed_tests(self) -> set[str]:
        """The test functions with at least one failing run."""
        return {name.split("[")[0] for name in self.failed}


def run_tests_against(
    pytester: pytest.Pytester, folder: Path, variant: str, *options: str
) -> SuiteRun:
    """Run the example's tests against ``variant``; ``options`` go to pytest (``--ssm-paging``)."""
    module = variant.removeprefix("buggy_")
    for source in folder.glob("*.py"):
        if not source.stem.endswith("_bug"):
            pytester.makepyfile(**{source.stem: source.read_text()})
    pytester.makeconftest(_CONFTEST.format(module=module, variant=variant))
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "-p", "no:cacheprovider", "-rfE",
        "-o", "asyncio_default_fixture_loop_scope=function", *options,
    )  # fmt: skip
    failed = set()
    for line in result.outlines:
        if match := _FAILING_LINE.match(line):
            failed.add(match.group(1) + (match.group(2) or ""))
    return SuiteRun(frozenset(failed), result.parseoutcomes().get("passed", 0))
