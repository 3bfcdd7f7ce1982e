"""Every error path through a real client, and injected faults recovered by botocore."""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest

from pytest_ssm_invocations.fake import FakeSSM

from ..conftest import client, walk

UUID = "ef7fdfd8-9b57-4151-a15c-db9a12345678"
NODES = [f"i-0f00000000000{n:04d}" for n in range(12)]


@pytest.fixture
def fake(ssm_invocations: FakeSSM) -> FakeSSM:
    ssm_invocations.add_command(instance_ids=NODES, command_id=UUID)
    return ssm_invocations


@pytest.fixture
def retrying() -> Any:
    """Standard retry mode: ``max_attempts`` counts retries, so 5 attempts in all."""
    return client(retries={"mode": "standard", "max_attempts": 4})


def _code(error: Any) -> str:
    return str(error.value.response["Error"]["Code"])


def test_execution_stage_is_an_invalid_filter_key(fake: FakeSSM, ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.InvalidFilterKey, match="ExecutionStage"):
        ssm.list_command_invocations(Filters=[{"key": "ExecutionStage", "value": "Executing"}])
    # ...and a valid one on ListCommands
    assert ssm.list_commands(Filters=[{"key": "ExecutionStage", "value": "Complete"}])["Commands"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"MaxResults": 51}, "Value '51' at 'maxResults' failed to satisfy constraint: "
         "Member must have value less than or equal to 50"),
        ({"Filters": [{"key": "Status", "value": "Success"}] * 6},
         "at 'filters' failed to satisfy constraint: "
         "Member must have length less than or equal to 5"),
        ({"Filters": [{"key": "DocumentName", "value": "x" * 129}]},
         "at 'filters.1.member.value' failed to satisfy constraint: Member must have length less "
         "than or equal to 128"),
        ({"InstanceId": "web-01"}, "Value 'web-01' at 'instanceId' failed to satisfy constraint: "
         "Member must satisfy regular expression pattern"),
        ({"Filters": [{"key": "Status", "value": "Done"}]}, "Invalid value 'Done' for filter key "
         "Status; valid: Pending, InProgress"),
        ({"Filters": [{"key": "InvokedAfter", "value": "yesterday"}]}, "ISO 8601"),
        ({"CommandId": UUID + "0"}, "Member must have length less than or equal to 36"),
    ],
)  # fmt: skip
def test_validation_errors_are_worded_as_aws_words_them(
    fake: FakeSSM, ssm: Any, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as error:
        ssm.list_command_invocations(**params)
    assert _code(error) == "ValidationException"
    assert message in str(error.value)


def test_empty_filter_value_is_refused_by_the_service_too(fake: FakeSSM) -> None:
    with pytest.raises(Exception, match="length greater than or equal to 1"):
        fake.handle("ListCommandInvocations", {"Filters": [{"key": "Status", "value": ""}]})


def test_malformed_and_unknown_command_ids(fake: FakeSSM, ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.list_command_invocations(CommandId="x" * 36)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert ssm.list_command_invocations(CommandId=unknown)["CommandInvocations"] == []
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.list_commands(CommandId=unknown)
    with pytest.raises(ssm.exceptions.InvocationDoesNotExist):
        ssm.get_command_invocation(CommandId=unknown, InstanceId="i-0123456789abcdef0")


def test_get_command_invocation_errors(fake: FakeSSM, ssm: Any) -> None:
    node = NODES[0]
    with pytest.raises(ssm.exceptions.InvocationDoesNotExist):
        ssm.get_command_invocation(CommandId=UUID, InstanceId="i-0123456789abcdef0")
    with pytest.raises(ssm.exceptions.InvalidPluginName):
        ssm.get_command_invocation(CommandId=UUID, InstanceId=node, PluginName="aws:nothing")
    with pytest.raises(botocore.exceptions.ParamValidationError):
        ssm.get_command_invocation(CommandId=UUID)  # botocore checks required members


def test_region_isolation(fake: FakeSSM) -> None:
    assert walk(client("eu-west-1")) == []
    assert [i["InstanceId"] for i in walk(client("us-east-1"))] == NODES


def test_unfaked_operations_fail_loudly_and_never_leave(fake: FakeSSM, ssm: Any) -> None:
    with pytest.raises(NotImplementedError, match="DescribeDocument is not faked"):
        ssm.describe_document(Name="AWS-RunShellScript")


def test_throttling_is_retried_by_standard_mode_with_nothing_lost(
    fake: FakeSSM, retrying: Any
) -> None:
    fake.fail("ThrottlingException", page=2, times=2)
    items = walk(retrying, PaginationConfig={"PageSize": 5})
    assert [i["InstanceId"] for i in items] == NODES
    faults = [c.fault for c in fake.calls]
    assert faults == [None, "ThrottlingException", "ThrottlingException", None, None]
    assert [c.page for c in fake.calls] == [1, 2, 2, 2, 3]
    assert fake.unconsumed() == []


def test_throttling_beyond_max_attempts_surfaces(fake: FakeSSM, retrying: Any) -> None:
    fake.fail("ThrottlingException", times=5)
    with pytest.raises(botocore.exceptions.ClientError, match="Rate exceeded") as error:
        retrying.list_command_invocations()
    assert _code(error) == "ThrottlingException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert len(fake.calls) == 5


def test_internal_server_error_is_a_500(fake: FakeSSM, retrying: Any) -> None:
    fake.fail("InternalServerError", on_call=2, times=5, operation="ListCommands")
    retrying.list_commands()
    with pytest.raises(retrying.exceptions.InternalServerError) as error:
        retrying.list_commands()
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_fault_on_the_nth_call_with_a_custom_message(fake: FakeSSM, ssm: Any) -> None:
    fake.fail("AccessDeniedException", on_call=3, message="no ssm:ListCommandInvocations")
    ssm.list_command_invocations()
    ssm.list_command_invocations()
    with pytest.raises(botocore.exceptions.ClientError, match="no ssm:ListCommandInvocations"):
        ssm.list_command_invocations()
    ssm.list_command_invocations()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"operation": "DescribeDocument"}, "unknown operation 'DescribeDocument'"),
        ({"on_call": 0}, "on_call must be an int >= 1"),
        ({"on_call": 1, "page": 1}, "not both"),
        ({"times": 0}, "times must be an int >= 1"),
    ],
)
def test_bad_fault_registrations(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FakeSSM().fail("ThrottlingException", **kwargs)


def test_error_bodies_are_real_aws_json(fake: FakeSSM, ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.InvalidNextToken) as error:
        ssm.list_command_invocations(NextToken="nope")
    meta = error.value.response["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 400
    assert meta["HTTPHeaders"]["content-type"] == "application/x-amz-json-1.1"
    assert len(meta["RequestId"]) == 36
    assert fake.calls[-1].error == "InvalidNextToken"
