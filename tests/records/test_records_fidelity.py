"""Records compared with real output, field by field; each test names its source."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pytest_ssm_invocations import STATUS_CASES, factories, status_case
from pytest_ssm_invocations.catalogue.statuses import FAILED_EXIT_CODES, STATUS_VARIANTS
from pytest_ssm_invocations.fake import FakeSSM

from ..conftest import client

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _plugins(record: Any) -> dict[str, Any]:
    return {p["Name"]: p for p in record["CommandPlugins"]}


# -- skipped schema 2.2 steps -----------------------------------------------------


def test_a_skipped_step_reads_exactly_like_the_agent_message() -> None:
    """User guide, "Install the CloudWatch agent": the message quoted word for word."""
    record = factories.invocation(
        status="Success", document="AWS-ConfigureAWSPackage", platform="Linux", seed=1
    )
    assert _plugins(record)["createDownloadFolder"]["Output"] == (
        "Step execution skipped due to unsatisfied preconditions: "
        "'\"StringEquals\": [platformType, Windows]'. Step name: createDownloadFolder"
    )


def test_older_agents_word_a_skipped_step_as_an_incompatible_platform() -> None:
    """amazon-ssm-agent 2.x (runpluginutil): "Step execution skipped due to incompatible
    platform. Step name: %s"."""
    record = factories.invocation(
        status="Success", document="AWS-RunPatchBaseline", platform="Linux", seed=2,
        skip_wording="platform",
    )  # fmt: skip
    assert _plugins(record)["PatchWindows"]["Output"] == (
        "Step execution skipped due to incompatible platform. Step name: PatchWindows"
    )


def test_an_unknown_skip_wording_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"'new'.*preconditions, platform"):
        factories.invocation(document="AWS-RunPatchBaseline", skip_wording="new", seed=3)


# -- real step lists ------------------------------------------------------------


@pytest.mark.parametrize(("platform", "skipped"), [("Linux", True), ("Windows", False)])
def test_configure_aws_package_has_two_steps(platform: str, skipped: bool) -> None:
    """User guide: createDownloadFolder (Windows only) then configurePackage ("Step 2 - Output")."""
    record = factories.invocation(
        status="Success", document="AWS-ConfigureAWSPackage", platform=platform, seed=4
    )
    names = [p["Name"] for p in record["CommandPlugins"]]
    assert names == ["createDownloadFolder", "configurePackage"]
    first = record["CommandPlugins"][0]["Output"]
    assert first.startswith("Step execution skipped") is skipped


def test_configure_aws_package_needs_a_plugin_name(ssm_invocations: FakeSSM) -> None:
    handle = ssm_invocations.add_command(instances=1, document="AWS-ConfigureAWSPackage")
    ssm = client()
    node = handle.instance_ids[0]
    with pytest.raises(ssm.exceptions.InvalidPluginName):
        ssm.get_command_invocation(CommandId=handle.command_id, InstanceId=node)
    detail = ssm.get_command_invocation(
        CommandId=handle.command_id, InstanceId=node, PluginName="configurePackage"
    )
    assert detail["PluginName"] == "configurePackage"


def test_run_remote_script_runs_its_steps_in_the_documents_order() -> None:
    """AWS-RunRemoteScript: downloadContent, runPowerShellScript, runShellScript; the
    download step reports an empty Output (real captures)."""
    record = factories.invocation(
        status="Success", document="AWS-RunRemoteScript", platform="Linux", seed=5
    )
    plugins = record["CommandPlugins"]
    assert [p["Name"] for p in plugins] == [
        "downloadContent", "runPowerShellScript", "runShellScript",
    ]  # fmt: skip
    assert plugins[0]["Output"] == ""
    assert plugins[1]["Output"].endswith("Step name: runPowerShellScript")
    assert plugins[0]["ResponseFinishDateTime"] <= plugins[2]["ResponseStartDateTime"]


# -- failures ------------------------------------------------------------------


def test_failure_stderr_names_the_real_script_path() -> None:
    """Real stderr: /var/lib/amazon/ssm/<instance-id>/document/orchestration/<command-id>/
    awsrunShellScript/0.awsrunShellScript/_script.sh."""
    paths = set()
    for seed in range(40):
        built = factories.command(statuses=["Failed"], document="AWS-RunShellScript", seed=seed)[0]
        output = built["CommandPlugins"][0]["Output"]
        paths.update(re.findall(r"/var/lib/amazon/ssm/\S+_script\.sh", output))
        if paths:
            cid, iid = built["CommandId"], built["InstanceId"]
            break
    assert paths == {
        f"/var/lib/amazon/ssm/{iid}/document/orchestration/{cid}/"
        "awsrunShellScript/0.awsrunShellScript/_script.sh"
    }


def test_exit_code_128_is_a_failure_code() -> None:
    """git's fatal errors exit 128, a code real failed invocations show."""
    assert 128 in FAILED_EXIT_CODES
    record = factories.invocation(status="Failed", response_code=128, seed=6)
    assert record["CommandPlugins"][-1]["ResponseCode"] == 128


# -- texts ---------------------------------------------------------------------


@pytest.mark.parametrize("version", ["", "$DEFAULT", "1"])
def test_document_versions_seen_in_real_output(version: str) -> None:
    """ "" in older captures (CLI reference example), "$DEFAULT", "1" when pinned."""
    assert factories.invocation(document_version=version, seed=7)["DocumentVersion"] == version
    records = factories.command(instances=2, document_version=version, seed=7)
    assert {r["DocumentVersion"] for r in records} == {version}


