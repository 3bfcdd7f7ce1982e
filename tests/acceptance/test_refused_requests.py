"""Bad requests to the send side (and the read side's patterns), refused as AWS refuses them.

Each request goes through botocore with its parameter validation off (as code
that builds requests by hand, or another SDK, reaches the service) and as raw
JSON 1.1 to the local endpoint. Every one must get an HTTP 400 with the code
AWS would give (ValidationException worded as AWS words it, or the modelled
error of the operation), never a Python exception or a 500, and must change
nothing: no command, no used ``on_send`` outcome, no draw from the seed's
generator, nothing in the store.

Codes come from botocore's service model (each operation's modelled errors)
and the kit's documented choices (``service/send_checks.py``).
"""

# Look-alike digits and letters are what these tables are about.
# ruff: noqa: RUF001

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import botocore.exceptions
import pytest

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports.http_server import SSMServer

from ..conftest import active, client

LINUX = ["i-0123456789abcdef0", "i-0123456789abcdef1"]
WINDOWS = "i-0123456789abcdef2"
OUTSIDE = "i-0fedcba9876543210"
UUID = "12345678-1234-1234-1234-123456789012"
SHELL = {"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["uptime"]}}
ROLE = "arn:aws:iam::123456789012:role/notify"
TOPIC = "arn:aws:sns:us-east-1:123456789012:commands"
VE = "ValidationException"
SE = "SerializationException"


@dataclass(frozen=True)
class Bad:
    operation: str
    params: dict[str, Any]
    code: str
    words: str = ""
    """A part of the message that must be there."""
    raw_only: bool = False
    """JSON botocore cannot serialize (wrong types, unknown members): the endpoint only."""


def send(code: str, words: str = "", raw_only: bool = False, **params: Any) -> Bad:
    return Bad("SendCommand", {**SHELL, "InstanceIds": LINUX[:1], **params}, code, words, raw_only)


def targeted(code: str, words: str, targets: Any, raw_only: bool = False) -> Bad:
    return Bad("SendCommand", {**SHELL, "Targets": targets}, code, words, raw_only)


def timeout(value: str) -> Bad:
    parameters = {"commands": ["uptime"], "executionTimeout": [value]}
    return send("InvalidParameters", "executionTimeout", Parameters=parameters)


def cancel(code: str, words: str = "", raw_only: bool = False, **params: Any) -> Bad:
    return Bad("CancelCommand", params, code, words, raw_only)


def describe(code: str, words: str = "", raw_only: bool = False, **params: Any) -> Bad:
    return Bad("DescribeInstanceInformation", params, code, words, raw_only)


def pattern(value: str, path: str = "instanceIds") -> str:
    return f"at '{path}' failed to satisfy constraint: Member must satisfy"


#: The id of the command CancelCommand cases name (added by the fake fixture below).
SENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

BAD_IDS = [
    "x",
    "i-123",
    "i-0123456789abcdef0\n",
    "i-0123456789abcdef0\r\n",
    "i-0123456é",
    "i-" + "१" * 17,
    "i-" + "٠" * 8,
    "mi-" + "１" * 17,
    "i-0123456789abcdef\x00",
    "i-0123456\ud800",
    " i-0123456789abcdef0",
    "I-0123456789abcdef0",
    "i-0123456789abcdef0 ",
    "i-01234567\u2028",
    "i-" + "0" * 10_000,
    "",
]

CASES: list[Bad] = [
    # -- SendCommand: members missing, unknown, of the wrong JSON type ------------------
    Bad("SendCommand", {"InstanceIds": LINUX[:1]}, VE, "Value null at 'documentName'"),
    send(SE, "Unrecognized field", raw_only=True, Bogus=1),
    send(SE, "NUMBER_VALUE can not be converted to a String", raw_only=True, DocumentName=5),
    send(SE, "Expected list or null", raw_only=True, InstanceIds=LINUX[0]),
    send(SE, "Expected list or null", raw_only=True, Parameters={"commands": "uptime"}),
    send(SE, "Start of list found", raw_only=True, Parameters=[["commands", "uptime"]]),
    send(SE, "STRING_VALUE can not be converted to an Integer", raw_only=True, TimeoutSeconds="60"),
    send(SE, "DECIMAL_VALUE", raw_only=True, TimeoutSeconds=60.5),
    send(SE, "TRUE_VALUE", raw_only=True, TimeoutSeconds=True),
    send(
        SE,
        "Unexpected token",
        raw_only=True,
        CloudWatchOutputConfig={"CloudWatchOutputEnabled": "yes"},
    ),
    send(SE, "Expected null", raw_only=True, NotificationConfig="all"),
    targeted(SE, "Start of structure or map", {"Key": "tag:Role"}, raw_only=True),
    targeted(SE, "Expected null", ["tag:Role=web"], raw_only=True),
    send(VE, "Member must not be null", InstanceIds=[None]),
    # -- DocumentName, DocumentVersion, DocumentHashType ---------------------------------
    *[
        send(VE, "at 'documentName'", DocumentName=name)
        for name in (
            "",
            "ab",
            "a b c",
            "AWS-RunShellScript\n",
            "AWS-RunShellScripté",
            "x" * 129,
            "AWS-RunShellScript\x00",
            "ＡＷＳ-RunShellScript",
        )
    ],
    send("InvalidDocument", "does not exist", DocumentName="No-Such-Document"),
    *[
        send(VE, "at 'documentVersion'", DocumentVersion=v)
        for v in (
            "0",
            "$LATEST\n",
            "1x",
            "١",
            "latest",
            "",
            "01",
        )
    ],
    send("InvalidDocumentVersion", DocumentVersion="2"),
    send(VE, "enum value set: [Sha256, Sha1]", DocumentHashType="MD5"),
    send(VE, "at 'documentHash'", DocumentHash="x" * 257),
    # -- InstanceIds and Targets ------------------------------------------------------
    Bad("SendCommand", dict(SHELL), VE, "Exactly one of InstanceIds and Targets"),
    send(VE, "both were given", Targets=[{"Key": "tag:Role", "Values": ["web"]}]),
    Bad("SendCommand", {**SHELL, "InstanceIds": [], "Targets": []}, VE, "neither"),
    send(VE, "Member must have length less than or equal to 50", InstanceIds=[OUTSIDE] * 51),
    *[send(VE, pattern(i), InstanceIds=[i]) for i in BAD_IDS],
    send(VE, pattern("x"), InstanceIds=[LINUX[0], "x"]),
    send("DuplicateInstanceId", LINUX[0], InstanceIds=[LINUX[0], LINUX[0]]),
    send("InvalidInstanceId", "not in a valid state", InstanceIds=[OUTSIDE]),
    send("UnsupportedPlatformType", "platform type Windows", InstanceIds=[WINDOWS]),
    targeted(VE, "Value null at 'targets.1.member.key'", [{"Values": ["web"]}]),
    targeted(VE, "Member must not be null", [None], raw_only=True),
    targeted(VE, "at 'targets.1.member.key'", [{"Key": "", "Values": ["web"]}]),
    *[
        targeted(VE, "at 'targets.1.member.key'", [{"Key": key, "Values": ["web"]}])
        for key in (
            "tag:Ro\tle",
            "tag:Role\n",
            "tag:Ro\x00le",
            "tag:" + "a" * 160,
            "tag:Ro\vle",
            "tag:Role;",
            "tag:Role\u0085",
        )
    ],
    targeted(VE, "length less than or equal to 5", [{"Key": "tag:Role", "Values": ["web"]}] * 6),
    targeted(VE, "length less than or equal to 50", [{"Key": "tag:Role", "Values": ["x"] * 51}]),
    targeted("DuplicateInstanceId", LINUX[0], [{"Key": "InstanceIds", "Values": LINUX[:1] * 2}]),
    targeted("DuplicateInstanceId", LINUX[0], [{"Key": "instanceids", "Values": LINUX[:1] * 2}]),
    *[
        targeted("InvalidInstanceId", "", [{"Key": "InstanceIds", "Values": [i]}])
        for i in (
            "x",
            OUTSIDE,
            "i-0123456789abcdef0\n",
            "i-0123456é",
        )
    ],
    targeted("InvalidInstanceId", "", [{"Key": "InstanceIds", "Values": []}]),
    # -- Parameters -------------------------------------------------------------------
    send(
        "InvalidParameters", "declares no parameter", Parameters={"commands": ["x"], "nope": ["1"]}
    ),
    send("InvalidParameters", "requires commands", Parameters={}),
    send("InvalidParameters", "requires commands", Parameters={"commands": []}),
    *[
        timeout(v)
        for v in (
            "²",
            "١٢٣",
            "０",
            "0",
            "172801",
            "-1",
            "1.5",
            " 5",
            "5\n",
            "",
            "1e3",
            "99999999999999999999",
            "٣٦٠٠",
        )
    ],
    # -- numbers and limits -----------------------------------------------------------
    send(VE, "greater than or equal to 30", TimeoutSeconds=29),
    send(VE, "less than or equal to 2592000", TimeoutSeconds=2592001),
    send(VE, "Value at 'timeoutSeconds'", TimeoutSeconds=2**31),
    send(VE, "at 'comment'", Comment="x" * 101),
    *[
        send(VE, "at 'maxConcurrency'", MaxConcurrency=v)
        for v in (
            "0",
            "101%",
            "٣",
            "5\n",
            "",
            "12345678",
            "5%%",
            "-1",
            "１",
        )
    ],
    *[send(VE, "at 'maxErrors'", MaxErrors=v) for v in ("-1", "1000%", "۵", "1\n", "")],
    # -- outputs and notifications ----------------------------------------------------
    send(VE, "at 'outputS3BucketName'", OutputS3BucketName="ab"),
    send(VE, "at 'outputS3BucketName'", OutputS3BucketName="b" * 64),
    send(VE, "at 'outputS3KeyPrefix'", OutputS3BucketName="bucket", OutputS3KeyPrefix="p" * 501),
    send(VE, "at 'outputS3Region'", OutputS3BucketName="bucket", OutputS3Region="us"),
    send("InvalidOutputFolder", "OutputS3KeyPrefix", OutputS3KeyPrefix="prefix"),
    send(
        VE,
        "at 'cloudWatchOutputConfig.cloudWatchLogGroupName'",
        CloudWatchOutputConfig={"CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": True},
    ),
    send(
        VE,
        "at 'cloudWatchOutputConfig.cloudWatchLogGroupName'",
        CloudWatchOutputConfig={"CloudWatchLogGroupName": "g" * 513},
    ),
    send(
        "InvalidRole",
        "ServiceRoleArn is a required parameter",
        NotificationConfig={"NotificationArn": TOPIC},
    ),
    *[
        send(
            "InvalidNotificationConfig",
            "NotificationArn",
            ServiceRoleArn=ROLE,
            NotificationConfig={"NotificationArn": arn},
        )
        for arn in (
            "not-an-arn",
            "arn:aws:sqs:us-east-1:123456789012:queue",
            TOPIC + "\n",
            "arn:aws:sns:us-east-1:١٢٣٤٥٦٧٨٩٠١٢:commands",
        )
    ],
    *[
        send(
            "InvalidRole",
            "ServiceRoleArn",
            ServiceRoleArn=role,
            NotificationConfig={"NotificationArn": TOPIC},
        )
        for role in (
            "not-an-arn",
            "arn:aws:iam::123456789012:user/me",
            ROLE + "\n",
        )
    ],
    send(
        VE,
        "at 'notificationConfig.notificationEvents'",
        ServiceRoleArn=ROLE,
        NotificationConfig={"NotificationArn": TOPIC, "NotificationEvents": ["Sometimes"]},
    ),
    send(
        VE,
        "at 'notificationConfig.notificationType'",
        ServiceRoleArn=ROLE,
        NotificationConfig={"NotificationArn": TOPIC, "NotificationType": "Sometimes"},
    ),
    send(VE, "Value null at 'alarmConfiguration.alarms'", AlarmConfiguration={}),
    send(VE, "at 'alarmConfiguration.alarms'", AlarmConfiguration={"Alarms": []}),
    send(
        VE,
        "at 'alarmConfiguration.alarms'",
        AlarmConfiguration={"Alarms": [{"Name": "a"}, {"Name": "b"}]},
    ),
    send(
        VE,
        "Value null at 'alarmConfiguration.alarms.1.member.name'",
        AlarmConfiguration={"Alarms": [{}]},
    ),
    *[
        send(
            VE,
            "at 'alarmConfiguration.alarms.1.member.name'",
            AlarmConfiguration={"Alarms": [{"Name": name}]},
        )
        for name in (" ", "\t\n", "a\n", "")
    ],
    # -- CancelCommand ----------------------------------------------------------------
    cancel(VE, "Value null at 'commandId'"),
    cancel(VE, "at 'commandId'", CommandId=""),
    cancel(VE, "at 'commandId'", CommandId=SENT + "\n"),
    cancel(VE, "at 'commandId'", CommandId=SENT + "0"),
    cancel("InvalidCommandId", CommandId="x" * 36),
    cancel("InvalidCommandId", CommandId=UUID),
    cancel("InvalidCommandId", CommandId=SENT.replace("a", "١")),
    cancel(SE, "NUMBER_VALUE", raw_only=True, CommandId=5),
    cancel(SE, "Unrecognized field", raw_only=True, CommandId=SENT, Force=True),
    *[cancel(VE, pattern(i), CommandId=SENT, InstanceIds=[i]) for i in BAD_IDS],
    cancel(VE, "length less than or equal to 50", CommandId=SENT, InstanceIds=[OUTSIDE] * 51),
    cancel("DuplicateInstanceId", CommandId=SENT, InstanceIds=LINUX[:1] * 2),
    cancel("InvalidInstanceId", "was not sent to", CommandId=SENT, InstanceIds=[OUTSIDE]),
    # -- DescribeInstanceInformation --------------------------------------------------
    describe(VE, "greater than or equal to 5", MaxResults=4),
    describe(VE, "less than or equal to 50", MaxResults=51),
    describe(VE, "Value at 'maxResults'", MaxResults=2**40),
    describe(SE, "STRING_VALUE", raw_only=True, MaxResults="10"),
    describe("InvalidNextToken", NextToken="garbage"),
    describe("InvalidFilterKey", Filters=[{"Key": "Bogus", "Values": ["x"]}]),
    describe(VE, "at 'filters.1.member.key'", Filters=[{"Key": "", "Values": ["x"]}]),
    describe(VE, "Value null at 'filters.1.member.values'", Filters=[{"Key": "PingStatus"}]),
    describe(VE, "at 'filters.1.member.values'", Filters=[{"Key": "PingStatus", "Values": []}]),
    describe(VE, "at 'filters.1.member.values'", Filters=[{"Key": "PingStatus", "Values": [""]}]),
    describe(
        VE,
        "at 'filters.1.member.values'",
        Filters=[{"Key": "PingStatus", "Values": ["Online"] * 101}],
    ),
    describe(
        "InvalidInstanceInformationFilterValue", Filters=[{"Key": "PingStatus", "Values": ["Nope"]}]
    ),
    describe(
        "InvalidInstanceInformationFilterValue",
        Filters=[{"Key": "PlatformTypes", "Values": ["Linux\n"]}],
    ),
    *[
        describe("InvalidInstanceId", Filters=[{"Key": "InstanceIds", "Values": [i]}])
        for i in (
            OUTSIDE,
            "x",
            LINUX[0] + "\n",
            "i-0123456é",
        )
    ],
    describe(
        VE,
        "Cannot mix",
        Filters=[
            {"Key": "tag:Role", "Values": ["web"]},
            {"Key": "PingStatus", "Values": ["Online"]},
        ],
    ),
    describe(
        VE,
        "at 'instanceInformationFilterList.1.member.key'",
        InstanceInformationFilterList=[{"key": "Bogus", "valueSet": ["x"]}],
    ),
    describe(
        VE,
        "at 'instanceInformationFilterList.1.member.valueSet'",
        InstanceInformationFilterList=[{"key": "PingStatus", "valueSet": []}],
    ),
    describe(
        VE,
        "",
        InstanceInformationFilterList=[{"key": "PingStatus", "valueSet": ["Online"]}],
        Filters=[{"Key": "PingStatus", "Values": ["Online"]}],
    ),
    describe(SE, "Start of structure", raw_only=True, Filters={"Key": "PingStatus"}),
    # -- the read side's patterns -----------------------------------------------------
    *[
        Bad(op, {"CommandId": SENT, "InstanceId": i}, VE, pattern(i, "instanceId"))
        for op in (
            "ListCommandInvocations",
            "ListCommands",
            "GetCommandInvocation",
        )
        for i in ("i-0123456é", LINUX[0] + "\n", "i-" + "١" * 8, "mi-" + "१" * 17, "i-0123\t567")
    ],
    Bad(
        "ListCommandInvocations",
        {"Filters": [{"key": "Status", "value": "x" * 129}]},
        VE,
        "at 'filters.1.member.value'",
    ),
    Bad(
        "ListCommandInvocations",
        {"Filters": [{"key": "ExecutionStage", "value": "Executing"}]},
        "InvalidFilterKey",
    ),
    Bad(
        "GetCommandInvocation",
        {"CommandId": SENT, "InstanceId": LINUX[0], "PluginName": "ab"},
        VE,
        "at 'pluginName'",
    ),
]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSSM]:
    """One fake for every case: refused requests change nothing, so each starts the same."""
    fake = FakeSSM(seed=22)
    fake.add_instances(instance_ids=LINUX, tags={"Role": "web"})
    fake.add_instances(instance_ids=[WINDOWS], platform="Windows")
    fake.add_command(instance_ids=LINUX, statuses=["InProgress", "InProgress"], command_id=SENT)
    fake.on_send(statuses=["Success"])
    with active(fake):
        yield fake


