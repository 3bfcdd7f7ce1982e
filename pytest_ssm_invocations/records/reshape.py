"""A built invocation reshaped by what happened to it after it was planned.

A sent command's invocations are built as if each node ran at once; the
roll-out (MaxConcurrency, MaxErrors, the delivery timeout) then moves each
node's plugin times to its turn, or ends a node that never got one
(``Terminated``, ``DeliveryTimedOut``), and CancelCommand ends it
``Cancelled``. Each function returns a new record; the one given is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from ..catalogue.statuses import NOT_RUN, StatusCase, status_case
from . import Record
from .times import from_ms, to_ms

_CANCELLED = status_case("Cancelled")


def shifted(record: Mapping[str, Any], delta_ms: int) -> Record:
    """The record with every plugin's start and finish moved by ``delta_ms``."""
    if not delta_ms:
        return dict(record)
    delta = timedelta(milliseconds=delta_ms)
    plugins = []
    for plugin in record["CommandPlugins"]:
        moved = dict(plugin)
        for name in ("ResponseStartDateTime", "ResponseFinishDateTime"):
            if name in moved:
                moved[name] = moved[name] + delta
        plugins.append(moved)
    return {**record, "CommandPlugins": plugins}


def ended_after(record: Mapping[str, Any], run_ms: int) -> Record:
    """The record with its deciding plugin (the last that finished) ending ``run_ms`` after it
    started: an execution timeout is the document's own, not the default one hour."""
    plugins = [dict(p) for p in record["CommandPlugins"]]
    finished = [p for p in plugins if "ResponseFinishDateTime" in p]
    if finished:
        last = finished[-1]
        last["ResponseFinishDateTime"] = last["ResponseStartDateTime"] + timedelta(
            milliseconds=run_ms
        )
    return {**record, "CommandPlugins": plugins}


def never_ran(record: Mapping[str, Any], case: StatusCase) -> Record:
    """The record of a node the command never reached, ending in ``case``."""
    plugins = [_plugin_as(p, case, start=None, finish=None) for p in record["CommandPlugins"]]
    return _with_case(record, case, plugins)


def cancelled(record: Mapping[str, Any], at_ms: int) -> Record:
    """The record ended by a cancel that took effect at ``at_ms``.

    Plugins that finished before it keep their result; the one running ends
    ``Cancelled`` with its start and a finish at ``at_ms``; the rest never
    start. A node that never started shows no times at all.
    """
    plugins = []
    for plugin in record["CommandPlugins"]:
        finish = plugin.get("ResponseFinishDateTime")
        start = plugin.get("ResponseStartDateTime")
        if finish is not None and to_ms(finish, "finish") <= at_ms:
            plugins.append(dict(plugin))
        elif start is not None and to_ms(start, "start") <= at_ms:
            plugins.append(_plugin_as(plugin, _CANCELLED, start=start, finish=from_ms(at_ms)))
        else:
            plugins.append(_plugin_as(plugin, _CANCELLED, start=None, finish=None))
    return _with_case(record, _CANCELLED, plugins)


def _with_case(record: Mapping[str, Any], case: StatusCase, plugins: list[Record]) -> Record:
    return {
        **record,
        "Status": case.status,
        "StatusDetails": case.status_details,
        "CommandPlugins": plugins,
    }


def _plugin_as(plugin: Mapping[str, Any], case: StatusCase, *, start: Any, finish: Any) -> Record:
    shown: Record = {
        "Name": plugin["Name"],
        "Status": case.plugin_status,
        "StatusDetails": case.status_details,
        "ResponseCode": NOT_RUN,
    }
    if start is not None:
        shown["ResponseStartDateTime"] = start
    if finish is not None:
        shown["ResponseFinishDateTime"] = finish
    shown.update({k: v for k, v in plugin.items() if k not in _TIMED and k not in shown})
    shown["Output"] = ""
    return shown


_TIMED = ("ResponseStartDateTime", "ResponseFinishDateTime")
