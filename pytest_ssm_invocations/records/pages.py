"""Commands with many invocations, and ListCommandInvocations responses and page chains."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import _model, _seeding
from ..catalogue.documents import Document
from ..catalogue.statuses import StatusCase, status_case
from . import ids
from .invocations import (
    Record,
    check_document_version,
    check_length,
    default_requested_ms,
    delivery,
    from_ms,
    invocation,
    pick_document,
)
from .pools import pools
from .shapes import strip_below_minimums

if TYPE_CHECKING:
    from ..types import InvocationRecord

DEFAULT_INSTANCES = 3
#: A status mix: counts by status (``{"Success": 40, "Failed": 5}``) or one status per node.
StatusMix = Mapping[str, int] | Mapping[StatusCase, int] | Sequence[str | StatusCase]


def _expand_statuses(statuses: StatusMix) -> list[StatusCase]:
    if isinstance(statuses, Mapping):
        cases: list[StatusCase] = []
        for name, count in statuses.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"count for status {name!s} must be an int >= 0, not {count!r}")
            cases.extend([status_case(name)] * count)
        return cases
    if isinstance(statuses, str):
        raise TypeError("statuses must be a mapping of status to count, or a list of statuses")
    return [status_case(s) for s in statuses]


def command(
    *,
    instances: int | None = None,
    instance_ids: Sequence[str] | None = None,
    statuses: StatusMix | None = None,
    document: str | Document | None = None,
    command_id: str | None = None,
    comment: str | None = None,
    document_version: str = "$DEFAULT",
    requested: datetime | None = None,
    hybrid: bool = False,
    details: bool = True,
    region: str = "us-east-1",
    s3_bucket: str | None = None,
    s3_key_prefix: str | None = None,
    cloudwatch: bool | str = False,
    notification_arn: str | None = None,
    notification_events: Sequence[str] = ("All",),
    notification_type: str = "Command",
    service_role: str | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    outputs: Mapping[str, tuple[str, str]] | None = None,
    seed: int | None = None,
    rng: Any = None,
    stubber_safe: bool = False,
    _streams: list[dict[str, tuple[str, str]]] | None = None,
) -> list[InvocationRecord]:
    """The invocations of one command sent to several nodes.

    ``statuses`` is a mix such as ``{"Success": 40, "Failed": 5}`` (interleaved
    at random, reproducibly) or one status per node in order. The node count
    comes from ``instances``, ``instance_ids`` or the mix, which must agree.
    Every invocation shares the command's id, document, comment, time and
    output settings, as AWS shows them. ``stdout``/``stderr`` are what every
    node that ran printed (a node never reached, or still running, shows no
    output); ``outputs`` maps instance ids to what those nodes printed.
    """
    r = _seeding.resolve(seed, rng)
    cases = _expand_statuses(statuses) if statuses is not None else None
    if isinstance(statuses, Mapping) and cases:
        r.shuffle(cases)
    counts = {
        "instances": instances,
        "instance_ids": None if instance_ids is None else len(instance_ids),
        "statuses": None if cases is None else len(cases),
    }
    given = {k: v for k, v in counts.items() if v is not None}
    if len(set(given.values())) > 1:
        raise ValueError(f"node counts disagree: {given}")
    n = next(iter(given.values()), DEFAULT_INSTANCES)
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"instances must be an int >= 0, not {n!r}")
    if instance_ids is not None:
        nodes = [ids.check_instance_id(i) for i in instance_ids]
        if len(set(nodes)) != len(nodes):
            duplicates = sorted({i for i in nodes if nodes.count(i) > 1})
            raise ValueError(f"instance_ids repeat {duplicates}: one invocation per node")
    else:
        nodes = _unique_instance_ids(r, n, hybrid)
    doc = pick_document(r, document)
    cid = ids.check_command_id(command_id) if command_id else ids.command_id(r)
    if comment is None:
        comment = r.choice(pools().comments) if r.random() < 0.5 else ""
    check_length("comment", comment, "CommandInvocation", "Comment")
    check_document_version(document_version)
    requested = requested or from_ms(default_requested_ms(r))
    settings = delivery(
        document_name=doc.name,
        region=region,
        s3_bucket=s3_bucket,
        s3_key_prefix=s3_key_prefix,
        cloudwatch=cloudwatch,
        notification_arn=notification_arn,
        notification_events=notification_events,
        notification_type=notification_type,
        service_role=service_role,
    )
    unknown = sorted(set(outputs or ()) - set(nodes))
    if unknown:
        raise ValueError(f"outputs name nodes the command was not sent to: {unknown}")
    records = []
    for i, node in enumerate(nodes):
        case = None if cases is None else cases[i]
        out: str | None
        err: str | None
        if outputs and node in outputs:
            out, err = outputs[node]
        elif case is None or case.finished:
            out, err = stdout, stderr
        else:
            out, err = None, None
        streams: dict[str, tuple[str, str]] = {}
        records.append(
            invocation(
                status=case,
                document=doc,
                command_id=cid,
                instance_id=node,
                comment=comment,
                document_version=document_version,
                requested=requested,
                stdout=out,
                stderr=err,
                details=details,
                rng=r,
                stubber_safe=stubber_safe,
                _delivery=settings,
                _streams=streams,
            )
        )
        if _streams is not None:
            _streams.append(streams)
    return records


def _unique_instance_ids(r: Any, n: int, hybrid: bool) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen.setdefault(ids.instance_id(r, hybrid=hybrid), None)
    return list(seen)


def response(invocations: Sequence[Mapping[str, Any]], *, next_token: str | None = None) -> Record:
    """A ListCommandInvocations response; ``NextToken`` only when more pages follow."""
    body: Record = {"CommandInvocations": list(invocations)}
    if next_token is not None:
        body["NextToken"] = next_token
    return body


def _check_page_size(page_size: int) -> int:
    high = _model.field_limit("ListCommandInvocationsRequest", "MaxResults", "max")
    if isinstance(page_size, bool) or not isinstance(page_size, int) or not 1 <= page_size <= high:
        raise ValueError(f"page_size must be an int from 1 to {high} (MaxResults): {page_size!r}")
    return page_size


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