@pytest.fixture(scope="module")
def server(fake: FakeSSM) -> Iterator[SSMServer]:
    with SSMServer(fake) as running:
        yield running


def state(fake: FakeSSM) -> Any:
    """Everything a request could change but the call log."""
    store = fake.store
    regions = {
        name: (
            list(store.region(name).commands),
            [(e.instance_id, e.view(store.clock.now_ms)["StatusDetails"])
             for c in store.region(name).commands.values() for e in c.invocations],
        )
        for name in store.regions()
    }  # fmt: skip
    outcomes = [(o.used, o.times) for o in fake.service.outcomes.queued]
    return (
        fake.rng.getstate(),
        fake.service.rng.getstate(),
        [e.command_id for e in fake.service.sent],
        outcomes,
        regions,
        store._seq,
        [n.instance_id for n in store.fleet.nodes(fake.region)],
        store.clock.now_ms,
    )


def _ids(bad: Bad) -> str:
    """The case as the members it changes (SHELL's left out), ASCII only."""
    changed = {k: v for k, v in bad.params.items() if SHELL.get(k) != v}
    if changed.get("InstanceIds") == LINUX[:1] and bad.operation == "SendCommand":
        changed.pop("InstanceIds")
    return f"{bad.operation}-{bad.code}-{json.dumps(changed)[:90]}"


