"""Captured ``aws ssm list-command-invocations --output json`` output, read back as records.

AWS CLI v1 prints timestamps as epoch floats (``1582136283.089``), CLI v2 as
ISO 8601 strings with an offset (``2021-02-05T13:37:00.000000+01:00``); both
are read, and records carry UTC datetimes at millisecond precision. A file may
hold several JSON documents one after another, as ``--page-size`` chains
print them (``ssm-invocations generate --page-size``, or the pages of a
``--no-paginate`` loop). A capture holds no command-level record, so each
command's output settings are read from its first invocation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ..catalogue import model
from . import Record, ids
from .checks import check_plugins
from .settings import OutputSettings
from .times import from_ms, to_ms

_PLUGIN_TIMESTAMPS = ("ResponseStartDateTime", "ResponseFinishDateTime")
#: Members of the model's CommandInvocation that the CLI's output does not carry.
_NOT_PRINTED = ("TraceOutput",)


def read_capture(captured: str | Path | Mapping[str, Any]) -> dict[str, list[Record]]:
    """The captured invocations grouped by CommandId, in the order they came.

    Takes the JSON text (one document or several in a row), a path to it, or
    the parsed dict.
    """
    if isinstance(captured, Path):
        captured = captured.read_text()
    documents = _documents(captured) if isinstance(captured, str) else [captured]
    grouped: dict[str, list[Record]] = {}
    for data in documents:
        for i, item in enumerate(_items(data)):
            record = _from_cli(_checked_item(i, item), f"CommandInvocations[{i}]")
            grouped.setdefault(record["CommandId"], []).append(record)
    return grouped


def _documents(text: str) -> list[Any]:
    """Every JSON document in ``text``, one after another (whitespace between them)."""
    decoder = json.JSONDecoder()
    documents = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position == len(text):
            break
        try:
            document, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ValueError(f"captured is not JSON ({error}): {text[:80]!r}") from None
        documents.append(document)
    if not documents:
        raise ValueError("captured holds no JSON document")
    return documents


def _items(data: object) -> Sequence[Any]:
    """The CommandInvocations of one captured response."""
    if not isinstance(data, Mapping) or "CommandInvocations" not in data:
        raise ValueError(
            "captured must be the output of `aws ssm list-command-invocations --output json`: "
            "an object with CommandInvocations (or several, one after another), "
            f"not {type(data).__name__}"
        )
    items = data["CommandInvocations"]
    if isinstance(items, (str, Mapping)) or not isinstance(items, Sequence):
        raise TypeError(f"CommandInvocations must be a list, not {type(items).__name__}")
    return items


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


def _from_cli(item: Mapping[str, Any], where: str) -> Record:
    """A CLI-printed invocation with its epoch-float timestamps as datetimes."""
    record = dict(item)
    record["RequestedDateTime"] = _as_datetime(
        record["RequestedDateTime"], f"{where}.RequestedDateTime"
    )
    plugins = []
    for i, plugin in enumerate(record.get("CommandPlugins", [])):
        plugin = dict(plugin)
        for name in _PLUGIN_TIMESTAMPS:
            if name in plugin:
                plugin[name] = _as_datetime(plugin[name], f"{where}.CommandPlugins[{i}].{name}")
        plugins.append(plugin)
    record["CommandPlugins"] = plugins
    return record


def _checked_item(index: int, item: object) -> Mapping[str, Any]:
    """One captured invocation with every field the CLI prints, its ids shaped like AWS's."""
    where = f"CommandInvocations[{index}]"
    if not isinstance(item, Mapping):
        raise TypeError(f"{where} must be an object, not {type(item).__name__}")
    required = [m for m in model.shape("CommandInvocation").members if m not in _NOT_PRINTED]
    missing = [key for key in required if key not in item]
    if missing:
        raise ValueError(
            f"{where} lacks {', '.join(missing)}: expected an invocation as "
            "`aws ssm list-command-invocations --output json` prints it"
        )
    ids.check_command_id(item["CommandId"], f"{where}.CommandId")
    ids.check_instance_id(item["InstanceId"], f"{where}.InstanceId")
    check_plugins(item["CommandPlugins"], strict=True, name=f"{where}.CommandPlugins")
    return item


def _as_datetime(value: Any, where: str) -> datetime:
    """A UTC datetime (milliseconds) from CLI v1's epoch float or CLI v2's ISO string."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_ms(round(value * 1000))
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return from_ms(to_ms(parsed, "timestamp"))
    raise ValueError(
        f"{where} {value!r} is neither epoch seconds (AWS CLI v1, e.g. 1582136283.089) nor "
        "an ISO 8601 time with an offset (AWS CLI v2, e.g. 2021-02-05T13:37:00.000000+01:00)"
    )
