"""Checks of what a test author passes to a builder: types first, then AWS's shapes.

Each check names the argument, shows the bad value and says what is valid, so
a wrong call fails at once with a ``TypeError`` (wrong kind of value) or a
``ValueError`` (right kind, impossible value), never deep inside a builder
and never by quietly building a record AWS would not return. Shapes and
limits come from botocore's service model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from ..catalogue import error_codes, model
from ..catalogue.spelling import did_you_mean

#: An AWS error code as botocore reports it: ``ThrottlingException``,
#: ``InvalidCommandId``, or dotted like EC2's ``InvalidInstanceID.NotFound``.
_ERROR_CODE = re.compile(r"[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*")
#: What AWS region names look like: us-east-1, eu-central-2, us-gov-west-1, cn-north-1.
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
#: A process exit status is one byte: what a plugin that ran and failed reports.
MAX_EXIT_CODE = 255


def _kind(value: object) -> str:
    return type(value).__name__


def check_length(name: str, value: str, structure: str, member: str) -> str:
    """``value`` if it is a str no longer than the model allows for ``structure.member``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_kind(value)}")
    high = model.field_limit(structure, member, "max")
    if len(value) > high:
        raise ValueError(f"{name} is {len(value)} characters; AWS allows at most {high}: {value!r}")
    return value


def check_document_version(value: str) -> str:
    """``$DEFAULT``, ``$LATEST``, a version number, or "" (as older real output shows)."""
    if not isinstance(value, str):
        raise TypeError(f"document_version must be a str, not {_kind(value)}")
    if value != "" and not model.pattern("DocumentVersion").fullmatch(value):
        raise ValueError(
            f"malformed document_version {value!r}; valid: '$DEFAULT', '$LATEST', "
            "a number such as '3', or '' (seen in real output)"
        )
    return value


def check_flag(name: str, value: object) -> bool:
    """``value`` if it is a bool: ``"no"`` or ``0`` would be read as a truth value."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {_kind(value)} {value!r}")
    return value


def is_whole(value: object) -> TypeGuard[int]:
    """Whether ``value`` is an int, a bool not being one (``True`` would be read as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_int(name: str, value: object) -> int:
    """``value`` if it is an int (a bool is not: ``True`` would be read as 1)."""
    if is_whole(value):
        return value
    raise TypeError(f"{name} must be an int, not {_kind(value)} {value!r}")


def check_whole(
    name: str,
    value: object,
    low: int = 1,
    high: int | None = None,
    *,
    hint: str = "",
    optional: bool = False,
) -> int:
    """``value`` if it is an int from ``low`` (to ``high``), else one ``ValueError`` for a
    wrong kind and a wrong number alike, naming the argument and the bad value.

    ``hint`` follows the rule in the message (``" (or pass instance_ids)"``);
    ``optional``: the message says None is accepted too (the caller lets None through).
    """
    if is_whole(value) and value >= low and (high is None or value <= high):
        return value
    rule = f"an int >= {low}" if high is None else f"an int from {low} to {high}"
    accepted = f"None or {rule}" if optional else rule
    raise ValueError(f"{name} must be {accepted}{hint}, not {value!r}")


def check_count(name: str, value: object) -> int:
    """An int >= 0: how many of something (a wrong kind is a ``TypeError``)."""
    return check_whole(name, check_int(name, value), 0)


def check_text(name: str, value: object, *, empty: bool = False) -> str:
    """A str, non-empty unless ``empty`` (an empty one is a mistake, never "draw one")."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_kind(value)} {value!r}")
    if not value and not empty:
        raise ValueError(f"{name} must not be empty")
    return value


def check_optional_str(name: str, value: object) -> str | None:
    """``value`` if it is None or a str (possibly empty)."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, not {_kind(value)} {value!r}")
    return value


