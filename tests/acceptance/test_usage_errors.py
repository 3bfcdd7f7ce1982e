"""Mistakes a new user makes, each answered with what to do instead."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pytest_ssm_invocations
from pytest_ssm_invocations import factories, wire
from pytest_ssm_invocations.cli import main
from pytest_ssm_invocations.fake import FakeSSM

CAPTURE = wire.dumps(factories.response(factories.command(instances=3, seed=4)))


def test_load_reads_a_path_given_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "captured.json").write_text(CAPTURE)
    monkeypatch.chdir(tmp_path)
    (from_text,) = FakeSSM().load(CAPTURE)
    for given in ("captured.json", str(tmp_path / "captured.json"), tmp_path / "captured.json"):
        (handle,) = FakeSSM().load(given)
        assert handle.instance_ids == from_text.instance_ids


def test_load_of_neither_a_file_nor_json_says_what_it_takes() -> None:
    with pytest.raises(ValueError, match=r"^captured is neither JSON text nor the path") as error:
        FakeSSM().load("capture.json")
    assert str(error.value) == (
        "captured is neither JSON text nor the path of an existing file: 'capture.json'; "
        "load() takes what `aws ssm list-command-invocations --output json` printed: the JSON "
        "text, the path of a file holding it, or the parsed dict"
    )
    with pytest.raises(ValueError, match=r"^captured is not JSON \(Expecting value"):
        FakeSSM().load('{"CommandInvocations": [')


def test_strategies_without_hypothesis_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "pytest_ssm_invocations.strategies", raising=False)
    with pytest.raises(ModuleNotFoundError) as missing:
        import pytest_ssm_invocations.strategies  # noqa: F401
    assert missing.value.name == "hypothesis"
    assert "pip install 'pytest-ssm-invocations[hypothesis]'" in str(missing.value)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert exit.value.code == 0
    assert capsys.readouterr().out == f"ssm-invocations {pytest_ssm_invocations.__version__}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "--instances", "3", "--status-mix", "Success=2"], "node counts disagree"),
        (["serve", "--load", "/nonexistent/capture.json"], "No such file"),
    ],
)
def test_a_subcommands_error_shows_its_usage(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: ssm-invocations {argv[0]} [-h]")
    assert f"ssm-invocations {argv[0]}: error: " in err
    assert message in err


def test_an_unknown_document_names_the_flags_values(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["generate", "--document", "AWS-Nope"])
    err = capsys.readouterr().err
    assert "argument --document: unknown document 'AWS-Nope'; --document takes: " in err
    assert "AWS-RunShellScript, AWS-RunPowerShellScript" in err
    # No word of the Python Document class (AWS-RunDocument is a document's name).
    assert "Document" not in err.replace("--document", "").replace("AWS-RunDocument", "")


@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")
def test_the_serve_banner_pasted_into_a_clean_shell_makes_the_aws_cli_work(tmp_path: Path) -> None:
    serve = [sys.executable, "-m", "pytest_ssm_invocations.cli", "serve", "--instances", "2"]
    process = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = [process.stdout.readline() for _ in range(10)]
        exports = [line.strip() for line in banner if line.strip().startswith("export ")]
        assert [e.split("=")[0] for e in exports][:4] == [
            "export AWS_ENDPOINT_URL_SSM",
            "export AWS_ACCESS_KEY_ID",
            "export AWS_SECRET_ACCESS_KEY",
            "export AWS_DEFAULT_REGION",
        ]
        script = "\n".join([*exports, "aws ssm list-command-invocations --output json"])
        shell = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}  # nothing else leaks in
        listed = subprocess.run(
            ["sh", "-c", script], env=shell, capture_output=True, text=True, timeout=60
        )
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count('"CommandId"') == 2
    assert all(shlex.split(e)[1].count("=") >= 1 for e in exports)
