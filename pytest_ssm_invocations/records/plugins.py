"""Plugin records (``CommandPlugins`` items), consistent field by field.

A plugin that never started has no ``ResponseStartDateTime`` or
``ResponseFinishDateTime``; one still running has a start and no finish. Its
S3 fields follow the command's output settings and the agent's key layout.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from ..catalogue import model
from ..catalogue.defaults import DEFAULT_REGION
from ..catalogue.documents import Document, Failure, Step, script_path, with_exit_status
from ..catalogue.spelling import checked_keywords
from ..catalogue.statuses import StatusCase, status_case
from . import Record, ids, seeding
from .checks import (
    MAX_EXIT_CODE,
    check_flag,
    check_int,
    check_length,
    check_optional_str,
    check_text,
)
from .compact import plugin_dict
from .draws import duration_ms, pick_case, pick_document, printed
from .output import plugin_output
from .settings import OutputSettings, output_settings
from .shapes import strip_below_minimums
from .times import default_requested_ms, from_ms, to_ms

if TYPE_CHECKING:
    from ..types import PluginRecord

#: When several plugins end differently, the invocation reports the first of these found.
_PRECEDENCE = (
    "Failed", "ExecutionTimedOut", "Cancelled", "DeliveryTimedOut", "Undeliverable",
    "Terminated", "InvalidPlatform", "AccessDenied", "Cancelling", "InProgress", "Delayed",
    "Pending", "Success",
)  # fmt: skip


class Placement(NamedTuple):
    """What a plugin needs to know of its invocation to name its S3 objects.

    A tuple: one is made per node, and a tuple is made fastest.
    """

    command_id: str
    instance_id: str
    document: Document
    settings: OutputSettings

    def s3_fields(self, step: Step) -> tuple[str, str, str]:
        """``OutputS3KeyPrefix`` and the stdout and stderr URLs of a step."""
        bucket = self.settings.s3_bucket
        if not bucket:
            return "", "", ""
        parts = [self.command_id, self.instance_id, step.s3_folder]
        if self.settings.s3_key_prefix:
            parts.insert(0, self.settings.s3_key_prefix.rstrip("/"))
        key_prefix = "/".join(parts)
        leaf = f"0.{step.s3_folder}" if self.document.schema_version == "1.2" else step.name
        base = f"https://s3.{self.settings.region}.amazonaws.com/{bucket}/{key_prefix}/{leaf}"
        return key_prefix, f"{base}/stdout", f"{base}/stderr"


def plugin_record(
    place: Placement,
    step: Step,
    case: StatusCase,
    code: int,
    start_ms: int | None,
    finish_ms: int | None,
    output: str,
) -> Record:
    key_prefix, stdout_url, stderr_url = place.s3_fields(step)
    record = plugin_dict()
    record["Name"] = step.name
    record["Status"] = case.plugin_status
    record["StatusDetails"] = case.status_details
    record["ResponseCode"] = code
    if start_ms is not None:
        record["ResponseStartDateTime"] = from_ms(start_ms)
    if finish_ms is not None:
        record["ResponseFinishDateTime"] = from_ms(finish_ms)
    record["Output"] = output
    record["StandardOutputUrl"] = stdout_url
    record["StandardErrorUrl"] = stderr_url
    record["OutputS3Region"] = place.settings.region
    record["OutputS3BucketName"] = place.settings.s3_bucket
    record["OutputS3KeyPrefix"] = key_prefix
    return record


def check_response_code(case: StatusCase, code: int) -> None:
    """``ValueError`` unless ``code`` is a ResponseCode AWS shows with ``case``.

    A plugin that ran and did not succeed reports its process's exit code
    (1..255) or one of the codes catalogued for its case (-1 where AWS shows it).
    """
    check_int("response_code", code)
    if case.finished and case.status != "Success":
        if code == 0:
            raise ValueError(
                f"ResponseCode 0 is inconsistent with StatusDetails {case}: "
                f"a {case} plugin has a non-zero code, e.g. {case.response_codes}"
            )
        if code not in case.response_codes and not 1 <= code <= MAX_EXIT_CODE:
            raise ValueError(
                f"ResponseCode {code} is impossible with StatusDetails {case}: "
                f"an exit code is 1..{MAX_EXIT_CODE}, or one of {case.response_codes}"
            )
    elif code not in case.response_codes:
        raise ValueError(
            f"ResponseCode {code} is inconsistent with StatusDetails {case}: "
            f"expected {' or '.join(map(str, case.response_codes))}"
        )


def failure_output(
    place: Placement, step: Step, platform: str, failure: Failure, code: int
) -> tuple[str, str]:
    """The stdout and stderr of a plugin that met ``failure`` on its node, as the agent says."""
    script = script_path(place.instance_id, place.command_id, step, platform)
    stderr = failure.stderr.replace("{script}", script)
    if place.document.shell:
        stderr = with_exit_status(stderr, code)
    return failure.stdout, stderr


def given_output(
    doc: Document, case: StatusCase, code: int, streams: tuple[str, str]
) -> tuple[str, str]:
    """The stdout and stderr a plugin reports when the test said what its script printed.

    A test's ``stderr`` is the script's own: on a failed script of a shell document
    the agent appends its "failed to run commands: exit status N" line, as it does
    to the failures the kit draws. ``output=`` stays verbatim.
    """
    stdout, stderr = streams
    if doc.shell and case.status_details == "Failed":
        return stdout, with_exit_status(stderr, code)
    return stdout, stderr


def failure_code(drawn: tuple[str, str] | Failure, code: int) -> int:
    """The ResponseCode of a plugin that printed ``drawn``: the failing command's own exit
    code where the failure knows it (``cat``: 1), else ``code``."""
    if isinstance(drawn, Failure) and drawn.code is not None:
        return drawn.code
    return code


def _deciding_output(
    rng: random.Random,
    place: Placement,
    step: Step,
    platform: str,
    case: StatusCase,
    code: int | None,
) -> tuple[str, str, int]:
    """Plausible stdout, stderr and ResponseCode of the plugin whose result decides the
    invocation; ``code`` None: the case's usual code, or the failure's own."""
    drawn = printed(rng, place.document, case)
    if code is None:
        code = failure_code(drawn, case.response_codes[0])
    if isinstance(drawn, tuple):
        return (*drawn, code)
    return (*failure_output(place, step, platform, drawn, code), code)


def overall_case(plugins: Sequence[Mapping[str, Any]]) -> StatusCase:
    """The invocation's case given its plugins: Failed if any failed, and so on."""
    found = {p["StatusDetails"] for p in plugins}
    for name in _PRECEDENCE:
        if name in found:
            return status_case(name)
    raise ValueError(f"plugins carry no known StatusDetails: {sorted(found)}")


