"""The AWS-owned documents of the catalogue, held to what their sources say.

Each row below is written by hand from the source the catalogue cites for the
document (the user guide's page, the plugin reference, the content as AWS
publishes it), never from the catalogue: its schema, platforms, steps as
ListCommandInvocations names them (schema 1.2: the plugin's action; 2.x: the
step's name) and parameters. A detail the catalogue marks unverified is
written here as the catalogue chose it, so a change to it is a decision, not
an accident. Then each document goes through a real boto3 client: SendCommand
takes it with its documented parameters and refuses what it does not declare,
and the invocation's CommandPlugins are its steps.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import botocore.exceptions
import pytest

from pytest_ssm_invocations.catalogue.documents import DOCUMENTS, document
from pytest_ssm_invocations.catalogue.parameters import declared
from pytest_ssm_invocations.fake import FakeSSM

L, W, M = "Linux", "Windows", "MacOS"
SHELL, PS = "aws:runShellScript", "aws:runPowerShellScript"
PATCH_STEPS = (("PatchWindows", PS, W), ("PatchLinux", SHELL, L), ("PatchMacOS", SHELL, M))
SCAN_INSTALL = ("Scan", "Install")
REBOOT = ("RebootIfNeeded", "NoReboot")
TF = ("True", "False")
ON_OFF = ("Enabled", "Disabled")


class Row(NamedTuple):
    schema: str
    platforms: frozenset[str]
    steps: tuple[tuple[str, str, str | None], ...]
    """Name, action and platform precondition (None: every platform) of each step."""
    parameters: dict[str, tuple[bool, str | None, tuple[str, ...]]]
    """Name to (required, default, allowed values)."""
    source: str
    """A piece of the source's address."""
    sample: dict[str, list[str]]
    """Documented parameters a program sends (every required one)."""


def req(*allowed: str) -> tuple[bool, None, tuple[str, ...]]:
    return True, None, allowed


def opt(default: str, *allowed: str) -> tuple[bool, str, tuple[str, ...]]:
    return False, default, allowed


