"""Outputs and notifications put where AWS puts them, in moto's S3, Logs, SNS and EventBridge.

Written straight into moto's in-process backends (no botocore request, so
nothing loops back through the hook), in the account the fake speaks for:

- S3: ``put_object`` as the agent's ``S3Upload`` does (``text/plain``). The
  agent finds a bucket's own region (``s3util.GetS3CrossRegionCapableSession``),
  so a bucket of another region is written to all the same; a bucket that does
  not exist makes the agent log ``Failed to upload the output to s3`` and go
  on: nothing is written and the command's status is unchanged.
- CloudWatch Logs: the group made when missing (the agent's ``CreateLogGroup``),
  the stream made with its first event, events put on the log group itself.
  moto's PutLogEvents drops events more than 14 days older than its own
  clock (or 2 hours ahead); CloudWatch's window is about AWS's now, which
  under the fake is the fake clock, so events go in below that check, with
  their fake-clock timestamps, in either time mode.
- SNS: published to the topic; a topic that does not exist gets nothing (the
  service's publish fails, the command goes on).
- EventBridge: ``put_events`` on the region's default bus, so moto's rules
  and targets receive the events.

moto's server mode (another process) is out of reach: nothing is delivered
there.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..store.deliveries import PluginOutput, log_events
from .moto_bridge import moto_active

#: moto's default account, the one the fake speaks for (``MOTO_ACCOUNT_ID`` overrides both).
_DEFAULT_ACCOUNT = "123456789012"


def active() -> bool:
    """Whether moto's ``mock_aws`` is on: deliveries go nowhere without it."""
    return moto_active()


def account() -> str:
    return os.environ.get("MOTO_ACCOUNT_ID", _DEFAULT_ACCOUNT)


def put_output(output: PluginOutput) -> None:
    """Write one finished plugin's streams to S3 and CloudWatch Logs, as its command asks."""
    if output.bucket:
        _to_s3(output)
    if output.log_group:
        _to_logs(output)


def _to_s3(output: PluginOutput) -> None:
    from moto.s3.models import s3_backends

    # "global": the key of moto 5.0; later versions key S3 by partition and read
    # "global" as "aws".
    backend = s3_backends[account()]["global"]
    if output.bucket not in backend.buckets:
        return  # the agent's upload fails and is only logged
    for key, text in ((output.stdout_key, output.stdout), (output.stderr_key, output.stderr)):
        if key and text:  # an empty stream is not uploaded
            obj = backend.put_object(output.bucket, key, text.encode())
            obj.set_metadata({"Content-Type": "text/plain"})


def _to_logs(output: PluginOutput) -> None:
    from moto.logs.models import logs_backends

    backend = logs_backends[account()][output.region]
    backend.ensure_log_group(output.log_group)
    group = backend.groups[output.log_group]
    for stream, text in (
        (output.stdout_stream, output.stdout),
        (output.stderr_stream, output.stderr),
    ):
        events = log_events(text, output.finish_ms)
        if not events:
            continue  # the agent makes a stream only once it has an event to put
        if stream not in group.streams:
            group.create_log_stream(stream)
        group.put_log_events(stream, events)


def publish(topic_arn: str, message: dict[str, Any]) -> None:
    """Publish a notification to ``topic_arn``; nothing if moto has no such topic."""
    from moto.sns.models import sns_backends

    parts = topic_arn.split(":")
    if len(parts) < 6:
        return
    backend = sns_backends[parts[4]][parts[3]]
    topic = backend.topics.get(topic_arn)
    if topic is None:
        return
    topic.publish(json.dumps(message))


def put_event(
    region: str, detail_type: str, detail: dict[str, Any], resources: list[str], time_ms: int
) -> None:
    """Put one ``aws.ssm`` event on the default bus of ``region`` (``time``: whole seconds, as
    the user guide's examples show it; moto takes epoch seconds, as botocore sends them)."""
    from moto.events.models import events_backends

    backend = events_backends[account()][region]
    entry = {"Source": "aws.ssm", "DetailType": detail_type, "Detail": json.dumps(detail),
             "Resources": resources, "Time": time_ms // 1000}  # fmt: skip
    backend.put_events([entry])


def has_rules(region: str) -> bool:
    """Whether the default bus of ``region`` has a rule: events with no rule reach no one."""
    from moto.events.models import events_backends

    regions = events_backends[account()]
    if region not in regions:
        return False
    backend = regions[region]
    bus = backend.event_buses.get("default")
    return bool(bus is not None and getattr(bus, "rules", None))
