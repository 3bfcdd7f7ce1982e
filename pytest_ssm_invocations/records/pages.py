"""ListCommandInvocations responses, and the NextToken chains a client walks."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from ..catalogue import model
from . import Record
from .checks import check_whole
from .shapes import strip_below_minimums


def response(invocations: Sequence[Mapping[str, Any]], *, next_token: str | None = None) -> Record:
    """A ListCommandInvocations response; ``NextToken`` only when more pages follow."""
    body: Record = {"CommandInvocations": list(invocations)}
    if next_token is not None:
        body["NextToken"] = next_token
    return body


def _check_page_size(page_size: int) -> int:
    high = model.field_limit("ListCommandInvocationsRequest", "MaxResults", "max")
    return check_whole("page_size", page_size, 1, high, hint=" (MaxResults)")


def next_token(invocations: Sequence[Mapping[str, Any]], page: int) -> str:
    """An opaque token for the page after ``page``, stable for the same records."""
    first = invocations[0] if invocations else {}
    seed = f"{page}:{first.get('CommandId', '')}:{first.get('InstanceId', '')}:{len(invocations)}"
    digest = hashlib.sha256(seed.encode()).digest()
    return base64.b64encode(b"\x00\x01\x00\x01" + digest + digest[:16]).decode()


def pages(invocations: Sequence[Mapping[str, Any]], *, page_size: int = 50) -> list[Record]:
    """The NextToken chain a client walks to read ``invocations`` ``page_size`` at a time."""
    size = _check_page_size(page_size)
    chunks = [list(invocations[i : i + size]) for i in range(0, len(invocations), size)] or [[]]
    last = len(chunks) - 1
    return [
        response(chunk, next_token=None if i == last else next_token(invocations, i))
        for i, chunk in enumerate(chunks)
    ]


def stub_pages(
    stubber: Any,
    invocations: Sequence[Mapping[str, Any]],
    *,
    page_size: int = 50,
    expected_params: Mapping[str, Any] | None = None,
) -> list[Record]:
    """Queue the page chain on a ``botocore.stub.Stubber`` for ``list_command_invocations``.

    Pages are made Stubber-safe first. With ``expected_params``, each call must
    carry them, and every call after the first the previous page's NextToken.
    """
    safe = [strip_below_minimums(dict(i), "CommandInvocation") for i in invocations]
    chain = pages(safe, page_size=page_size)
    token: str | None = None
    for page in chain:
        expected = None
        if expected_params is not None:
            expected = dict(expected_params)
            if token is not None:
                expected["NextToken"] = token
        stubber.add_response("list_command_invocations", page, expected)
        token = page.get("NextToken")
    return chain
