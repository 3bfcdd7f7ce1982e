"""The README says what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_ssm_invocations.catalogue.statuses import TABLE_HEADER, table_rows

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_status_table_is_the_catalogue() -> None:
    lines = ["| " + " | ".join(row) + " |" for row in [TABLE_HEADER, *table_rows()]]
    lines.insert(1, "|" + "---|" * len(TABLE_HEADER))
    assert "\n".join(lines) in README


def test_ci_runs_the_readmes_test_command_verbatim() -> None:
    commands = re.findall(r"```console\n\$ (.+)\n```", README)
    assert len(commands) == 2, "the quick start has exactly two commands"
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


EXAMPLES = [
    folder
    for folder in (ROOT / "examples").iterdir()
    if folder.is_dir() and not folder.name.startswith(("_", "."))
]


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda folder: folder.name)
def test_every_example_is_a_linked_project_with_a_bug_its_tests_catch(folder: Path) -> None:
    assert f"examples/{folder.name}" in README
    assert (folder / f"{folder.name}.py").exists()
    assert (folder / "README.md").exists()
    assert (folder / f"buggy_{folder.name}.py").exists()
    assert f"buggy_{folder.name}" in (folder / f"test_{folder.name}_bug.py").read_text()


def test_the_gallery_has_the_six_examples_it_promises() -> None:
    assert len(EXAMPLES) >= 6
