"""What a builder draws when the caller names no status case or document.

The weights describe a healthy fleet. Every catalogued case and document has
a weight (zero: never drawn, only built on request); the module refuses to
load if the tables and the catalogue disagree.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from ..catalogue.documents import DOCUMENTS, Document, Failure
from ..catalogue.documents import document as find_document
from ..catalogue.statuses import STATUS_CASES, StatusCase, status_case

T = TypeVar("T")

#: How often each case comes up when a caller names none: a healthy fleet.
_CASE_WEIGHTS = {
    "Success": 860, "Failed": 60, "ExecutionTimedOut": 15, "DeliveryTimedOut": 20,
    "Undeliverable": 10, "InProgress": 15, "Pending": 10, "Delayed": 2, "Cancelled": 5,
    "Cancelling": 1, "Terminated": 1, "InvalidPlatform": 1, "AccessDenied": 0,
}  # fmt: skip
_DOCUMENT_WEIGHTS = {
    "AWS-RunShellScript": 50, "AWS-RunPowerShellScript": 15, "AWS-RunPatchBaseline": 12,
    "AWS-UpdateSSMAgent": 8, "AWS-ConfigureAWSPackage": 5, "AWS-ApplyAnsiblePlaybooks": 3,
    "AWS-RunRemoteScript": 3, "AWS-ConfigureCloudWatch": 2,
    "AWS-JoinDirectoryServiceDomain": 2,
    # Catalogued later: built on request, never drawn, so a seed's records stay as they were.
    "AWS-RunPatchBaselineAssociation": 0, "AWS-RunPatchBaselineWithHooks": 0,
    "AWS-InstallApplication": 0, "AWS-RunAnsiblePlaybook": 0, "AWS-RunSaltState": 0,
    "AWS-RunInspecChecks": 0, "AWS-ConfigureDocker": 0, "AWS-FindWindowsUpdates": 0,
    "AWS-InstallWindowsUpdates": 0, "AWS-UpdateEC2Config": 0,
    "AWS-GatherSoftwareInventory": 0, "AWS-RunDocument": 0,
    "AmazonCloudWatch-ManageAgent": 0, "AWSSupport-RunEC2RescueForWindowsTool": 0,
}  # fmt: skip


def check_weights(table: str, weights: Mapping[str, int], catalogued: Sequence[str]) -> None:
    """``RuntimeError`` unless ``weights`` names exactly the catalogued entries."""
    missing, extra = set(catalogued) - set(weights), set(weights) - set(catalogued)
    if missing or extra:
        raise RuntimeError(
            f"{table} disagrees with the catalogue: no weight for {sorted(missing)}, "
            f"weights for unknown {sorted(extra)}"
        )


check_weights("_CASE_WEIGHTS", _CASE_WEIGHTS, [c.status_details for c in STATUS_CASES])
check_weights("_DOCUMENT_WEIGHTS", _DOCUMENT_WEIGHTS, [d.name for d in DOCUMENTS])


def _weighted(weights: Mapping[str, int], lookup: Callable[[str], T]) -> tuple[list[T], list[int]]:
    items, cumulative, total = [], [], 0
    for name, weight in weights.items():
        if weight:
            total += weight
            items.append(lookup(name))
            cumulative.append(total)
    return items, cumulative


_CASES, _CASE_CUM = _weighted(_CASE_WEIGHTS, status_case)
_CASE_TOTAL = _CASE_CUM[-1]
_DOCS, _DOC_CUM = _weighted(_DOCUMENT_WEIGHTS, find_document)


def choose(rng: random.Random, items: Sequence[T]) -> T:
    """``rng.choice`` at half the cost: records are built by the hundred thousand."""
    return items[int(rng.random() * len(items))]


def pick_case(rng: random.Random, value: str | StatusCase | None) -> StatusCase:
    """The case named, or one drawn with the weights of a healthy fleet."""
    if value is not None:
        return status_case(value)
    return draw_case(rng.random)


def draw_case(rand: Callable[[], float], ran: bool = False) -> StatusCase:
    """A case drawn with the weights of a healthy fleet; with ``ran``, drawn again until it is
    one that ran (a node given output printed it)."""
    case = _CASES[bisect(_CASE_CUM, rand() * _CASE_TOTAL)]
    while ran and not case.finished:
        case = _CASES[bisect(_CASE_CUM, rand() * _CASE_TOTAL)]
    return case


def pick_document(rng: random.Random, value: str | Document | None) -> Document:
    """The document named, or one drawn with the weights of a typical fleet (None only)."""
    if value is not None:
        if not isinstance(value, (str, Document)):
            raise TypeError(
                f"document must be a document name or a Document, not {type(value).__name__}"
            )
        return find_document(value)
    return _DOCS[bisect(_DOC_CUM, rng.random() * _DOC_CUM[-1])]


def duration_ms(rng: random.Random, doc: Document) -> int:
    """How long one of ``doc``'s plugins ran: mostly short, now and then near its longest."""
    low, high = doc.duration
    return duration_from(rng.random, low, high - low)


def duration_from(rand: Callable[[], float], low: float, span: float) -> int:
    """:func:`duration_ms` for a document ``span`` seconds from its shortest, ``low``."""
    return int(1000 * (low + span * rand() ** 3))


def response_code(rng: random.Random, case: StatusCase) -> int:
    """A ResponseCode AWS shows with ``case``: its usual one, or another it shows."""
    codes = case.response_codes
    return codes[0] if len(codes) == 1 else code_from(rng.random, codes)


def code_from(rand: Callable[[], float], codes: Sequence[int]) -> int:
    """:func:`response_code` for a case of several codes."""
    return codes[0] if rand() < 0.6 else codes[int(rand() * len(codes))]


def printed(rng: random.Random, doc: Document, case: StatusCase) -> tuple[str, str] | Failure:
    """What the deciding plugin printed, or the failure it met (worded once its node is known)."""
    choices = printed_choices(doc, case)
    if not choices:
        return "", ""
    chosen = choose(rng, choices)
    return (chosen, "") if isinstance(chosen, str) else chosen


def printed_choices(doc: Document, case: StatusCase) -> Sequence[str | Failure]:
    """What :func:`printed` chooses among for ``case``: a stdout (its stderr empty) or a
    failure; empty: it prints nothing, drawing nothing."""
    if not case.finished:
        return ()
    if case.status == "Success":
        return doc.success_output
    if case.status_details in ("ExecutionTimedOut", "Cancelled"):
        # Stopped while running: what it printed until then.
        return [out.partition("\n")[0] for out in doc.success_output]
    return doc.failures
