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

The bridge only carries requests: each one goes through ``wire.exchange``, as
in process and over HTTP. Its fakes are handed to it (the active one, or one
per backend from the ``backend_fake`` the plugin installs it with), and
taking moto's state in is the fake's own (:class:`Mirrored`,
``control.moto_mirror``).
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable
from typing import Any, Protocol, TypeGuard

from .. import wire
from ..service.operations import OPERATIONS
from . import registry


class Mirrored(registry.Answers, Protocol):
    """What the bridge needs of a fake: answers, and moto's state taken in before them."""

    def mirror_moto(self, region: str, backend: Any = None) -> None:
        """Mirror moto's ``region``: its account, and ``backend``'s commands (else every one's)."""


#: Builds the fake of a moto backend that no test's fake serves (given by :func:`install`).
BackendFake = Callable[[str], Mirrored]

_bridge_fakes: weakref.WeakKeyDictionary[Any, Mirrored] = weakref.WeakKeyDictionary()
_backend_fake: list[BackendFake] = []
#: moto's own response methods that :func:`install` replaced (None: moto had none).
_replaced: dict[str, Any] = {}
#: The class those methods were replaced on.
_patched: list[Any] = []


def moto_active() -> bool:
    """Whether moto's ``mock_aws`` is intercepting botocore right now."""
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


def _mirrors(fake: object) -> TypeGuard[Mirrored]:
    return callable(getattr(fake, "mirror_moto", None))


class _Moto:
    """What the in-process hook must do to agree with ``mock_aws`` (see ``registry``)."""

    def intercepting(self) -> bool:
        return moto_active()

    def prepare(self, fake: registry.Answers, region: str) -> None:
        if _mirrors(fake):
            fake.mirror_moto(region)


_COMPANION = _Moto()
_CONTENT_TYPE = "application/x-amz-json-1.1"


def _fake_for(backend: Any, region: str) -> Mirrored:
    active = registry.active()
    fake: Mirrored
    if active is not None and _mirrors(active):
        fake = active
    elif backend in _bridge_fakes:
        fake = _bridge_fakes[backend]
    elif _backend_fake:
        fake = _bridge_fakes[backend] = _backend_fake[0](region)
    else:
        raise RuntimeError(
            "the moto bridge has no fake for this moto backend: activate a fake, or "
            "install the bridge with backend_fake= (the pytest plugin does)"
        )
    fake.mirror_moto(region, backend)
    return fake


def _body(response: Any) -> bytes:
    """The request body as sent (moto keeps it as bytes in ``raw_body``, as text in ``body``)."""
    body = getattr(response, "raw_body", None)
    if body is None:
        body = response.body
    if hasattr(body, "read"):
        body = body.read()
    return body.encode() if isinstance(body, str) else bytes(body or b"")


def _answer(operation: str) -> Any:
    def method(self: Any) -> Any:
        if registry.ANSWERED_HEADER in self.headers:
            # The in-process hook, first in the same botocore event, has answered this
            # very request; botocore keeps that answer and drops this one: do not
            # serve it a second time.
            return "{}"
        fake = _fake_for(self.ssm_backend, self.region)
        exchanged = wire.exchange(fake, operation, _body(self), self.region)
        # moto reads a status from the headers, and keeps a body of text as it is.
        headers = {"status": exchanged.status, "Content-Type": _CONTENT_TYPE}
        return exchanged.status, headers, exchanged.body.decode()

    method.__name__ = OPERATIONS[operation]
    return method


def install(backend_fake: BackendFake | None = None) -> None:
    """Teach moto's SSM responses the faked operations (idempotent), and join the registry.

    moto's module may be imported anew (pytest's ``pytester`` restores
    ``sys.modules`` after an inline run): a new class is patched in turn.
    ``backend_fake`` builds the fake of a moto backend no active fake serves.
    """
    join(backend_fake)
    from moto.ssm.responses import SimpleSystemManagerResponse as Responses

    if _patched_class() is not Responses:
        _restore()
        for operation, name in OPERATIONS.items():
            _replaced[name] = Responses.__dict__.get(name)
            setattr(Responses, name, _answer(operation))
        _patched[:] = [Responses]


def join(backend_fake: BackendFake | None = None) -> None:
    """Join the registry, so the hook knows when ``mock_aws`` intercepts (before moto's SSM
    responses load and :func:`install` patches them)."""
    if backend_fake is not None:
        _backend_fake[:] = [backend_fake]
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
