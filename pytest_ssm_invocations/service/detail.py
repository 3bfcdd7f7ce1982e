"""GetCommandInvocation's answer: one plugin of an invocation, times as AWS writes them.

It shows up to 24,000 characters of stdout (``StandardOutputContent``) and of
stderr, ISO times such as ``2020-02-19T18:18:03.419Z``, and the elapsed time
in Java's ``Duration`` form (``PT2.44S``).

The service model says "the first 8,000 characters" of stderr, but a real
recording (cloud-custodian's placebo data, ``tests/parity/snapshots``) shows
16,312 characters of stderr in one answer: the capture is followed, and
stderr is cut where stdout is (24,000: the documented bound nearest to what
was seen; unverified beyond 16,312).
"""

from __future__ import annotations

from ..catalogue.statuses import status_case
from ..records import Record
from ..records.times import from_ms, to_ms
from ..store.entries import InvocationEntry

#: GetCommandInvocation shows at most this much of each stream (see the module's note).
STDOUT_CONTENT_MAX = 24000
STDERR_CONTENT_MAX = 24000


def _iso(ms: int) -> str:
    """``2020-02-19T18:18:03.419Z``, the form GetCommandInvocation uses."""
    value = from_ms(ms)
    return f"{value.strftime('%Y-%m-%dT%H:%M:%S.')}{value.microsecond // 1000:03d}Z"


def elapsed_text(ms: int) -> str:
    """``ExecutionElapsedTime`` as the service writes it: an ISO 8601 duration in the form
    of Java's ``Duration.toString``, trailing zeros dropped.

    Real captures: ``PT2.44S``, ``PT0.091S``, ``PT33.872S``, ``PT1H0.271S`` (an
    ExecutionTimedOut after an hour). By the same rule whole seconds are ``PT1S``,
    an hour ``PT1H``, a minute and a half ``PT1M30S``, nothing ``PT0S``.
    """
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if seconds or millis or text == "PT":
        fraction = f".{millis:03d}".rstrip("0") if millis else ""
        text += f"{seconds}{fraction}S"
    return text


def execution_times(plugin: Record) -> dict[str, str]:
    """ExecutionStartDateTime, ExecutionElapsedTime and ExecutionEndDateTime of a plugin.

    Seven real captures show the end as the start plus the *whole* seconds of the
    elapsed time (start 20:08:56.792Z, ``PT2.44S``, end 20:08:58.792Z; start
    18:18:03.419Z, ``PT0.091S``, end 18:18:03.419Z), so the end is computed so, not
    read from the plugin's finish. A plugin that never started has no start and no
    elapsed time and an empty end (captures, weak evidence: chosen here); one still
    running has its start, an empty elapsed time and an empty end (unverified).
    """
    start = plugin.get("ResponseStartDateTime")
    if start is None:
        return {"ExecutionEndDateTime": ""}
    start_ms = to_ms(start, "ResponseStartDateTime")
    finish = plugin.get("ResponseFinishDateTime")
    if finish is None:
        return {"ExecutionStartDateTime": _iso(start_ms), "ExecutionElapsedTime": "",
                "ExecutionEndDateTime": ""}  # fmt: skip
    took = to_ms(finish, "ResponseFinishDateTime") - start_ms
    return {
        "ExecutionStartDateTime": _iso(start_ms),
        "ExecutionElapsedTime": elapsed_text(took),
        "ExecutionEndDateTime": _iso(start_ms + took // 1000 * 1000),
    }


def invocation_detail(entry: InvocationEntry, record: Record, plugin: Record) -> Record:
    """GetCommandInvocation's answer for one plugin of an invocation."""
    stdout, stderr = entry.streams_of(plugin) if "ResponseFinishDateTime" in plugin else ("", "")
    case = status_case(plugin["StatusDetails"])
    return {
        "CommandId": record["CommandId"],
        "InstanceId": record["InstanceId"],
        "Comment": record["Comment"],
        "DocumentName": record["DocumentName"],
        "DocumentVersion": record["DocumentVersion"],
        "PluginName": plugin["Name"],
        "ResponseCode": plugin["ResponseCode"],
        **execution_times(plugin),
        "Status": case.status,
        "StatusDetails": case.status_details,
        "StandardOutputContent": stdout[:STDOUT_CONTENT_MAX],
        "StandardOutputUrl": plugin["StandardOutputUrl"],
        "StandardErrorContent": stderr[:STDERR_CONTENT_MAX],
        "StandardErrorUrl": plugin["StandardErrorUrl"],
        "CloudWatchOutputConfig": record["CloudWatchOutputConfig"],
    }
