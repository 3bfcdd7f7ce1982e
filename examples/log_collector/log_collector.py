"""Collect a fleet's full command output from S3, once a status-change event says it is done.

The program sends a shell command with ``OutputS3BucketName``, waits on an
SQS queue that an EventBridge rule feeds with Run Command's "EC2 Command
Status-change Notification" events, and, once the command's status is
final, reads each node's full stdout from the S3 object its
``StandardOutputUrl`` names. GetCommandInvocation would cut it at 24,000
characters.
"""

from __future__ import annotations

import json
import time
from typing import Any

FINAL = {"Success", "Failed", "TimedOut", "Cancelled"}


def send(ssm: Any, instance_ids: list[str], bucket: str, script: str) -> str:
    sent = ssm.send_command(
        InstanceIds=instance_ids,
        DocumentName="AWS-RunShellScript",
        Parameters={"commands": [script]},
        OutputS3BucketName=bucket,
        OutputS3KeyPrefix="collected",
    )
    return str(sent["Command"]["CommandId"])


def wait_for_final_status(sqs: Any, queue_url: str, command_id: str, polls: int = 60) -> str:
    """The final Status of ``command_id``, from the status-change events on the queue."""
    for _ in range(polls):
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)
        for message in got.get("Messages", []):
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            event = json.loads(message["Body"])
            detail = event["detail"]
            if (
                event["detail-type"] == "EC2 Command Status-change Notification"
                and detail["command-id"] == command_id
                and detail["status"] in FINAL
            ):
                return str(detail["status"])
        time.sleep(5)
    raise TimeoutError(f"no final status for {command_id}")


def full_stdout(ssm: Any, s3: Any, command_id: str, instance_id: str) -> str:
    """A node's whole stdout, from the object its StandardOutputUrl names."""
    got = ssm.get_command_invocation(CommandId=command_id, InstanceId=instance_id)
    url = got["StandardOutputUrl"]
    if not url:
        return ""
    bucket, key = url.split(".amazonaws.com/", 1)[1].split("/", 1)
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return ""  # the agent uploads nothing for an empty stdout
    return str(body.decode())


def collect(ssm: Any, s3: Any, sqs: Any, queue_url: str, instance_ids: list[str], bucket: str,
            script: str) -> tuple[str, dict[str, str]]:  # fmt: skip
    """Send ``script``, wait for the command to end, and return its status and each node's
    full stdout."""
    command_id = send(ssm, instance_ids, bucket, script)
    status = wait_for_final_status(sqs, queue_url, command_id)
    return status, {node: full_stdout(ssm, s3, command_id, node) for node in instance_ids}
