"""A command's output settings: S3, CloudWatch, notifications and service role.

Users pass them as keywords (``s3_bucket=``, ``cloudwatch=True``, ...) to any
builder; they are checked once and carried as one frozen
:class:`OutputSettings`, shared by the command and all its invocations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from .. import _model
from . import Record

DEFAULT_REGION = "us-east-1"


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


_OPTION_NAMES = tuple(OutputOptions.__annotations__)


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
    unknown = sorted(set(options) - set(_OPTION_NAMES))
    if unknown:
        raise TypeError(
            f"unexpected keyword argument {', '.join(map(repr, unknown))}; "
            f"the output settings are region, {', '.join(_OPTION_NAMES)}"
        )
    _check_s3(region, options.get("s3_bucket"), options.get("s3_key_prefix"))
    cloudwatch = options.get("cloudwatch", False)
    group = cloudwatch if isinstance(cloudwatch, str) else ""
    if cloudwatch is True:
        group = f"/aws/ssm/{document_name}"
    arn = options.get("notification_arn")
    events: tuple[str, ...] = ()
    kind = ""
    if arn:
        events = _checked_events(options.get("notification_events", ("All",)))
        kind = _checked_type(options.get("notification_type", "Command"))
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


def _check_s3(region: str, bucket: str | None, key_prefix: str | None) -> None:
    region_min, region_max = _model.limit("S3Region", "min"), _model.limit("S3Region", "max")
    if not region_min <= len(region) <= region_max:
        raise ValueError(f"region {region!r} must be {region_min}..{region_max} characters")
    if bucket is not None:
        low, high = _model.limit("S3BucketName", "min"), _model.limit("S3BucketName", "max")
        if not low <= len(bucket) <= high:
            raise ValueError(f"s3_bucket {bucket!r} must be {low}..{high} characters")
    elif key_prefix:
        raise ValueError(f"s3_key_prefix={key_prefix!r} needs an s3_bucket")
    if key_prefix and len(key_prefix) > _model.limit("S3KeyPrefix", "max"):
        raise ValueError(f"s3_key_prefix is over {_model.limit('S3KeyPrefix', 'max')} characters")


def _checked_events(events: Sequence[str]) -> tuple[str, ...]:
    valid = _model.member("NotificationConfig", "NotificationEvents").member.enum
    for event in events:
        if event not in valid:
            raise ValueError(f"unknown notification event {event!r}; valid: {', '.join(valid)}")
    return tuple(events)


def _checked_type(kind: str) -> str:
    valid = _model.enum("NotificationType")
    if kind not in valid:
        raise ValueError(f"unknown notification type {kind!r}; valid: {', '.join(valid)}")
    return kind
