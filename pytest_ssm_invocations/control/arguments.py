"""Checks of what a test passes to :class:`FakeSSM`'s methods, beyond the records' own.

Each names the argument and says what is valid; shapes and limits come from
botocore's service model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..catalogue import model
from ..catalogue.documents import custom_document, is_catalogued
from ..catalogue.parameters import OwnDocument, parameters_of
from ..records import ids
from ..records.checks import (
    check_count,
    check_int,
    check_mapping,
    check_optional_str,
    check_str_list,
    check_streams,
    check_text,
    check_whole,
)
from ..records.nodes import check_platform
from ..service.send_checks import execution_timeout_problem
from ..store.entries import PROGRESS_CHOICES, Progress
from . import matching

MAX_INSTANCE_IDS = model.field_limit("SendCommandRequest", "InstanceIds", "max")
#: ``add_command``'s default ``parameters``: a harmless shell command.
DEFAULT_PARAMETERS = {"commands": ["uptime"]}


def check_page_sizes(operation: str, sizes: Sequence[object]) -> list[int]:
    """A page plan's sizes: 0 up to the operation's MaxResults maximum in the model (50)."""
    request = model.operation(operation).input_shape
    if "MaxResults" not in request.members:
        raise ValueError(f"{operation} is not paginated: it has no pages to plan")
    high = int(request.members["MaxResults"].metadata["max"])
    checked = []
    for given in sizes:
        size = check_int("page sizes", given)
        if not 0 <= size <= high:
            raise ValueError(
                f"page size {size} is impossible: {operation} returns at most {high} "
                f"items a page (MaxResults {high}); sizes are 0..{high}"
            )
        checked.append(size)
    return checked


def check_nodes(instances: object, instance_ids: object) -> list[str] | None:
    """``add_command``'s node count and ids, checked before they are counted."""
    if instances is not None:
        check_count("instances", instances)
    if instance_ids is None:
        return None
    return check_str_list("instance_ids", instance_ids, "instance ids")


def checked_parameters(parameters: object) -> dict[str, list[str]]:
    """The document parameters as SendCommand takes them: names to lists of str, sorted by
    name as the service echoes them."""
    if parameters is None:
        return {k: list(v) for k, v in sorted(DEFAULT_PARAMETERS.items())}
    given = check_mapping("parameters", parameters, "parameter name to a list of str")
    checked = {}
    for name, values in given.items():
        check_text("parameters key", name)
        checked[name] = check_str_list(f"parameters[{name!r}]", values)
    return dict(sorted(checked.items()))


def check_execution_timeout(parameters: Mapping[str, Sequence[str]]) -> None:
    """``ValueError`` for an ``executionTimeout`` no document takes: before anything is drawn."""
    values = parameters.get("executionTimeout")
    problem = execution_timeout_problem(values[0]) if values else None
    if problem:
        raise ValueError(f"parameters: {problem}")


def checked_targets(targets: object) -> list[dict[str, Any]]:
    """SendCommand Targets: a list of ``{"Key": "tag:Env", "Values": ["prod"]}``."""
    if isinstance(targets, (str, Mapping)) or not isinstance(targets, Sequence):
        raise TypeError(f"targets must be a list of {{Key, Values}} mappings, not {targets!r}")
    return [_target(f"targets[{i}]", t) for i, t in enumerate(targets)]


def _target(name: str, target: object) -> dict[str, Any]:
    given = check_mapping(name, target, 'Key and Values, e.g. {"Key": "tag:Env", "Values": ["a"]}')
    if "Key" not in given or set(given) - {"Key", "Values"}:
        raise ValueError(f"{name} must have a Key and Values, not {given!r}")
    key = check_text(f"{name}['Key']", given["Key"])
    return {"Key": key, "Values": check_str_list(f"{name}['Values']", given.get("Values", []))}


def check_send_outputs(stdout: object, stderr: object, outputs: object) -> None:
    """``on_send``'s output: the shapes ``add_command`` takes, checked before any send.

    Which nodes ran is known only when the code sends, so an ``outputs`` entry
    for a node that never ran is refused then.
    """
    check_optional_str("stdout", stdout)
    check_optional_str("stderr", stderr)
    if outputs is None:
        return
    given = check_mapping("outputs", outputs, "instance id to (stdout, stderr)")
    for node, pair in given.items():
        ids.check_instance_id(node, "outputs key")
        check_streams(f"outputs[{node!r}]", pair)


