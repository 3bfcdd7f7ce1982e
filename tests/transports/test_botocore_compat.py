"""Records through botocore itself: its JSON parser, its Stubber, its paginator."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.parsers import create_parser
from botocore.stub import Stubber

from pytest_ssm_invocations import factories, wire


def _parse(model: Any, body: dict[str, Any]) -> dict[str, Any]:
    """What a botocore client returns for this JSON 1.1 body of ListCommandInvocations."""
    operation = model.operation_model("ListCommandInvocations")
    raw = {"body": wire.encode(body), "headers": {}, "status_code": 200}
    parsed: dict[str, Any] = create_parser("json").parse(raw, operation.output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def test_default_records_survive_the_wire_and_botocores_parser(ssm_model: Any) -> None:
    records = factories.command(
        instances=30,
        statuses={"Success": 20, "Failed": 5, "InProgress": 3, "DeliveryTimedOut": 2},
        s3_bucket="ops-output",
        cloudwatch=True,
        seed=11,
    )
    body = factories.response(records, next_token="token")
    assert _parse(ssm_model, body) == body


def test_timestamps_travel_as_epoch_floats_with_milliseconds() -> None:
    record = factories.invocation(seed=5)
    text = wire.dumps({"RequestedDateTime": record["RequestedDateTime"]})
    seconds = float(text.split(":")[1].rstrip("}"))
    assert round(seconds, 3) == seconds
    assert seconds == wire.epoch_seconds(record["RequestedDateTime"])


def test_stubber_rejects_real_shaped_records(ssm: Any) -> None:
    page = factories.response([factories.invocation(seed=1)])
    with Stubber(ssm) as stubber, pytest.raises(Exception, match="min"):
        stubber.add_response("list_command_invocations", page)


def test_stubber_accepts_stubber_safe_records(ssm: Any) -> None:
    record = factories.invocation(status="Failed", seed=1, stubber_safe=True)
    assert "OutputS3BucketName" not in record["CommandPlugins"][0]
    assert "CloudWatchLogGroupName" not in record["CloudWatchOutputConfig"]
    with Stubber(ssm) as stubber:
        stubber.add_response("list_command_invocations", factories.response([record]))
        got = ssm.list_command_invocations()
    assert got["CommandInvocations"] == [record]


def test_stubber_safe_only_drops_values_below_the_models_minimums() -> None:
    real = factories.invocation(seed=3, s3_bucket="ops-output", cloudwatch=True)
    assert factories.invocation(seed=3, s3_bucket="ops-output", cloudwatch=True,
                                stubber_safe=True) == real  # fmt: skip


@pytest.mark.parametrize(("count", "page_size"), [(0, 50), (1, 1), (120, 50), (7, 3), (50, 50)])
def test_stubbed_pages_are_walked_by_a_real_paginator(ssm: Any, count: int, page_size: int) -> None:
    command_id = factories.command_id(seed=count)
    records = factories.command(instances=count, command_id=command_id, seed=count)
    with Stubber(ssm) as stubber:
        chain = factories.stub_pages(
            stubber,
            records,
            page_size=page_size,
            expected_params={"CommandId": command_id, "Details": True, "MaxResults": page_size},
        )
        paginator = ssm.get_paginator("list_command_invocations")
        walked = [
            item
            for page in paginator.paginate(
                CommandId=command_id, Details=True, PaginationConfig={"PageSize": page_size}
            )
            for item in page["CommandInvocations"]
        ]
        stubber.assert_no_pending_responses()
    assert [(r["InstanceId"], r["Status"]) for r in walked] == [
        (r["InstanceId"], r["Status"]) for r in records
    ]
    assert len(chain) == max(1, -(-count // page_size))


def test_page_chain_shape() -> None:
    records = factories.command(instances=7, seed=2)
    chain = factories.pages(records, page_size=3)
    assert [len(p["CommandInvocations"]) for p in chain] == [3, 3, 1]
    assert all("NextToken" in p for p in chain[:-1])
    assert "NextToken" not in chain[-1]
    tokens = [p["NextToken"] for p in chain[:-1]]
    assert len(set(tokens)) == len(tokens)
    assert factories.pages(records, page_size=3) == chain  # stable
    assert factories.pages([], page_size=3) == [{"CommandInvocations": []}]


@pytest.mark.parametrize("size", [0, 51, -1, 2.5, True])
def test_page_size_is_bounded_by_max_results(size: Any) -> None:
    with pytest.raises(ValueError, match="page_size must be an int from 1 to 50"):
        factories.pages([], page_size=size)
