"""Invocation and plugin records, consistent field by field.

Field order and empty values are those of real ``list-command-invocations``
output: unset S3, CloudWatch, notification and role settings are empty strings
(and an empty event list), never missing keys. A plugin that never started has
no ``ResponseStartDateTime``/``ResponseFinishDateTime``; one still running has
a start and no finish. Timestamps are timezone-aware UTC datetimes with
millisecond precision, the precision of the service's epoch floats.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, cast

from .. import _model, _seeding
from ..catalogue.documents import DOCUMENTS, Document, Step, exit_status_line
from ..catalogue.documents import document as find_document
from ..catalogue.documents import skipped_output as _skipped_output
from ..catalogue.statuses import STATUS_CASES, StatusCase, status_case
from . import ids
from .output import plugin_output
from .pools import pools
from .shapes import strip_below_minimums

if TYPE_CHECKING:
    from ..types import InvocationRecord, PluginRecord

Record = dict[str, Any]

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Default RequestedDateTime values fall in the 30 days before this instant, so
#: records never depend on the wall clock.
ANCHOR = datetime(2025, 6, 1, tzinfo=UTC)
_ANCHOR_MS = (ANCHOR - _EPOCH) // timedelta(milliseconds=1)
_WINDOW_MS = 30 * 86_400_000
#: AWS-RunShellScript's default ``executionTimeout``.
EXECUTION_TIMEOUT_MS = 3_600_000

#: How often each case comes up when a caller names none: a healthy fleet.
_DEFAULT_CASE_WEIGHTS = {
    "Success": 860, "Failed": 60, "ExecutionTimedOut": 15, "DeliveryTimedOut": 20,
    "Undeliverable": 10, "InProgress": 15, "Pending": 10, "Delayed": 2, "Cancelled": 5,
    "Cancelling": 1, "Terminated": 1, "InvalidPlatform": 1, "AccessDenied": 0,
}  # fmt: skip
_DEFAULT_DOCUMENT_WEIGHTS = {
    "AWS-RunShellScript": 50, "AWS-RunPowerShellScript": 15, "AWS-RunPatchBaseline": 12,
    "AWS-UpdateSSMAgent": 8, "AWS-ConfigureAWSPackage": 5, "AWS-ApplyAnsiblePlaybooks": 3,
    "AWS-RunRemoteScript": 3, "AWS-ConfigureCloudWatch": 2,
    "AWS-JoinDirectoryServiceDomain": 2,
}  # fmt: skip
#: When several plugins end differently, the invocation reports the first of these found.
_PRECEDENCE = (
    "Failed", "ExecutionTimedOut", "Cancelled", "DeliveryTimedOut", "Undeliverable",
    "Terminated", "InvalidPlatform", "AccessDenied", "Cancelling", "InProgress", "Delayed",
    "Pending", "Success",
)  # fmt: skip


def _weighted(weights: Mapping[str, int], lookup: Any) -> tuple[list[Any], list[int]]:
    items, cumulative, total = [], [], 0
    for name, weight in weights.items():
        if weight:
            total += weight
            items.append(lookup(name))
            cumulative.append(total)
    return items, cumulative


_CASES, _CASE_CUM = _weighted(_DEFAULT_CASE_WEIGHTS, status_case)
_DOCS, _DOC_CUM = _weighted(_DEFAULT_DOCUMENT_WEIGHTS, find_document)
assert {c.status_details for c in STATUS_CASES} == set(_DEFAULT_CASE_WEIGHTS)
assert {d.name for d in DOCUMENTS} == set(_DEFAULT_DOCUMENT_WEIGHTS)


def _pick(rng: random.Random, items: list[Any], cumulative: list[int]) -> Any:
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


def choose(rng: random.Random, items: Sequence[Any]) -> Any:
    """``rng.choice`` at half the cost: records are built by the hundred thousand."""
    return items[int(rng.random() * len(items))]


def pick_document(rng: random.Random, value: str | Document | None) -> Document:
    """The document named, or one drawn with the weights of a typical fleet."""
    return find_document(value) if value else _pick(rng, _DOCS, _DOC_CUM)


def to_ms(value: datetime, name: str) -> int:
    """Milliseconds since the epoch of a timezone-aware datetime."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None:
        raise ValueError(f"{name}={value!r} is naive: AWS timestamps are timezone-aware UTC")
    return (value - _EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    # Exact: a double near 1.7e9 s errs by under 0.5 microseconds, and
    # fromtimestamp rounds to the nearest microsecond.
    return datetime.fromtimestamp(ms / 1000, UTC)


def default_requested_ms(rng: random.Random) -> int:
    """A RequestedDateTime in the 30 days before :data:`ANCHOR`, in milliseconds."""
    return _ANCHOR_MS - int(rng.random() * _WINDOW_MS)


@dataclass(frozen=True)
class Delivery:
    """Where a command's output goes and who is told: shared by all its invocations."""

    region: str = "us-east-1"
    s3_bucket: str = ""
    s3_key_prefix: str = ""
    cloudwatch_log_group: str = ""
    """Empty: CloudWatch output disabled."""
    notification_arn: str = ""
    notification_events: tuple[str, ...] = ()
    notification_type: str = ""
    service_role: str = ""

    def notification_config(self) -> Record:
        return {
            "NotificationArn": self.notification_arn,
            "NotificationEvents": list(self.notification_events),
            "NotificationType": self.notification_type,
        }

    def cloudwatch_config(self) -> Record:
        return {
            "CloudWatchLogGroupName": self.cloudwatch_log_group,
            "CloudWatchOutputEnabled": bool(self.cloudwatch_log_group),
        }


def delivery(
    *,
    document_name: str,
    region: str = "us-east-1",
    s3_bucket: str | None = None,
    s3_key_prefix: str | None = None,
    cloudwatch: bool | str = False,
    notification_arn: str | None = None,
    notification_events: Sequence[str] = ("All",),
    notification_type: str = "Command",
    service_role: str | None = None,
) -> Delivery:
    """Check and gather a command's output settings (CloudWatch group ``/aws/ssm/<document>``)."""
    region_min, region_max = _model.limit("S3Region", "min"), _model.limit("S3Region", "max")
    if not region_min <= len(region) <= region_max:
        raise ValueError(f"region {region!r} must be {region_min}..{region_max} characters")
    if s3_bucket is not None:
        low, high = _model.limit("S3BucketName", "min"), _model.limit("S3BucketName", "max")
        if not low <= len(s3_bucket) <= high:
            raise ValueError(f"s3_bucket {s3_bucket!r} must be {low}..{high} characters")
    elif s3_key_prefix:
        raise ValueError(f"s3_key_prefix={s3_key_prefix!r} needs an s3_bucket")
    if s3_key_prefix and len(s3_key_prefix) > _model.limit("S3KeyPrefix", "max"):
        raise ValueError(f"s3_key_prefix is over {_model.limit('S3KeyPrefix', 'max')} characters")
    group = cloudwatch if isinstance(cloudwatch, str) else ""
    if cloudwatch is True:
        group = f"/aws/ssm/{document_name}"
    events: tuple[str, ...] = ()
    kind = ""
    if notification_arn:
        valid_events = _model.member("NotificationConfig", "NotificationEvents").member.enum
        for event in notification_events:
            if event not in valid_events:
                raise ValueError(
                    f"unknown notification event {event!r}; valid: {', '.join(valid_events)}"
                )
        if notification_type not in _model.enum("NotificationType"):
            raise ValueError(
                f"unknown notification type {notification_type!r}; "
                f"valid: {', '.join(_model.enum('NotificationType'))}"
            )
        events, kind = tuple(notification_events), notification_type
    return Delivery(
        region=region,
        s3_bucket=s3_bucket or "",
        s3_key_prefix=s3_key_prefix or "",
        cloudwatch_log_group=group,
        notification_arn=notification_arn or "",
        notification_events=events,
        notification_type=kind,
        service_role=service_role or "",
    )


_DEFAULT_DELIVERY = Delivery()


@dataclass(frozen=True)
class _Place:
    """What a plugin needs to know of its invocation to name its S3 objects."""

    command_id: str
    instance_id: str
    document: Document
    delivery: Delivery

    def s3_fields(self, step: Step) -> tuple[str, str, str]:
        """``OutputS3KeyPrefix`` and the stdout and stderr URLs of a step."""
        bucket = self.delivery.s3_bucket
        if not bucket:
            return "", "", ""
        parts = [self.command_id, self.instance_id, step.s3_folder]
        if self.delivery.s3_key_prefix:
            parts.insert(0, self.delivery.s3_key_prefix.rstrip("/"))
        key_prefix = "/".join(parts)
        leaf = f"0.{step.s3_folder}" if self.document.schema_version == "1.2" else step.name
        base = f"https://s3.{self.delivery.region}.amazonaws.com/{bucket}/{key_prefix}/{leaf}"
        return key_prefix, f"{base}/stdout", f"{base}/stderr"


def _plugin_record(
    place: _Place,
    step: Step,
    case: StatusCase,
    code: int,
    start_ms: int | None,
    finish_ms: int | None,
    output: str,
) -> Record:
    key_prefix, stdout_url, stderr_url = place.s3_fields(step)
    record: Record = {
        "Name": step.name,
        "Status": case.plugin_status,
        "StatusDetails": case.status_details,
        "ResponseCode": code,
    }
    if start_ms is not None:
        record["ResponseStartDateTime"] = from_ms(start_ms)
    if finish_ms is not None:
        record["ResponseFinishDateTime"] = from_ms(finish_ms)
    record["Output"] = output
    record["StandardOutputUrl"] = stdout_url
    record["StandardErrorUrl"] = stderr_url
    record["OutputS3Region"] = place.delivery.region
    record["OutputS3BucketName"] = place.delivery.s3_bucket
    record["OutputS3KeyPrefix"] = key_prefix
    return record


def check_response_code(case: StatusCase, code: int) -> None:
    """``ValueError`` unless ``code`` is a ResponseCode AWS shows with ``case``."""
    if isinstance(code, bool) or not isinstance(code, int):
        raise TypeError(f"response_code must be an int, not {type(code).__name__}")
    if case.finished and case.status != "Success":
        if code == 0:
            raise ValueError(
                f"ResponseCode 0 is inconsistent with StatusDetails {case}: "
                f"a {case} plugin has a non-zero code, e.g. {case.response_codes}"
            )
    elif code not in case.response_codes:
        raise ValueError(
            f"ResponseCode {code} is inconsistent with StatusDetails {case}: "
            f"expected {' or '.join(map(str, case.response_codes))}"
        )


def _deciding_output(
    rng: random.Random, doc: Document, case: StatusCase, code: int
) -> tuple[str, str]:
    """Plausible stdout and stderr of the plugin whose result decides the invocation."""
    if not case.finished:
        return "", ""
    if case.status == "Success":
        return choose(rng, doc.success_output), ""
    if case.status_details == "ExecutionTimedOut":
        return choose(rng, doc.success_output).partition("\n")[0], ""
    failure = choose(rng, doc.failures)
    stderr = failure.stderr
    if doc.shell and code > 0:
        stderr = f"{stderr}\n{exit_status_line(code)}" if stderr else exit_status_line(code)
    return failure.stdout, stderr


def _duration_ms(rng: random.Random, doc: Document) -> int:
    low, high = doc.duration
    return int(1000 * (low + (high - low) * rng.random() ** 3))


def build_plugins(
    rng: random.Random,
    place: _Place,
    case: StatusCase,
    requested_ms: int,
    *,
    platform: str,
    response_code: int | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    check: bool = True,
    streams: dict[str, tuple[str, str]] | None = None,
) -> list[Record]:
    """The plugins of one invocation whose result is ``case``.

    Steps run in order; the last step that applies to ``platform`` decides the
    result and earlier ones succeed. Steps for other platforms are skipped
    (Success, code 0, the agent's "skipped" message). When the command never
    reached the node, every plugin carries the case, code -1 and no times.
    """
    doc = place.document
    if response_code is None:
        codes = case.response_codes
        code = codes[0] if len(codes) == 1 or rng.random() < 0.6 else choose(rng, codes)
    else:
        if check:
            check_response_code(case, response_code)
        code = response_code
    if check and (stdout or stderr) and not case.finished:
        raise ValueError(
            f"stdout/stderr given for StatusDetails {case}, which has no output "
            "(only finished plugins report Output)"
        )
    if not case.reached_node:
        return [_plugin_record(place, s, case, code, None, None, "") for s in doc.steps]
    if stdout is None and stderr is None:
        out, err = _deciding_output(rng, doc, case, code)
    else:
        out, err = stdout or "", stderr or ""
    steps = doc.steps_for(platform)
    deciding = max(i for i, (_, runs) in enumerate(steps) if runs)
    success = _SUCCESS
    t = requested_ms + 80 + int(rng.random() * 2400)
    plugins = []
    for i, (step, runs) in enumerate(steps):
        if i < deciding or (i > deciding and case.terminal):
            if runs:
                finish = t + _duration_ms(rng, doc)
                plugins.append(_plugin_record(place, step, success, 0, t, finish, step.output))
                t = finish + 5 + int(rng.random() * 50)
            else:
                skipped = _skipped_output(step)
                plugins.append(_plugin_record(place, step, success, 0, t, t, skipped))
        elif i == deciding:
            if case.finished:
                took = EXECUTION_TIMEOUT_MS if case.status == "TimedOut" else _duration_ms(rng, doc)
                output = plugin_output(out, err)
                if streams is not None:
                    streams[step.name] = (out, err)
                plugins.append(_plugin_record(place, step, case, code, t, t + took, output))
                t += took
            else:
                plugins.append(_plugin_record(place, step, case, code, t, None, ""))
        else:
            plugins.append(_plugin_record(place, step, _PENDING, -1, None, None, ""))
    return plugins


_SUCCESS = status_case("Success")
_PENDING = status_case("Pending")


def overall_case(plugins: Sequence[Mapping[str, Any]]) -> StatusCase:
    """The invocation's case given its plugins: Failed if any failed, and so on."""
    found = {p["StatusDetails"] for p in plugins}
    for name in _PRECEDENCE:
        if name in found:
            return status_case(name)
    raise ValueError(f"plugins carry no known StatusDetails: {sorted(found)}")


def check_length(name: str, value: str, structure: str, member: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    high = _model.field_limit(structure, member, "max")
    if len(value) > high:
        raise ValueError(f"{name} is {len(value)} characters; AWS allows at most {high}: {value!r}")
    return value


def check_document_version(value: str) -> str:
    """``$DEFAULT``, ``$LATEST``, a version number, or "" (as older real output shows)."""
    if value != "" and not _model.pattern("DocumentVersion").fullmatch(value):
        raise ValueError(
            f"malformed document_version {value!r}; valid: '$DEFAULT', '$LATEST', "
            "a number such as '3', or '' (seen in real output)"
        )
    return value


def invocation(
    *,
    status: str | StatusCase | None = None,
    document: str | Document | None = None,
    platform: str | None = None,
    command_id: str | None = None,
    instance_id: str | None = None,
    hybrid: bool = False,
    instance_name: str | None = None,
    comment: str | None = None,
    document_version: str = "$DEFAULT",
    requested: datetime | None = None,
    response_code: int | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    plugins: Sequence[Mapping[str, Any]] | None = None,
    details: bool = True,
    region: str = "us-east-1",
    s3_bucket: str | None = None,
    s3_key_prefix: str | None = None,
    cloudwatch: bool | str = False,
    notification_arn: str | None = None,
    notification_events: Sequence[str] = ("All",),
    notification_type: str = "Command",
    service_role: str | None = None,
    seed: int | None = None,
    rng: Any = None,
    stubber_safe: bool = False,
    allow_inconsistent: bool = False,
    _delivery: Delivery | None = None,
    _streams: dict[str, tuple[str, str]] | None = None,
) -> InvocationRecord:
    """One ``CommandInvocations`` item, exactly as ListCommandInvocations returns it.

    Anything not given is drawn from ``seed`` (or ``rng``: a ``random.Random``
    or a Faker) so that the same seed gives the same record. ``stdout`` and
    ``stderr`` become the deciding plugin's ``Output`` as the agent builds it.
    ``plugins`` (records from :func:`plugin`) replaces the generated ones, and
    the invocation's status follows them. ``details=False`` gives
    ``"CommandPlugins": []`` as AWS does. ``stubber_safe=True`` drops the empty
    strings AWS sends but botocore's Stubber rejects. Inconsistent input raises
    ``ValueError`` unless ``allow_inconsistent=True``.
    """
    r = _seeding.resolve(seed, rng)
    check = not allow_inconsistent
    doc = pick_document(r, document)
    if plugins is not None:
        derived = overall_case(plugins)
        case = status_case(status) if status is not None else derived
        if check and case is not derived:
            raise ValueError(
                f"status {case} is inconsistent with the plugins given, which make {derived}"
            )
    else:
        case = status_case(status) if status is not None else _pick(r, _CASES, _CASE_CUM)
    if platform is None:
        platform = doc.platforms[0] if len(doc.platforms) == 1 else choose(r, doc.platforms)
    elif check and platform not in doc.platforms:
        raise ValueError(
            f"platform {platform!r} does not run {doc.name}; valid: {', '.join(doc.platforms)}"
        )
    cid = ids.check_command_id(command_id) if command_id else ids.command_id(r)
    iid = ids.check_instance_id(instance_id) if instance_id else ids.instance_id(r, hybrid=hybrid)
    pool = pools()
    if instance_name is None:
        instance_name = choose(r, pool.instance_names) if r.random() < 0.5 else ""
    elif check:
        check_length("instance_name", instance_name, "CommandInvocation", "InstanceName")
    if comment is None:
        comment = choose(r, pool.comments) if r.random() < 0.5 else ""
    elif check:
        check_length("comment", comment, "CommandInvocation", "Comment")
    if check and document_version != "$DEFAULT":
        check_document_version(document_version)
    requested_ms = to_ms(requested, "requested") if requested else default_requested_ms(r)
    settings = _delivery or (
        _DEFAULT_DELIVERY
        if (region, s3_bucket, s3_key_prefix, cloudwatch, notification_arn, service_role)
        == ("us-east-1", None, None, False, None, None)
        else delivery(
            document_name=doc.name,
            region=region,
            s3_bucket=s3_bucket,
            s3_key_prefix=s3_key_prefix,
            cloudwatch=cloudwatch,
            notification_arn=notification_arn,
            notification_events=notification_events,
            notification_type=notification_type,
            service_role=service_role,
        )
    )
    place = _Place(cid, iid, doc, settings)
    if plugins is None:
        plugins = build_plugins(
            r, place, case, requested_ms, platform=platform, response_code=response_code,
            stdout=stdout, stderr=stderr, check=check, streams=_streams,
        )  # fmt: skip
    elif check:
        _check_plugin_times(plugins, requested_ms)
    stdout_url = stderr_url = ""
    if settings.s3_bucket and len(doc.steps) == 1:
        _, stdout_url, stderr_url = place.s3_fields(doc.steps[0])
    record: Record = {
        "CommandId": cid,
        "InstanceId": iid,
        "InstanceName": instance_name,
        "Comment": comment,
        "DocumentName": doc.name,
        "DocumentVersion": document_version,
        "RequestedDateTime": from_ms(requested_ms),
        "Status": case.status,
        "StatusDetails": case.status_details,
        "StandardOutputUrl": stdout_url,
        "StandardErrorUrl": stderr_url,
        "CommandPlugins": list(plugins) if details else [],
        "ServiceRole": settings.service_role,
        "NotificationConfig": settings.notification_config(),
        "CloudWatchOutputConfig": settings.cloudwatch_config(),
    }
    if stubber_safe:
        record = strip_below_minimums(record, "CommandInvocation")
    return cast("InvocationRecord", record)


def _check_plugin_times(plugins: Sequence[Mapping[str, Any]], requested_ms: int) -> None:
    for p in plugins:
        start = p.get("ResponseStartDateTime")
        if start is not None and to_ms(start, "ResponseStartDateTime") < requested_ms:
            raise ValueError(
                f"plugin {p['Name']} starts at {start.isoformat()}, before the invocation's "
                f"RequestedDateTime {from_ms(requested_ms).isoformat()}"
            )


def plugin(
    *,
    status: str | StatusCase | None = None,
    name: str | None = None,
    document: str | Document | None = None,
    response_code: int | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    output: str | None = None,
    start: datetime | None = None,
    finish: datetime | None = None,
    command_id: str | None = None,
    instance_id: str | None = None,
    region: str = "us-east-1",
    s3_bucket: str | None = None,
    s3_key_prefix: str | None = None,
    seed: int | None = None,
    rng: Any = None,
    stubber_safe: bool = False,
    allow_inconsistent: bool = False,
) -> PluginRecord:
    """One ``CommandPlugins`` item.

    ``stdout`` and ``stderr`` are what the script printed; ``Output`` is built
    from them as the agent does (separator, markers, 2500 characters). Pass
    ``output`` instead to set ``Output`` verbatim. Times follow the case: a
    plugin that never started has none, one still running has no finish.
    """
    r = _seeding.resolve(seed, rng)
    check = not allow_inconsistent
    case = status_case(status) if status is not None else _pick(r, _CASES, _CASE_CUM)
    doc = pick_document(r, document)
    step = doc.steps[-1]
    if name is not None:
        low = _model.field_limit("CommandPlugin", "Name", "min")
        if check and len(name) < low:
            raise ValueError(f"plugin name {name!r} is shorter than {low} characters")
        step = next((s for s in doc.steps if s.name == name), Step(name, name))
    if response_code is None:
        response_code = case.response_codes[0]
    elif check:
        check_response_code(case, response_code)
    if output is not None and (stdout is not None or stderr is not None):
        raise ValueError("pass output, or stdout and stderr, not both")
    if check and (stdout or stderr or output) and not case.finished:
        raise ValueError(f"output given for StatusDetails {case}, which has no output")
    if output is None:
        if stdout is None and stderr is None and case.finished:
            stdout, stderr = _deciding_output(r, doc, case, response_code)
        output = plugin_output(stdout or "", stderr or "")
    elif check:
        check_length("output", output, "CommandPlugin", "Output")
    start_ms = to_ms(start, "start") if start else None
    finish_ms = to_ms(finish, "finish") if finish else None
    if case.reached_node and start_ms is None:
        start_ms = default_requested_ms(r)
    if case.finished and finish_ms is None:
        assert start_ms is not None
        finish_ms = start_ms + _duration_ms(r, doc)
    if check:
        if not case.reached_node and (start_ms or finish_ms):
            raise ValueError(f"a {case} plugin never started: it has no start or finish time")
        if not case.finished and finish_ms is not None:
            raise ValueError(f"a {case} plugin has not finished: it has no finish time")
        if start_ms is not None and finish_ms is not None and finish_ms < start_ms:
            raise ValueError(f"finish {finish} is before start {start}")
    settings = delivery(
        document_name=doc.name, region=region, s3_bucket=s3_bucket, s3_key_prefix=s3_key_prefix
    )
    place = _Place(
        ids.check_command_id(command_id) if command_id else ids.command_id(r),
        ids.check_instance_id(instance_id) if instance_id else ids.instance_id(r),
        doc,
        settings,
    )
    record = _plugin_record(place, step, case, response_code, start_ms, finish_ms, output)
    if stubber_safe:
        record = strip_below_minimums(record, "CommandPlugin")
    return cast("PluginRecord", record)
