"""Testing the fleet report with records that look exactly like AWS's."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber
from fleet_report import build_report, fleet_report
from hypothesis import given

from pytest_ssm_invocations import factories
from pytest_ssm_invocations import strategies as ssm_st
from pytest_ssm_invocations.types import InvocationRecord


@pytest.fixture
def ssm() -> Any:
    return botocore.session.get_session().create_client(
        "ssm", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_report_sorts_a_mixed_fleet() -> None:
    records = factories.command(
        statuses={"Success": 40, "Failed": 5, "InProgress": 2, "Undeliverable": 3},
        document="AWS-RunShellScript",
    )
    report = build_report(records)
    assert len(report.succeeded) == 40
    assert len(report.failed) == 5
    assert len(report.unreached) == 3
    assert not report.done


def test_failed_nodes_carry_exit_code_and_last_line() -> None:
    records = factories.command(
        statuses=["Failed"], document="AWS-RunShellScript", instance_ids=["i-0123456789abcdef0"]
    )
    code, line = build_report(records).failed["i-0123456789abcdef0"]
    assert code == records[0]["CommandPlugins"][0]["ResponseCode"]
    assert line == f"failed to run commands: exit status {code}"


def test_truncated_output_is_flagged_and_not_mistaken_for_content() -> None:
    record = factories.invocation(
        status="Failed",
        document="AWS-RunShellScript",
        stdout="progress\n" * 500,
        stderr="fatal: disk full",
        response_code=1,
    )
    report = build_report([record])
    assert report.truncated == [record["InstanceId"]]
    # The last line is the agent's own, after the script's stderr (its runscript).
    assert report.failed[record["InstanceId"]] == (1, "failed to run commands: exit status 1")


def test_every_status_case_lands_in_exactly_one_bucket(ssm_status_case: Any) -> None:
    report = build_report([factories.invocation(status=ssm_status_case)])
    buckets = [report.succeeded, report.failed, report.running, report.unreached]
    assert sum(len(b) for b in buckets) == 1


@given(ssm_st.commands(max_instances=60))
def test_any_command_puts_every_node_in_exactly_one_bucket(
    invocations: list[InvocationRecord],
) -> None:
    report = build_report(invocations)
    placed = [*report.succeeded, *report.failed, *report.running, *report.unreached]
    assert sorted(placed) == sorted(i["InstanceId"] for i in invocations)
    assert set(report.failed) | set(report.unreached) == {
        i["InstanceId"] for i in invocations if i["Status"] in {"Failed", "TimedOut", "Cancelled"}
    }


@pytest.mark.ssm_status_cases(terminal=True)
def test_terminal_cases_leave_the_report_done(ssm_status_case: Any) -> None:
    assert build_report([factories.invocation(status=ssm_status_case)]).done


def test_report_reads_every_page(ssm: Any) -> None:
    command_id = "ef7fdfd8-9b57-4151-a15c-db9a12345678"
    records = factories.command(instances=120, command_id=command_id)
    with Stubber(ssm) as stubber:
        factories.stub_pages(stubber, records, page_size=50)
        report = fleet_report(ssm, command_id)
        stubber.assert_no_pending_responses()
    total = len(report.succeeded) + len(report.failed) + len(report.running) + len(report.unreached)
    assert total == 120
