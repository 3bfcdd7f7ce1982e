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


_SCRIPT = (
    Parameter("commands", required=True),
    Parameter("workingDirectory", default=""),
    Parameter("executionTimeout", default=str(DEFAULT_EXECUTION_TIMEOUT)),
)

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
        Parameter("additionalArguments", default="{}"),
    ),
    "AWS-RunPatchBaseline": (
        Parameter("Operation", default="Scan", allowed=("Scan", "Install")),
        Parameter("SnapshotId", default=""),
        Parameter("InstallOverrideList", default=""),
        Parameter("BaselineOverride", default=""),
        Parameter("RebootOption", default="RebootIfNeeded", allowed=("RebootIfNeeded", "NoReboot")),
    ),
    "AWS-ApplyAnsiblePlaybooks": (
        Parameter("SourceType", default="", allowed=("", "GitHub", "S3")),
        Parameter("SourceInfo", default=""),
        Parameter("InstallDependencies", default="True", allowed=("True", "False")),
        Parameter("PlaybookFile", required=True),
        Parameter("ExtraVariables", default="SSM=True"),
        Parameter("Check", default="False", allowed=("True", "False")),
        Parameter("Verbose", default="-v", allowed=("-v", "-vv", "-vvv", "-vvvv")),
        Parameter("TimeoutSeconds", default="3600"),
    ),
    "AWS-RunRemoteScript": (
        Parameter("sourceType", required=True, allowed=("GitHub", "S3")),
        Parameter("sourceInfo", required=True),
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
        Parameter("dnsIpAddresses", default=""),
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
