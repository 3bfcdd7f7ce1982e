"""Captures from either AWS CLI, and the several documents ``generate --page-size`` prints.

AWS CLI v1 prints timestamps as epoch floats; v2 as ISO 8601 strings with an
offset, such as ``2021-02-05T13:37:00.000000+01:00`` (the CLI v2 migration
guide, "timestamp output format").
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from pytest_ssm_invocations import factories, wire
from pytest_ssm_invocations.cli import main
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.records.captures import read_capture

UTC = timezone.utc


def _as_cli_v2(value: Any) -> Any:
    """A record with its timestamps printed as CLI v2 does, in UTC+01:00."""
    if isinstance(value, datetime):
        return value.astimezone(timezone(timedelta(hours=1))).isoformat(timespec="microseconds")
    if isinstance(value, dict):
        return {k: _as_cli_v2(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_cli_v2(v) for v in value]
    return value


def test_cli_v2_iso_timestamps_load_like_v1_epoch_floats() -> None:
    records = factories.command(instances=3, details=True, seed=4)
    v1 = json.loads(wire.dumps(factories.response(records)))
    v2 = _as_cli_v2(factories.response(records))
    assert "+01:00" in v2["CommandInvocations"][0]["RequestedDateTime"]
    assert read_capture(json.dumps(v2)) == read_capture(json.dumps(v1))
    (loaded,) = read_capture(json.dumps(v2)).values()
    assert loaded[0]["RequestedDateTime"] == records[0]["RequestedDateTime"]
    assert loaded[0]["RequestedDateTime"].tzinfo == UTC


def test_the_migration_guides_example_reads_as_utc() -> None:
    record = factories.invocation(seed=5)
    captured = json.loads(wire.dumps(factories.response([record])))
    captured["CommandInvocations"][0]["RequestedDateTime"] = "2021-02-05T13:37:00.000000+01:00"
    (loaded,) = read_capture(json.dumps(captured)).values()
    assert loaded[0]["RequestedDateTime"] == datetime(2021, 2, 5, 12, 37, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["2021-02-05T13:37:00", "yesterday", True])
def test_timestamps_of_neither_cli_are_refused_with_both_forms_named(bad: Any) -> None:
    captured = json.loads(wire.dumps(factories.response([factories.invocation(seed=6)])))
    captured["CommandInvocations"][0]["RequestedDateTime"] = bad
    with pytest.raises(ValueError, match=r"epoch seconds.*ISO 8601 time with an offset"):
        read_capture(json.dumps(captured))


def test_several_documents_in_a_row_load_as_one_capture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["generate", "--instances", "7", "--page-size", "3", "--details", "--seed", "8"])
    printed = capsys.readouterr().out
    capture = tmp_path / "pages.json"
    capture.write_text(printed)
    fake = FakeSSM(paging="exact")
    (handle,) = fake.load(capture)
    assert len(handle.instance_ids) == 7
    served = fake.handle("ListCommandInvocations", {"Details": True})["CommandInvocations"]
    assert served == read_capture(capture)[handle.command_id]


def test_a_capture_with_no_document_is_refused() -> None:
    with pytest.raises(ValueError, match="no JSON document"):
        read_capture("  \n")


def test_serve_loads_the_pages_generate_printed(tmp_path: Path) -> None:
    generated = subprocess.run(
        [sys.executable, "-m", "pytest_ssm_invocations.cli", "generate", "--instances", "5",
         "--page-size", "2", "--seed", "9"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    capture = tmp_path / "pages.json"
    capture.write_text(generated.stdout)
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest_ssm_invocations.cli", "serve", "--port", "0",
         "--load", str(capture)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline())
        assert found
        client = boto3.client("ssm", region_name="us-east-1", endpoint_url=found.group(0),
                              aws_access_key_id="a", aws_secret_access_key="b")  # fmt: skip
        assert len(client.list_command_invocations()["CommandInvocations"]) == 5
    finally:
        process.terminate()
        process.communicate(timeout=10)
