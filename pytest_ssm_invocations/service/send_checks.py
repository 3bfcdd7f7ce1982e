"""What a SendCommand request may say, checked as the service checks it.

Checks beyond the service model's constraints, with AWS's codes and words
(real captures quoted in public issues; see each message):

- exactly one of a non-empty ``InstanceIds`` and ``Targets``
  (``ValidationException``; AWS's wording was not found, a choice);
- a document the account does not have: ``InvalidDocument``; a version it
  does not have: ``InvalidDocumentVersion``;
- a parameter the document does not declare, a required one missing, a value
  outside its allowed values: ``InvalidParameters`` "Parameters provided in
  document are invalid or not supported." (teleport RFD, Go SDK output);
- a NotificationConfig without ServiceRoleArn: ``InvalidRole``
  "ServiceRoleArn is a required parameter to enable notification"; a
  ServiceRoleArn that is not an IAM role's ARN: ``InvalidRole``, a
  NotificationArn that is not an SNS topic's: ``InvalidNotificationConfig``,
  each with its documented text (the service model's docs of those errors);
- an OutputS3KeyPrefix with no OutputS3BucketName: ``InvalidOutputFolder``
  (unverified: a choice; a folder in no bucket is no output folder);
- a Target with no Key: ``ValidationException`` "Value null at
  'targets.1.member.key'" (the model leaves Key optional; the service cannot
  resolve a target without one, a choice); ``InstanceIds`` in Targets (its key
  in any case, as the CLI reference writes ``Key=instanceids``) are checked as
  InstanceIds are: ``DuplicateInstanceId`` for a repeat, ``InvalidInstanceId``
  for a value that is no instance id (the model gives TargetValue no pattern)
  or an empty list; ``*`` names every node of the fleet (the user guide's
  ``Key=InstanceIds,Values=*``);
- an id that is not a managed node: ``InvalidInstanceId`` "Instances
  [[i-...]] not in a valid state for account ..."; a node named by id whose
  platform the document does not support: ``UnsupportedPlatformType``
  "Cannot perform operation for instance id i-... of platform type Windows"
  (by Targets, such a node's invocation ends ``InvalidPlatform`` instead).

Where a message is AWS's fixed text, the fake adds what was wrong in
parentheses after it, so code matching AWS's text still matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..catalogue import model
from ..catalogue.documents import DOCUMENTS, Document, document, is_catalogued
from ..catalogue.parameters import (
    DEFAULT_EXECUTION_TIMEOUT,
    MAX_EXECUTION_TIMEOUT,
    OwnDocument,
    Parameter,
    declared,
)
from ..records import ids
from ..store.fleet import ACCOUNT_ID, is_instance_ids_key
from .errors import ServiceError

if TYPE_CHECKING:
    from ..records.nodes import ManagedNode

#: AWS's words for parameters a document refuses: "document AWS-RunRemoteScript does not
#: support parameters." for a value outside allowedValues (boto3 issue 3151, sourceType
#: "s3"), the same for AWS-ConfigureAWSPackage (aws-tools-for-powershell issue 275). The
#: kit's own reason follows, in parentheses.
INVALID_PARAMETERS = "document {} does not support parameters."
#: The service model's documentation of each error, the text AWS's own is not known for.
_INVALID_ROLE = "The role name can't contain invalid characters."
_INVALID_NOTIFICATION = (
    "One or more configuration items isn't valid. Verify that a valid Amazon Resource Name "
    "(ARN) was provided for an Amazon Simple Notification Service topic."
)
_INVALID_FOLDER = "The S3 bucket doesn't exist."
#: An IAM role's ARN and an SNS topic's (IAM and SNS name rules, in any partition).
_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}", re.ASCII)
_TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?", re.ASCII)
#: The value of an InstanceIds target that names every node (user guide).
ALL_NODES = "*"
#: The versions of a catalogued (AWS-owned) document the fake accepts.
_VERSIONS = ("$DEFAULT", "$LATEST", "1")


def check_targeting(params: Mapping[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """The request's InstanceIds and Targets, exactly one of them non-empty."""
    instance_ids = list(params.get("InstanceIds") or [])
    targets = [dict(t) for t in params.get("Targets") or []]
    if bool(instance_ids) == bool(targets):
        raise ServiceError(
            "ValidationException",
            "Exactly one of InstanceIds and Targets must be specified"
            + (" (both were given)" if instance_ids else " (neither was given)"),
        )
    check_distinct(instance_ids)
    for number, target in enumerate(targets, 1):
        _check_target(number, target)
    return instance_ids, targets


