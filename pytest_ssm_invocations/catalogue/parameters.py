"""The parameters each catalogued document declares, as its AWS-owned content shows them.

SendCommand refuses a parameter the document does not declare, and one it
requires but was not given (``InvalidParameters``); the execution timeout of
the shell documents is their own ``executionTimeout`` parameter (default
3600 seconds, at most 172800), distinct from SendCommand's delivery
``TimeoutSeconds``. Source: the documents' content (``aws ssm get-document
--name AWS-RunShellScript``) in the Systems Manager console and docs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .documents import Document

#: AWS-RunShellScript's and AWS-RunPowerShellScript's executionTimeout, in seconds.
DEFAULT_EXECUTION_TIMEOUT = 3600
MAX_EXECUTION_TIMEOUT = 172800


@dataclass(frozen=True)
class Parameter:
    name: str
    required: bool = False
    default: str | None = None
    allowed: tuple[str, ...] = ()
    """The values an ``allowedValues`` list permits (empty: any)."""
    type: str = "String"
    """The document's ``type`` for it: ``String``, ``StringList`` or ``StringMap``."""


_SCRIPT = (
    Parameter("commands", required=True, type="StringList"),
    Parameter("workingDirectory", default=""),
    Parameter("executionTimeout", default=str(DEFAULT_EXECUTION_TIMEOUT)),
)

_PATCH_OPERATIONS = ("Scan", "Install")
_REBOOT_OPTION = Parameter(
    "RebootOption", default="RebootIfNeeded", allowed=("RebootIfNeeded", "NoReboot")
)
_TRUE_FALSE = ("True", "False")
_ENABLED = ("Enabled", "Disabled")
_AGENT_ACTIONS = (
    "configure", "configure (append)", "configure (remove)", "start", "status",
    "status-with-workloads", "stop",
)  # fmt: skip
#: AWS-RunPatchBaselineWithHooks' hooks run this no-op document unless told otherwise.
_NOOP = "AWS-Noop"

