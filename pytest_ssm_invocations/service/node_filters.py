"""DescribeInstanceInformation's ``Filters``, and its legacy ``InstanceInformationFilterList``.

From the API reference (``InstanceInformationStringFilter``): keys
``ActivationIds``, ``AgentVersion``, ``AssociationStatus``, ``IamRole``,
``InstanceIds``, ``PingStatus``, ``PlatformTypes``, ``ResourceType``,
``SourceIds``, ``SourceTypes``, ``tag-key`` and ``tag:<key>``; an unknown key
is ``InvalidFilterKey``, a value outside a key's documented set
``InvalidInstanceInformationFilterValue``. A node matches a filter when it
has any of the values; it must match every filter. "Tag filters can't be
combined with other filter types": ``ValidationException`` "Cannot mix tag
or inventory filter with any other filter." (seen in real output, danmx/sigil
issue 61). A bad ResourceType is "ResourceType filter is invalid, valid
values are EC2Instance, ManagedInstance" (aws/aws-sdk issue 130), and it takes
one value (boto3 issue 3027); the other closed keys are worded the same way
(a choice). "Attempting to use InstanceInformationFilterList and Filters
leads to an exception error": the code is not documented, ValidationException
here. The legacy list takes the keys of its enum with the same meaning.

The closed sets are read from the installed botocore's model. SourceType's
grows as Systems Manager manages other clouds' machines (botocore 1.44 adds
``compute.googleapis.com/Instance``): a SourceTypes value outside the
installed set is refused only when it misspells one in it (the same letters
in another case, or a close match); any other may be a newer one the service
accepts, and is taken, matching the nodes that carry it. The other sets are
refused whole, as AWS refuses a ResourceType of "Laptop".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..catalogue import model
from ..catalogue.spelling import did_you_mean
from ..records.nodes import ManagedNode
from .errors import ServiceError

NodeTest = Callable[[ManagedNode], bool]

#: The attribute each key reads, as DescribeInstanceInformation shows it.
_FIELDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "ActivationIds": lambda item: item.get("ActivationId", ""),
    "AgentVersion": lambda item: item["AgentVersion"],
    "AssociationStatus": lambda item: item.get("AssociationStatus", ""),
    "IamRole": lambda item: item.get("IamRole", ""),
    "InstanceIds": lambda item: item["InstanceId"],
    "PingStatus": lambda item: item["PingStatus"],
    "PlatformTypes": lambda item: item["PlatformType"],
    "ResourceType": lambda item: item["ResourceType"],
    "SourceIds": lambda item: item["SourceId"],
    "SourceTypes": lambda item: item["SourceType"],
}
#: Keys whose values form a closed set: anything else is InvalidInstanceInformationFilterValue.
#: Those named here grow with newer models (see the module).
_GROWING = frozenset({"SourceTypes"})
_CLOSED = {
    "AssociationStatus": ("Success", "Pending", "Failed"),
    "PingStatus": "PingStatus",
    "PlatformTypes": "PlatformType",
    "ResourceType": "ResourceType",
    "SourceTypes": "SourceType",
}


def _valid_values(key: str) -> tuple[Sequence[str], bool] | None:
    """The key's closed set, and whether it grows with newer models."""
    closed = _CLOSED.get(key)
    if closed is None:
        return None
    valid = model.enum(closed) if isinstance(closed, str) else closed
    return valid, key in _GROWING


def _refused(value: str, valid: Sequence[str], grows: bool) -> bool:
    if value in valid:
        return False
    if not grows:
        return True
    return bool(did_you_mean(value, valid)) or any(value.casefold() == v.casefold() for v in valid)


def valid_keys() -> tuple[str, ...]:
    return (*_FIELDS, "tag-key", "tag:<key>")


def parse_node_filters(params: Mapping[str, Any]) -> list[NodeTest]:
    """One test per filter of the request; AWS's error for a bad key or value."""
    filters = params.get("Filters")
    legacy = params.get("InstanceInformationFilterList")
    if filters and legacy:
        raise ServiceError(
            "ValidationException", "Cannot use both legacy and new filter simultaneously."
        )
    if legacy:
        return [_field_test(f["key"], f["valueSet"]) for f in legacy]
    tests = []
    kinds = set()
    for item in filters or ():
        key, values = item["Key"], item["Values"]
        if key == "tag-key":
            kinds.add("tag")
            tests.append(_tag_key_test(values))
        elif key.startswith("tag:"):
            kinds.add("tag")
            tests.append(_tag_test(key[4:], values))
        elif key in _FIELDS:
            kinds.add("field")
            tests.append(_field_test(key, values))
        else:
            raise ServiceError(
                "InvalidFilterKey",
                f"The filter key {key} is not valid. Valid keys: {', '.join(valid_keys())}",
            )
    if len(kinds) > 1:
        raise ServiceError(
            "ValidationException", "Cannot mix tag or inventory filter with any other filter."
        )
    return tests


def _field_test(key: str, values: Sequence[str]) -> NodeTest:
    closed = _valid_values(key)
    if closed is not None:
        valid, grows = closed
        bad = next((v for v in values if _refused(v, valid, grows)), None)
        if bad is not None:
            raise ServiceError(
                "InvalidInstanceInformationFilterValue",
                f"{key} filter is invalid, valid values are {', '.join(sorted(valid))}",
            )
        if key == "ResourceType" and len(values) > 1:
            raise ServiceError(
                "InvalidInstanceInformationFilterValue",
                "ResourceType filter may contain only one value.",
            )
    wanted = frozenset(values)
    read = _FIELDS[key]
    return lambda node: read(node.information()) in wanted


def _tag_test(tag: str, values: Sequence[str]) -> NodeTest:
    wanted = frozenset(values)
    return lambda node: node.tags.get(tag) in wanted


def _tag_key_test(keys: Sequence[str]) -> NodeTest:
    wanted = frozenset(keys)
    return lambda node: bool(wanted & set(node.tags))


def check_named_nodes(params: dict[str, Any], known: set[str]) -> None:
    """ "If you specify a node ID that isn't valid or a node that you don't own, you
    receive an error" (API reference): ``InvalidInstanceId``."""
    named = [
        value
        for item in params.get("Filters") or ()
        if item["Key"] == "InstanceIds"
        for value in item["Values"]
    ] + [
        value
        for item in params.get("InstanceInformationFilterList") or ()
        if item["key"] == "InstanceIds"
        for value in item["valueSet"]
    ]
    unknown = [i for i in named if i not in known]
    if unknown:
        raise ServiceError("InvalidInstanceId", f"Instances [[{', '.join(unknown)}]] not found")
