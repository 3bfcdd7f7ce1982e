"""The ssm-invocations command: generate, serve, statuses, and its argument errors."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pytest_ssm_invocations import factories, wire
from pytest_ssm_invocations.cli import main

from ..conftest import client

COMMAND = [sys.executable, "-m", "pytest_ssm_invocations.cli"]


def _documents(text: str) -> list[dict[str, Any]]:
    decoder, found, index = json.JSONDecoder(), [], 0
    while index < len(text.rstrip()):
        document, index = decoder.raw_decode(text, index)
        found.append(document)
        while index < len(text) and text[index].isspace():
            index += 1
    return found


def test_generate_prints_what_the_cli_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--instances", "45", "--status-mix", "Success=40,Failed=5",
                 "--details", "--seed", "7", "--document", "AWS-RunShellScript"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    expected = factories.command(statuses={"Success": 40, "Failed": 5}, details=True, seed=7,
                                 document="AWS-RunShellScript")  # fmt: skip
    assert out == wire.dumps({"CommandInvocations": expected}, indent=4) + "\n"
    printed = json.loads(out)["CommandInvocations"]
    assert isinstance(printed[0]["RequestedDateTime"], float)
    assert Counter(p["StatusDetails"] for p in printed) == {"Success": 40, "Failed": 5}
    assert {p["DocumentName"] for p in printed} == {"AWS-RunShellScript"}
    assert len({p["CommandId"] for p in printed}) == 1
    assert len({p["InstanceId"] for p in printed}) == 45
    assert all(p["CommandPlugins"] for p in printed)  # --details


def test_generate_without_details_and_as_pages(capsys: pytest.CaptureFixture[str]) -> None:
    main(["generate", "--instances", "7", "--page-size", "3", "--seed", "1"])
    pages = _documents(capsys.readouterr().out)
    assert [len(p["CommandInvocations"]) for p in pages] == [3, 3, 1]
    assert [("NextToken" in p) for p in pages] == [True, True, False]
    assert all(i["CommandPlugins"] == [] for p in pages for i in p["CommandInvocations"])


def test_statuses_table(capsys: pytest.CaptureFixture[str]) -> None:
    main(["statuses"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[0] == "StatusDetails"
    assert len(lines) == 2 + 13
    assert re.match(r"DeliveryTimedOut\s+TimedOut\s+TimedOut\s+yes\s+no\s+no\s+-1$", lines[6])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "--status-mix", "Sucess=1"], "unknown StatusDetails 'Sucess'"),
        (["generate", "--status-mix", "Success"], "'Success' is not STATUS=COUNT"),
        (["generate", "--instances", "0"], "expected a whole number >= 1"),
        (["generate", "--page-size", "51"], "over 50"),
        (["generate", "--instances", "3", "--status-mix", "Success=2"], "node counts disagree"),
        (["generate", "--document", "AWS-Nope"], "unknown document 'AWS-Nope'"),
        (["serve", "--port", "70000"], "port from 0 to 65535"),
        (["serve", "--load", "/nonexistent/capture.json"], "No such file"),
        (["launch"], "invalid choice: 'launch'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_bad_arguments_exit_2_naming_the_problem(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("sub", ["generate", "serve", "statuses"])
def test_every_subcommand_has_help(sub: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main([sub, "--help"])
    assert exit.value.code == 0
    assert f"usage: ssm-invocations {sub}" in capsys.readouterr().out


def _ignore_sigint() -> None:
    """What a shell does to a job started with ``&``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _serve(*args: str, background: bool = False) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [*COMMAND, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=background,
        preexec_fn=_ignore_sigint if background else None,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+", line)
    assert found, line + (process.stderr.read() if process.stderr else "")
    return process, found.group(0)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_and_stops_cleanly(stop: int, tmp_path: Path) -> None:
    capture = tmp_path / "capture.json"
    capture.write_text(wire.dumps(factories.response(factories.command(instances=4, seed=2))))
    process, url = _serve("--load", str(capture), "--instances", "2")
    try:
        listed = client(endpoint_url=url).list_command_invocations()["CommandInvocations"]
        assert len(listed) == 6  # 4 loaded from the capture, 2 generated
    finally:
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Stopped." in out
    assert "Traceback" not in err


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_started_in_the_background_stops_on_sigint_and_sigterm(stop: int) -> None:
    process, url = _serve("--instances", "1", background=True)
    port = int(url.rsplit(":", 1)[1])
    try:
        assert len(client(endpoint_url=url).list_commands()["Commands"]) == 1
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == "Stopped."
    assert "Traceback" not in err
    with pytest.raises(ConnectionRefusedError):  # nobody listens there any more
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_module_and_console_script_agree() -> None:
    by_module = subprocess.run([*COMMAND, "statuses"], capture_output=True, text=True, check=True)
    script = Path(sys.executable).parent / "ssm-invocations"
    if not script.exists():
        pytest.skip("console script not installed")
    by_script = subprocess.run([str(script), "statuses"], capture_output=True, text=True,
                               check=True, env=dict(os.environ))  # fmt: skip
    assert by_script.stdout == by_module.stdout
