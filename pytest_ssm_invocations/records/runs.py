"""How one invocation's plugins ran: drawn once, rendered as records when shown.

Drawing (:func:`draw_plugins`) takes everything random from the generator, in
a fixed order: the response code, what the deciding plugin printed, each
step's start and finish. Rendering (:func:`render_plugins`) turns those draws
into ``CommandPlugins`` records and takes nothing from the generator, so the
same draws always render the same records. The fake draws a million-node
command at once and renders an invocation only when a call first shows it.

Steps run in order; the last step that applies to the node's platform decides
the result and earlier ones succeed. Steps for other platforms are skipped
(Success, code 0, the agent's "skipped" message in ``skip_wording``). When the
command never reached the node, every plugin carries the case, its code and
no times.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import NamedTuple

from ..catalogue.documents import SKIP_WORDINGS, Document, Failure, skipped_output
from ..catalogue.statuses import StatusCase, status_case
from . import Record
from .checks import check_int
from .draws import code_from, duration_from, duration_ms, printed, printed_choices, response_code
from .output import output_streams, plugin_output
from .plugins import (
    Placement,
    check_response_code,
    failure_code,
    failure_output,
    given_output,
    plugin_record,
)

#: AWS-RunShellScript's default ``executionTimeout``.
EXECUTION_TIMEOUT_MS = 3_600_000
_SUCCESS = status_case("Success")
_PENDING = status_case("Pending")


class PluginDraws(NamedTuple):
    """Everything random about one invocation's plugins."""

    code: int
    printed: tuple[str, str] | Failure
    """The deciding plugin's stdout and stderr, or the failure it met (worded at rendering)."""
    spans: tuple[int | None, ...]
    """Each step's start and finish (ms since the epoch; None: it has none), in turn."""


#: Draws one invocation's plugins from a generator's ``random``.
PluginDrawer = Callable[[Callable[[], float]], PluginDraws]


def draw_plugins(
    rng: random.Random,
    doc: Document,
    case: StatusCase,
    requested_ms: int,
    *,
    platform: str,
    response_code: int | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    check: bool = True,
    skip_wording: str = "preconditions",
) -> PluginDraws:
    """What the plugins of an invocation whose result is ``case`` drew (see the module)."""
    if skip_wording not in SKIP_WORDINGS:
        raise ValueError(f"skip_wording={skip_wording!r}; valid: {', '.join(SKIP_WORDINGS)}")
    code = _response_code(rng, case, response_code, check)
    if check and (stdout or stderr) and not case.finished:
        raise ValueError(
            f"stdout/stderr given for StatusDetails {case}, which has no output "
            "(only finished plugins report Output)"
        )
    own_codes = response_code is None
    if len(doc.steps_for(platform)) == 1:
        return _one_step(doc, case, requested_ms, stdout, stderr, (code,), own_codes)(rng.random)
    if not case.reached_node:
        return PluginDraws(code, ("", ""), ())
    if stdout is None and stderr is None:
        drawn = printed(rng, doc, case)
        if own_codes:
            code = failure_code(drawn, code)
    else:
        drawn = (stdout or "", stderr or "")
    return PluginDraws(code, drawn, _timeline(rng, doc, case, requested_ms, platform))


def plugin_drawer(
    r: random.Random,
    doc: Document,
    case: StatusCase,
    requested_ms: int,
    platform: str,
    stdout: str | None,
    stderr: str | None,
    code: int | None = None,
    skip_wording: str = "preconditions",
) -> PluginDrawer:
    """:func:`draw_plugins` for these arguments, with everything but the draws done once.

    A command draws each of its nodes through the drawer of its case, platform
    and output: a million-node command looks its document and case up a few
    times, not a million. ``code`` is the response code given (None: drawn).
    A document of several steps, or arguments :func:`draw_plugins` refuses,
    go through :func:`draw_plugins` itself.
    """
    if (
        len(doc.steps_for(platform)) != 1
        or ((stdout or stderr) and not case.finished)
        or skip_wording not in SKIP_WORDINGS
    ):
        return lambda rand: draw_plugins(
            r, doc, case, requested_ms, platform=platform, response_code=code, stdout=stdout,
            stderr=stderr, skip_wording=skip_wording,
        )  # fmt: skip
    codes = case.response_codes if code is None else (code,)
    return _one_step(doc, case, requested_ms, stdout, stderr, codes, code is None)