def test_comments_include_state_manager_and_maintenance_window_forms() -> None:
    """State Manager: "Apply association with id at creation time: <uuid>"; maintenance
    windows: "<window-id uuid>:<task uuid>" (the CLI reference example)."""
    comments = {factories.invocation(seed=seed)["Comment"] for seed in range(400)}
    assert any(re.fullmatch(f"Apply association with id at creation time: {UUID}", c)
               for c in comments)  # fmt: skip
    assert any(re.fullmatch(f"{UUID}:{UUID}", c) for c in comments)


def test_windows_nodes_are_named_host_dot_workgroup() -> None:
    names = {
        factories.invocation(document="AWS-RunPowerShellScript", seed=seed)["InstanceName"]
        for seed in range(60)
    }
    named = names - {""}
    assert named
    assert all(re.fullmatch(r"(EC2AMAZ|WIN)-[A-Z0-9]{7}\.WORKGROUP", n) for n in named)


# -- status variants -------------------------------------------------------------


def test_the_thirteen_base_cases_stay_as_they_are() -> None:
    assert len(STATUS_CASES) == 13
    assert all(c.variant == "" for c in STATUS_CASES)
    assert {v.status_details for v in STATUS_VARIANTS} <= {c.status_details for c in STATUS_CASES}


def test_variants_are_asked_for_by_name_and_report_their_base_values() -> None:
    for variant in STATUS_VARIANTS:
        assert status_case(variant.name) is variant
        record = factories.invocation(status=variant.name, seed=8)
        assert record["StatusDetails"] == variant.status_details
        assert record["Status"] == variant.status


def test_in_progress_while_attempting_to_send_has_no_plugin_start() -> None:
    """User guide, In Progress: "the system is attempting to send the command to the node"."""
    assert status_case("InProgress:sending").reached_node is False
    assert status_case("InProgress").reached_node is True
    record = factories.invocation(status="InProgress:sending", seed=9)
    assert all("ResponseStartDateTime" not in p for p in record["CommandPlugins"])
    running = factories.invocation(status="InProgress", seed=9)
    assert "ResponseStartDateTime" in running["CommandPlugins"][-1]


def test_cancelled_after_the_node_started_has_its_times() -> None:
    before = factories.invocation(status="Cancelled", document="AWS-RunShellScript", seed=10)
    after = factories.invocation(
        status="Cancelled:after-start", document="AWS-RunShellScript", seed=10
    )
    assert "ResponseStartDateTime" not in before["CommandPlugins"][0]
    plugin = after["CommandPlugins"][0]
    assert plugin["StatusDetails"] == "Cancelled"
    assert plugin["ResponseStartDateTime"] <= plugin["ResponseFinishDateTime"]


@pytest.mark.parametrize("name", ["DeliveryTimedOut:after-run", "DeliveryTimedOut:reboot"])
def test_agent_quirks_start_then_report_delivery_timed_out(name: str) -> None:
    """amazon-ssm-agent issues 316 (ran, never reported) and 289 (exit 194 reboot)."""
    plugin = factories.invocation(status=name, document="AWS-RunShellScript", seed=11)[
        "CommandPlugins"
    ][0]
    assert plugin["StatusDetails"] == "DeliveryTimedOut"
    assert "ResponseStartDateTime" in plugin
    assert "ResponseFinishDateTime" not in plugin
    assert (plugin["Output"], plugin["ResponseCode"]) == ("", -1)


def test_variants_mix_with_base_cases_in_a_command() -> None:
    records = factories.command(
        statuses={"Success": 2, "InProgress:sending": 1, "Cancelled:after-start": 1}, seed=12
    )
    assert sorted(r["StatusDetails"] for r in records) == [
        "Cancelled", "InProgress", "Success", "Success",
    ]  # fmt: skip


def test_a_reboot_stays_in_progress_until_the_delivery_timeout(ssm_invocations: FakeSSM) -> None:
    """Issue 289: "In Progress" for a long time, then Timed Out / Delivery Timed Out.

    The delivery timeout is TimeoutSeconds plus the document's executionTimeout
    (user guide: 600 + 3,600 is "4,200 seconds"): 1800 + 3600 here.
    """
    handle = ssm_invocations.add_command(
        statuses=["DeliveryTimedOut:reboot"], progress="clock", timeout_seconds=1800
    )
    ssm_invocations.clock.advance(60)
    assert handle.invocations[0]["StatusDetails"] == "InProgress"
    ssm_invocations.clock.advance(5300)
    assert handle.invocations[0]["StatusDetails"] == "InProgress"
    ssm_invocations.clock.advance(100)
    assert handle.invocations[0]["StatusDetails"] == "DeliveryTimedOut"


def test_a_cancel_after_start_runs_before_it_is_cancelled(ssm_invocations: FakeSSM) -> None:
    handle = ssm_invocations.add_command(statuses=["Cancelled:after-start"], progress="poll")
    seen = [client().list_command_invocations(CommandId=handle.command_id)
            ["CommandInvocations"][0]["StatusDetails"] for _ in range(3)]  # fmt: skip
    assert seen == ["Pending", "InProgress", "Cancelled"]


def test_unknown_variant_lists_the_variants() -> None:
    with pytest.raises(ValueError, match="InProgress:sending"):
        status_case("InProgress:teleporting")