def check_document_name(document: object) -> str:
    """A document name SendCommand accepts (the model's pattern): AWS's or the user's own."""
    name = check_text("document", document)
    pattern = model.pattern_of("SendCommandRequest", "DocumentName")
    if not pattern.fullmatch(name):
        raise ValueError(
            f"document {name!r} is not a document name SendCommand accepts "
            f"(pattern {pattern.pattern}), e.g. 'AWS-RunShellScript'"
        )
    return name


def check_operation(operation: str) -> str:
    """The API name of ``operation`` (botocore's snake-case name accepted), or ``ValueError``."""
    return matching.operation_name(operation)


def capture_source(captured: str | Path | Mapping[str, Any]) -> str | Path | Mapping[str, Any]:
    """What ``load`` was given: a ``str`` that does not start like JSON text names a file."""
    if not isinstance(captured, str) or captured.lstrip().startswith(("{", "[")):
        return captured
    if Path(captured).is_file():
        return Path(captured)
    shown = captured if len(captured) <= 60 else captured[:60] + "..."
    raise ValueError(
        f"captured is neither JSON text nor the path of an existing file: {shown!r}; load() "
        "takes what `aws ssm list-command-invocations --output json` printed: the JSON text, "
        "the path of a file holding it, or the parsed dict"
    )


def check_serving(progress: Progress, invisible_for: int) -> None:
    if progress not in PROGRESS_CHOICES:
        raise ValueError(f"progress={progress!r}; valid: 'clock', 'poll' or None")
    check_whole("invisible_for", invisible_for, 0)


def check_command_options(max_errors: str, max_concurrency: str, timeout: int) -> None:
    for name, value, member in (
        ("max_errors", max_errors, "MaxErrors"),
        ("max_concurrency", max_concurrency, "MaxConcurrency"),
    ):
        if not isinstance(value, str) or not model.pattern_of("Command", member).fullmatch(value):
            pattern = model.member("Command", member).metadata["pattern"]
            raise ValueError(
                f"{name}={value!r} does not match {pattern}"
                " (a count such as '10' or a percentage such as '10%')"
            )
    low, high = (
        model.field_limit("Command", "TimeoutSeconds", "min"),
        model.field_limit("Command", "TimeoutSeconds", "max"),
    )
    check_whole("timeout_seconds", timeout, low, high)


def command_targets(
    targets: Sequence[Mapping[str, Any]] | None, nodes: int
) -> list[dict[str, Any]]:
    """The command's Targets: SendCommand takes at most 50 InstanceIds, so a command
    to more nodes is recorded as sent to a tag (``tag:Fleet=pytest``) unless told."""
    if targets:
        return checked_targets(targets)
    if nodes > MAX_INSTANCE_IDS:
        return [{"Key": "tag:Fleet", "Values": ["pytest"]}]
    return []


def own_document(
    name: str, parameters: Mapping[str, str | None] | None, platforms: Sequence[str]
) -> OwnDocument:
    """A document of the test's own, as ``FakeSSM.add_document`` declares it."""
    if not isinstance(name, str) or not model.pattern_of("Command", "DocumentName").fullmatch(name):
        pattern = model.member("Command", "DocumentName").metadata["pattern"]
        raise ValueError(f"document name {name!r} does not match {pattern}")
    if is_catalogued(name):
        raise ValueError(f"{name} is an AWS-owned document the fake already knows")
    if isinstance(platforms, str) or not platforms:
        raise TypeError(f"platforms must be a non-empty list such as ['Linux'], not {platforms!r}")
    for platform in platforms:
        check_platform(platform)
    accepted = None
    if parameters is not None:
        check_mapping("parameters", parameters, "parameter names to defaults")
        for key, default in parameters.items():
            if not isinstance(key, str) or not (default is None or isinstance(default, str)):
                raise TypeError(
                    "parameters map each name (str) to its default (str), or None for a "
                    f"required one; not {key!r}: {default!r}"
                )
        accepted = parameters_of(parameters)
    return replace(custom_document(name), platforms=tuple(platforms)), accepted
