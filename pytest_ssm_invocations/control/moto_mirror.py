"""moto's state taken into a fake, so that ``mock_aws`` and the fake are one account.

Before a fake answers under ``mock_aws``, the moto bridge asks it to mirror
moto (``FakeSSM.mirror_moto``): the commands moto's SendCommand stored
(instance ids, including those moto resolved from Targets, document,
comment, parameters, S3 settings, timeout, MaxErrors/MaxConcurrency, time),
moto's running EC2 instances as the region's managed nodes until the test
declares a fleet, and the documents created in moto as the account's own.
moto's models are read only once moto is loaded; the bridge never touches the
fake's insides.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from datetime import timezone
from typing import Any

from ..catalogue.defaults import DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_ERRORS
from ..catalogue.documents import custom_document, is_catalogued
from ..records.nodes import ManagedNode, managed_node
from ..store.indexes import Store


def mirror(
    store: Store,
    add_command: Callable[..., object],
    seen: set[str],
    region: str,
    backend: Any = None,
) -> None:
    """Mirror moto's ``region`` into a fake: its account, then the commands of ``backend``
    (every account's, without one); ``seen`` holds the command ids already mirrored."""
    backends = backends_for(region)
    mirror_account(store, region, backends)
    for each in backends if backend is None else [backend]:
        mirror_commands(add_command, seen, each, region)


def mirror_commands(
    add_command: Callable[..., object], seen: set[str], backend: Any, region: str
) -> None:
    """Add the commands moto's SendCommand stored in ``backend`` that are not in ``seen``."""
    for command in getattr(backend, "_commands", []):
        if command.command_id in seen:
            continue
        seen.add(command.command_id)
        name = command.document_name or "AWS-RunShellScript"
        requested = command.requested_date_time
        if requested.tzinfo is None:
            requested = requested.replace(tzinfo=timezone.utc)
        add_command(
            command_id=command.command_id,
            instance_ids=sorted(command.instance_ids),
            statuses=["Success"] * len(command.instance_ids),  # what moto reports
            document=name if is_catalogued(name) else custom_document(name),
            comment=command.comment or "",
            requested=requested.replace(microsecond=requested.microsecond // 1000 * 1000),
            region=region,
            parameters=command.parameters or {},
            targets=command.targets or None,
            s3_bucket=command.output_s3_bucket_name or None,
            s3_key_prefix=command.output_s3_key_prefix or None,
            service_role=command.service_role_arn or None,
            max_concurrency=command.max_concurrency or DEFAULT_MAX_CONCURRENCY,
            max_errors=command.max_errors or DEFAULT_MAX_ERRORS,
            timeout_seconds=command.timeout_seconds,
        )


def backends_for(region: str) -> list[Any]:
    """moto's SSM backends of ``region``, in every account moto has seen."""
    from moto.ssm.models import ssm_backends

    found = []
    for account in list(ssm_backends.keys()):
        regions = ssm_backends[account]
        if region in regions:
            found.append(regions[region])
    return found


def ec2_nodes(region: str, now_ms: int) -> list[ManagedNode]:
    """moto's running EC2 instances of ``region``, as managed nodes (no backend is created)."""
    models = sys.modules.get("moto.ec2.models")
    if models is None:
        return []
    nodes = []
    for account in dict.values(models.ec2_backends):
        backend = dict.get(account, region)
        if backend is None:
            continue
        for instance in backend.all_instances():
            # ``instance_state`` in recent moto, ``_state`` in moto 5.0
            state = getattr(instance, "instance_state", None) or instance._state
            if state.name not in ("pending", "running"):
                continue  # a stopped node is not managed (DescribeInstanceInformation)
            tags = {t.get("key", t.get("Key")): t.get("value", t.get("Value")) for t in
                    instance.get_tags()}  # fmt: skip
            windows = str(getattr(instance, "platform", "") or "").lower() == "windows"
            nodes.append(
                managed_node(
                    random.Random(instance.id),
                    instance.id,
                    platform="Windows" if windows else "Linux",
                    ping_status="Online",
                    now_ms=now_ms,
                    region=region,
                    tags=tags,
                    name="",
                )
            )
    return nodes


def mirror_account(store: Store, region: str, backends: list[Any]) -> None:
    """moto's EC2 instances as the region's fleet, unless the test declared one, and
    the documents created in moto (CreateDocument) as the account's own."""
    own = store.documents.setdefault(region, {})
    for backend in backends:
        for name in list(getattr(backend, "_documents", {})):
            if name not in own and not is_catalogued(name):
                own[name] = (custom_document(name), None)  # parameters are moto's to check
    fleet = store.fleet
    if fleet.declared(region) and region not in fleet.mirrored:
        return
    known = {n.instance_id for n in fleet.nodes(region)}
    new = [n for n in ec2_nodes(region, store.clock.now_ms) if n.instance_id not in known]
    if new:
        fleet.add(region, new)
        fleet.mirrored.add(region)
