"""Every Python block of the README runs, as a test module of a project of its own.

Each block is complete (its imports included): it is written to a file of its
own in one pytester project and the whole project runs once, so module-level
code runs at collection and every ``test_`` function runs as a test. A block
needing what the installed extras lack (aiobotocore, pytest-asyncio,
Hypothesis, moto's server, the AWS CLI) is skipped, not failed.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

README = (Path(__file__).parents[2] / "README.md").read_text()
BLOCKS = re.findall(r"^```python\n(.*?)^```$", README, flags=re.S | re.M)
#: A Hypothesis block shows the default settings; here a few examples are proof enough.
CONFTEST = """
from hypothesis import settings

settings.register_profile("readme", max_examples=10, deadline=None)
settings.load_profile("readme")
"""


def _missing(block: str) -> list[str]:
    """What the block needs and this environment lacks."""
    modules = set(re.findall(r"^(?:from|import) (\w+)", block, flags=re.M))
    if "pytest.mark.asyncio" in block:
        modules.add("pytest_asyncio")
    missing = [m for m in sorted(modules) if importlib.util.find_spec(m) is None]
    if '["aws", ' in block and shutil.which("aws") is None:
        missing.append("the aws command")
    return missing


def test_the_readme_has_python_blocks() -> None:
    assert len(BLOCKS) >= 15
    assert all(block.strip() for block in BLOCKS)


@pytest.mark.parametrize("paging", ["exact", "aws", "chaos"])
def test_every_python_block_runs(pytester: pytest.Pytester, paging: str) -> None:
    """Under every paging mode: the README's code reads pages as AWS may send them."""
    runnable = {n: block for n, block in enumerate(BLOCKS, 1) if not _missing(block)}
    if importlib.util.find_spec("hypothesis") is not None:
        pytester.makeconftest(CONFTEST)
    files = {f"test_readme_block_{n:02}": block for n, block in runnable.items()}
    pytester.makepyfile(**files)

    result = pytester.runpytest(
        "-p", "no:randomly", "-p", "no:cacheprovider", "-rA", f"--ssm-paging={paging}"
    )

    assert set(result.parseoutcomes()) <= {"passed", "warnings"}, result.stdout.str()
    for file, block in files.items():
        for test in re.findall(r"^(?:async )?def (test_\w+)", block, flags=re.M):
            result.stdout.fnmatch_lines([f"PASSED {file}.py::{test}*"])
