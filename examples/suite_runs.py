"""Run an example's own tests against a deliberately buggy variant of its code.

Each example keeps, beside ``<module>.py``, a ``buggy_<module>.py`` holding
a bug that hand-written test dicts let through. ``run_tests_against`` copies
the example into a pytester directory, makes ``import <module>`` give the
buggy variant, runs the example's tests in a fresh process, and reports
which of them failed: the kit must catch the bug, and only where expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

_FAILED_LINE = re.compile(r"^FAILED [^:]+::(\w+)(\[[^\]]*\])?")


@dataclass(frozen=True)
class SuiteRun:
    failed: frozenset[str]  # test ids, parameters included
    passed: int

    @property
    def failed_tests(self) -> set[str]:
        """The test functions with at least one failing run."""
        return {name.split("[")[0] for name in self.failed}


def run_tests_against(pytester: pytest.Pytester, folder: Path, variant: str) -> SuiteRun:
    module = variant.removeprefix("buggy_")
    for source in folder.glob("*.py"):
        if not source.stem.endswith("_bug"):
            pytester.makepyfile(**{source.stem: source.read_text()})
    pytester.makeconftest(
        f"import importlib, sys\nsys.modules[{module!r}] = importlib.import_module({variant!r})\n"
    )
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "-p", "no:cacheprovider", "-rf",
        "-o", "asyncio_default_fixture_loop_scope=function",
    )  # fmt: skip
    failed = set()
    for line in result.outlines:
        if match := _FAILED_LINE.match(line):
            failed.add(match.group(1) + (match.group(2) or ""))
    return SuiteRun(frozenset(failed), result.parseoutcomes().get("passed", 0))
