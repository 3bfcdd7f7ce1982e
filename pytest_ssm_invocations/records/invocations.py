"""Invocation records (``CommandInvocations`` items), consistent field by field.

Field order and empty values are those of real ``list-command-invocations``
output: unset S3, CloudWatch, notification and role settings are empty strings
(and an empty event list), never missing keys. Timestamps are timezone-aware
UTC datetimes with millisecond precision, the precision of the service's
epoch floats.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from ..catalogue.defaults import DEFAULT_REGION
from ..catalogue.documents import WINDOWS, Document
from ..catalogue.spelling import checked_keywords
from ..catalogue.statuses import StatusCase, status_case
from . import Record, ids, seeding
from .checks import (
    check_document_version,
    check_flag,
    check_length,
    check_optional_str,
    check_plugins,
    check_text,
)
from .compact import invocation_dict
from .draws import choose, draw_case, pick_case, pick_document
from .plugins import Placement, overall_case
from .pools import pools
from .runs import draw_plugins, render_plugins
from .settings import OPTION_NAMES, OutputSettings, output_settings
from .shapes import strip_below_minimums
from .times import default_requested_ms, from_ms, to_ms

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..types import InvocationRecord
    from .settings import OutputOptions


@checked_keywords("factories.invocation", also=OPTION_NAMES)
def invocation(
    *,
    status: str | StatusCase | None = None,
    document: str | Document | None = None,
    platform: str | None = None,
    command_id: str | None = None,
    instance_id: str | None = None,
    hybrid: bool = False,
    instance_name: str | None = None,
    comment: str | None = None,
    document_version: str = "$DEFAULT",
    requested: datetime | None = None,
    response_code: int | None = None,
    stdout: str | None = None,
    stderr: str | None = None,
    plugins: Sequence[Mapping[str, Any]] | None = None,
    details: bool = True,
    region: str = DEFAULT_REGION,
    seed: int | None = None,
    rng: Any = None,
    stubber_safe: bool = False,
    allow_inconsistent: bool = False,
    skip_wording: str = "preconditions",
    **output_options: Unpack[OutputOptions],
) -> InvocationRecord:
    """One ``CommandInvocations`` item, exactly as ListCommandInvocations returns it.

    Anything not given is drawn from ``seed`` (or ``rng``: a ``random.Random``
    or a Faker) so that the same seed gives the same record. ``stdout`` and
    ``stderr`` become the deciding plugin's ``Output`` as the agent builds it.
    ``plugins`` (records from :func:`plugin`) replaces the generated ones, and
    the invocation's status follows them. ``details=False`` gives
    ``"CommandPlugins": []`` as AWS does. ``output_options`` are the command's
    output settings: ``s3_bucket``, ``s3_key_prefix``, ``cloudwatch``,
    ``notification_arn``/``_events``/``_type``, ``service_role``.
    ``status`` may name a variant (``"InProgress:sending"``, see
    ``STATUS_VARIANTS``). ``skip_wording="platform"`` words skipped schema 2.2
    steps as older agents did. ``document_version`` is ``"$DEFAULT"``, ``""``
    (older captures) or the pinned version (``"1"``).
    ``stubber_safe=True`` drops the empty strings AWS sends but botocore's
    Stubber rejects. Inconsistent input raises ``ValueError`` unless
    ``allow_inconsistent=True``.
    """
    r = seeding.resolve(seed, rng)
    if not (
        type(hybrid) is type(details) is type(stubber_safe) is type(allow_inconsistent) is bool
    ):
        _check_flags(hybrid, details, stubber_safe, allow_inconsistent)
    if stdout is not None:
        check_optional_str("stdout", stdout)
    if stderr is not None:
        check_optional_str("stderr", stderr)
    check = not allow_inconsistent
    if plugins is not None:
        plugins = check_plugins(plugins, strict=check)
    doc = pick_document(r, document)
    case = _case(r, status, plugins, check, bool(stdout or stderr))
    if platform is None:
        platform = draw_platform(r, doc)
    elif check and platform not in doc.platforms:
        raise ValueError(
            f"platform {platform!r} does not run {doc.name}; valid: {', '.join(doc.platforms)}"
        )
    cid = ids.check_command_id(command_id) if command_id is not None else ids.command_id(r)
    iid = (
        ids.check_instance_id(instance_id)
        if instance_id is not None
        else ids.instance_id(r, hybrid=hybrid)
    )
    instance_name, comment = _texts(r, instance_name, comment, document_version, check, platform)
    requested_ms = (
        to_ms(requested, "requested") if requested is not None else default_requested_ms(r)
    )
    place = Placement(cid, iid, doc, output_settings(doc.name, region, output_options))
    if plugins is None:
        draws = draw_plugins(
            r, doc, case, requested_ms, platform=platform, response_code=response_code,
            stdout=stdout, stderr=stderr, check=check, skip_wording=skip_wording,
        )  # fmt: skip
        plugins = render_plugins(place, case, platform, draws, None, skip_wording)
    elif check:
        _check_plugin_times(plugins, requested_ms)
    record = invocation_record(
        place, instance_name, comment, document_version, requested_ms, case, plugins, details
    )
    if stubber_safe:
        record = strip_below_minimums(record, "CommandInvocation")
    return cast("InvocationRecord", record)


def _case(
    r: random.Random,
    status: str | StatusCase | None,
    plugins: Sequence[Mapping[str, Any]] | None,
    check: bool,
    printed: bool,
) -> StatusCase:
    """The case asked for, the one the given plugins make, or one drawn.

    A drawn case for an invocation given ``stdout``/``stderr`` is one that ran
    (only those print), so the same call never fails for some seeds only.
    """
    if plugins is None:
        return pick_case(r, status) if status is not None else draw_case(r.random, printed)
    derived = overall_case(plugins)
    case = status_case(status) if status is not None else derived
    if check and case.status_details != derived.status_details:
        raise ValueError(
            f"status {case} is inconsistent with the plugins given, which make {derived}"
        )
    return case


def _check_flags(hybrid: object, details: object, stubber_safe: object, allow: object) -> None:
    """``TypeError`` naming the first flag that is not a bool."""
    for flag, value in (("hybrid", hybrid), ("details", details), ("stubber_safe", stubber_safe),
                        ("allow_inconsistent", allow)):  # fmt: skip
        check_flag(flag, value)


def _texts(
    r: random.Random,
    instance_name: str | None,
    comment: str | None,
    document_version: str,
    check: bool,
    platform: str,
) -> tuple[str, str]:
    """The node's name and the comment, given (and checked) or drawn.

    Types are checked even with ``allow_inconsistent``: only lengths may be broken.
    """
    if instance_name is not None:
        check_optional_str("instance_name", instance_name)
    if comment is not None:
        check_optional_str("comment", comment)
    if not isinstance(document_version, str):
        check_text("document_version", document_version, empty=True)
    if instance_name is None:
        instance_name = draw_instance_name(r, platform)
    elif check:
        check_length("instance_name", instance_name, "CommandInvocation", "InstanceName")
    if comment is None:
        comment = choose(r, pools().comments) if r.random() < 0.5 else ""
    elif check:
        check_length("comment", comment, "CommandInvocation", "Comment")
    if check and document_version != "$DEFAULT":
        check_document_version(document_version)
    return instance_name, comment


def draw_platform(r: random.Random, doc: Document) -> str:
    """One of the platforms ``doc`` runs on."""
    return platform_from(r.random, doc.platforms)


def platform_from(rand: Callable[[], float], platforms: Sequence[str]) -> str:
    """:func:`draw_platform` among ``platforms`` (a single one draws nothing)."""
    return platforms[0] if len(platforms) == 1 else platforms[int(rand() * len(platforms))]


def draw_instance_name(r: random.Random, platform: str = "Linux") -> str:
    """A node's name, or "" (half of real nodes show none); Windows nodes ``HOST.WORKGROUP``."""
    return name_from(r.random, platform)


