"""Records type-check as what boto3 returns (mypy-boto3-ssm's TypedDicts)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")
pytest.importorskip("mypy_boto3_ssm")

ROOT = Path(__file__).parents[2]


def _mypy(tmp_path: Path, source: str) -> tuple[str, int]:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent(source))
    out, err, status = mypy_api.run(
        [
            "--config-file", str(ROOT / "pyproject.toml"),
            "--cache-dir", str(tmp_path / ".mypy_cache"),
            "--no-error-summary",
            str(snippet),
        ]
    )  # fmt: skip
    return out + err, status


def test_records_are_boto3s_typed_dicts(tmp_path: Path) -> None:
    out, status = _mypy(
        tmp_path,
        """
        from pytest_ssm_invocations import factories, strategies
        from pytest_ssm_invocations.fake import FakeSSM

        reveal_type(factories.invocation())
        reveal_type(factories.invocation()["CommandPlugins"][0])
        reveal_type(factories.command(instances=2))
        reveal_type(FakeSSM().add_command().command)
        reveal_type(strategies.invocations())
        """,
    )
    assert status == 0, out
    revealed = [
        line.split('Revealed type is "', 1)[1].replace("'", "").replace("builtins.", "")
        for line in out.splitlines()
        if "Revealed type is" in line
    ]
    typed = "TypedDict(mypy_boto3_ssm.type_defs."
    assert revealed[0].startswith(typed + "CommandInvocationTypeDef,")
    assert revealed[1].startswith(typed + "CommandPluginTypeDef,")
    assert revealed[2].startswith("list[" + typed + "CommandInvocationTypeDef,")
    assert revealed[3].startswith(typed + "CommandTypeDef,")
    assert "SearchStrategy[" + typed + "CommandInvocationTypeDef," in revealed[4]


def test_a_misspelt_field_or_a_wrong_value_is_a_type_error(tmp_path: Path) -> None:
    out, status = _mypy(
        tmp_path,
        """
        from pytest_ssm_invocations import factories

        record = factories.invocation()
        record["StatusDetail"]
        seconds: int = record["RequestedDateTime"]
        """,
    )
    assert status == 1
    assert '"CommandInvocationTypeDef" has no key "StatusDetail"' in out
    assert 'expression has type "datetime", variable has type "int"' in out
