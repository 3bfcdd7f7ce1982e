"""The compliance report with a common bug: it decides by exit code.

``ResponseCode > 0`` looks like "the check failed", but a node the command
never reached (Undeliverable, DeliveryTimedOut, Cancelled, AccessDenied, ...)
reports -1 and lands among the compliant nodes. Hand-written test dicts with
``"ResponseCode": 0`` or ``1`` never show it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from compliance_report import PENDING, ComplianceReport


def classify(invocations: Iterable[Mapping[str, Any]]) -> ComplianceReport:
    report = ComplianceReport()
    for inv in invocations:
        node = inv["InstanceId"]
        codes = [p["ResponseCode"] for p in inv["CommandPlugins"]]
        if inv["StatusDetails"] in PENDING:
            report.pending.append(node)
        elif any(code > 0 for code in codes):
            report.non_compliant[node] = max(codes)
        else:
            report.compliant.append(node)  # the bug: -1 (never ran) is not > 0
    return report
