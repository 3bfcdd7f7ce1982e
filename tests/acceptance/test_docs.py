"""The README says what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_ssm_invocations.catalogue.statuses import TABLE_HEADER, table_rows

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text()


def test_readme_status_table_is_the_catalogue() -> None:
    lines = ["| " + " | ".join(row) + " |" for row in [TABLE_HEADER, *table_rows()]]
    lines.insert(1, "|" + "---|" * len(TABLE_HEADER))
    assert "\n".join(lines) in README


def test_ci_runs_the_readmes_test_command_verbatim() -> None:
    contributing = README.split("\n## Contributing\n", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```console\n\$ (.+)\n```", contributing)
    assert commands == [
        'python -m pip install -e ".[dev]" && python -m pytest examples',
        'python -m pip install -e ".[dev]" && python -m pytest tests examples',
    ], "the contributors' quick start has exactly these two commands"
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_the_readme_starts_from_the_user() -> None:
    headings = re.findall(r"^## (.+)$", README, flags=re.M)
    assert headings[:3] == ["Contents", "Install", "A first test"]
    assert headings[-1] == "Contributing"
    assert "```console\n$ pip install pytest-ssm-invocations\n```" in README
    first_test = re.search(r"## A first test\n.*?```python\n(.*?)```", README, flags=re.S)
    assert first_test is not None
    assert len(first_test.group(1).splitlines()) <= 10, "a first test in ten lines"


def test_the_table_of_contents_links_every_section() -> None:
    contents = README.split("## Contents\n", 1)[1].split("\n## ", 1)[0]
    anchors = re.findall(r"\]\(#([^)]+)\)", contents)
    headings = re.findall(r"^#{2,3} (.+)$", README, flags=re.M)
    assert anchors == [_anchor(h) for h in headings if h != "Contents"]


def _anchor(heading: str) -> str:
    """The anchor GitHub and the package index give a heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_links_work_on_the_package_index_page() -> None:
    targets = re.findall(r"\]\(([^)#][^)]*)\)", README)
    assert targets, "the README links to the repository's files"
    for target in targets:
        assert target.startswith("https://"), f"relative link {target!r} breaks on PyPI"
        repository = "https://github.com/pytest-ssm-invocations/pytest-ssm-invocations/"
        for kind, is_kind in (("blob", Path.is_file), ("tree", Path.is_dir)):
            prefix = f"{repository}{kind}/main/"
            if target.startswith(prefix):
                assert is_kind(ROOT / target.removeprefix(prefix)), target


def test_every_marker_option_and_public_name_is_documented() -> None:
    from pytest_ssm_invocations import __all__ as public
    from pytest_ssm_invocations.pytest_side.case_selection import OPTIONS
    from pytest_ssm_invocations.pytest_side.options import NAMES

    for option in (*NAMES, *OPTIONS):
        assert f"`{option}=" in README, option
    for name in public:
        assert f"`{name}`" in README, name
    for method in ("unconsumed()", "assert_called(", "assert_all_consumed()", "calls_to("):
        assert method in README, method
    for option in ("--ssm-seed", "--ssm-strict-network", "ssm_invocations_seed",
                   "ssm_invocations_strict_network"):  # fmt: skip
        assert f"`{option}" in README, option


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


def test_the_changelog_dates_the_version_being_released() -> None:
    from pytest_ssm_invocations import __version__

    changelog = (ROOT / "CHANGELOG.md").read_text()
    heading = rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$"
    assert re.search(heading, changelog, flags=re.M)
    assert f"[{__version__}]: https://github.com/" in changelog