def _raw(server: SSMServer, bad: Bad) -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        body = json.dumps(bad.params).encode()
        headers = {"X-Amz-Target": f"AmazonSSM.{bad.operation}",
                   "Content-Type": "application/x-amz-json-1.1"}  # fmt: skip
        connection.request("POST", "/", body, headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


@pytest.mark.parametrize("bad", CASES, ids=_ids)
def test_refused_over_the_local_endpoint(bad: Bad, fake: FakeSSM, server: SSMServer) -> None:
    before = state(fake)
    status, body = _raw(server, bad)
    assert (status, body.get("__type")) == (400, bad.code), body
    assert bad.words in body.get("message", "")
    assert state(fake) == before


@pytest.mark.parametrize("bad", [b for b in CASES if not b.raw_only], ids=_ids)
def test_refused_through_botocore(bad: Bad, fake: FakeSSM) -> None:
    ssm = client(parameter_validation=False, retries={"max_attempts": 1})
    method = getattr(ssm, fake_method(bad.operation))
    before = state(fake)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        method(**bad.params)
    error = refused.value.response["Error"]
    assert error["Code"] == bad.code, error
    assert bad.words in error["Message"]
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert state(fake) == before


def fake_method(operation: str) -> str:
    from pytest_ssm_invocations.service.operations import OPERATIONS

    return OPERATIONS[operation]


def test_the_validation_message_is_worded_as_aws_words_it(fake: FakeSSM) -> None:
    """A real answer (aws-samples issue quote): the list whole, its member's constraints."""
    ssm = client(parameter_validation=False)
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        ssm.send_command(**SHELL, InstanceIds=[LINUX[0], "i-0123456789abcdef1,"])
    assert refused.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '[i-0123456789abcdef0, i-0123456789abcdef1,]' at "
        "'instanceIds' failed to satisfy constraint: Member must satisfy constraint: [Member "
        r"must satisfy regular expression pattern: (^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)]"
    )