def _check_target(number: int, target: Mapping[str, Any]) -> None:
    key = target.get("Key")
    if key is None:
        raise ServiceError(
            "ValidationException",
            f"1 validation error detected: Value null at 'targets.{number}.member.key' "
            "failed to satisfy constraint: Member must not be null",
        )
    if not is_instance_ids_key(key):
        return
    values = list(target.get("Values") or [])
    if values == [ALL_NODES]:
        return
    malformed = [v for v in values if not model.pattern("InstanceId").fullmatch(v)]
    if not values or malformed:
        raise ServiceError(
            "InvalidInstanceId",
            f"Instances [[{', '.join(malformed)}]] not in a valid state for account {ACCOUNT_ID}",
        )
    check_distinct(values)


def check_distinct(instance_ids: Sequence[str]) -> None:
    """``DuplicateInstanceId`` when an id is named twice."""
    repeated = ids.repeated(instance_ids)
    if repeated:
        raise ServiceError("DuplicateInstanceId", f"Instance ids repeat: {', '.join(repeated)}")


def find_document(
    params: Mapping[str, Any], own: Mapping[str, OwnDocument]
) -> tuple[Document, tuple[Parameter, ...] | None]:
    """The document to run and the parameters it declares (None: not checked);
    ``InvalidDocument`` or ``InvalidDocumentVersion`` as AWS answers.

    The account has the AWS-owned documents of the catalogue and the test's
    own (``FakeSSM.add_document``), as it has those it created.
    """
    name = params["DocumentName"].rpartition("document/")[2]  # a name or an ARN
    if name in own:
        return own[name]
    if not is_catalogued(name):
        known = [d.name for d in DOCUMENTS] + sorted(own)
        raise ServiceError(
            "InvalidDocument",
            f"Document with name {name} does not exist. (pytest-ssm-invocations knows "
            f"these documents: {', '.join(known)}; declare your own with "
            "ssm_invocations.add_document)",
        )
    version = params.get("DocumentVersion")
    if version is not None and version not in _VERSIONS:
        raise ServiceError(
            "InvalidDocumentVersion",
            f"Document {name} does not have version {version}. (valid: {', '.join(_VERSIONS)})",
        )
    return document(name), declared(name)


def check_parameters(
    doc: Document,
    accepted: tuple[Parameter, ...] | None,
    parameters: Mapping[str, Sequence[str]],
) -> int:
    """``InvalidParameters`` unless the document accepts them; the execution timeout, in s."""
    if accepted is None:  # a document of the test's own whose parameters it left open
        return _execution_timeout(doc.name, parameters.get("executionTimeout"), {})
    by_name = {p.name: p for p in accepted}
    for name, values in parameters.items():
        parameter = by_name.get(name)
        if parameter is None:
            valid = ", ".join(by_name) or "none"
            _invalid(doc.name, f"it declares no parameter {name!r}; it declares: {valid}")
        elif parameter.allowed and any(v not in parameter.allowed for v in values):
            allowed = ", ".join(parameter.allowed)
            _invalid(doc.name, f"{name}={list(values)}; allowed values: {allowed}")
    missing = [p.name for p in accepted if p.required and not parameters.get(p.name)]
    if missing:
        _invalid(doc.name, f"it requires {', '.join(missing)}")
    return _execution_timeout(doc.name, parameters.get("executionTimeout"), by_name)