ROWS: dict[str, Row] = {
    # Plugin reference (aws:runShellScript); content: commands, workingDirectory,
    # executionTimeout 3600.
    "AWS-RunShellScript": Row(
        "1.2", frozenset({L, M}), ((SHELL, SHELL, None),),
        {"commands": req(), "workingDirectory": opt(""), "executionTimeout": opt("3600")},
        "aws-runShellScript", {"commands": ["uptime"]},
    ),
    "AWS-RunPowerShellScript": Row(
        "1.2", frozenset({W}), ((PS, PS, None),),
        {"commands": req(), "workingDirectory": opt(""), "executionTimeout": opt("3600")},
        "aws-runPowerShellScript", {"commands": ["Get-Service AmazonSSMAgent"]},
    ),
    "AWS-UpdateSSMAgent": Row(
        "1.2", frozenset({L, W, M}), (("aws:updateSsmAgent", "aws:updateSsmAgent", None),),
        {"version": opt(""), "allowDowngrade": opt("false", "true", "false")},
        "aws-updatessmagent", {"version": ["3.3.987.0"]},
    ),
    # Distributor's walkthrough: createDownloadFolder skipped on Linux, then
    # configurePackage.
    "AWS-ConfigureAWSPackage": Row(
        "2.2", frozenset({L, W}),
        (("createDownloadFolder", PS, W), ("configurePackage", "aws:configurePackage", None)),
        {
            "action": req("Install", "Uninstall"),
            "installationType": opt(
                "Uninstall and reinstall", "Uninstall and reinstall", "In-place update"
            ),
            "name": req(), "version": opt(""), "additionalArguments": opt("{}"),
        },
        "distributor-working-with-packages-deploy",
        {"action": ["Install"], "name": ["AmazonCloudWatchAgent"]},
    ),
    # The user guide: Operation "Usage: Required", Options Scan | Install; AssociationId,
    # Snapshot ID, InstallOverrideList, BaselineOverride optional; RebootOption
    # RebootIfNeeded | NoReboot, default RebootIfNeeded.
    "AWS-RunPatchBaseline": Row(
        "2.2", frozenset({L, W, M}), PATCH_STEPS,
        {
            "Operation": req(*SCAN_INSTALL), "SnapshotId": opt(""), "AssociationId": opt(""),
            "InstallOverrideList": opt(""), "BaselineOverride": opt(""),
            "RebootOption": opt("RebootIfNeeded", *REBOOT),
        },
        "patch-manager-aws-runpatchbaseline", {"Operation": ["Scan"]},
    ),
    # "The Operation and AssociationId parameters are required. The InstallOverrideList,
    # RebootOption, and BaselineTags parameters are optional." Linux, macOS, Windows.
    # Steps: AWS-RunPatchBaseline's (unverified).
    "AWS-RunPatchBaselineAssociation": Row(
        "2.2", frozenset({L, W, M}), PATCH_STEPS,
        {
            "Operation": req(*SCAN_INSTALL), "AssociationId": req(), "BaselineTags": opt(""),
            "InstallOverrideList": opt(""), "RebootOption": opt("RebootIfNeeded", *REBOOT),
        },
        "patch-manager-aws-runpatchbaselineassociation",
        {"Operation": ["Scan"], "AssociationId": ["4420fb91-4288-438b-91ca-74295cf6e124"]},
    ),
    # "Six parameters"; Operation required; the hooks default to AWS-Noop; Linux and
    # Windows Server, not macOS. Step names unverified (the guide describes eight steps).
    "AWS-RunPatchBaselineWithHooks": Row(
        "2.2", frozenset({L, W}),
        (
            ("InitialScan", "aws:runDocument", None),
            ("CheckScanResultLinux", SHELL, L), ("CheckScanResultWindows", PS, W),
            ("PreInstallHook", "aws:runDocument", None),
            ("InstallWithNoReboot", "aws:runDocument", None),
            ("PostInstallHook", "aws:runDocument", None),
            ("CheckRebootLinux", SHELL, L), ("CheckRebootWindows", PS, W),
            ("RebootAndReport", "aws:runDocument", None),
            ("OnExitHook", "aws:runDocument", None),
        ),
        {
            "Operation": req(*SCAN_INSTALL), "SnapshotId": opt(""),
            "RebootOption": opt("RebootIfNeeded", *REBOOT),
            "PreInstallHookDocName": opt("AWS-Noop"), "PostInstallHookDocName": opt("AWS-Noop"),
            "OnExitHookDocName": opt("AWS-Noop"),
        },
        "patch-manager-aws-runpatchbaselinewithhooks",
        {"Operation": ["Install"], "PreInstallHookDocName": ["wait-for-cloud-init"]},
    ),
    # The Ansible page: SourceType GitHub or S3, InstallDependencies, PlaybookFile,
    # ExtraVariables SSM=True, Check, Verbose -v...-vvvv.
    "AWS-ApplyAnsiblePlaybooks": Row(
        "2.2", frozenset({L}),
        (("downloadContent", "aws:downloadContent", None), ("runShellScript", SHELL, None)),
        {
            "SourceType": opt("", "", "GitHub", "S3"), "SourceInfo": opt(""),
            "InstallDependencies": opt("True", *TF), "PlaybookFile": req(),
            "ExtraVariables": opt("SSM=True"), "Check": opt("False", *TF),
            "Verbose": opt("-v", "-v", "-vv", "-vvv", "-vvvv"), "TimeoutSeconds": opt("3600"),
        },
        "systems-manager-state-manager-ansible",
        {"SourceType": ["S3"], "PlaybookFile": ["playbook.yml"], "Verbose": ["-vv"]},
    ),
    "AWS-RunAnsiblePlaybook": Row(
        "2.0", frozenset({L}), (("runShellScript", SHELL, None),),
        {
            "playbook": opt(""), "playbookurl": opt(""), "extravars": opt("SSM=True"),
            "check": opt("False", *TF), "timeoutSeconds": opt("3600"),
        },
        "systems-manager-state-manager-ansible",
        {"playbookurl": ["s3://bucket/playbook.yml"]},
    ),
    "AWS-RunRemoteScript": Row(
        "2.2", frozenset({L, W}),
        (
            ("downloadContent", "aws:downloadContent", None),
            ("runPowerShellScript", PS, W), ("runShellScript", SHELL, L),
        ),
        {
            "sourceType": req("GitHub", "S3"), "sourceInfo": req(), "commandLine": req(),
            "workingDirectory": opt(""), "executionTimeout": opt("3600"),
        },
        "integration-remote-scripts",
        {
            "sourceType": ["S3"], "sourceInfo": ['{"path": "https://s3.amazonaws.com/b/x.py"}'],
            "commandLine": ["python3 x.py"],
        },
    ),
    # Schema 2.0; state and stateurl from the content.
    "AWS-RunSaltState": Row(
        "2.0", frozenset({L}), (("runShellScript", SHELL, None),),
        {
            "state": opt(""), "stateurl": opt(""), "pillars": opt(""), "test": opt("False", *TF),
            "timeoutSeconds": opt("3600"),
        },
        "AWS-RunSaltState", {"stateurl": ["https://example.com/state.sls"]},
    ),
    # The InSpec page: sourceType GitHub or S3; sourceInfo the profile's location.
    "AWS-RunInspecChecks": Row(
        "2.2", frozenset({L, W}),
        (
            ("downloadContent", "aws:downloadContent", None),
            ("runInspecLinux", SHELL, L), ("runInspecWindows", PS, W),
        ),
        {"sourceType": req("GitHub", "S3"), "sourceInfo": req()},
        "integration-chef-inspec",
        {
            "sourceType": ["GitHub"],
            "sourceInfo": ['{"owner":"awslabs", "repository":"amazon-ssm", '
                           '"path": "Compliance/InSpec/PortCheck"}'],
        },
    ),
    # The plugin reference's aws:configureDocker document.
    "AWS-ConfigureDocker": Row(
        "2.2", frozenset({L, W}), (("configureDocker", "aws:configureDocker", None),),
        {"action": opt("Install", "Install", "Uninstall")},
        "aws-configuredocker", {"action": ["Install"]},
    ),
    # The walkthrough: install, repair or uninstall an MSI; source and parameters.
    "AWS-InstallApplication": Row(
        "1.2", frozenset({W}), (("aws:applications", "aws:applications", None),),
        {
            "action": opt("Install", "Install", "Repair", "Uninstall"), "parameters": opt(""),
            "source": req(), "sourceHash": opt(""),
        },
        "walkthrough-powershell-install-application",
        {
            "source": ["https://www.python.org/ftp/python/2.7.9/python-2.7.9.msi"],
            "parameters": ["/norestart /quiet /log c:\\pythoninstall.txt"],
        },
    ),
    "AWS-FindWindowsUpdates": Row(
        "1.2", frozenset({W}), ((PS, PS, None),),
        {"UpdateLevel": opt("All", "All", "Important", "Optional"), "KbArticleIds": opt("")},
        "patch-manager-ssm-documents", {"UpdateLevel": ["Important"]},
    ),
    # What programs send (all nine, Categories as a comma-separated list).
    "AWS-InstallWindowsUpdates": Row(
        "2.2", frozenset({W}), (("InstallWindowsUpdates", PS, None),),
        {
            "Action": opt("Install", "Install", "Scan"), "AllowReboot": opt("False", *TF),
            "IncludeKbs": opt(""), "ExcludeKbs": opt(""), "Categories": opt(""),
            "SeverityLevels": opt(""), "PublishedDaysOld": opt(""),
            "PublishedDateAfter": opt(""), "PublishedDateBefore": opt(""),
        },
        "patch-manager-ssm-documents",
        {
            "Action": ["Install"], "AllowReboot": ["True"], "IncludeKbs": [""],
            "ExcludeKbs": [""], "Categories": ["CriticalUpdates,SecurityUpdates"],
            "SeverityLevels": ["Critical"], "PublishedDaysOld": ["7"],
            "PublishedDateAfter": [""], "PublishedDateBefore": [""],
        },
    ),
    # The walkthrough: version='4.9.3519', allowDowngrade='true'.
    "AWS-UpdateEC2Config": Row(
        "1.2", frozenset({W}), (("aws:updateAgent", "aws:updateAgent", None),),
        {"version": opt(""), "allowDowngrade": opt("false", "true", "false")},
        "walkthrough-powershell-update-ec2config",
        {"version": ["4.9.3519"], "allowDowngrade": ["true"]},
    ),
    "AWS-ConfigureCloudWatch": Row(
        "1.2", frozenset({W}), (("aws:cloudWatch", "aws:cloudWatch", None),),
        {"status": opt("Enabled", *ON_OFF), "properties": opt("")},
        "walkthrough-powershell-windows-metrics", {"status": ["Enabled"]},
    ),
    "AWS-JoinDirectoryServiceDomain": Row(
        "1.2", frozenset({W, L}), (("aws:domainJoin", "aws:domainJoin", None),),
        {
            "directoryId": req(), "directoryName": req(), "directoryOU": opt(""),
            "dnsIpAddresses": opt(""),
        },
        "walkthrough-powershell-domain-join",
        {"directoryId": ["d-0123456789"], "directoryName": ["corp.example.com"]},
    ),
    # The plugin reference: collectSoftwareInventoryItems, aws:softwareInventory, schema
    # 2.0 or later, the inputs below.
    "AWS-GatherSoftwareInventory": Row(
        "2.0", frozenset({L, W, M}),
        (("collectSoftwareInventoryItems", "aws:softwareInventory", None),),
        {
            **{
                name: opt("Enabled", *ON_OFF)
                for name in (
                    "applications", "awsComponents", "networkConfig", "windowsUpdates",
                    "instanceDetailedInformation", "services", "windowsRoles",
                    "customInventory", "billingInfo",
                )
            },
            "files": opt(""), "windowsRegistry": opt(""),
        },
        "aws-softwareinventory", {"applications": ["Enabled"], "windowsUpdates": ["Disabled"]},
    ),
    # The user guide: Source Type GitHub, S3 or SSMDocument; Source Info; Document
    # Parameters.
    "AWS-RunDocument": Row(
        "2.2", frozenset({L, W, M}),
        (
            ("downloadContent", "aws:downloadContent", None),
            ("runDocument", "aws:runDocument", None),
        ),
        {
            "sourceType": req("GitHub", "S3", "SSMDocument"), "sourceInfo": req(),
            "documentParameters": opt(""),
        },
        "documents-running-remote-github-s3",
        {"sourceType": ["SSMDocument"], "sourceInfo": ['{"name": "AWS-RunShellScript"}']},
    ),
    # The content: five parameters, three steps each preconditioned on a platform; an AWS
    # lab names the Linux step ControlCloudWatchAgentLinux.
    "AmazonCloudWatch-ManageAgent": Row(
        "2.2", frozenset({L, W, M}),
        (
            ("ControlCloudWatchAgentWindows", PS, W),
            ("ControlCloudWatchAgentLinux", SHELL, L),
            ("ControlCloudWatchAgentMacOS", SHELL, M),
        ),
        {
            "action": opt(
                "configure", "configure", "configure (append)", "configure (remove)", "start",
                "status", "status-with-workloads", "stop",
            ),
            "mode": opt("ec2", "ec2", "onPremise", "auto"),
            "optionalConfigurationSource": opt("ssm", "ssm", "default", "all"),
            "optionalConfigurationLocation": opt(""),
            "optionalRestart": opt("yes", "yes", "no"),
        },
        "amazon-cloudwatch-agent-test",
        {"action": ["status"], "mode": ["ec2"]},
    ),
    "AWSSupport-RunEC2RescueForWindowsTool": Row(
        "2.2", frozenset({W}), (("runEC2RescueForWindows", PS, None),),
        {"Command": req("CollectLogs", "FixAll", "ResetAccess"), "Parameters": opt("")},
        "ec2rw-ssm", {"Command": ["CollectLogs"], "Parameters": ["all"]},
    ),
}  # fmt: skip