@checked_keywords("factories.plugin")
def plugin(
    *,
    status: str | StatusCase | None = None,
    name: str | None = None,
    document: str | Document | None = None,
    response_code: int | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    output: str | None = None,
    start: datetime | None = None,
    finish: datetime | None = None,
    command_id: str | None = None,
    instance_id: str | None = None,
    region: str = DEFAULT_REGION,
    s3_bucket: str | None = None,
    s3_key_prefix: str | None = None,
    seed: int | None = None,
    rng: Any = None,
    stubber_safe: bool = False,
    allow_inconsistent: bool = False,
) -> PluginRecord:
    """One ``CommandPlugins`` item.

    ``stdout`` and ``stderr`` are what the script printed; ``Output`` is built
    from them as the agent does (separator, markers, 2500 characters). Pass
    ``output`` instead to set ``Output`` verbatim. Times follow the case: a
    plugin that never started has none, one still running has no finish.
    """
    r = seeding.resolve(seed, rng)
    check_flag("stubber_safe", stubber_safe)
    check = not check_flag("allow_inconsistent", allow_inconsistent)
    for stream, value in (("stdout", stdout), ("stderr", stderr), ("output", output)):
        check_optional_str(stream, value)
    case = pick_case(r, status)
    while status is None and (stdout or stderr or output) and not case.finished:
        case = pick_case(r, None)  # only a plugin that ran printed something
    doc = pick_document(r, document)
    step = doc.steps[-1]
    if name is not None:
        check_text("name", name, empty=True)
        low = model.field_limit("CommandPlugin", "Name", "min")
        if check and len(name) < low:
            raise ValueError(f"plugin name {name!r} is shorter than {low} characters")
        step = next((s for s in doc.steps if s.name == name), Step(name, name))
    if response_code is not None:
        check_int("response_code", response_code)
        if check:
            check_response_code(case, response_code)
    settings = output_settings(
        doc.name, region, {"s3_bucket": s3_bucket, "s3_key_prefix": s3_key_prefix}
    )
    place = Placement(
        ids.check_command_id(command_id) if command_id is not None else ids.command_id(r),
        ids.check_instance_id(instance_id) if instance_id is not None else ids.instance_id(r),
        doc,
        settings,
    )
    output, code = _output(r, place, step, case, response_code, (stdout, stderr), output, check)
    start_ms, finish_ms = _times(r, doc, case, start, finish, check)
    record = plugin_record(place, step, case, code, start_ms, finish_ms, output)
    if stubber_safe:
        record = strip_below_minimums(record, "CommandPlugin")
    return cast("PluginRecord", record)


