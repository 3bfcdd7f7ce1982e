"""moto's missing operation: ListCommandInvocations inside ``mock_aws`` and moto's server.

moto 5 implements SendCommand, ListCommands and GetCommandInvocation but
raises NotImplementedError for ListCommandInvocations. The bridge answers all
three from one fake whose commands mirror moto's SendCommand (instance ids,
including those moto resolved from Targets, document, comment, parameters,
S3 settings, timeout, MaxErrors/MaxConcurrency, time), so the three always
agree: moto's own answers for ListCommands and GetCommandInvocation are
replaced, every other SSM call (and every other service) stays moto's.

With a fake active (the ``ssm_invocations`` fixture), that fake is the one
used, so a test can mix ``add_command`` and moto's ``send_command``: in
process the botocore hook answers (first in line, after asking the bridge,
registered with the registry as a companion, to mirror moto's commands), and
the bridge leaves alone the requests the hook marked as answered, so each
request is served once. Without an active fake, each moto backend (an account
and region inside one ``mock_aws``) gets a fake of its own, gone when moto
resets. Importing the package does not import moto.

SendCommand, CancelCommand and DescribeInstanceInformation are the fake's
too, so ``on_send`` outcomes hold under ``mock_aws``. Until a test declares a
fleet, moto's running EC2 instances (with their tags and platform) are the
region's managed nodes; with none, any well-formed id is. Documents created
in moto are the account's, as are the AWS-owned ones the fake catalogues. A fake of the
bridge's own (no fixture) ends sent commands at once, as moto's did, since
no test moves its clock.
"""

from __future__ import annotations

import json
import random
import sys
import weakref
from datetime import timezone
from typing import Any

from .. import wire
from ..catalogue.documents import custom_document, is_catalogued
from ..fake import FakeSSM
from ..records.nodes import ManagedNode, managed_node
from ..service.errors import ServiceError
from ..service.operations import OPERATIONS
from . import registry

_bridge_fakes: weakref.WeakKeyDictionary[Any, FakeSSM] = weakref.WeakKeyDictionary()
_mirrored: weakref.WeakKeyDictionary[FakeSSM, set[str]] = weakref.WeakKeyDictionary()
#: moto's own response methods that :func:`install` replaced (None: moto had none).
_replaced: dict[str, Any] = {}
#: The class those methods were replaced on.
_patched: list[Any] = []


def moto_active() -> bool:
    """Whether moto's ``mock_aws`` is intercepting botocore right now."""
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


def sync(fake: FakeSSM, backend: Any, region: str) -> None:
    """Mirror the commands moto's SendCommand stored in ``backend`` into ``fake``."""
    seen = _mirrored.setdefault(fake, set())
    for command in getattr(backend, "_commands", []):
        if command.command_id in seen:
            continue
        seen.add(command.command_id)
        name = command.document_name or "AWS-RunShellScript"
        requested = command.requested_date_time
        if requested.tzinfo is None:
            requested = requested.replace(tzinfo=timezone.utc)
        fake.add_command(
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
            max_concurrency=command.max_concurrency or "50",
            max_errors=command.max_errors or "0",
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


def mirror_account(fake: FakeSSM, region: str) -> None:
    """moto's EC2 instances as the region's fleet, unless the test declared one, and
    the documents created in moto (CreateDocument) as the account's own."""
    own = fake.store.documents.setdefault(region, {})
    for backend in backends_for(region):
        for name in list(getattr(backend, "_documents", {})):
            if name not in own and not is_catalogued(name):
                own[name] = (custom_document(name), None)  # parameters are moto's to check
    fleet = fake.store.fleet
    if fleet.declared(region) and region not in fleet.mirrored:
        return
    known = {n.instance_id for n in fleet.nodes(region)}
    new = [n for n in ec2_nodes(region, fake.clock.now_ms) if n.instance_id not in known]
    if new:
        fleet.add(region, new)
        fleet.mirrored.add(region)


class _Moto:
    """What the in-process hook must do to agree with ``mock_aws`` (see ``registry``)."""

    def intercepting(self) -> bool:
        return moto_active()

    def prepare(self, fake: registry.Answers, region: str) -> None:
        if isinstance(fake, FakeSSM):
            mirror_account(fake, region)
            for backend in backends_for(region):
                sync(fake, backend, region)


_COMPANION = _Moto()


def _fake_for(backend: Any, region: str) -> FakeSSM:
    active = registry.active()
    if isinstance(active, FakeSSM):
        fake = active
    elif backend in _bridge_fakes:
        fake = _bridge_fakes[backend]
    else:
        fake = _bridge_fakes[backend] = FakeSSM(region=region)
        fake.service.send_progress = None  # nobody moves this fake's clock
    mirror_account(fake, region)
    sync(fake, backend, region)
    return fake


def _answer(operation: str) -> Any:
    def method(self: Any) -> str:
        from moto.core.exceptions import JsonRESTError

        if registry.ANSWERED_HEADER in self.headers:
            # The in-process hook, first in the same botocore event, has answered this
            # very request; botocore keeps that answer and drops this one: do not
            # serve it a second time.
            return "{}"
        fake = _fake_for(self.ssm_backend, self.region)
        try:
            params = json.loads(self.body or "{}")
            return wire.dumps(fake.handle(operation, params, self.region))
        except ServiceError as error:
            raised = JsonRESTError(error.code, error.message)
            raised.code = error.status
            raise raised from None

    method.__name__ = OPERATIONS[operation]
    return method


def install() -> None:
    """Teach moto's SSM responses the faked operations (idempotent), and join the registry.

    moto's module may be imported anew (pytest's ``pytester`` restores
    ``sys.modules`` after an inline run): a new class is patched in turn.
    """
    from moto.ssm.responses import SimpleSystemManagerResponse as Responses

    if _patched_class() is not Responses:
        _restore()
        for operation, name in OPERATIONS.items():
            _replaced[name] = Responses.__dict__.get(name)
            setattr(Responses, name, _answer(operation))
        _patched[:] = [Responses]
    registry.add_companion(_COMPANION)


def join() -> None:
    """Join the registry, so the hook knows when ``mock_aws`` intercepts (before moto's SSM
    responses load and :func:`install` patches them)."""
    registry.add_companion(_COMPANION)


def uninstall() -> None:
    """Give moto back its own response methods and leave the registry."""
    registry.remove_companion(_COMPANION)
    _restore()


def _patched_class() -> Any:
    return _patched[0] if _patched else None


def _restore() -> None:
    responses = _patched_class()
    for name, original in _replaced.items():
        if original is None:
            delattr(responses, name)
        else:
            setattr(responses, name, original)
    _replaced.clear()
    _patched.clear()