#: The documents issue 23 names as those programs send.
REQUIRED = {
    "AWS-RunShellScript", "AWS-RunPowerShellScript", "AWS-UpdateSSMAgent",
    "AWS-ConfigureAWSPackage", "AWS-RunPatchBaseline", "AWS-RunPatchBaselineAssociation",
    "AWS-RunPatchBaselineWithHooks", "AWS-InstallApplication", "AWS-RunAnsiblePlaybook",
    "AWS-ApplyAnsiblePlaybooks", "AWS-RunRemoteScript", "AWS-RunDocument", "AWS-RunSaltState",
    "AWS-RunInspecChecks", "AWS-ConfigureDocker", "AWS-FindWindowsUpdates",
    "AWS-InstallWindowsUpdates", "AWS-UpdateEC2Config", "AWS-ConfigureCloudWatch",
    "AWS-JoinDirectoryServiceDomain", "AWS-GatherSoftwareInventory",
    "AmazonCloudWatch-ManageAgent", "AWSSupport-RunEC2RescueForWindowsTool",
}  # fmt: skip

CASES = [(name, platform) for name, row in ROWS.items() for platform in sorted(row.platforms)]


def test_the_catalogue_is_the_documents_programs_send() -> None:
    assert {d.name for d in DOCUMENTS} == REQUIRED == set(ROWS)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_document_is_what_its_source_says(name: str) -> None:
    row, doc = ROWS[name], document(name)
    assert doc.schema_version == row.schema
    assert set(doc.platforms) == row.platforms
    assert tuple((s.name, s.action, s.platform) for s in doc.steps) == row.steps
    assert row.source in doc.source
    assert doc.source.startswith("https://")
    params = declared(name)
    assert params is not None
    assert {p.name: (p.required, p.default, p.allowed) for p in params} == row.parameters


