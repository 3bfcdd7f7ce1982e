"""Answer botocore's SSM requests in process, at the HTTP level.

botocore serializes the request, signs it, and emits ``before-send``; the
first handler that returns a response stops the request from leaving the
machine. This one answers with the fake's JSON 1.1 bytes, so botocore parses
them, retries them and raises its modelled exceptions exactly as against AWS.

The handler is registered once in ``botocore.handlers.BUILTIN_HANDLERS`` as
soon as botocore is imported (the pytest plugin arranges it), so every
session, and every client, has it whenever it was created. It does nothing
unless a fake is active.
"""

from __future__ import annotations

import io
import json
import re
import sys
import threading
import uuid
from collections.abc import Generator, Iterator
from typing import Any, Protocol

from .. import wire
from ..service.errors import ServiceError

_REGION_IN_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")
_REGION_IN_HOST = re.compile(r"ssm\.([a-z0-9-]+)\.amazonaws")
_CONTENT_TYPE = "application/x-amz-json-1.1"
_FAKED = ("ListCommandInvocations", "GetCommandInvocation", "ListCommands")


class Answers(Protocol):
    region: str

    def handle(self, operation: str, params: dict[str, Any], region: str | None = None) -> Any: ...


_active: list[Answers] = []
_lock = threading.Lock()
_installed = False


def activate(fake: Answers) -> None:
    install()
    with _lock:
        _active.append(fake)


def deactivate(fake: Answers) -> None:
    with _lock:
        if fake in _active:
            _active.remove(fake)


def active() -> Answers | None:
    return _active[-1] if _active else None


def install() -> None:
    """Register the handler for every botocore session created from now on."""
    global _installed
    if _installed:
        return
    from botocore.handlers import BUILTIN_HANDLERS

    # First in line, so it can answer before moto's handler (moto defers to it).
    BUILTIN_HANDLERS.insert(0, ("before-send", _before_send))
    _installed = True


class _Body(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


class _Content(bytes):
    """Response bytes that aiobotocore may also ``await``.

    botocore reads ``response.content`` as bytes; aiobotocore, which calls the
    same ``before-send`` handlers, awaits it. One response serves both.
    """

    def __await__(self) -> Generator[Any, None, bytes]:
        yield from ()
        return bytes(self)


def _region_of(request: Any, default: str) -> str:
    auth = request.headers.get("Authorization", b"")
    if isinstance(auth, bytes):
        auth = auth.decode(errors="replace")
    found = _REGION_IN_SCOPE.search(auth) or _REGION_IN_HOST.search(request.url or "")
    return found.group(1) if found else default


def http_response(url: str, status: int, body: bytes) -> Any:
    from botocore.awsrequest import AWSResponse

    headers = {
        "x-amzn-RequestId": str(uuid.uuid4()),
        "Content-Type": _CONTENT_TYPE,
        "Content-Length": str(len(body)),
    }
    response = AWSResponse(url, status, headers, _Body(body))
    response._content = _Content(body)
    return response


def _moto_models_loaded() -> bool:
    return "moto.core.models" in sys.modules


def _before_send(request: Any, event_name: str = "", **_: Any) -> Any:
    fake = active()
    if fake is None:
        return None
    service, operation = [*event_name.split("."), "", ""][1:3]
    if service != "ssm":
        return None
    if _moto_models_loaded():
        from . import moto_bridge

        if moto_bridge.moto_active():
            if operation not in _FAKED:
                return None  # every other SSM call is moto's
            region = _region_of(request, fake.region)
            for backend in moto_bridge.backends_for(region):
                moto_bridge.sync(fake, backend, region)  # type: ignore[arg-type]
    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    params = json.loads(body or b"{}")
    try:
        answer = fake.handle(operation, params, _region_of(request, fake.region))
    except ServiceError as error:
        return http_response(
            request.url, error.status, wire.encode_error(error.code, error.message)
        )
    return http_response(request.url, 200, wire.encode(answer))