def execution_timeout(document: str, parameters: Mapping[str, Sequence[str]]) -> int:
    """The execution timeout of a command of ``document`` with ``parameters``, in s: its
    ``executionTimeout``, else the document's default; ``InvalidParameters`` for a value
    the document's allowedPattern refuses."""
    by_name = {p.name: p for p in declared(document) or ()}
    return _execution_timeout(document, parameters.get("executionTimeout"), by_name)


def _execution_timeout(
    document: str, values: Sequence[str] | None, by_name: Mapping[str, Any]
) -> int:
    default = by_name.get("executionTimeout")
    if not values:
        return int(default.default) if default is not None else DEFAULT_EXECUTION_TIMEOUT
    text = values[0]
    problem = execution_timeout_problem(text)
    if problem:
        _invalid(document, problem)
    return int(text)


def execution_timeout_problem(text: str) -> str | None:
    """What is wrong with an ``executionTimeout`` value, if anything."""
    # isdigit alone takes "²" and "١٢٣": the document's allowedPattern is [0-9] (ASCII).
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_EXECUTION_TIMEOUT:
        return f"executionTimeout={text!r}; a number of seconds from 1 to {MAX_EXECUTION_TIMEOUT}"
    return None


def _invalid(document: str, reason: str) -> None:
    message = INVALID_PARAMETERS.format(document)
    raise ServiceError("InvalidParameters", f"{message} (pytest-ssm-invocations: {reason})")


def check_notification(params: Mapping[str, Any]) -> None:
    """``InvalidRole`` or ``InvalidNotificationConfig`` for what SNS notifications need."""
    config = params.get("NotificationConfig") or {}
    topic, role = config.get("NotificationArn"), params.get("ServiceRoleArn")
    if topic and not role:
        raise ServiceError(
            "InvalidRole", "ServiceRoleArn is a required parameter to enable notification"
        )
    if role is not None and not _ROLE_ARN.fullmatch(role):
        raise ServiceError("InvalidRole", f"{_INVALID_ROLE} (ServiceRoleArn {role!r})")
    if topic and not _TOPIC_ARN.fullmatch(topic):
        raise ServiceError(
            "InvalidNotificationConfig", f"{_INVALID_NOTIFICATION} (NotificationArn {topic!r})"
        )


def check_outputs(params: Mapping[str, Any]) -> None:
    """``InvalidOutputFolder`` for an S3 key prefix given without a bucket."""
    if params.get("OutputS3KeyPrefix") and not params.get("OutputS3BucketName"):
        raise ServiceError(
            "InvalidOutputFolder",
            f"{_INVALID_FOLDER} (OutputS3KeyPrefix {params['OutputS3KeyPrefix']!r} was given "
            "without an OutputS3BucketName)",
        )


def check_platforms(doc: Document, nodes: Sequence[ManagedNode]) -> None:
    """``UnsupportedPlatformType`` for a node named by id that cannot run ``doc``."""
    for node in nodes:
        if node.platform_type not in doc.platforms:
            raise ServiceError(
                "UnsupportedPlatformType",
                f"Cannot perform operation for instance id {node.instance_id} of platform "
                f"type {node.platform_type}",
            )


def output_options(params: Mapping[str, Any]) -> dict[str, Any]:
    """The request's output settings as the record builders' keywords."""
    cloudwatch = params.get("CloudWatchOutputConfig") or {}
    notification = params.get("NotificationConfig") or {}
    options: dict[str, Any] = {
        "s3_bucket": params.get("OutputS3BucketName"),
        "s3_key_prefix": params.get("OutputS3KeyPrefix"),
        "service_role": params.get("ServiceRoleArn"),
        "cloudwatch": (cloudwatch.get("CloudWatchLogGroupName") or True)
        if cloudwatch.get("CloudWatchOutputEnabled")
        else False,
    }
    if notification.get("NotificationArn"):
        options["notification_arn"] = notification["NotificationArn"]
        options["notification_events"] = tuple(notification.get("NotificationEvents") or ["All"])
        options["notification_type"] = notification.get("NotificationType") or "Command"
    return options
