"""What a test author passes to the factories and the fake: checked at once, clearly.

A bad argument raises ``TypeError`` (wrong kind of value) or ``ValueError``
(impossible value) naming the argument, never a deep ``KeyError`` or
``AttributeError``, and never a record AWS would not return.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import FakeSSM, factories, wire

NODE = "i-0123456789abcdef0"
CID = "ef7fdfd8-9b57-4151-a15c-db9a12345678"
ARN = "arn:aws:sns:us-east-1:123456789012:ops"


def _capture(**changes: Any) -> dict[str, Any]:
    """A real-shaped capture of one invocation, with ``changes`` to its fields."""
    captured = json.loads(wire.dumps(factories.response([factories.invocation(seed=3)])))
    captured["CommandInvocations"][0].update(changes)
    return dict(captured)


def _call(target: str, kwargs: dict[str, Any]) -> Any:
    if target.startswith("fake."):
        method = getattr(FakeSSM(seed=1), target.removeprefix("fake."))
        args = kwargs.pop("_args", ())
        return method(*args, **kwargs)
    return getattr(factories, target)(seed=1, **kwargs)


BAD_INPUTS = [
    # Ids shaped like AWS's: a CommandId is a UUID, empty strings are not "draw one".
    ("invocation", {"command_id": "x" * 36}, ValueError, "malformed command id 'xxx"),
    ("invocation", {"command_id": ""}, ValueError, "expected a UUID of 36 characters"),
    ("command", {"command_id": "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"}, ValueError, "8-4-4-4-12"),
    ("plugin", {"command_id": "ef7fdfd8_9b57_4151_a15c_db9a12345678"}, ValueError, "UUID"),
    ("fake.add_command", {"command_id": "not-a-uuid"}, ValueError, "(command_id)"),
    ("invocation", {"command_id": 7}, TypeError, "command_id must be a str"),
    ("invocation", {"instance_id": ""}, ValueError, "malformed instance id '' (instance_id)"),
    ("plugin", {"instance_id": ""}, ValueError, "malformed instance id ''"),
    ("invocation", {"document": ""}, ValueError, "unknown document ''"),
    ("command", {"document": 5}, TypeError, "document must be a document name"),
    # A str where a list belongs is refused, not read one character at a time.
    ("command", {"instance_ids": "i-12345678"}, TypeError, "did you mean ['i-12345678']"),
    ("fake.add_command", {"instance_ids": NODE}, TypeError, "instance_ids must be a list"),
    ("command", {"instance_ids": [NODE, 5]}, TypeError, "instance_ids[1] must be a str"),
    ("command", {"instance_ids": [NODE, "i-1"]}, ValueError, "(instance_ids[1])"),
    (
        "invocation",
        {"notification_arn": ARN, "notification_events": "All"},
        TypeError,
        "notification_events must be a list of events, not a str: did you mean ['All']?",
    ),
    ("fake.add_command", {"parameters": {"commands": "uptime"}}, TypeError, "did you mean"),
    ("fake.add_command", {"parameters": ["uptime"]}, TypeError, "parameters must be a mapping"),
    ("fake.add_command", {"parameters": {"": ["x"]}}, ValueError, "parameters key must not be"),
    ("fake.add_command", {"targets": {"Key": "tag:A"}}, TypeError, "targets must be a list"),
    ("fake.add_command", {"targets": [{"Kee": "x"}]}, ValueError, "targets[0] must have a Key"),
    ("fake.add_command", {"targets": [{"Key": "tag:A", "Values": "b"}]}, TypeError, "Values"),
    # Bools are bools: "no" is not False.
    ("invocation", {"details": "no"}, TypeError, "details must be True or False, not str 'no'"),
    ("command", {"details": 0}, TypeError, "details must be True or False"),
    ("invocation", {"hybrid": "yes"}, TypeError, "hybrid must be True or False"),
    ("plugin", {"stubber_safe": 1}, TypeError, "stubber_safe must be True or False"),
    ("invocation", {"allow_inconsistent": "yes"}, TypeError, "allow_inconsistent must be"),
    # Output settings: nothing ignored.
    ("invocation", {"cloudwatch": 5}, TypeError, "cloudwatch must be True"),
    ("invocation", {"cloudwatch": ""}, ValueError, "cloudwatch=False disables"),
    ("invocation", {"cloudwatch": "g" * 513}, ValueError, "must be 1..512 characters"),
    ("command", {"s3_bucket": 5}, TypeError, "s3_bucket must be a str or None"),
    ("command", {"service_role": 5}, TypeError, "service_role must be a str or None"),
    ("command", {"notification_arn": ["x"]}, TypeError, "notification_arn must be a str"),
    ("invocation", {"notification_events": ["All"]}, ValueError, "need a notification_arn"),
    ("invocation", {"notification_type": "Command"}, ValueError, "need a notification_arn"),
    ("invocation", {"region": None}, TypeError, "region must be a str such as 'us-east-1'"),
    ("fake.add_command", {"region": 5}, TypeError, "region must be a str"),
    ("fake.add_command", {"region": ""}, ValueError, "region '' must be 3..20 characters"),
    ("fake.load", {"_args": (_capture(),), "region": 1}, TypeError, "region must be a str"),
    # ResponseCode: a Failed plugin reports its process's exit code, 1..255.
    ("invocation", {"status": "Failed", "response_code": -5}, ValueError, "exit code is 1..255"),
    ("invocation", {"status": "Failed", "response_code": 2**40}, ValueError, "impossible"),
    ("plugin", {"status": "Failed", "response_code": 256}, ValueError, "impossible"),
    ("plugin", {"status": "Failed", "response_code": "1"}, TypeError, "response_code must be"),
    (
        "invocation",
        {"status": "Failed", "response_code": True, "allow_inconsistent": True},
        TypeError,
        "response_code must be an int, not bool",
    ),
    # Streams and plugins: a clear error, not an AttributeError or KeyError.
    ("invocation", {"stdout": 123}, TypeError, "stdout must be a str or None, not int 123"),
    ("command", {"stderr": b"x"}, TypeError, "stderr must be a str or None"),
    ("plugin", {"output": 1}, TypeError, "output must be a str or None"),
    ("plugin", {"name": 5}, TypeError, "name must be a str"),
    ("invocation", {"plugins": [{}]}, ValueError, "plugins[0] lacks Name, Status, StatusDetails"),
    ("invocation", {"plugins": "x"}, TypeError, "plugins must be a list of plugin records"),
    ("invocation", {"plugins": [1]}, TypeError, "plugins[0] must be a plugin record"),
    (
        "invocation",
        {"plugins": [{"Name": "aws:runShellScript"}], "allow_inconsistent": True},
        ValueError,
        "plugins[0] lacks StatusDetails",
    ),
    ("invocation", {"instance_name": 5}, TypeError, "instance_name must be a str"),
    ("invocation", {"document_version": 3}, TypeError, "document_version must be a str"),
    ("invocation", {"requested": 0}, TypeError, "requested must be a datetime"),
    ("plugin", {"start": 0}, TypeError, "start must be a datetime"),
    # Status mixes and outputs.
    ("command", {"statuses": 5}, TypeError, "statuses must be a mapping of status to count"),
    ("command", {"statuses": ["Success", "Done"]}, ValueError, "statuses[1]: unknown Status"),
    ("command", {"statuses": {"Success": "2"}}, TypeError, "statuses['Success'] must be an int"),
    ("command", {"statuses": {5: 1}}, TypeError, "statuses key 5: status must be a str"),
    ("command", {"instances": "3"}, TypeError, "instances must be an int, not str '3'"),
    ("fake.add_command", {"instances": "3"}, TypeError, "instances must be an int"),
    ("fake.add_command", {"instances": -1}, ValueError, "instances must be an int >= 0"),
    (
        "command",
        {"instance_ids": [NODE], "statuses": ["Success"], "outputs": {NODE: "abc"}},
        TypeError,
        "outputs['i-0123456789abcdef0'] must be a (stdout, stderr) tuple of two str, not 'abc'",
    ),
    ("command", {"instance_ids": [NODE], "outputs": [("a", "b")]}, TypeError, "outputs must be"),
    (
        "fake.add_command",
        {"instance_ids": [NODE], "statuses": ["Pending"], "outputs": {NODE: ("up", "")}},
        ValueError,
        "outputs['i-0123456789abcdef0'] is given, but that node's status Pending never ran",
    ),
    # The fake's own methods.
    ("fake.fail", {"_args": (None,)}, TypeError, "code must be an AWS error code"),
    ("fake.fail", {"_args": ("",)}, ValueError, "'' is not shaped like an AWS error code"),
    ("fake.fail", {"_args": ("rate exceeded",)}, ValueError, "not shaped like an AWS error"),
    ("fake.fail", {"_args": ("ThrottlingException",), "message": 5}, TypeError, "message must"),
    ("fake.fail", {"_args": ("ThrottlingException",), "operation": 5}, ValueError, "operation"),
    ("fake.page_plan", {"_args": (60,)}, ValueError, "at most 50 items a page (MaxResults 50)"),
    ("fake.page_plan", {"_args": (51,), "operation": "ListCommands"}, ValueError, "at most 50"),
    ("fake.page_plan", {"_args": (-1,)}, ValueError, "sizes are 0..50"),
    ("fake.page_plan", {"_args": (2.0,)}, TypeError, "page sizes must be an int"),
    (
        "fake.page_plan",
        {"_args": (1,), "operation": "GetCommandInvocation"},
        ValueError,
        "GetCommandInvocation is not paginated",
    ),
    # The fleet and the outcomes of the code's own sends.
    ("fake.add_instances", {"_args": (2,), "tags": "Env=prod"}, TypeError, "tags must be a map"),
    ("fake.add_instances", {"_args": (2,), "tags": {"Env": 1}}, TypeError, "tags must map"),
    ("fake.add_instances", {"_args": (2,), "hybrid": "yes"}, TypeError, "hybrid must be True"),
    ("fake.add_instances", {"_args": (2,), "region": ""}, ValueError, "region '' must be"),
    ("fake.add_instances", {"_args": (2,), "region": 5}, TypeError, "region must be a str"),
    # One region rule: the marker's (an AWS region name) for every region= too.
    ("fake.add_instances", {"_args": (2,), "region": "EU West"}, ValueError, "not an AWS region"),
    ("command", {"region": "local"}, ValueError, "region 'local' is not an AWS region name"),
    # One rule for a whole number: a bool is not one, and the message shows the value.
    ("fake.add_instances", {"_args": (True,)}, ValueError, "count must be an int >= 1 (or pass"),
    ("fake.fail", {"_args": ("ThrottlingException",), "page": True}, ValueError, "not True"),
    ("fake.on_send", {"times": 1.0}, ValueError, "times must be None or an int >= 1, not 1.0"),
    ("fake.add_command", {"timeout_seconds": True}, ValueError, "from 30 to 2592000, not True"),
    ("fake.add_instances", {"instance_ids": NODE}, TypeError, "instance_ids must be a list"),
    ("fake.add_instances", {"_args": (2,), "platform": "linux"}, ValueError, "valid: Windows"),
    ("fake.on_send", {"stdout": 5}, TypeError, "stdout must be a str or None"),
    ("fake.on_send", {"outputs": {NODE: "abc"}}, TypeError, "must be a (stdout, stderr) tuple"),
    ("fake.on_send", {"outputs": {"i-1": ("a", "")}}, ValueError, "'i-1' (outputs key)"),
    ("fake.on_send", {"outputs": ["x"]}, TypeError, "outputs must be a mapping"),
    ("fake.on_send", {"document": ""}, ValueError, "document must not be empty"),
    ("fake.on_send", {"document": "run it"}, ValueError, "not a document name SendCommand"),
    ("fake.on_send", {"statuses": 5}, TypeError, "statuses must be a mapping"),
    # Captured CLI output: every field the CLI prints, ids shaped like AWS's.
    (
        "fake.load",
        {"_args": ({"CommandInvocations": [{}]},)},
        ValueError,
        "CommandInvocations[0] lacks CommandId, InstanceId",
    ),
    ("fake.load", {"_args": ({"CommandInvocations": "x"},)}, TypeError, "must be a list"),
    ("fake.load", {"_args": ({"CommandInvocations": [1]},)}, TypeError, "must be an object"),
    ("fake.load", {"_args": ("{",)}, ValueError, "captured is not JSON"),
    ("fake.load", {"_args": ("[]",)}, ValueError, "captured must be the output of"),
    ("fake.load", {"_args": (_capture(CommandId="abc"),)}, ValueError, "[0].CommandId)"),
    ("fake.load", {"_args": (_capture(InstanceId="i-1"),)}, ValueError, "[0].InstanceId)"),
    (
        "fake.load",
        {"_args": (_capture(CommandPlugins=[{}]),)},
        ValueError,
        "CommandInvocations[0].CommandPlugins[0] lacks Name",
    ),
    (
        "fake.load",
        {"_args": (_capture(RequestedDateTime="yesterday"),)},
        ValueError,
        "CommandInvocations[0].RequestedDateTime 'yesterday' is neither epoch seconds",
    ),
]


@pytest.mark.parametrize(
    ("target", "kwargs", "error", "fragment"),
    BAD_INPUTS,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(BAD_INPUTS)],
)
def test_bad_input_is_refused_with_a_clear_error(
    target: str, kwargs: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error) as caught:
        _call(target, dict(kwargs))
    assert type(caught.value) is error
    assert fragment in str(caught.value)


@pytest.mark.parametrize("code", [1, 3, 124, 255])
def test_a_failed_plugin_reports_any_exit_code(code: int) -> None:
    record = factories.invocation(status="Failed", response_code=code, seed=1)
    assert record["CommandPlugins"][-1]["ResponseCode"] == code


def test_minus_one_only_where_aws_shows_it() -> None:
    timed_out = factories.plugin(status="ExecutionTimedOut", response_code=-1, seed=1)
    assert timed_out["ResponseCode"] == -1
    with pytest.raises(ValueError, match=r"exit code is 1\.\.255"):
        factories.plugin(status="Failed", response_code=-1, seed=1)


def test_valid_inputs_named_in_the_checks_still_work() -> None:
    fake = FakeSSM(seed=1)
    fake.page_plan(50, 0)
    fake.fail("InvalidInstanceID.NotFound", times=None, unmodelled=True)
    handle = fake.add_command(
        instance_ids=[NODE],
        parameters={"commands": ["uptime", "df -h"]},
        targets=[{"Key": "tag:Env", "Values": ["prod"]}],
        command_id=CID.upper(),
    )
    assert handle.command["Parameters"] == {"commands": ["uptime", "df -h"]}
    assert handle.command["Targets"] == [{"Key": "tag:Env", "Values": ["prod"]}]
    record = factories.invocation(cloudwatch="/ops/logs", details=False, seed=1)
    assert record["CloudWatchOutputConfig"]["CloudWatchLogGroupName"] == "/ops/logs"
    assert record["CommandPlugins"] == []


# -- one rule for output: only a node that ran prints ----------------------------


def test_the_commands_stdout_goes_only_to_nodes_that_ran() -> None:
    records = factories.command(
        statuses=["Success", "Pending", "Undeliverable"], stdout="up", document="AWS-RunShellScript"
    )
    shown = [r["CommandPlugins"][0]["Output"] for r in records]
    assert shown == ["up", "", ""]


def test_an_outputs_entry_for_a_node_that_ran_is_used() -> None:
    other = "i-0123456789abcdef1"
    records = factories.command(
        instance_ids=[NODE, other],
        statuses=["Failed", "Pending"],
        outputs={NODE: ("", "boom")},
        stdout="ignored by the node that never ran",
        document="AWS-RunShellScript",
        seed=2,
    )
    assert "boom" in records[0]["CommandPlugins"][0]["Output"]
    assert records[1]["CommandPlugins"][0]["Output"] == ""


@pytest.mark.parametrize("seed", range(40))
def test_a_node_given_output_and_no_status_is_drawn_among_nodes_that_ran(seed: int) -> None:
    (record,) = factories.command(instance_ids=[NODE], outputs={NODE: ("hello", "")}, seed=seed)
    assert [p["Output"] for p in record["CommandPlugins"] if p["Output"].startswith("hello")]
    invocation = factories.invocation(stdout="hello", seed=seed)
    assert [p["Output"] for p in invocation["CommandPlugins"] if p["Output"].startswith("hello")]
    plugin = factories.plugin(stdout="hello", seed=seed)
    assert plugin["Output"].startswith("hello")


CAPTURE = _capture()

# -- arbitrary junk: only TypeError or ValueError, naming the argument -----------

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-300, 300),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.binary(max_size=4),
    st.lists(st.one_of(st.integers(-3, 3), st.text(max_size=6)), max_size=3),
    st.dictionaries(st.text(max_size=4), st.one_of(st.integers(-2, 3), st.text(max_size=4))),
    st.tuples(st.text(max_size=4), st.integers()),
    st.builds(object),
)
OUTPUT_OPTIONS = (
    "s3_bucket", "s3_key_prefix", "cloudwatch", "notification_arn", "notification_events",
    "notification_type", "service_role",
)  # fmt: skip
#: Arguments left out: the generators have their own tests, and ``status`` of
#: ``fail`` is the deprecated spelling of ``http_status``.
SKIPPED = {"seed", "rng", "output_options", "status_fail"}


def _targets() -> list[tuple[str, Callable[..., Any], str]]:
    found: list[tuple[str, Callable[..., Any], str]] = []
    builders: dict[str, Callable[..., Any]] = {
        "invocation": factories.invocation,
        "plugin": factories.plugin,
        "command": factories.command,
        "fail": lambda **kw: FakeSSM().fail(kw.pop("code", "Throttling"), **kw),
        "page_plan": lambda sizes=0, **kw: FakeSSM().page_plan(sizes, **kw),
        "add_command": lambda **kw: FakeSSM().add_command(**kw),
        "load": lambda captured=None, **kw: FakeSSM().load(captured or CAPTURE, **kw),
        "add_instances": lambda count=2, **kw: FakeSSM().add_instances(count, **kw),
        "on_send": lambda **kw: FakeSSM().on_send(**kw),
    }
    signatures: dict[str, Callable[..., Any]] = {
        "fail": FakeSSM.fail,
        "page_plan": FakeSSM.page_plan,
        "add_command": FakeSSM.add_command,
        "load": FakeSSM.load,
        "add_instances": FakeSSM.add_instances,
        "on_send": FakeSSM.on_send,
    }
    for name, build in builders.items():
        params = inspect.signature(signatures.get(name, build)).parameters
        names = [p for p in params if p != "self"] + (
            list(OUTPUT_OPTIONS) if "output_options" in params else []
        )
        for arg in names:
            if arg in SKIPPED or f"{arg}_{name}" in SKIPPED:
                continue
            found.append((name, build, "sizes" if arg == "sizes" else arg))
    return found


def _names(message: str, argument: str) -> bool:
    """Whether the message names the argument (``ResponseCode`` names ``response_code``)."""
    squash = re.compile(r"[\s_]")
    return squash.sub("", argument).casefold() in squash.sub("", message).casefold()


@pytest.mark.parametrize(("target", "build", "argument"), _targets())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk=JUNK)
def test_junk_raises_only_type_or_value_errors_naming_the_argument(
    target: str, build: Callable[..., Any], argument: str, junk: Any
) -> None:
    kwargs = {argument: junk}
    if target in ("invocation", "plugin", "command"):
        kwargs["seed"] = 1
    message = None
    try:
        build(**kwargs)
    except (TypeError, ValueError) as error:
        message = str(error)
    assert message is None or _names(message, argument), f"{target}({argument}={junk!r}): {message}"
