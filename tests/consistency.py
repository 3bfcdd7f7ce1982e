"""One checker of every consistency rule a record must obey, shared by the tests.

What a status implies comes from the rows written from AWS's documents
(``status_rows``), not from the catalogue that built the record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timezone
from typing import Any

from pytest_ssm_invocations.records.output import MAX_PLUGIN_OUTPUT

from .status_rows import STATUS_ROWS

INSTANCE_ID = re.compile(r"(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def assert_consistent(record: Mapping[str, Any]) -> None:
    details = record["StatusDetails"]
    assert record["Status"] == STATUS_ROWS[details].status
    assert UUID.match(record["CommandId"]), record["CommandId"]
    assert INSTANCE_ID.match(record["InstanceId"]), record["InstanceId"]
    assert len(record["Comment"]) <= 100
    requested = record["RequestedDateTime"]
    assert requested.tzinfo is not None
    assert requested.utcoffset() == timezone.utc.utcoffset(None)
    assert requested.microsecond % 1000 == 0
    cloudwatch = record["CloudWatchOutputConfig"]
    assert cloudwatch["CloudWatchOutputEnabled"] == bool(cloudwatch["CloudWatchLogGroupName"])
    for plugin in record["CommandPlugins"]:
        assert_plugin_consistent(plugin, requested)
    plugins = record["CommandPlugins"]
    if plugins:
        # The invocation's status follows its plugins.
        shown = {p["StatusDetails"] for p in plugins}
        assert details in shown
        if "Failed" in shown:
            assert details == "Failed"
        if details == "Success":
            assert shown == {"Success"}
        buckets = {p["OutputS3BucketName"] for p in plugins}
        assert len(buckets) == 1
        if record["StandardOutputUrl"]:
            assert len(plugins) == 1
            assert record["StandardOutputUrl"] == plugins[0]["StandardOutputUrl"]


def assert_plugin_consistent(plugin: Mapping[str, Any], requested: Any = None) -> None:
    details = plugin["StatusDetails"]
    row = STATUS_ROWS[details]
    finished = row.terminal and row.reached_node
    assert plugin["Status"] == row.plugin_status
    code = plugin["ResponseCode"]
    if details == "Success":
        assert code == 0
    elif finished:
        assert code != 0
    else:
        assert code == -1
    start = plugin.get("ResponseStartDateTime")
    finish = plugin.get("ResponseFinishDateTime")
    assert (start is not None) == row.reached_node
    assert (finish is not None) == finished
    if requested is not None and start is not None:
        assert requested <= start
    if start is not None and finish is not None:
        assert start <= finish
    if not finished:
        assert plugin["Output"] == ""
    assert len(plugin["Output"].encode()) <= MAX_PLUGIN_OUTPUT
    bucket = plugin["OutputS3BucketName"]
    if bucket:
        assert plugin["OutputS3KeyPrefix"]
        assert plugin["StandardOutputUrl"].endswith("/stdout")
        assert f"/{bucket}/{plugin['OutputS3KeyPrefix']}/" in plugin["StandardOutputUrl"]
        assert f"s3.{plugin['OutputS3Region']}.amazonaws.com" in plugin["StandardOutputUrl"]
    else:
        assert plugin["OutputS3KeyPrefix"] == ""
        assert plugin["StandardOutputUrl"] == plugin["StandardErrorUrl"] == ""
