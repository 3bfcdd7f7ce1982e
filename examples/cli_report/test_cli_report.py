"""Testing code that shells out to the AWS CLI, through the local endpoint."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from cli_report import failed_nodes

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports.http_server import SSMServer

pytestmark = pytest.mark.skipif(
    shutil.which("aws", path=str(Path(sys.executable).parent)) is None,
    reason="needs the AWS CLI (pip install awscli)",
)


def _env(server: SSMServer) -> dict[str, str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, **server.env(), "PATH": path}


def test_reports_failed_nodes_with_their_exit_codes(
    ssm_invocations: FakeSSM, ssm_invocations_server: SSMServer
) -> None:
    handle = ssm_invocations.add_command(statuses={"Success": 57, "Failed": 3})
    report = failed_nodes(handle.command_id, env=_env(ssm_invocations_server))
    expected = {
        r["InstanceId"]: r["CommandPlugins"][-1]["ResponseCode"]
        for r in handle.invocations
        if r["Status"] == "Failed"
    }
    assert report == expected
    # The filter ran in the service, not in the tool: one call brought the 3 of 60.
    (call,) = ssm_invocations.calls_to("ListCommandInvocations")
    assert call.params["Filters"] == [{"key": "Status", "value": "Failed"}]
    assert call.returned == 3


def test_undeliverable_nodes_count_as_failed(
    ssm_invocations: FakeSSM, ssm_invocations_server: SSMServer
) -> None:
    handle = ssm_invocations.add_command(statuses=["Success", "Undeliverable"])
    report = failed_nodes(handle.command_id, env=_env(ssm_invocations_server))
    assert report == {handle.instance_ids[1]: -1}  # Status Failed, never ran


def test_failed_nodes_past_the_first_page_are_reported(
    ssm_invocations: FakeSSM, ssm_invocations_server: SSMServer
) -> None:
    handle = ssm_invocations.add_command(statuses=["Success"] * 120 + ["Failed"] * 2)
    report = failed_nodes(handle.command_id, env=_env(ssm_invocations_server))
    assert set(report) == set(handle.instance_ids[120:])  # the third page of the listing