def _one_step(
    doc: Document,
    case: StatusCase,
    requested_ms: int,
    stdout: str | None,
    stderr: str | None,
    codes: Sequence[int],
    own_codes: bool = True,
) -> PluginDrawer:
    """The drawer of a one-step document's plugin, its code drawn among ``codes``
    (with ``own_codes``, a drawn failure's own exit code in its place: the test named
    none)."""
    many_codes = len(codes) > 1
    if not case.reached_node:
        if not many_codes:
            never_reached = PluginDraws(codes[0], ("", ""), ())  # shared: immutable
            return lambda rand: never_reached
        return lambda rand: PluginDraws(code_from(rand, codes), ("", ""), ())
    fixed: tuple[str, str] | None = None
    choices: Sequence[str | Failure] = ()
    if stdout is not None or stderr is not None:
        fixed = (stdout or "", stderr or "")
    else:
        choices = printed_choices(doc, case)
        fixed = None if choices else ("", "")
    finished, timed_out = case.finished, case.status == "TimedOut"
    low, high = doc.duration
    span, start = high - low, requested_ms + 80
    new = tuple.__new__  # NamedTuple's own constructor parses arguments: a million draws skip it

    def draw(rand: Callable[[], float]) -> PluginDraws:
        drawn_code = code_from(rand, codes) if many_codes else codes[0]
        out: tuple[str, str] | Failure
        if fixed is not None:
            out = fixed
        else:
            chosen = choices[int(rand() * len(choices))]
            if isinstance(chosen, str):
                out = (chosen, "")
            else:
                out = chosen
                if own_codes and chosen.code is not None:
                    drawn_code = chosen.code
        t = start + int(rand() * 2400)
        if not finished:
            return new(PluginDraws, (drawn_code, out, (t, None)))
        took = EXECUTION_TIMEOUT_MS if timed_out else duration_from(rand, low, span)
        return new(PluginDraws, (drawn_code, out, (t, t + took)))

    return draw


def render_plugins(
    place: Placement,
    case: StatusCase,
    platform: str,
    draws: PluginDraws,
    streams: dict[str, tuple[str, str]] | None = None,
    skip_wording: str = "preconditions",
) -> list[Record]:
    """The ``CommandPlugins`` records of ``draws``.

    ``streams`` receives the deciding plugin's full stdout and stderr when its
    Output does not show them whole (the agent cut them).
    """
    doc, code = place.document, draws.code
    if not case.reached_node:
        return [plugin_record(place, s, case, code, None, None, "") for s in doc.steps]
    steps = doc.steps_for(platform)
    deciding = doc.deciding_step(platform)
    out_err = draws.printed
    if isinstance(out_err, Failure):
        out_err = failure_output(place, steps[deciding][0], platform, out_err, code)
    else:  # what the test said the script printed (or a drawn stdout)
        out_err = given_output(doc, case, code, out_err)
    spans = draws.spans
    plugins = []
    for i, (step, runs) in enumerate(steps):
        start, finish = spans[2 * i], spans[2 * i + 1]
        if i < deciding or (i > deciding and case.terminal):
            output = step.output if runs else skipped_output(step, skip_wording)
            plugins.append(plugin_record(place, step, _SUCCESS, 0, start, finish, output))
        elif i == deciding and case.finished:
            output = plugin_output(*out_err)
            if streams is not None and output_streams(output) != out_err:
                streams[step.name] = out_err  # cut: Output does not show them whole
            plugins.append(plugin_record(place, step, case, code, start, finish, output))
        elif i == deciding:
            plugins.append(plugin_record(place, step, case, code, start, None, ""))
        else:
            plugins.append(plugin_record(place, step, _PENDING, -1, None, None, ""))
    return plugins


def _response_code(rng: random.Random, case: StatusCase, given: int | None, check: bool) -> int:
    if given is None:
        return response_code(rng, case)
    check_int("response_code", given)
    if check:
        check_response_code(case, given)
    return given


def _timeline(
    rng: random.Random, doc: Document, case: StatusCase, requested_ms: int, platform: str
) -> tuple[int | None, ...]:
    """Each step's start and finish: they follow each other from just after the request.

    Documents of one step are drawn by :func:`plugin_drawer`.
    """
    steps = doc.steps_for(platform)
    t = requested_ms + 80 + int(rng.random() * 2400)
    deciding = doc.deciding_step(platform)
    spans: list[int | None] = []
    for i, (_, runs) in enumerate(steps):
        if i < deciding or (i > deciding and case.terminal):
            if runs:
                finish = t + duration_ms(rng, doc)
                spans += (t, finish)
                t = finish + 5 + int(rng.random() * 50)
            else:
                spans += (t, t)
        elif i == deciding and case.finished:
            took = EXECUTION_TIMEOUT_MS if case.status == "TimedOut" else duration_ms(rng, doc)
            spans += (t, t + took)
            t += took
        elif i == deciding:
            spans += (t, None)
        else:
            spans += (None, None)
    return tuple(spans)
