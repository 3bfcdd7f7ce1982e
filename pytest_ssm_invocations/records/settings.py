"""A command's output settings: S3, CloudWatch, notifications and service role.

Users pass them as keywords (``s3_bucket=``, ``cloudwatch=True``, ...) to any
builder; they are checked once and carried as one frozen
:class:`OutputSettings`, shared by the command and all its invocations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from ..catalogue import model
from ..catalogue.defaults import DEFAULT_REGION
from . import Record
from .checks import check_optional_str, check_region, check_str_list, check_text


class OutputOptions(TypedDict, total=False):
    """The output keywords every command and invocation builder takes (besides ``region``)."""

    s3_bucket: str | None
    s3_key_prefix: str | None
    cloudwatch: bool | str
    """True: the group ``/aws/ssm/<DocumentName>``; a str: that group; False: disabled."""
    notification_arn: str | None
    notification_events: Sequence[str]
    """Default ``("All",)``; used only with a ``notification_arn``."""
    notification_type: str
    """Default ``"Command"``; used only with a ``notification_arn``."""
    service_role: str | None


OPTION_NAMES = tuple(OutputOptions.__annotations__)


@dataclass(frozen=True)
class OutputSettings:
    """Where a command's output goes and who is told, as AWS shows it (unset: empty)."""

    region: str = DEFAULT_REGION
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


DEFAULT_SETTINGS = OutputSettings()


def output_settings(
    document_name: str, region: str = DEFAULT_REGION, options: Mapping[str, Any] | None = None
) -> OutputSettings:
    """Check the keywords a caller gave and resolve them for a command of ``document_name``."""
    options = options or {}
    if region == DEFAULT_REGION and not options:
        return DEFAULT_SETTINGS
    unknown = sorted(set(options) - set(OPTION_NAMES))
    if unknown:
        raise TypeError(
            f"unexpected keyword argument {', '.join(map(repr, unknown))}; "
            f"the output settings are region, {', '.join(OPTION_NAMES)}"
        )
    _check_optional_strs(options)
    _check_s3(region, options.get("s3_bucket"), options.get("s3_key_prefix"))
    group = _log_group(document_name, options.get("cloudwatch", False))
    arn = options.get("notification_arn")
    events: tuple[str, ...] = ()
    kind = ""
    if arn:
        events = _checked_events(options.get("notification_events", ("All",)))
        kind = _checked_type(options.get("notification_type", "Command"))
    else:
        unused = [n for n in ("notification_events", "notification_type") if n in options]
        if unused:
            raise ValueError(f"{' and '.join(unused)} need a notification_arn")
    return OutputSettings(
        region=region,
        s3_bucket=options.get("s3_bucket") or "",
        s3_key_prefix=options.get("s3_key_prefix") or "",
        cloudwatch_log_group=group,
        notification_arn=arn or "",
        notification_events=events,
        notification_type=kind,
        service_role=options.get("service_role") or "",
    )


def _check_optional_strs(options: Mapping[str, Any]) -> None:
    for name in ("s3_bucket", "s3_key_prefix", "notification_arn", "service_role"):
        check_optional_str(name, options.get(name))


def _log_group(document_name: str, cloudwatch: object) -> str:
    """The CloudWatch log group ``cloudwatch=`` asks for ("": disabled)."""
    if cloudwatch is True:
        return f"/aws/ssm/{document_name}"
    if cloudwatch is False:
        return ""
    if not isinstance(cloudwatch, str):
        raise TypeError(
            "cloudwatch must be True (the group /aws/ssm/<document>), False, or a log "
            f"group name, not {type(cloudwatch).__name__} {cloudwatch!r}"
        )
    low = model.field_limit("CloudWatchOutputConfig", "CloudWatchLogGroupName", "min")
    high = model.field_limit("CloudWatchOutputConfig", "CloudWatchLogGroupName", "max")
    if not low <= len(cloudwatch) <= high:
        raise ValueError(
            f"cloudwatch log group {cloudwatch!r} must be {low}..{high} characters "
            "(cloudwatch=False disables CloudWatch output)"
        )
    return cloudwatch


def _check_s3(region: str, bucket: str | None, key_prefix: str | None) -> None:
    check_region(region)
    if bucket is not None:
        low, high = model.limit("S3BucketName", "min"), model.limit("S3BucketName", "max")
        if not low <= len(bucket) <= high:
            raise ValueError(f"s3_bucket {bucket!r} must be {low}..{high} characters")
    elif key_prefix:
        raise ValueError(f"s3_key_prefix={key_prefix!r} needs an s3_bucket")
    if key_prefix and len(key_prefix) > model.limit("S3KeyPrefix", "max"):
        raise ValueError(f"s3_key_prefix is over {model.limit('S3KeyPrefix', 'max')} characters")


def _checked_events(events: Sequence[str]) -> tuple[str, ...]:
    valid = model.member("NotificationConfig", "NotificationEvents").member.enum
    for event in check_str_list("notification_events", events, "events"):
        if event not in valid:
            raise ValueError(f"unknown notification event {event!r}; valid: {', '.join(valid)}")
    return tuple(events)


def _checked_type(kind: str) -> str:
    valid = model.enum("NotificationType")
    check_text("notification_type", kind)
    if kind not in valid:
        raise ValueError(f"unknown notification type {kind!r}; valid: {', '.join(valid)}")
    return kind
