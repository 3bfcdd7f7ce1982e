"""DescribeInstanceInformation answered from the fleet: items, pages, filters, errors.

Sources: the API reference (InstanceInformationStringFilter keys and values,
"The default value is 10 items", "Tag filters can't be combined with other
filter types") and real output quoted in public issues (item key order;
"Cannot mix tag or inventory filter with any other filter."; "ResourceType
filter is invalid, valid values are EC2Instance, ManagedInstance").
"""

from __future__ import annotations

from typing import Any

import botocore.exceptions
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations.fake import FakeSSM

from .conftest import active, client


def describe(ssm: Any, **params: Any) -> list[dict[str, Any]]:
    paginator = ssm.get_paginator("describe_instance_information")
    return [i for p in paginator.paginate(**params) for i in p["InstanceInformationList"]]


def test_items_look_like_aws_s(ssm_invocations: FakeSSM, ssm: Any) -> None:
    (node,) = ssm_invocations.add_instances(1, tags={"Role": "web"})
    (item,) = ssm.describe_instance_information()["InstanceInformationList"]
    assert list(item) == [
        "InstanceId", "PingStatus", "LastPingDateTime", "AgentVersion", "IsLatestVersion",
        "PlatformType", "PlatformName", "PlatformVersion", "ResourceType", "IPAddress",
        "ComputerName", "SourceId", "SourceType",
    ]  # fmt: skip
    assert (item["InstanceId"], item["PingStatus"], item["PlatformType"]) == (
        node,
        "Online",
        "Linux",
    )
    assert (item["ResourceType"], item["SourceType"], item["SourceId"]) == (
        "EC2Instance", "AWS::EC2::Instance", node,
    )  # fmt: skip
    assert item["ComputerName"].endswith(".ec2.internal")
    assert item["LastPingDateTime"] <= ssm_invocations.clock.now


def test_hybrid_and_windows_nodes(ssm_invocations: FakeSSM, ssm: Any) -> None:
    (hybrid,) = ssm_invocations.add_instances(1, hybrid=True, name="rack-12")
    (windows,) = ssm_invocations.add_instances(1, platform="Windows", ping_status="ConnectionLost")
    by_id = {i["InstanceId"]: i for i in describe(ssm)}
    assert hybrid.startswith("mi-")
    assert by_id[hybrid]["ResourceType"] == "ManagedInstance"
    assert {"ActivationId", "IamRole", "RegistrationDate"} <= set(by_id[hybrid])
    assert by_id[hybrid]["Name"] == "rack-12"
    assert by_id[windows]["ComputerName"].endswith(".WORKGROUP")
    assert by_id[windows]["PingStatus"] == "ConnectionLost"


def test_ten_nodes_a_page_unless_asked(ssm_invocations: FakeSSM, ssm: Any) -> None:
    nodes = ssm_invocations.add_instances(23)
    assert [i["InstanceId"] for i in describe(ssm)] == nodes
    sizes = [c.returned for c in ssm_invocations.calls]
    assert sizes == [10, 10, 3]
    describe(ssm, PaginationConfig={"PageSize": 50})
    assert ssm_invocations.calls[-1].returned == 23


def test_max_results_over_50_is_the_services_validation_error(
    ssm_invocations: FakeSSM, ssm: Any
) -> None:
    with pytest.raises(botocore.exceptions.ClientError) as error:
        ssm.describe_instance_information(MaxResults=51)
    assert error.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 50"
    )


def test_filters_match_any_value_and_every_filter(ssm_invocations: FakeSSM, ssm: Any) -> None:
    linux = ssm_invocations.add_instances(2, tags={"Role": "web"})
    lost = ssm_invocations.add_instances(1, ping_status="ConnectionLost", tags={"Role": "db"})
    windows = ssm_invocations.add_instances(1, platform="Windows", tags={"Team": "x"})

    def ids(**params: Any) -> list[str]:
        return [i["InstanceId"] for i in describe(ssm, **params)]

    assert ids(Filters=[{"Key": "PingStatus", "Values": ["Online"]}]) == linux + windows
    assert ids(Filters=[{"Key": "PingStatus", "Values": ["Online"]},
                        {"Key": "PlatformTypes", "Values": ["Linux"]}]) == linux  # fmt: skip
    assert ids(Filters=[{"Key": "tag:Role", "Values": ["web", "db"]}]) == linux + lost
    assert ids(Filters=[{"Key": "tag-key", "Values": ["Team"]}]) == windows
    assert ids(Filters=[{"Key": "InstanceIds", "Values": lost}]) == lost
    legacy = [{"key": "PlatformTypes", "valueSet": ["Windows"]}]
    assert ids(InstanceInformationFilterList=legacy) == windows


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"Filters": [{"Key": "tag:Role", "Values": ["web"]},
                      {"Key": "PingStatus", "Values": ["Online"]}]},
         "ValidationException", "Cannot mix tag or inventory filter with any other filter."),
        ({"Filters": [{"Key": "ResourceType", "Values": ["Laptop"]}]},
         "InvalidInstanceInformationFilterValue",
         "ResourceType filter is invalid, valid values are EC2Instance, ManagedInstance"),
        ({"Filters": [{"Key": "ResourceType", "Values": ["EC2Instance", "ManagedInstance"]}]},
         "InvalidInstanceInformationFilterValue",
         "ResourceType filter may contain only one value."),
        ({"Filters": [{"Key": "Colour", "Values": ["blue"]}]}, "InvalidFilterKey", "Colour"),
        ({"Filters": [{"Key": "PingStatus", "Values": ["Online"]}],
          "InstanceInformationFilterList": [{"key": "PingStatus", "valueSet": ["Online"]}]},
         "ValidationException", "Cannot use both legacy and new filter simultaneously."),
        ({"Filters": [{"Key": "InstanceIds", "Values": ["i-0fffffffffffffff0"]}]},
         "InvalidInstanceId", "i-0fffffffffffffff0"),
        ({"NextToken": "garbage"}, "InvalidNextToken", ""),
    ],
)  # fmt: skip
def test_bad_filters_get_the_services_errors(
    ssm_invocations: FakeSSM, ssm: Any, params: dict[str, Any], code: str, message: str
) -> None:
    ssm_invocations.add_instances(1)
    with pytest.raises(botocore.exceptions.ClientError) as error:
        ssm.describe_instance_information(**params)
    assert error.value.response["Error"]["Code"] == code
    assert message in error.value.response["Error"]["Message"]


@settings(max_examples=30, deadline=None)
@given(
    count=st.integers(0, 40),
    page_size=st.integers(5, 50),
    role_of=st.lists(st.sampled_from(["web", "db"]), min_size=40, max_size=40),
)
def test_every_page_walk_lists_each_matching_node_once_in_order(
    count: int, page_size: int, role_of: list[str]
) -> None:
    with active(FakeSSM(seed=count)) as fake:
        nodes = [fake.add_instances(instance_ids=[f"i-{n:017x}"], tags={"Role": role_of[n]})[0]
                 for n in range(count)]  # fmt: skip
        web = [n for i, n in enumerate(nodes) if role_of[i] == "web"]
        walked = describe(
            client(),
            Filters=[{"Key": "tag:Role", "Values": ["web"]}],
            PaginationConfig={"PageSize": page_size},
        )
    assert [i["InstanceId"] for i in walked] == web
