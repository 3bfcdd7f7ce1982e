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

from ..conftest import active, client


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


def _pages(fake: FakeSSM, **query: Any) -> list[list[str]]:
    """Every page of a DescribeInstanceInformation chain, as the ids on each."""
    pages = []
    while True:
        page = fake.handle("DescribeInstanceInformation", dict(query))
        pages.append([item["InstanceId"] for item in page["InstanceInformationList"]])
        if "NextToken" not in page:
            return pages
        query["NextToken"] = page["NextToken"]


def test_chaos_shapes_its_pages_like_the_other_lists_and_loses_no_node() -> None:
    """AWS pages DescribeInstanceInformation with NextToken: a loop that stops on a short
    page is as wrong here as for invocations, so chaos shows it short and empty pages."""
    shapes = []
    for seed in range(20):
        fake = FakeSSM(seed=seed, paging="chaos")
        nodes = fake.add_instances(30)
        pages = _pages(fake, MaxResults=10)
        assert [n for page in pages for n in page] == nodes  # each once, in order
        shapes.append([len(page) for page in pages])
    assert any(0 < n < 10 for s in shapes for n in s[:-1])  # short, with more to come
    assert any(0 in s[:-1] for s in shapes)  # empty, still carrying a NextToken


@pytest.mark.parametrize("paging", ["exact", "aws"])
def test_exact_and_aws_fill_its_pages(paging: str) -> None:
    fake = FakeSSM(seed=3, paging=paging)
    fake.add_instances(25)
    assert [len(p) for p in _pages(fake)] == [10, 10, 5]


def test_a_next_token_holds_while_nodes_are_added() -> None:
    """A node's key is its place in the fleet, which only grows: the walk resumes after the
    last node served and reaches the nodes declared since."""
    fake = FakeSSM(seed=1)
    first = fake.add_instances(7)
    page = fake.handle("DescribeInstanceInformation", {"MaxResults": 5})
    later = fake.add_instances(3)
    rest = fake.handle(
        "DescribeInstanceInformation", {"MaxResults": 5, "NextToken": page["NextToken"]}
    )
    shown = [
        i["InstanceId"] for i in page["InstanceInformationList"] + rest["InstanceInformationList"]
    ]
    assert shown == first + later


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("compute.googleapis.com/Instance", False),  # added by botocore 1.44's model
        ("Example::Future::Type", False),  # any value a newer model may add
        ("aws::ec2::instance", True),  # a misspelling of one the model lists
        ("AWS::EC2::Instanse", True),
    ],
)
def test_a_filter_value_newer_than_the_installed_model_is_taken(
    ssm_invocations: FakeSSM, ssm: Any, value: str, refused: bool
) -> None:
    ssm_invocations.add_instances(2)
    filters = [{"Key": "SourceTypes", "Values": [value]}]
    if refused:
        with pytest.raises(ssm.exceptions.ClientError) as raised:
            ssm.describe_instance_information(Filters=filters)
        assert raised.value.response["Error"]["Code"] == "InvalidInstanceInformationFilterValue"
    else:
        found = ssm.describe_instance_information(Filters=filters)["InstanceInformationList"]
        assert found == []  # no node of the fleet carries it
