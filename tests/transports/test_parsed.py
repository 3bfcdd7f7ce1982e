"""The parsed responses built from the fake's answers are botocore's parse of the same bytes.

``transports.parsed`` skips botocore's walk over a successful answer's bytes;
here every read and send operation, over commands in every state, is parsed
both ways and compared item by item, with key order, time zones and folds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import botocore.parsers
import botocore.session
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations import FakeSSM
from pytest_ssm_invocations.catalogue.statuses import STATUS_CASES
from pytest_ssm_invocations.records.times import from_ms
from pytest_ssm_invocations.transports import parsed as parsed_module

from ..conftest import client

UTC = timezone.utc


def _zones(*names: str) -> list[tzinfo]:
    try:
        return [ZoneInfo(name) for name in names]
    except ZoneInfoNotFoundError:
        return []


#: Zones with daylight saving time, where one wall time can mean two instants.
_ZONES = _zones("America/New_York", "Australia/Lord_Howe")


def exact(value: Any) -> Any:
    """``value`` with everything a comparison would overlook made explicit."""
    if isinstance(value, dict):
        return [(key, exact(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [exact(item) for item in value]
    if isinstance(value, datetime):
        return (value.isoformat(), repr(value.tzinfo), value.utcoffset(), value.fold)
    return (type(value).__name__, value)


class Exchanges:
    """Each call's parsed response and what botocore's own parser makes of its bytes."""

    def __init__(self, ssm: Any, timestamp_parser: Any = None) -> None:
        self.pairs: list[tuple[Any, Any]] = []
        self.factory = botocore.parsers.ResponseParserFactory()
        if timestamp_parser is not None:
            self.factory.set_parser_defaults(timestamp_parser=timestamp_parser)
        ssm.meta.events.register("after-call.ssm", self._record)

    def _record(self, http_response: Any, parsed: Any, model: Any, **_: Any) -> None:
        if http_response.status_code != 200:
            return
        assert getattr(http_response.content, "answer", None) is not None, "not built from it"
        reparsed = self.factory.create_parser("json").parse(
            {
                "body": bytes(http_response.content),
                "headers": http_response.headers,
                "status_code": 200,
            },
            model.output_shape,
        )
        reparsed["ResponseMetadata"]["RetryAttempts"] = 0
        self.pairs.append((parsed, reparsed))


@pytest.fixture
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if not hasattr(time, "tzset"):
        pytest.skip("time zones are set with time.tzset (POSIX)")
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def calls(fake: FakeSSM, ssm: Any) -> None:
    """Every operation the fake answers, over commands in many states."""
    fake.add_instances(3, platform="Linux")
    for status in ("Success", "Failed", "InProgress", "Cancelled", "ExecutionTimedOut", "Pending"):
        fake.add_command(instances=4, statuses={status: 4})
    sent = ssm.send_command(
        DocumentName="AWS-RunShellScript",
        InstanceIds=[n["InstanceId"] for n in
                     ssm.describe_instance_information()["InstanceInformationList"]],
        Parameters={"commands": ["uptime"]},
    )["Command"]  # fmt: skip
    fake.clock.advance(seconds=3)
    ssm.cancel_command(CommandId=sent["CommandId"])
    for details in (True, False):
        for page in ssm.get_paginator("list_command_invocations").paginate(
            Details=details, PaginationConfig={"PageSize": 7}
        ):
            for item in page["CommandInvocations"]:
                ssm.get_command_invocation(
                    CommandId=item["CommandId"], InstanceId=item["InstanceId"]
                )
    list(ssm.get_paginator("list_commands").paginate(PaginationConfig={"PageSize": 4}))


@pytest.mark.parametrize(
    "zone", ["UTC", "Asia/Kolkata", "America/New_York", "Australia/Lord_Howe"], indirect=True
)
def test_every_operation_parses_as_botocore_parses_its_bytes(zone: str) -> None:
    ssm = client()
    exchanges = Exchanges(ssm)
    with FakeSSM(seed=5) as fake:
        calls(fake, ssm)
    assert len(exchanges.pairs) > 40
    for ours, botocores in exchanges.pairs:
        assert exact(ours) == exact(botocores)


def test_a_session_s_own_timestamp_parser_is_used() -> None:
    """The AWS CLI keeps timestamps as text: its parser sees the same wire values."""

    def as_text(value: Any) -> str:
        return f"<{value!r}>"

    session = botocore.session.get_session()  # its own: the parser is the session's
    session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=as_text)
    ssm = session.create_client(
        "ssm", "us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    exchanges = Exchanges(ssm, as_text)
    with FakeSSM(seed=6) as fake:
        handle = fake.add_command(instances=3)
        page = ssm.list_command_invocations(CommandId=handle.command_id, Details=True)
    assert page["CommandInvocations"][0]["RequestedDateTime"].startswith("<1")
    for ours, botocores in exchanges.pairs:
        assert exact(ours) == exact(botocores)


@settings(max_examples=25)
@given(
    seed=st.integers(0, 2**32),
    statuses=st.dictionaries(
        st.sampled_from(sorted({c.status_details for c in STATUS_CASES})),
        st.integers(1, 3),
        min_size=1,
    ),
    page_size=st.integers(1, 50),
)
def test_any_command_parses_as_botocore_parses_its_bytes(
    seed: int, statuses: dict[str, int], page_size: int
) -> None:
    ssm = client()
    exchanges = Exchanges(ssm)
    with FakeSSM(seed=seed) as fake:
        fake.add_command(statuses=statuses)
        list(ssm.get_paginator("list_command_invocations").paginate(
            Details=True, PaginationConfig={"PageSize": page_size}
        ))  # fmt: skip
        list(ssm.get_paginator("list_commands").paginate())
    assert exchanges.pairs
    for ours, botocores in exchanges.pairs:
        assert exact(ours) == exact(botocores)


@pytest.mark.skipif(
    not parsed_module.shortcut_enabled(), reason="SSM_INVOCATIONS_PARSER=botocore: not patched"
)
def test_the_parser_is_botocore_s_own_again_after_the_fake() -> None:
    walk = botocore.parsers.JSONParser._handle_json_body
    with FakeSSM(seed=1):
        assert botocore.parsers.JSONParser._handle_json_body is not walk
    assert botocore.parsers.JSONParser._handle_json_body is walk


def test_the_switch_leaves_botocore_s_parser_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    walk = botocore.parsers.JSONParser._handle_json_body
    monkeypatch.setenv(parsed_module.PARSER_VARIABLE, "botocore")
    with FakeSSM(seed=1) as fake:
        assert botocore.parsers.JSONParser._handle_json_body is walk
        handle = fake.add_command(instances=3)
        ids = [i["InstanceId"] for i in client().list_command_invocations()["CommandInvocations"]]
        assert sorted(ids) == sorted(handle.instance_ids)
    monkeypatch.setenv(parsed_module.PARSER_VARIABLE, "fast")
    with pytest.raises(
        ValueError, match="SSM_INVOCATIONS_PARSER='fast'; valid: shortcut, botocore"
    ):
        parsed_module.shortcut_enabled()


def test_errors_and_other_servers_bodies_are_botocore_s_to_parse(ssm: Any) -> None:
    with FakeSSM(seed=1) as fake:
        fake.fail("ThrottlingException", operation="ListCommands")
        with pytest.raises(ssm.exceptions.ClientError, match="Rate exceeded"):
            client(retries={"max_attempts": 0, "mode": "standard"}).list_commands()
        parser = botocore.parsers.create_parser("json")
        shape = ssm.meta.service_model.operation_model("ListCommands").output_shape
        parsed = parser.parse(
            {"body": b'{"Commands":[],"NextToken":"x"}', "headers": {}, "status_code": 200}, shape
        )
    assert parsed["NextToken"] == "x"


@pytest.mark.parametrize(
    ("zone", "shortcut"),
    [("UTC", True), ("Asia/Kolkata", True), ("America/New_York", False)],
    indirect=["zone"],
)
def test_zones_without_daylight_saving_time_take_the_fixed_offset(
    zone: str, shortcut: bool
) -> None:
    from pytest_ssm_invocations.transports import parsed

    assert (parsed._fixed_offset_reader(parsed._zone_state()) is not None) is shortcut


_PLUGIN_KEYS = list(
    botocore.session.get_session().get_service_model("ssm").shape_for("CommandPlugin").members
)


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.sampled_from([*_PLUGIN_KEYS, "Unmodelled"]), unique=True),
    nones=st.sets(st.sampled_from(_PLUGIN_KEYS)),
)
def test_records_in_any_key_order_parse_as_botocore_parses_their_bytes(
    keys: list[str], nones: set[str]
) -> None:
    """Members in any order, unmodelled ones and None ones: botocore's result, in the
    model's order, without them, and copied."""
    from pytest_ssm_invocations import wire

    sample = {
        "Name": "aws:runShellScript", "Status": "Success", "StatusDetails": "Success",
        "ResponseCode": 0, "ResponseStartDateTime": datetime(2025, 5, 1, 0, 0, 1, 123000, UTC),
        "ResponseFinishDateTime": datetime(2025, 5, 1, 0, 0, 3, tzinfo=UTC), "Output": "ok",
        "StandardOutputUrl": "", "StandardErrorUrl": "", "OutputS3Region": "us-east-1",
        "OutputS3BucketName": "", "OutputS3KeyPrefix": "", "Unmodelled": "x",
    }  # fmt: skip
    plugin = {key: None if key in nones else sample[key] for key in keys}
    answer = {"CommandInvocations": [{"CommandId": "c", "CommandPlugins": [plugin, plugin]}]}
    ssm = client()
    shape = ssm.meta.service_model.operation_model("ListCommandInvocations").output_shape
    body = type("Body", (bytes,), {"answer": answer})(wire.encode(answer))
    theirs = botocore.parsers.JSONParser()._handle_json_body(bytes(body), shape)
    with FakeSSM(seed=1):
        ours = botocore.parsers.JSONParser()._handle_json_body(body, shape)
    assert exact(ours) == exact(theirs)
    assert ours["CommandInvocations"][0]["CommandPlugins"][0] is not plugin


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"], indirect=True)
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    instants=st.lists(
        st.datetimes(
            datetime(1960, 1, 1),
            datetime(2200, 1, 1),
            timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7)), *_ZONES]),
        )
        | st.integers(0, 4_102_444_800_000).map(from_ms),
        min_size=1,
    )
)
def test_the_fixed_offset_reader_reads_any_instant_as_botocore_reads_its_float(
    zone: str, instants: list[datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole milliseconds are shifted, anything else goes through the float; instants kept
    from earlier reads (here at most 3, then afresh) are read the same."""
    from botocore.utils import parse_timestamp

    from pytest_ssm_invocations import wire
    from pytest_ssm_invocations.transports import parsed

    monkeypatch.setattr(parsed, "_KEPT", 3)
    parsed._fixed_offset_reader.cache_clear()  # a reader with nothing kept from other tests
    read = parsed._fixed_offset_reader(parsed._zone_state())
    assert read is not None
    for instant in [*instants, *instants]:
        assert exact(read(instant)) == exact(parse_timestamp(wire.epoch_seconds(instant)))


@pytest.mark.skipif(not _ZONES, reason="no time zone database")
@pytest.mark.parametrize("zone", ["UTC"], indirect=True)
def test_both_readings_of_an_ambiguous_wall_time_are_read_apart(zone: str) -> None:
    """01:30 on 2024-11-03 in New York happens twice (fold 0 and 1), an hour apart; the
    two datetimes compare equal, but each reads as its own instant, however often read."""
    from botocore.utils import parse_timestamp

    from pytest_ssm_invocations import wire
    from pytest_ssm_invocations.transports import parsed

    first = datetime(2024, 11, 3, 1, 30, tzinfo=_ZONES[0])
    second = first.replace(fold=1)
    assert first == second
    assert wire.epoch_seconds(second) - wire.epoch_seconds(first) == 3600
    read = parsed._fixed_offset_reader(parsed._zone_state())
    assert read is not None
    for instant in (first, second, first, second):
        assert exact(read(instant)) == exact(parse_timestamp(wire.epoch_seconds(instant)))