PARAMETERS: dict[str, tuple[Parameter, ...]] = {
    "AWS-RunShellScript": _SCRIPT,
    "AWS-RunPowerShellScript": _SCRIPT,
    "AWS-UpdateSSMAgent": (
        Parameter("version", default=""),
        Parameter("allowDowngrade", default="false", allowed=("true", "false")),
    ),
    "AWS-ConfigureAWSPackage": (
        Parameter("action", required=True, allowed=("Install", "Uninstall")),
        Parameter(
            "installationType",
            default="Uninstall and reinstall",
            allowed=("Uninstall and reinstall", "In-place update"),
        ),
        Parameter("name", required=True),
        Parameter("version", default=""),
        Parameter("additionalArguments", default="{}", type="StringMap"),
    ),
    "AWS-RunPatchBaseline": (
        # The user guide: Operation "Usage: Required", and the content has no default.
        Parameter("Operation", required=True, allowed=_PATCH_OPERATIONS),
        Parameter("SnapshotId", default=""),
        Parameter("AssociationId", default=""),
        Parameter("InstallOverrideList", default=""),
        Parameter("BaselineOverride", default=""),
        _REBOOT_OPTION,
    ),
    "AWS-ApplyAnsiblePlaybooks": (
        Parameter("SourceType", default="", allowed=("", "GitHub", "S3")),
        Parameter("SourceInfo", default="", type="StringMap"),
        Parameter("InstallDependencies", default="True", allowed=("True", "False")),
        Parameter("PlaybookFile", required=True),
        Parameter("ExtraVariables", default="SSM=True"),
        Parameter("Check", default="False", allowed=("True", "False")),
        Parameter("Verbose", default="-v", allowed=("-v", "-vv", "-vvv", "-vvvv")),
        Parameter("TimeoutSeconds", default="3600"),
    ),
    "AWS-RunRemoteScript": (
        Parameter("sourceType", required=True, allowed=("GitHub", "S3")),
        Parameter("sourceInfo", required=True, type="StringMap"),
        Parameter("commandLine", required=True),
        Parameter("workingDirectory", default=""),
        Parameter("executionTimeout", default=str(DEFAULT_EXECUTION_TIMEOUT)),
    ),
    "AWS-ConfigureCloudWatch": (
        Parameter("status", default="Enabled", allowed=("Enabled", "Disabled")),
        Parameter("properties", default=""),
    ),
    "AWS-JoinDirectoryServiceDomain": (
        Parameter("directoryId", required=True),
        Parameter("directoryName", required=True),
        Parameter("directoryOU", default=""),
        Parameter("dnsIpAddresses", default="", type="StringList"),
    ),
    # The user guide: Operation and AssociationId "are required"; InstallOverrideList,
    # RebootOption and BaselineTags optional.
    "AWS-RunPatchBaselineAssociation": (
        Parameter("Operation", required=True, allowed=_PATCH_OPERATIONS),
        Parameter("AssociationId", required=True),
        Parameter("BaselineTags", default=""),
        Parameter("InstallOverrideList", default=""),
        _REBOOT_OPTION,
    ),
    # The user guide: "six parameters"; Operation required, the hooks AWS-Noop by default.
    "AWS-RunPatchBaselineWithHooks": (
        Parameter("Operation", required=True, allowed=_PATCH_OPERATIONS),
        Parameter("SnapshotId", default=""),
        _REBOOT_OPTION,
        Parameter("PreInstallHookDocName", default=_NOOP),
        Parameter("PostInstallHookDocName", default=_NOOP),
        Parameter("OnExitHookDocName", default=_NOOP),
    ),
    # The plugin reference (aws:applications, schema 1.2: action, parameters, source,
    # sourceHash) and the walkthrough (install, repair or uninstall; source required).
    "AWS-InstallApplication": (
        Parameter("action", default="Install", allowed=("Install", "Repair", "Uninstall")),
        Parameter("parameters", default=""),
        Parameter("source", required=True),
        Parameter("sourceHash", default=""),
    ),
    # unverified: the parameters programs send (playbookurl in a CloudFormation
    # association) and the document's description (playbook YAML or a URL, extra
    # variables, a dry-run check); defaults are the plausible ones.
    "AWS-RunAnsiblePlaybook": (
        Parameter("playbook", default=""),
        Parameter("playbookurl", default=""),
        Parameter("extravars", default="SSM=True"),
        Parameter("check", default="False", allowed=_TRUE_FALSE),
        Parameter("timeoutSeconds", default="3600"),
    ),
    # state and stateurl from the content; pillars, test and timeoutSeconds unverified.
    "AWS-RunSaltState": (
        Parameter("state", default=""),
        Parameter("stateurl", default=""),
        Parameter("pillars", default=""),
        Parameter("test", default="False", allowed=_TRUE_FALSE),
        Parameter("timeoutSeconds", default="3600"),
    ),
    # The user guide: sourceType GitHub or S3, sourceInfo the profile's location.
    "AWS-RunInspecChecks": (
        Parameter("sourceType", required=True, allowed=("GitHub", "S3")),
        Parameter("sourceInfo", required=True, type="StringMap"),
    ),
    # The plugin reference's aws:configureDocker document: action Install or Uninstall.
    "AWS-ConfigureDocker": (
        Parameter("action", default="Install", allowed=("Install", "Uninstall")),
    ),
    # unverified: the legacy document's parameters (an update level, KB articles).
    "AWS-FindWindowsUpdates": (
        Parameter("UpdateLevel", default="All", allowed=("All", "Important", "Optional")),
        Parameter("KbArticleIds", default=""),
    ),
    # The nine parameters real programs send (Action and AllowReboot named by the user
    # guide); the filters default to none.
    "AWS-InstallWindowsUpdates": (
        Parameter("Action", default="Install", allowed=("Install", "Scan")),
        Parameter("AllowReboot", default="False", allowed=_TRUE_FALSE),
        Parameter("IncludeKbs", default=""),
        Parameter("ExcludeKbs", default=""),
        Parameter("Categories", default=""),
        Parameter("SeverityLevels", default=""),
        Parameter("PublishedDaysOld", default=""),
        Parameter("PublishedDateAfter", default=""),
        Parameter("PublishedDateBefore", default=""),
    ),
    # The walkthrough: version and allowDowngrade (aws:updateAgent's targetVersion and
    # allowDowngrade in the plugin reference).
    "AWS-UpdateEC2Config": (
        Parameter("version", default=""),
        Parameter("allowDowngrade", default="false", allowed=("true", "false")),
    ),
    # The inputs of aws:softwareInventory in the plugin reference; unverified: the
    # defaults (Enabled for what the console collects by default, files and the
    # registry empty).
    "AWS-GatherSoftwareInventory": (
        Parameter("applications", default="Enabled", allowed=_ENABLED),
        Parameter("awsComponents", default="Enabled", allowed=_ENABLED),
        Parameter("files", default=""),
        Parameter("networkConfig", default="Enabled", allowed=_ENABLED),
        Parameter("windowsUpdates", default="Enabled", allowed=_ENABLED),
        Parameter("instanceDetailedInformation", default="Enabled", allowed=_ENABLED),
        Parameter("services", default="Enabled", allowed=_ENABLED),
        Parameter("windowsRegistry", default=""),
        Parameter("windowsRoles", default="Enabled", allowed=_ENABLED),
        Parameter("customInventory", default="Enabled", allowed=_ENABLED),
        Parameter("billingInfo", default="Enabled", allowed=_ENABLED),
    ),
    # The user guide: Source Type GitHub, S3 or SSMDocument, Source Info, and the
    # remote document's own Document Parameters.
    "AWS-RunDocument": (
        Parameter("sourceType", required=True, allowed=("GitHub", "S3", "SSMDocument")),
        Parameter("sourceInfo", required=True, type="StringMap"),
        Parameter("documentParameters", default="", type="StringMap"),
    ),
    # The content (amazon-cloudwatch-agent-test's copy of it). status-with-workloads is
    # in that copy and may be newer than the published version: accepted all the same.
    "AmazonCloudWatch-ManageAgent": (
        Parameter("action", default="configure", allowed=_AGENT_ACTIONS),
        Parameter("mode", default="ec2", allowed=("ec2", "onPremise", "auto")),
        Parameter("optionalConfigurationSource", default="ssm", allowed=("ssm", "default", "all")),
        Parameter("optionalConfigurationLocation", default=""),
        Parameter("optionalRestart", default="yes", allowed=("yes", "no")),
    ),
    # unverified: Command (what EC2Rescue does) and its Parameters, as the EC2 Windows
    # guide describes running the tool through Run Command.
    "AWSSupport-RunEC2RescueForWindowsTool": (
        Parameter("Command", required=True, allowed=("CollectLogs", "FixAll", "ResetAccess")),
        Parameter("Parameters", default=""),
    ),
}


def declared(document_name: str) -> tuple[Parameter, ...] | None:
    """The parameters a catalogued document declares; ``None`` for a document not catalogued."""
    return PARAMETERS.get(document_name)


#: A document of the test's own: what it runs, and its parameters (None: not checked).
OwnDocument = tuple[Document, "tuple[Parameter, ...] | None"]


def parameters_of(spec: Mapping[str, str | None]) -> tuple[Parameter, ...]:
    """A test's own document's parameters: name to default, ``None`` for a required one."""
    return tuple(
        Parameter(name, required=default is None, default=default) for name, default in spec.items()
    )
