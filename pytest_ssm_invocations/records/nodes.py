"""Managed nodes as DescribeInstanceInformation shows them.

Key order and values follow the AWS CLI reference example and real output:
an EC2 node has ``ResourceType: EC2Instance``, ``SourceType:
AWS::EC2::Instance`` and its own id as ``SourceId``; a hybrid node (``mi-``)
is a ``ManagedInstance`` registered by an activation, with ``ActivationId``,
``IamRole``, ``RegistrationDate`` and a ``Name``. ``ComputerName`` is the
private DNS name on Linux and ``HOST.WORKGROUP`` on Windows. Association
fields are absent: a node no State Manager association targets has none.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import model

#: (PlatformName, PlatformVersion) pairs seen in real output, per PlatformType.
PLATFORM_RELEASES: dict[str, tuple[tuple[str, str], ...]] = {
    "Linux": (
        ("Amazon Linux", "2023"),
        ("Amazon Linux", "2"),
        ("Ubuntu", "22.04"),
        ("Ubuntu", "24.04"),
        ("Red Hat Enterprise Linux", "9.4"),
    ),
    "Windows": (
        ("Microsoft Windows Server 2022 Datacenter", "10.0.20348"),
        ("Microsoft Windows Server 2019 Datacenter", "10.0.17763"),
    ),
    "MacOS": (("macOS", "14.6.1"),),
}
AGENT_VERSIONS = ("3.3.987.0", "3.3.1142.0", "3.2.2303.0")
#: How long ago a node of each ping status last pinged: at least, and up to twice, this
#: many milliseconds (an online agent pings every 5 minutes).
_PING_AGE_MS = {"Online": 0, "ConnectionLost": 600_000, "Inactive": 30 * 86_400_000}
_PING_SPREAD_MS = {"Online": 300_000, "ConnectionLost": 3_600_000, "Inactive": 30 * 86_400_000}


@dataclass(frozen=True)
class ManagedNode:
    """One node of the fleet: what SendCommand targets and DescribeInstanceInformation lists."""

    instance_id: str
    ping_status: str
    platform_type: str
    platform_name: str
    platform_version: str
    agent_version: str
    computer_name: str
    ip_address: str
    last_ping_ms: int
    tags: Mapping[str, str] = field(default_factory=dict)
    resource_groups: frozenset[str] = frozenset()
    """The AWS Resource Groups it belongs to, by name (``resource-groups:Name`` targets)."""
    name: str = ""
    activation_id: str = ""
    registered_ms: int = 0

    @property
    def hybrid(self) -> bool:
        return self.instance_id.startswith("mi-")

    @property
    def resource_type(self) -> str:
        return "ManagedInstance" if self.hybrid else "EC2Instance"

    @property
    def online(self) -> bool:
        return self.ping_status == "Online"

    def information(self) -> dict[str, Any]:
        """The ``InstanceInformationList`` item, timestamps as datetimes."""
        from .times import from_ms

        item: dict[str, Any] = {
            "InstanceId": self.instance_id,
            "PingStatus": self.ping_status,
            "LastPingDateTime": from_ms(self.last_ping_ms),
            "AgentVersion": self.agent_version,
            "IsLatestVersion": self.agent_version == AGENT_VERSIONS[1],
            "PlatformType": self.platform_type,
            "PlatformName": self.platform_name,
            "PlatformVersion": self.platform_version,
        }
        if self.hybrid:
            item["ActivationId"] = self.activation_id
            item["IamRole"] = "SSMServiceRole"
            item["RegistrationDate"] = from_ms(self.registered_ms)
        item["ResourceType"] = self.resource_type
        if self.name:
            item["Name"] = self.name
        item["IPAddress"] = self.ip_address
        item["ComputerName"] = self.computer_name
        item["SourceId"] = self.instance_id
        item["SourceType"] = "AWS::SSM::ManagedInstance" if self.hybrid else "AWS::EC2::Instance"
        return item


def check_platform(platform: object) -> str:
    valid = model.enum("PlatformType")
    if platform not in valid:
        raise ValueError(f"unknown platform {platform!r}; valid: {', '.join(valid)}")
    return str(platform)


def check_ping_status(ping_status: object) -> str:
    valid = model.enum("PingStatus")
    if ping_status not in valid:
        raise ValueError(f"unknown ping_status {ping_status!r}; valid: {', '.join(valid)}")
    return str(ping_status)


def managed_node(
    rng: random.Random,
    instance_id: str,
    *,
    platform: str,
    ping_status: str,
    now_ms: int,
    region: str,
    tags: Mapping[str, str],
    name: str,
    resource_groups: frozenset[str] = frozenset(),
) -> ManagedNode:
    """A node with plausible platform, agent, address and names, drawn from ``rng``."""
    release_name, release_version = rng.choice(PLATFORM_RELEASES[platform])
    octets = (rng.randrange(256), rng.randrange(1, 255))
    ip = f"172.31.{octets[0]}.{octets[1]}"
    if platform == "Windows":
        host = "EC2AMAZ-" + "".join(
            rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(7)
        )
        computer = f"{host}.WORKGROUP"
    else:
        domain = "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"
        computer = f"ip-172-31-{octets[0]}-{octets[1]}.{domain}"
    hybrid = instance_id.startswith("mi-")
    activation = ""
    if hybrid:
        from .ids import command_id

        activation = command_id(rng)  # a UUID, as activation ids are
    return ManagedNode(
        instance_id=instance_id,
        ping_status=ping_status,
        platform_type=platform,
        platform_name=release_name,
        platform_version=release_version,
        agent_version=rng.choice(AGENT_VERSIONS),
        computer_name=computer,
        ip_address=ip,
        last_ping_ms=now_ms
        - _PING_AGE_MS[ping_status]
        - int(rng.random() * _PING_SPREAD_MS[ping_status]),
        tags=dict(tags),
        resource_groups=resource_groups,
        name=name,
        activation_id=activation,
        registered_ms=now_ms - 90 * 86_400_000 if hybrid else 0,
    )
