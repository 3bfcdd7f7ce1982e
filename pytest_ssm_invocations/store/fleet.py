"""The managed nodes of each region, and how SendCommand's targets resolve against them.

Until a test declares nodes in a region, that region's fleet is open: any
well-formed instance id a command names is taken as an online node (Linux,
or the first platform of the document sent when it cannot run on Linux), so
tests that do not care about the fleet stay short. Once nodes are declared,
the fleet is closed: an id outside it is not a managed node, and SendCommand
answers ``InvalidInstanceId`` as AWS does.

Targets (SendCommand API reference, "Targets"): ``InstanceIds`` names nodes,
``tag:<key>`` matches nodes whose tag has any of the values, ``tag-key``
nodes carrying any of the keys. Several targets must all match (a choice:
AWS's console speaks of nodes "with all the tags"). Nodes come back in the
order they were declared.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records.nodes import ManagedNode, managed_node


class TargetError(ValueError):
    """A target the fake cannot resolve; the service turns it into AWS's error."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Listed:
    """A node in its place in the fleet, keyed for paging like commands and invocations:
    ``(place, 0, 0)``, the place it was declared at (a fleet only grows, so it holds)."""

    key: tuple[int, int, int]
    node: ManagedNode


@dataclass
class Fleet:
    """Every region's managed nodes, in the order they were declared."""

    regions: dict[str, dict[str, ManagedNode]] = field(default_factory=dict)
    placed: dict[str, list[Listed]] = field(default_factory=dict)
    """Each region's nodes keyed by their place, in order (DescribeInstanceInformation's)."""
    mirrored: set[str] = field(default_factory=set)
    """Regions whose nodes come from elsewhere (moto's EC2 instances), not from the test."""

    def declared(self, region: str) -> bool:
        return bool(self.regions.get(region))

    def add(self, region: str, nodes: Iterable[ManagedNode]) -> None:
        known = self.regions.setdefault(region, {})
        placed = self.placed.setdefault(region, [])
        for node in nodes:
            if node.instance_id in known:
                raise ValueError(f"instance {node.instance_id} is already in the {region} fleet")
            known[node.instance_id] = node
            placed.append(Listed((len(placed), 0, 0), node))

    def listed(self, region: str) -> list[Listed]:
        """The region's nodes in their places, in order (not a copy: read only)."""
        return self.placed.get(region, [])

    def nodes(self, region: str) -> list[ManagedNode]:
        return list(self.regions.get(region, {}).values())

    def get(self, region: str, instance_id: str) -> ManagedNode | None:
        return self.regions.get(region, {}).get(instance_id)

    # -- resolving what SendCommand names -------------------------------------

    def by_ids(
        self, region: str, instance_ids: Sequence[str], *, platforms: Sequence[str], now_ms: int
    ) -> list[ManagedNode]:
        """The nodes named; ``TargetError`` for an id outside a declared fleet."""
        if not self.declared(region):
            return [implicit_node(i, platforms=platforms, now_ms=now_ms, region=region) for i in
                    instance_ids]  # fmt: skip
        unknown = [i for i in instance_ids if self.get(region, i) is None]
        if unknown:
            raise TargetError("InvalidInstanceId", _not_managed(unknown))
        return [n for i in instance_ids if (n := self.get(region, i)) is not None]

    def by_targets(
        self,
        region: str,
        targets: Sequence[Mapping[str, Any]],
        *,
        platforms: Sequence[str],
        now_ms: int,
    ) -> list[ManagedNode]:
        """The nodes every target matches, in the fleet's order."""
        named: list[str] | None = None
        matchers = []
        for target in targets:
            key, values = target["Key"], list(target.get("Values") or [])
            if is_instance_ids_key(key):
                if values == ["*"]:  # every node (the user guide's Key=InstanceIds,Values=*)
                    values = [n.instance_id for n in self.nodes(region)]
                named = values if named is None else [i for i in named if i in values]
            elif key.startswith("tag:"):
                matchers.append(_tag_matcher(key[4:], values))
            elif key == "tag-key":
                matchers.append(lambda node, keys=frozenset(values): bool(keys & set(node.tags)))
            elif key == RESOURCE_GROUP_KEY:
                # The members of the groups named (several: any of them, a choice;
                # the model's example names one). A group with no member, or none
                # the fleet knows, resolves to no node, as a tag that matches none.
                matchers.append(
                    lambda node, groups=frozenset(values): bool(groups & node.resource_groups)
                )
            else:
                raise TargetError(
                    "ValidationException",
                    f"Target key {key!r} is not modelled by pytest-ssm-invocations; "
                    f"target nodes by InstanceIds, tag:<key>, tag-key or {RESOURCE_GROUP_KEY}",
                )
        if named is not None:
            candidates = self.by_ids(region, named, platforms=platforms, now_ms=now_ms)
        else:
            candidates = self.nodes(region)
        return [n for n in candidates if all(match(n) for match in matchers)]


