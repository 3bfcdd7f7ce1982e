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


#: What Java's ``.`` does not match (no DOTALL): its line terminators.
_LINE_TERMINATORS = "\\n\\r\\x85\\u2028\\u2029"
#: Java's ``$`` (no MULTILINE): the end, or before one final line terminator.
_JAVA_DOLLAR = f"(?=(?:\\r\\n|[{_LINE_TERMINATORS}])?\\Z)"
#: Java's ``\\Z``, the same as its ``$``; its ``\\z`` is Python's ``\\Z``.
_JAVA_ANCHORS = {"z": r"\Z", "Z": _JAVA_DOLLAR, "A": r"\A"}


@cache
def _categories() -> dict[str, str]:
    """Each Unicode general category (``Lu``, ``Zs``...) as the body of a character class."""
    import sys
    import unicodedata

    points: dict[str, list[int]] = {}
    for code in range(sys.maxunicode + 1):
        points.setdefault(unicodedata.category(chr(code)), []).append(code)
    return {category: _ranges(codes) for category, codes in points.items()}


def _ranges(codes: list[int]) -> str:
    spans: list[list[int]] = []
    for code in codes:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "".join(
        f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}" for low, high in spans
    )


def _unicode_class(name: str) -> str:
    """Java's ``\\p{name}`` (``L``, ``Lu``, ``Z``...) as the body of a Python class."""
    found = [body for category, body in _categories().items() if category.startswith(name)]
    if not found or len(name) > 2:
        raise ValueError(f"Java class \\p{{{name}}} is not translated")
    return "".join(found)


def java_regex(java_pattern: str) -> str:
    """``java_pattern`` as a Python pattern with the meaning ``java.util.regex`` gives it.

    To be compiled with ``re.ASCII`` (Java's ``\\w``, ``\\d``, ``\\s``, ``\\b`` and
    ``(?i)`` are ASCII-only) and used with ``fullmatch`` (``Matcher.matches``). What
    differs beyond that is rewritten: ``\\p{..}`` becomes the Unicode categories it names
    (``\\p{Z}`` is Zs, Zl and Zp: not TAB), ``.`` excludes every Java line terminator,
    and ``$`` also matches before a final one, as in Java. A construct not translated
    (``\\P``, ``&&``, a nested class) raises ``ValueError``: no model pattern uses one.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(java_pattern):
        char = java_pattern[i]
        if char == "\\":
            escape = java_pattern[i + 1]
            if escape == "p" and java_pattern[i + 2 : i + 3] == "{":
                end = java_pattern.index("}", i)
                body = _unicode_class(java_pattern[i + 3 : end])
                out.append(body if in_class else f"[{body}]")
                i = end + 1
            elif escape in "PQE" or (escape in _JAVA_ANCHORS and in_class):
                raise ValueError(f"Java construct \\{escape} is not translated: {java_pattern}")
            else:
                out.append(char + escape if in_class else _JAVA_ANCHORS.get(escape, char + escape))
                i += 2
            if in_class and (escape in "pwdsWDS") and java_pattern.startswith("-", i):
                out.append("\\-")  # Java: a - after a class is itself, never a range
                i += 1
            continue
        if in_class:
            if char == "[" or java_pattern.startswith("&&", i):
                raise ValueError(f"Java class operators are not translated: {java_pattern}")
            in_class = char != "]"
            out.append(char)
        elif char == "[":
            in_class = True
            opening = "[^" if java_pattern.startswith("[^", i) else "["
            out.append(opening)
            i += len(opening)
            if java_pattern.startswith("]", i):
                raise ValueError(f"a class opening with ] is not translated: {java_pattern}")
            continue
        elif char == ".":
            out.append(f"[^{_LINE_TERMINATORS}]")
        elif char == "$":
            out.append(_JAVA_DOLLAR)
        else:
            out.append(char)
        i += 1
    return "".join(out)


@cache
def compiled(java_pattern: str) -> re.Pattern[str]:
    """A model ``pattern`` compiled with Java's meaning: use it with ``fullmatch``.

    The service checks a value with Java's ``Matcher.matches`` (the whole value;
    the model's unanchored alternatives, ``resource-groups:Name``, say so), so a
    trailing newline, a non-ASCII digit or letter where ``\\w`` or ``\\d`` stands,
    or a TAB where ``\\p{Z}`` stands, is refused, as AWS refuses it.
    """
    return re.compile(java_regex(java_pattern), re.ASCII)


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