@pytest.mark.parametrize("name", sorted(ROWS))
def test_every_platform_of_a_document_runs_one_of_its_steps(name: str) -> None:
    """A node of a supported platform runs something: the last such step decides."""
    doc = document(name)
    for platform in doc.platforms:
        assert any(runs for _, runs in doc.steps_for(platform)), platform


def send(ssm: Any, name: str, node: str, parameters: dict[str, list[str]]) -> str:
    response = ssm.send_command(InstanceIds=[node], DocumentName=name, Parameters=parameters)
    return str(response["Command"]["CommandId"])


def refused(ssm: Any, name: str, node: str, parameters: dict[str, list[str]]) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as error:
        send(ssm, name, node, parameters)
    return str(error.value.response["Error"]["Code"])


@pytest.mark.parametrize(("name", "platform"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_send_command_runs_the_document_with_its_documented_parameters(
    ssm_invocations: FakeSSM, ssm: Any, name: str, platform: str
) -> None:
    """Accepted, run, and reported step by step: a step preconditioned on another
    platform is skipped with the agent's message."""
    row = ROWS[name]
    (node,) = ssm_invocations.add_instances(1, platform=platform)
    command_id = send(ssm, name, node, row.sample)
    ssm_invocations.clock.advance(days=3)
    (invocation,) = ssm.list_command_invocations(CommandId=command_id, Details=True)[
        "CommandInvocations"
    ]
    assert invocation["DocumentName"] == name
    assert invocation["StatusDetails"] == "Success"
    plugins = invocation["CommandPlugins"]
    assert [p["Name"] for p in plugins] == [step for step, _, _ in row.steps]
    for plugin, (_, _, precondition) in zip(plugins, row.steps, strict=True):
        assert plugin["Status"] == "Success"
        skipped = precondition is not None and precondition != platform
        assert plugin["Output"].startswith("Step execution skipped") is skipped, plugin


@pytest.mark.parametrize("name", sorted(ROWS))
def test_send_command_refuses_a_parameter_the_document_does_not_declare(
    ssm_invocations: FakeSSM, ssm: Any, name: str
) -> None:
    row = ROWS[name]
    (node,) = ssm_invocations.add_instances(1, platform=sorted(row.platforms)[0])
    assert refused(ssm, name, node, {**row.sample, "notDeclared": ["x"]}) == "InvalidParameters"
    assert ssm_invocations.sent == []


@pytest.mark.parametrize(
    ("name", "parameter"),
    [(n, p) for n, row in ROWS.items() for p, (_, _, allowed) in row.parameters.items() if allowed],
)
def test_send_command_refuses_a_value_outside_the_allowed_ones(
    ssm_invocations: FakeSSM, ssm: Any, name: str, parameter: str
) -> None:
    row = ROWS[name]
    (node,) = ssm_invocations.add_instances(1, platform=sorted(row.platforms)[0])
    bad = {**row.sample, parameter: ["not-an-allowed-value"]}
    assert refused(ssm, name, node, bad) == "InvalidParameters"


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        (n, p)
        for n, row in ROWS.items()
        for p, (required, _, _) in row.parameters.items()
        if required
    ],
)
def test_send_command_refuses_a_command_without_a_required_parameter(
    ssm_invocations: FakeSSM, ssm: Any, name: str, parameter: str
) -> None:
    row = ROWS[name]
    (node,) = ssm_invocations.add_instances(1, platform=sorted(row.platforms)[0])
    missing = {k: v for k, v in row.sample.items() if k != parameter}
    assert refused(ssm, name, node, missing) == "InvalidParameters"


def test_manage_agent_is_sent_as_real_programs_send_it(ssm_invocations: FakeSSM, ssm: Any) -> None:
    """The call issue 23 quotes: AmazonCloudWatch-ManageAgent, action=status, read back by
    the Linux step's name (GetCommandInvocation's PluginName)."""
    (node,) = ssm_invocations.add_instances(1)
    command_id = send(ssm, "AmazonCloudWatch-ManageAgent", node, {"action": ["status"]})
    ssm_invocations.clock.advance(minutes=5)
    result = ssm.get_command_invocation(
        CommandId=command_id, InstanceId=node, PluginName="ControlCloudWatchAgentLinux"
    )
    assert result["Status"] == "Success"
    assert result["DocumentName"] == "AmazonCloudWatch-ManageAgent"


def test_a_document_not_supported_on_macos_is_refused_for_a_mac(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    """The user guide: "AWS-RunPatchBaselineWithHooks is not supported on macOS"."""
    (mac,) = ssm_invocations.add_instances(1, platform="MacOS")
    sample = ROWS["AWS-RunPatchBaselineWithHooks"].sample
    assert refused(ssm, "AWS-RunPatchBaselineWithHooks", mac, sample) == "UnsupportedPlatformType"
