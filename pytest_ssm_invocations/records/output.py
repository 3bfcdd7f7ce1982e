"""``CommandPlugins[].Output`` as the SSM agent builds it from stdout and stderr.

The agent (amazon-ssm-agent, ``iohandler.TruncateOutput``, capacity
``MaximumPluginOutputSize`` = 2500) writes stdout, then an ``ERROR`` title and
stderr when stderr is not empty. When the whole does not fit, it cuts stdout,
stderr or both and appends a marker to each part it cut. It measures in bytes
of UTF-8 and keeps its quirks, which this module reproduces on purpose:

- the whole is kept only when it is *strictly* shorter than the space left, so
  a stdout of exactly 2500 characters is cut;
- when both parts are longer than half the space, each keeps the same share;
  otherwise the short part is kept whole and the long one takes the rest.

A cut that would split a multi-byte character drops that character (the agent
would send invalid UTF-8, which the service cannot return as a string).
"""

from __future__ import annotations

from typing import AnyStr

MAX_PLUGIN_OUTPUT = 2500
ERROR_TITLE = "\n----------ERROR-------\n"
OUTPUT_TRUNCATED = "\n---Output truncated---"
ERROR_TRUNCATED = "\n---Error truncated----"

_MARKS_STR = (ERROR_TITLE, OUTPUT_TRUNCATED, ERROR_TRUNCATED)
_MARKS_BYTES = (ERROR_TITLE.encode(), OUTPUT_TRUNCATED.encode(), ERROR_TRUNCATED.encode())


def plugin_output(stdout: str, stderr: str, capacity: int = MAX_PLUGIN_OUTPUT) -> str:
    """The ``Output`` the agent reports for a plugin that printed ``stdout`` and ``stderr``."""
    if stdout.isascii() and stderr.isascii():
        return _truncate(stdout, stderr, capacity, _MARKS_STR)
    cut = _truncate(stdout.encode(), stderr.encode(), capacity, _MARKS_BYTES)
    return cut.decode("utf-8", errors="ignore")


def output_streams(output: str) -> tuple[str, str]:
    """The stdout and stderr an ``Output`` shows (whole unless it was cut)."""
    stdout, _, stderr = output.partition(ERROR_TITLE)
    return stdout, stderr


def is_truncated(output: str) -> bool:
    """Whether an ``Output`` lost part of stdout or stderr to the agent's capacity."""
    return OUTPUT_TRUNCATED in output or output.endswith(ERROR_TRUNCATED)


def _truncate(
    out: AnyStr, err: AnyStr, capacity: int, marks: tuple[AnyStr, AnyStr, AnyStr]
) -> AnyStr:
    title, out_cut, err_cut = marks
    if not err:
        title = err[:0]
    space = capacity - len(title)
    if len(out) + len(err) < space:
        return out + title + err
    half = space // 2
    if len(out) > half and len(err) > half:
        share = (space - len(err_cut) - len(out_cut)) // 2
        return out[:share] + out_cut + title + err[:share] + err_cut
    if len(out) < half:
        return out + title + err[: space - len(err_cut) - len(out)] + err_cut
    return out[: space - len(out_cut) - len(err)] + out_cut + title + err
