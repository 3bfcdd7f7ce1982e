"""Answer botocore's SSM requests in process, at the HTTP level.

botocore serializes the request, signs it, and emits ``before-send``; the
first handler that returns a response stops the request from leaving the
machine. This one answers with the fake's JSON 1.1 bytes (``wire.exchange``,
as every transport), so botocore signs the request, retries it and raises its
modelled exceptions exactly as against AWS. A successful answer also carries
the answer itself, from which :mod:`.parsed` builds what botocore's JSON
parser would build from the bytes, without walking them.

:func:`install` puts the handler first in ``botocore.handlers.BUILTIN_HANDLERS``
(the pytest plugin does it as soon as botocore is imported), so every session,
and every client, created from then on has it. It does nothing unless
:mod:`.registry` has a fake active, and it lets through requests to a loopback
endpoint (a real server the test started: the kit's own, moto's, LocalStack).
Any other endpoint, AWS's own names included, is answered in process: nothing
leaves the machine. With no fake active, the request goes on its way, unless
the strict network guard is on (:func:`registry.set_strict_network`): then it
fails, naming the operation, instead of reaching AWS.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Generator, Iterator
from typing import Any

from .. import wire
from . import registry
from .addressing import is_loopback, region_of

_CONTENT_TYPE = "application/x-amz-json-1.1"
_TARGET_PREFIX = "AmazonSSM."


def install() -> None:
    """Register the handler for every botocore session created from now on (idempotent)."""
    from botocore.handlers import BUILTIN_HANDLERS

    if _HANDLER not in BUILTIN_HANDLERS:
        # First in line: moto's handler, if any, runs after it and sees it answered.
        BUILTIN_HANDLERS.insert(0, _HANDLER)
    for index, handler in enumerate((_GUARD, *_WATCHERS), start=1):
        if handler not in BUILTIN_HANDLERS:
            BUILTIN_HANDLERS.insert(index, handler)  # other events: early is all they need


def activate(fake: registry.Answers) -> None:
    """Install the handler if need be, then make ``fake`` answer (see :func:`registry.activate`).

    Inside pytest the plugin has installed the handler already; elsewhere (a
    script using ``with FakeSSM():``) this is what puts it in place.
    """
    install()
    registry.activate(fake)


def deactivate(fake: registry.Answers) -> None:
    registry.deactivate(fake)


def patch_send(replace: Any) -> None:
    """Answer the SSM requests of sessions made before :func:`install` too, via ``replace``.

    A session copies botocore's built-in handlers when it is made: one made
    before the first fake (outside pytest, whose plugin installs the handler
    as botocore loads) lacks the handler, and its request would reach
    ``Endpoint._send``, the network. While a fake is active, ``_send`` first
    gives an SSM request (``X-Amz-Target: AmazonSSM.*``) to the same handler.
    """
    from botocore.endpoint import Endpoint

    send = Endpoint._send

    def _send(self: Any, request: Any) -> Any:
        target = request.headers.get("X-Amz-Target") or b""
        if isinstance(target, bytes):
            target = target.decode("ascii", "replace")
        if target.startswith(_TARGET_PREFIX):
            operation = target[len(_TARGET_PREFIX) :]
            answered = _before_send(request, event_name=f"before-send.ssm.{operation}")
            if answered is not None:
                return answered
        return send(self, request)

    replace(Endpoint, "_send", _send)


def uninstall() -> None:
    """Sessions created from now on lack the handler; older ones keep it, idle without a fake."""
    from botocore.handlers import BUILTIN_HANDLERS

    for handler in (_HANDLER, _GUARD, *_WATCHERS):
        while handler in BUILTIN_HANDLERS:
            BUILTIN_HANDLERS.remove(handler)


class _Body(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


class _Content(bytes):
    """Response bytes that aiobotocore may also ``await``, with the answer they encode.

    botocore reads ``response.content`` as bytes; aiobotocore, which calls the
    same ``before-send`` handlers, awaits it. One response serves both. Both
    hand it to the parser as the body: ``answer`` is what :mod:`.parsed` reads.
    """

    answer: Any = None

    def __await__(self) -> Generator[Any, None, bytes]:
        yield from ()
        return self


def http_response(url: str, status: int, body: bytes, answer: Any = None) -> Any:
    from botocore.awsrequest import AWSResponse

    headers = {
        "x-amzn-RequestId": str(uuid.uuid4()),
        "Content-Type": _CONTENT_TYPE,
        "Content-Length": str(len(body)),
    }
    response = AWSResponse(url, status, headers, _Body(body))
    response._content = _Content(body)
    response._content.answer = answer
    return response


def _before_send(request: Any, event_name: str = "", **_: Any) -> Any:
    registry.before_request()
    service, operation = [*event_name.split("."), "", ""][1:3]
    if service != "ssm":
        return None
    registry.before_answer()
    registry.call_sent()
    if is_loopback(request.url):
        return None
    fake = registry.active()
    if fake is None:
        if registry.strict_network() and not any(c.intercepting() for c in registry.companions()):
            raise registry.NetworkBlockedError(_blocked(operation, request.url))
        return None
    intercepting = [c for c in registry.companions() if c.intercepting()]
    if intercepting and not wire.answers(operation):
        return None  # e.g. moto's: it answers every SSM operation the fake does not
    region = region_of(request.headers.get("Authorization"), request.url, fake.region)
    for companion in intercepting:
        companion.prepare(fake, region)
    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode()
    # An operation the fake does not answer raises NotFaked (a NotImplementedError): in
    # process the caller sees it, and nothing is sent anywhere.
    exchanged = wire.exchange(fake, operation, body, region)
    response = http_response(request.url, exchanged.status, exchanged.body, exchanged.answer)
    request.headers[registry.ANSWERED_HEADER] = "1"
    return response


def _blocked(operation: str, url: str) -> str:
    return (
        f"SSM {operation} was called with no fake SSM active, and would have gone to {url}; "
        "the strict network guard (--ssm-strict-network, ini ssm_invocations_strict_network) "
        "stopped it. Give the test the ssm_invocations fixture, or wrap the code in "
        "`with FakeSSM() as fake:`, or point the client at a local endpoint (endpoint_url)."
    )


def _before_call(model: Any, params: Any, **_: Any) -> None:
    """Stop a real SendCommand or CancelCommand from a test with no fake active.

    On ``before-call``: after the request is built, before it is signed, so a
    missing or expired credential cannot speak first. Sends to a loopback
    endpoint, and those moto intercepts, go on.
    """
    operation = getattr(model, "name", "")
    if operation not in registry.REAL_SENDS or not registry.send_guard():
        return
    url = params.get("url", "") if isinstance(params, dict) else ""
    if is_loopback(url) or registry.active() is not None:
        return
    if any(c.intercepting() for c in registry.companions()):
        return
    raise registry.RealSendBlockedError(
        f"SSM {operation} was called with no fake SSM active and would have been sent to "
        f"{url or 'AWS'} for real, to real nodes. pytest-ssm-invocations stops real "
        "SendCommand and CancelCommand calls from tests: give the test the ssm_invocations "
        "fixture (or wrap the code in `with FakeSSM() as fake:`); to send for real on "
        "purpose, mark the test @pytest.mark.ssm_invocations(real_sends=True) or set "
        "ssm_invocations_real_sends = true in the ini file."
    )


_HANDLER = ("before-send", _before_send)


def _call_begins(**_: Any) -> None:
    registry.call_begins()


def _call_answered(event_name: str = "", **_: Any) -> None:
    """A Stubber answers on ``before-call``, before every other handler: a call answered
    without reaching ``before-send`` never reached the fake (a failing test's report
    says so)."""
    registry.call_answered(event_name.rpartition(".")[2])


_GUARD = ("before-call.ssm", _before_call)
_WATCHERS = (
    ("before-parameter-build.ssm", _call_begins),
    ("after-call.ssm", _call_answered),
)