def _output(
    rng: random.Random,
    place: Placement,
    step: Step,
    case: StatusCase,
    code: int | None,
    streams: tuple[str | None, str | None],
    output: str | None,
    check: bool,
) -> tuple[str, int]:
    """A lone plugin's ``Output`` (verbatim, built from the streams, or drawn) and its
    ResponseCode (``code``, or drawn with what it printed)."""
    stdout, stderr = streams
    if output is not None and (stdout is not None or stderr is not None):
        raise ValueError("pass output, or stdout and stderr, not both")
    if check and (stdout or stderr or output) and not case.finished:
        raise ValueError(f"output given for StatusDetails {case}, which has no output")
    if output is not None:
        verbatim = check_length("output", output, "CommandPlugin", "Output") if check else output
        return verbatim, case.response_codes[0] if code is None else code
    if stdout is None and stderr is None and case.finished:
        platform = step.platform or place.document.platforms[0]
        stdout, stderr, code = _deciding_output(rng, place, step, platform, case, code)
        return plugin_output(stdout, stderr), code
    code = case.response_codes[0] if code is None else code
    given = given_output(place.document, case, code, (stdout or "", stderr or ""))
    return plugin_output(*given), code


def _times(
    rng: random.Random,
    doc: Document,
    case: StatusCase,
    start: datetime | None,
    finish: datetime | None,
    check: bool,
) -> tuple[int | None, int | None]:
    """A lone plugin's start and finish (ms), drawn where the case needs them."""
    start_ms = to_ms(start, "start") if start is not None else None
    finish_ms = to_ms(finish, "finish") if finish is not None else None
    if case.reached_node and start_ms is None:
        start_ms = default_requested_ms(rng)
    if case.finished and finish_ms is None and start_ms is not None:
        finish_ms = start_ms + duration_ms(rng, doc)
    if check:
        if not case.reached_node and (start_ms or finish_ms):
            raise ValueError(f"a {case} plugin never started: it has no start or finish time")
        if not case.finished and finish_ms is not None:
            raise ValueError(f"a {case} plugin has not finished: it has no finish time")
        if start_ms is not None and finish_ms is not None and finish_ms < start_ms:
            raise ValueError(f"finish {finish} is before start {start}")
    return start_ms, finish_ms
