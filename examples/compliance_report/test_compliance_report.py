"""Testing the compliance report on every StatusDetails case, through the fake SSM."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from compliance_report import ComplianceReport, compliance_report

from pytest_ssm_invocations import StatusCase
from pytest_ssm_invocations.fake import FakeSSM

pytestmark = pytest.mark.ssm_invocations(region="eu-west-1")  # the fleet's region


@pytest.fixture
def ssm() -> Any:
    return boto3.client("ssm", region_name="eu-west-1")


def _buckets(report: ComplianceReport, node: str) -> list[str]:
    return [name for name, nodes in vars(report).items() if node in nodes]


def test_every_case_lands_in_exactly_one_bucket(
    ssm_invocations: FakeSSM, ssm: Any, ssm_status_case: StatusCase
) -> None:
    handle = ssm_invocations.add_command(statuses=[ssm_status_case])
    (node,) = handle.instance_ids
    (bucket,) = _buckets(compliance_report(ssm, handle.command_id), node)
    if ssm_status_case.status_details == "Success":
        assert bucket == "compliant"
    elif not ssm_status_case.terminal:
        assert bucket == "pending"
    else:
        assert bucket in {"non_compliant", "unknown"}


@pytest.mark.ssm_status_cases(reached_node=False)
def test_a_node_the_check_never_reached_is_never_compliant(
    ssm_invocations: FakeSSM, ssm: Any, ssm_status_case: StatusCase
) -> None:
    handle = ssm_invocations.add_command(statuses=[ssm_status_case])
    report = compliance_report(ssm, handle.command_id)
    assert not report.compliant
    assert not report.non_compliant  # no rule was checked, so none was broken
    if ssm_status_case.terminal:
        assert report.unknown == {handle.instance_ids[0]: ssm_status_case.status_details}


def test_non_compliant_nodes_carry_the_exit_code_of_the_broken_rule(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    handle = ssm_invocations.add_command(
        statuses={"Success": 90, "Failed": 6, "Undeliverable": 2, "ExecutionTimedOut": 2},
        stderr="rule 5.2.4: PermitRootLogin is yes",
    )
    report = compliance_report(ssm, handle.command_id)
    failed = [r for r in handle.invocations if r["StatusDetails"] == "Failed"]
    assert report.non_compliant == {
        r["InstanceId"]: r["CommandPlugins"][0]["ResponseCode"] for r in failed
    }
    assert all(code > 0 for code in report.non_compliant.values())
    assert len(report.compliant) == 90
    assert sorted(report.unknown.values()) == ["ExecutionTimedOut"] * 2 + ["Undeliverable"] * 2
    assert report.complete


def test_a_fleet_still_running_is_not_complete(ssm_invocations: FakeSSM, ssm: Any) -> None:
    handle = ssm_invocations.add_command(instances=30, progress="clock")
    assert not compliance_report(ssm, handle.command_id).complete
    ssm_invocations.clock.advance(3600)
    report = compliance_report(ssm, handle.command_id)
    assert report.complete
    assert sorted(report.compliant) == sorted(handle.instance_ids)