def check_str_list(name: str, value: object, what: str = "strings") -> list[str]:
    """A list of str: a lone str is refused, as it would be read one character at a time."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be a list of {what}, not a str: did you mean [{value!r}]?")
    if not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a list of {what}, not {_kind(value)} {value!r}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"{name}[{i}] must be a str, not {_kind(item)} {item!r}")
    return list(value)


def check_streams(name: str, value: object) -> tuple[str, str]:
    """A ``(stdout, stderr)`` pair of str, as ``outputs`` entries are."""
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(s, str) for s in value)
    ):
        raise TypeError(f"{name} must be a (stdout, stderr) tuple of two str, not {value!r}")
    return value[0], value[1]


def check_mapping(name: str, value: object, what: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of {what}, not {_kind(value)} {value!r}")
    return value


def check_error_code(value: object, unmodelled: bool = False) -> str:
    """An AWS error code such as ``ThrottlingException``: what botocore reports as ``Code``.

    One SSM's model declares or AWS sends anyway (``catalogue.error_codes``);
    any other, with ``unmodelled=True`` (a code of your own, served as given).
    """
    if not isinstance(value, str):
        raise TypeError(
            f"code must be an AWS error code (a str such as 'ThrottlingException'), "
            f"not {_kind(value)} {value!r}"
        )
    if not _ERROR_CODE.fullmatch(value):
        raise ValueError(
            f"code {value!r} is not shaped like an AWS error code: a capitalised word "
            "such as 'ThrottlingException', 'InvalidCommandId' or 'InternalServerError'"
        )
    if not isinstance(unmodelled, bool):
        raise TypeError(f"unmodelled must be True or False, not {_kind(unmodelled)} {unmodelled!r}")
    if not unmodelled and value not in error_codes.known():
        raise ValueError(
            f"code {value!r} is neither one of SSM's modelled errors nor an error AWS sends "
            f"every service{did_you_mean(value, error_codes.known())}; to serve a code of "
            "your own, pass unmodelled=True"
        )
    return value


def check_region(value: object) -> str:
    """A region name such as ``us-east-1``: shaped like AWS's names, within the model's
    S3Region lengths. The one region rule: the marker's ``region=`` reads it too."""
    low, high = model.limit("S3Region", "min"), model.limit("S3Region", "max")
    if not isinstance(value, str):
        raise TypeError(f"region must be a str such as 'us-east-1', not {_kind(value)} {value!r}")
    if not low <= len(value) <= high:
        raise ValueError(f"region {value!r} must be {low}..{high} characters, e.g. 'us-east-1'")
    if not _REGION.fullmatch(value):
        raise ValueError(f"region {value!r} is not an AWS region name such as 'eu-west-1'")
    return value


#: What a plugin record needs for the builder to read it at all.
_PLUGIN_CORE = ("Name", "StatusDetails")
#: Fields a plugin record may lack: a plugin that never started has no times.
_PLUGIN_OPTIONAL = ("ResponseStartDateTime", "ResponseFinishDateTime")


def check_plugins(
    plugins: object, *, strict: bool, name: str = "plugins"
) -> list[Mapping[str, Any]]:
    """``plugins=`` as a list of plugin records with every field AWS always sends.

    ``strict=False`` (``allow_inconsistent``) needs only ``Name`` and ``StatusDetails``.
    """
    if isinstance(plugins, (str, bytes, Mapping)) or not isinstance(plugins, Sequence):
        raise TypeError(
            f"{name} must be a list of plugin records (from factories.plugin()), "
            f"not {_kind(plugins)}"
        )
    members = model.shape("CommandPlugin").members
    required = [m for m in members if m not in _PLUGIN_OPTIONAL] if strict else _PLUGIN_CORE
    for i, record in enumerate(plugins):
        if not isinstance(record, Mapping):
            raise TypeError(f"{name}[{i}] must be a plugin record (a dict), not {_kind(record)}")
        missing = [key for key in required if key not in record]
        if missing:
            raise ValueError(
                f"{name}[{i}] lacks {', '.join(missing)}: build plugin records with "
                "factories.plugin(), which fills every field AWS sends"
            )
    return list(plugins)