#: The Run Command target key of AWS Resource Groups (the service model's Target docs).
RESOURCE_GROUP_KEY = "resource-groups:Name"


def is_instance_ids_key(key: str) -> bool:
    """Whether a target names nodes by id: its key in any case (``Key=instanceids`` in the
    CLI reference and the user guide)."""
    return key.lower() == "instanceids"


def _tag_matcher(key: str, values: Sequence[str]) -> Any:
    wanted = frozenset(values)

    def match(node: ManagedNode) -> bool:
        return node.tags.get(key) in wanted

    return match


#: The account the fake speaks for (moto's default account too).
ACCOUNT_ID = "123456789012"


def _not_managed(instance_ids: Sequence[str]) -> str:
    """AWS's words for ids that are not managed nodes (aws-samples issue quotes:
    ``Instances [[i-00903e1796f3b1cb6]] not in a valid state for account 775288309636``)."""
    return f"Instances [[{', '.join(instance_ids)}]] not in a valid state for account {ACCOUNT_ID}"


def implicit_node(
    instance_id: str, *, platforms: Sequence[str], now_ms: int, region: str
) -> ManagedNode:
    """The node an open fleet assumes for an id: online, Linux when the document runs there."""
    platform = "Linux" if "Linux" in platforms or not platforms else platforms[0]
    rng = random.Random(instance_id)
    return managed_node(
        rng,
        instance_id,
        platform=platform,
        ping_status="Online",
        now_ms=now_ms,
        region=region,
        tags={},
        name="",
    )


def declare_nodes(
    rng: random.Random,
    *,
    count: int | None,
    instance_ids: Sequence[str] | None,
    tags: Mapping[str, str] | None,
    platform: str,
    ping_status: str,
    name: str | None,
    hybrid: bool,
    region: str,
    now_ms: int,
    resource_groups: Sequence[str] = (),
) -> list[ManagedNode]:
    """The nodes ``FakeSSM.add_instances`` declares, checked as a test author expects."""
    from ..records import ids
    from ..records.checks import check_flag, check_mapping, check_str_list, check_whole
    from ..records.nodes import check_ping_status, check_platform

    check_platform(platform)
    check_ping_status(ping_status)
    check_flag("hybrid", hybrid)
    if instance_ids is not None:
        given = check_str_list("instance_ids", instance_ids, "instance ids")
        chosen = [ids.check_instance_id(i, f"instance_ids[{k}]") for k, i in enumerate(given)]
        if count is not None and count != len(chosen):
            raise ValueError(f"count={count} but {len(chosen)} instance_ids were given")
    else:
        wanted = check_whole("count", count, hint=" (or pass instance_ids)")
        chosen = ids.unique_instance_ids(rng, wanted, hybrid=hybrid)
    repeated = ids.repeated(chosen)
    if repeated:
        raise ValueError(f"instance_ids repeat {repeated}: one node per id")
    labels = dict(check_mapping("tags", tags, "tag key to value")) if tags is not None else {}
    for key, value in labels.items():
        if not isinstance(key, str) or not isinstance(value, str) or not key:
            raise TypeError(
                f"tags must map non-empty str keys to str values, not {key!r}: {value!r}"
            )
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    groups = frozenset(check_str_list("resource_groups", resource_groups, "group names"))
    if "" in groups:
        raise ValueError("resource_groups must name each group, not ''")
    return [
        managed_node(
            rng,
            i,
            platform=platform,
            ping_status=ping_status,
            now_ms=now_ms,
            region=region,
            tags=labels,
            name=name or "",
            resource_groups=groups,
        )
        for i in chosen
    ]
