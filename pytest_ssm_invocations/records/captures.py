"""Captured ``aws ssm list-command-invocations --output json`` output, read back as records.

The CLI prints timestamps as epoch floats; records carry datetimes. A capture
holds no command-level record, so each command's output settings are read
from its first invocation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from . import Record
from .settings import OutputSettings
from .times import from_ms

_PLUGIN_TIMESTAMPS = ("ResponseStartDateTime", "ResponseFinishDateTime")


def read_capture(captured: str | Path | Mapping[str, Any]) -> dict[str, list[Record]]:
    """The captured invocations grouped by CommandId, in the order they came.

    Takes the JSON text, a path to it, or the parsed dict.
    """
    if isinstance(captured, Path):
        captured = captured.read_text()
    data = json.loads(captured) if isinstance(captured, str) else captured
    if not isinstance(data, Mapping) or "CommandInvocations" not in data:
        raise ValueError(
            "expected the output of `aws ssm list-command-invocations --output json`: "
            "an object with CommandInvocations"
        )
    grouped: dict[str, list[Record]] = {}
    for item in data["CommandInvocations"]:
        record = _from_cli(item)
        grouped.setdefault(record["CommandId"], []).append(record)
    return grouped


def settings_of(record: Mapping[str, Any], region: str) -> OutputSettings:
    """The output settings an invocation shows (the key prefix stays empty: the plugins'
    ``OutputS3KeyPrefix`` runs the user's prefix and the node's path together)."""
    plugins = record.get("CommandPlugins") or [{}]
    cloudwatch = record.get("CloudWatchOutputConfig", {})
    notification = record.get("NotificationConfig", {})
    return OutputSettings(
        region=plugins[0].get("OutputS3Region", region) or region,
        s3_bucket=plugins[0].get("OutputS3BucketName", ""),
        s3_key_prefix="",
        cloudwatch_log_group=cloudwatch.get("CloudWatchLogGroupName", ""),
        notification_arn=notification.get("NotificationArn", ""),
        notification_events=tuple(notification.get("NotificationEvents", ())),
        notification_type=notification.get("NotificationType", ""),
        service_role=record.get("ServiceRole", ""),
    )


def _from_cli(item: Mapping[str, Any]) -> Record:
    """A CLI-printed invocation with its epoch-float timestamps as datetimes."""
    record = dict(item)
    record["RequestedDateTime"] = _as_datetime(record["RequestedDateTime"])
    plugins = []
    for plugin in record.get("CommandPlugins", []):
        plugin = dict(plugin)
        for name in _PLUGIN_TIMESTAMPS:
            if name in plugin:
                plugin[name] = _as_datetime(plugin[name])
        plugins.append(plugin)
    record["CommandPlugins"] = plugins
    return record


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)):
        return from_ms(round(value * 1000))
    raise ValueError(f"timestamp {value!r} is neither epoch seconds nor a datetime")
