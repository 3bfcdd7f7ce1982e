"""The status and document catalogues against the service model and the user guide."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_ssm_invocations import STATUS_CASES, status_case
from pytest_ssm_invocations.catalogue.documents import DOCUMENTS, document

EXPECTED_DETAILS = [
    "Pending", "InProgress", "Delayed", "Success", "DeliveryTimedOut", "ExecutionTimedOut",
    "Failed", "Cancelled", "Cancelling", "Undeliverable", "Terminated", "InvalidPlatform",
    "AccessDenied",
]  # fmt: skip


def test_every_status_details_case_is_catalogued_in_order() -> None:
    assert [c.status_details for c in STATUS_CASES] == EXPECTED_DETAILS


def test_catalogue_covers_every_invocation_status_of_the_model(ssm_model: Any) -> None:
    model_statuses = set(ssm_model.shape_for("CommandInvocationStatus").enum)
    assert {c.status for c in STATUS_CASES} == model_statuses


def test_catalogue_covers_every_plugin_status_of_the_model(ssm_model: Any) -> None:
    model_statuses = set(ssm_model.shape_for("CommandPluginStatus").enum)
    assert {c.plugin_status for c in STATUS_CASES} == model_statuses


def test_status_details_fit_the_model(ssm_model: Any) -> None:
    limit = ssm_model.shape_for("StatusDetails").metadata["max"]
    assert all(len(c.status_details) <= limit for c in STATUS_CASES)


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("Delivery Timed Out", "DeliveryTimedOut"),
        ("Execution Timed Out", "ExecutionTimedOut"),
        ("In Progress", "InProgress"),
        ("Canceled", "Cancelled"),
        ("Invalid Platform", "InvalidPlatform"),
        ("Access Denied", "AccessDenied"),
    ],
)
def test_the_user_guide_s_spellings_are_accepted(spelling: str, expected: str) -> None:
    assert status_case(spelling).status_details == expected


@pytest.mark.parametrize(
    ("spelling", "meant"),
    [("execution timed out", "Execution Timed Out"), ("ACCESSDENIED", "AccessDenied"),
     ("success", "Success"), ("Sucess", "Success"), ("InProgress:sendng", "InProgress:sending")],
)  # fmt: skip
def test_other_spellings_are_refused_naming_the_one_meant(spelling: str, meant: str) -> None:
    with pytest.raises(ValueError, match=rf"'{spelling}' \(did you mean '{meant}'\?\)"):
        status_case(spelling)


def test_unknown_status_names_the_value_and_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"'Succeeded'.*Pending, InProgress.*AccessDenied"):
        status_case("Succeeded")


def test_timed_out_alone_is_ambiguous_and_rejected() -> None:
    with pytest.raises(ValueError, match="DeliveryTimedOut"):
        status_case("TimedOut")


def test_terminal_cases_match_the_user_guide() -> None:
    non_terminal = {c.status_details for c in STATUS_CASES if not c.terminal}
    assert non_terminal == {"Pending", "InProgress", "Delayed", "Cancelling"}


def test_max_errors_accounting_matches_the_user_guide() -> None:
    counted = {c.status_details for c in STATUS_CASES if c.counts_against_max_errors}
    assert counted == {"ExecutionTimedOut", "Failed"}
    assert status_case("DeliveryTimedOut").counts_against_max_errors is False


def test_response_code_conventions() -> None:
    assert status_case("Success").response_codes == (0,)
    assert 0 not in status_case("Failed").response_codes
    for case in STATUS_CASES:
        if not case.reached_node:
            assert case.response_codes == (-1,), case


def test_at_least_eight_real_documents(ssm_model: Any) -> None:
    names = [d.name for d in DOCUMENTS]
    assert len(names) >= 8
    assert len(set(names)) == len(names)
    name_pattern = re.compile(ssm_model.shape_for("DocumentName").metadata["pattern"])
    for doc in DOCUMENTS:
        assert name_pattern.fullmatch(doc.name), doc.name


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: d.name)
def test_plugin_names_follow_the_schema_version(doc: Any, ssm_model: Any) -> None:
    minimum = ssm_model.shape_for("CommandPluginName").metadata["min"]
    for step in doc.steps:
        assert len(step.name) >= minimum
        assert step.action.startswith("aws:")
        if doc.schema_version == "1.2":
            assert step.name == step.action  # schema 1.2 reports the plugin by action
        else:
            assert not step.name.startswith("aws:")  # schema 2.2 reports the step name
    assert doc.success_output
    assert doc.failures
    for _, runs in doc.steps_for(doc.platforms[0]):
        assert isinstance(runs, bool)
    assert any(runs for platform in doc.platforms for _, runs in doc.steps_for(platform))


def test_unknown_document_lists_the_catalogue() -> None:
    with pytest.raises(ValueError, match=r"'AWS-RunShell'.*AWS-RunShellScript"):
        document("AWS-RunShell")


def test_defaults_are_the_service_models() -> None:
    """MaxConcurrency and MaxErrors default as SendCommandRequest's docs say; a page holds
    what each operation's docs say, or its maximum."""
    from pytest_ssm_invocations.catalogue import defaults, model

    assert model.documented_default("SendCommandRequest", "MaxConcurrency") == (
        defaults.DEFAULT_MAX_CONCURRENCY
    )
    assert model.documented_default("SendCommandRequest", "MaxErrors") == (
        defaults.DEFAULT_MAX_ERRORS
    )
    assert model.default_page_size("DescribeInstanceInformation") == 10
    assert model.default_page_size("ListCommandInvocations") == 50
    assert model.max_results("ListCommands") == 50
