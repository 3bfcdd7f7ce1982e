"""The SSM service model shipped with botocore: the one source of shapes, enums and limits.

Nothing in the kit copies an enum list or a length limit by hand; it asks here.
botocore is imported on first use so that loading the pytest plugin stays cheap.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any


@cache
def service_model() -> Any:
    """The ``ssm`` service model of the installed botocore (and of ``AWS_DATA_PATH``).

    Read by its path, as ``load_service_model`` does once it has listed every
    service it knows (that listing was most of the time spent here; botocore
    ships no SDK extras for SSM to merge).
    """
    from botocore.loaders import create_loader
    from botocore.model import ServiceModel

    loader = create_loader()
    version = loader.determine_latest_version("ssm", "service-2")
    return ServiceModel(loader.load_data(f"ssm/{version}/service-2"), "ssm")


def shape(name: str) -> Any:
    return service_model().shape_for(name)


@cache
def enum(shape_name: str) -> tuple[str, ...]:
    """The enum values of a string shape, in the model's order."""
    return tuple(shape(shape_name).enum)


@cache
def limit(shape_name: str, bound: str) -> int:
    """A ``min`` or ``max`` constraint of a shape."""
    return int(shape(shape_name).metadata[bound])


#: Java's Unicode classes, which the model's patterns use and Python's ``re`` lacks
#: (``TargetKey``: ``[\p{L}\p{Z}\p{N}_.:/=\-@]``): letters and numbers are ``\w``,
#: separators ``\s``; each appears only inside a character class.
_JAVA_CLASSES = {r"\p{L}": r"\w", r"\p{N}": r"\w", r"\p{Z}": r"\s"}


@cache
def compiled(java_pattern: str) -> re.Pattern[str]:
    """A model ``pattern`` compiled for Python's ``re``."""
    for java, python in _JAVA_CLASSES.items():
        java_pattern = java_pattern.replace(java, python)
    return re.compile(java_pattern)


@cache
def pattern(shape_name: str) -> re.Pattern[str]:
    """The ``pattern`` constraint of a string shape, compiled."""
    return compiled(shape(shape_name).metadata["pattern"])


def member(structure: str, name: str) -> Any:
    """A member shape of a structure, e.g. ``member("CommandPlugin", "Status")``."""
    return shape(structure).members[name]


def operation(name: str) -> Any:
    return service_model().operation_model(name)


@cache
def field_limit(structure: str, name: str, bound: str) -> int:
    """A ``min`` or ``max`` constraint of a structure's member, e.g. a plugin's Output."""
    return int(member(structure, name).metadata[bound])


@cache
def pattern_of(structure: str, name: str) -> re.Pattern[str]:
    """The ``pattern`` constraint of a structure's member, compiled."""
    return compiled(member(structure, name).metadata["pattern"])


#: How the model's docs state a member's default: "The default value is <code>50</code>."
_DEFAULT = re.compile(r"The default value is (?:<code>)?([\w%$-]+)")


@cache
def documented_default(structure: str, name: str) -> str | None:
    """The default a member's documentation states (MaxConcurrency: ``"50"``), if any."""
    found = _DEFAULT.search(member(structure, name).documentation or "")
    return found.group(1) if found else None


@cache
def max_results(operation_name: str) -> int:
    """The largest page ``operation_name`` serves: its MaxResults maximum (50)."""
    return int(operation(operation_name).input_shape.members["MaxResults"].metadata["max"])


@cache
def default_page_size(operation_name: str) -> int:
    """The page size when a request gives no MaxResults: the default its docs state
    (DescribeInstanceInformation: 10), else the maximum (unverified: ListCommandInvocations
    and ListCommands document none; the maximum is what real pages show)."""
    request = operation(operation_name).input_shape.name
    default = documented_default(request, "MaxResults")
    return int(default) if default is not None else max_results(operation_name)