def name_from(rand: Callable[[], float], platform: str) -> str:
    """:func:`draw_instance_name` from a generator's ``random``."""
    if rand() >= 0.5:
        return ""
    pool = pools().windows_names if platform == WINDOWS else pools().instance_names
    return pool[int(rand() * len(pool))]


class CommandParts(NamedTuple):
    """What every invocation of one command shows alike, built once for the command.

    Its invocations share these objects (a million-node command holds one
    NotificationConfig, not a million).
    """

    requested: datetime
    notification: Record
    cloudwatch: Record


def command_parts(settings: OutputSettings, requested_ms: int) -> CommandParts:
    return CommandParts(
        from_ms(requested_ms), settings.notification_config(), settings.cloudwatch_config()
    )


def invocation_record(
    place: Placement,
    instance_name: str,
    comment: str,
    document_version: str,
    requested_ms: int,
    case: StatusCase,
    plugins: Sequence[Mapping[str, Any]],
    details: bool,
    parts: CommandParts | None = None,
) -> Record:
    """The ``CommandInvocations`` item, in AWS's field order, from parts already checked."""
    settings = place.settings
    doc = place.document
    stdout_url = stderr_url = ""
    if settings.s3_bucket and len(doc.steps) == 1:
        _, stdout_url, stderr_url = place.s3_fields(doc.steps[0])
    record = invocation_dict()
    record["CommandId"] = place.command_id
    record["InstanceId"] = place.instance_id
    record["InstanceName"] = instance_name
    record["Comment"] = comment
    record["DocumentName"] = doc.name
    record["DocumentVersion"] = document_version
    record["RequestedDateTime"] = from_ms(requested_ms) if parts is None else parts.requested
    record["Status"] = case.status
    record["StatusDetails"] = case.status_details
    record["StandardOutputUrl"] = stdout_url
    record["StandardErrorUrl"] = stderr_url
    record["CommandPlugins"] = list(plugins) if details else []
    record["ServiceRole"] = settings.service_role
    if parts is None:  # a record of its own: its own dicts
        record["NotificationConfig"] = settings.notification_config()
        record["CloudWatchOutputConfig"] = settings.cloudwatch_config()
    else:
        record["NotificationConfig"] = parts.notification
        record["CloudWatchOutputConfig"] = parts.cloudwatch
    return record


def _check_plugin_times(plugins: Sequence[Mapping[str, Any]], requested_ms: int) -> None:
    for p in plugins:
        start = p.get("ResponseStartDateTime")
        if start is not None and to_ms(start, "ResponseStartDateTime") < requested_ms:
            raise ValueError(
                f"plugin {p['Name']} starts at {start.isoformat()}, before the invocation's "
                f"RequestedDateTime {from_ms(requested_ms).isoformat()}"
            )
