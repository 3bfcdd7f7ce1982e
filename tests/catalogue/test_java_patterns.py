"""The model's patterns mean what ``java.util.regex`` makes of them, checked the way AWS checks.

The table is written from Java's documented semantics (``java.util.regex.Pattern``:
``\\w`` is ``[a-zA-Z_0-9]``, ``\\d`` is ``[0-9]``, ``\\s`` is ``[ \\t\\n\\x0B\\f\\r]``;
``\\p{L}``, ``\\p{N}``, ``\\p{Z}`` are the Unicode categories, so ``\\p{Z}`` holds
SPACE, NO-BREAK SPACE and LINE SEPARATOR but not TAB; ``.`` matches no line
terminator; ``$`` matches at the end or before a final line terminator) and
``Matcher.matches``, which needs the whole value: never from the code under test.
"""

# Look-alike digits and letters are what these tables are about.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest

from pytest_ssm_invocations.catalogue import model

# (shape, value, does Java's Pattern.compile(pattern).matcher(value).matches() accept it)
TABLE = [
    ("InstanceId", "i-0123456789abcdef0", True),
    ("InstanceId", "i-01234567", True),
    ("InstanceId", "mi-0123456789abcdef0", True),
    ("InstanceId", "i-0123_567", True),  # _ is a word character
    ("InstanceId", "i-0123456789abcdef0\n", False),  # matches() leaves the \n unmatched
    ("InstanceId", "i-0123456789abcdef0\r\n", False),
    ("InstanceId", "i-0123456é", False),  # \w is ASCII
    ("InstanceId", "i-" + "१" * 17, False),  # Devanagari digits are not \w
    ("InstanceId", "i-" + "٠" * 8, False),
    ("InstanceId", "mi-" + "１" * 17, False),  # fullwidth digits
    ("InstanceId", "i-0123456\u0130", False),  # no \w without UNICODE_CHARACTER_CLASS
    ("InstanceId", "xi-01234567", False),  # ^ anchors; matches() needs the whole value
    ("InstanceId", "i-012345678", False),  # 9: neither 8 nor 17
    ("InstanceId", "", False),
    ("TargetKey", "tag:Role", True),
    ("TargetKey", "tag:Rôle", True),  # \p{L} is every letter
    ("TargetKey", "tag:Ro le", True),  # SPACE is Zs
    ("TargetKey", "tag:Ro\u00a0le", True),  # NO-BREAK SPACE is Zs
    ("TargetKey", "tag:Ro\u2028le", True),  # LINE SEPARATOR is Zl
    ("TargetKey", "tag:Ro\u3000le", True),  # IDEOGRAPHIC SPACE is Zs
    ("TargetKey", "tag:٣", True),  # \p{N} is every number
    ("TargetKey", "tag:Ro\tle", False),  # TAB is Cc, not \p{Z}
    ("TargetKey", "tag:Ro\nle", False),
    ("TargetKey", "tag:Ro\u0085le", False),  # NEXT LINE is Cc
    ("TargetKey", "tag:Ro\x0ble", False),
    ("TargetKey", "tag:Ro\u200ble", False),  # ZERO WIDTH SPACE is Cf
    ("TargetKey", "tag:Role;", False),
    ("TargetKey", "tag:Role\n", False),  # $ before a final \n, but matches() needs the \n eaten
    ("TargetKey", "resource-groups:Name", True),
    ("TargetKey", "resource-groups:ResourceTypeFilters", True),
    ("TargetKey", "", True),  # the class's * (the model's min length refuses it)
    ("DocumentVersion", "$LATEST", True),
    ("DocumentVersion", "$DEFAULT", True),
    ("DocumentVersion", "12", True),
    ("DocumentVersion", "0", False),
    ("DocumentVersion", "01", False),
    ("DocumentVersion", "$LATEST\n", False),
    ("DocumentVersion", "x$LATEST", False),  # found inside, but matches() needs the whole value
    ("DocumentVersion", "١", False),  # [0-9] is ASCII in any engine
    ("DocumentARN", "AWS-RunShellScript", True),
    ("DocumentARN", "arn:aws:ssm:us-east-1:123456789012:document/Mine", True),
    ("DocumentARN", "AWS-RunShellScript\n", False),
    ("DocumentARN", "ab", False),
    ("MaxConcurrency", "50", True),
    ("MaxConcurrency", "10%", True),
    ("MaxConcurrency", "100%", True),
    ("MaxConcurrency", "0", False),
    ("MaxConcurrency", "5\n", False),
    ("MaxConcurrency", "٣", False),
    ("MaxErrors", "0", True),
    ("MaxErrors", "0%", True),
    ("MaxErrors", "1\n", False),
    ("AlarmName", "alarm", True),
    ("AlarmName", " a", True),  # not all white space
    ("AlarmName", " ", False),
    ("AlarmName", "\t\n", False),
    ("AlarmName", "a\n", False),  # . matches no line terminator
    ("AlarmName", "a\r", False),
    ("AlarmName", "a\u2028", False),  # LINE SEPARATOR is a Java line terminator
    ("AlarmName", "a\u0085", False),
    ("AlarmName", "\u00a0", True),  # NO-BREAK SPACE is not \s: not "all white space"
]

#: A pattern only newer models carry (CloudConnectorIamRoleArn's, absent from
#: botocore 1.34's), checked on its text so that every supported botocore checks it.
ROLE_ARN = r"^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w-\/.@+=,]{1,1017}$"


@pytest.mark.parametrize(("shape", "value", "java"), TABLE, ids=repr)
def test_a_pattern_accepts_what_java_accepts(shape: str, value: str, java: bool) -> None:
    assert bool(model.pattern(shape).fullmatch(value)) is java


@pytest.mark.parametrize(
    ("value", "java"),
    [
        ("arn:aws:iam::123456789012:role/my-role", True),  # in [\w-\/], - is a literal
        ("arn:aws:iam::123456789012:role/a/b.c@d", True),
        ("arn:aws:iam::123456789012:role/r\u00e9le", False),  # \w is ASCII
        ("arn:aws:iam::12345678901\u0669:role/r", False),  # \d is ASCII
    ],
    ids=repr,
)
def test_a_class_after_a_shorthand_takes_its_dash_literally(value: str, java: bool) -> None:
    assert bool(model.compiled(ROLE_ARN).fullmatch(value)) is java


def test_every_pattern_of_the_model_translates() -> None:
    """Each compiles; a construct the translation does not know would raise instead."""
    service = model.service_model()
    patterns = {service.shape_for(n).metadata.get("pattern") for n in service.shape_names}
    for java in sorted(p for p in patterns if p):
        model.compiled(java)


@pytest.mark.parametrize("java", [r"\P{L}", r"[a&&b]", r"[[a]b]", r"\Qa\E"])
def test_a_construct_not_translated_is_refused(java: str) -> None:
    with pytest.raises(ValueError, match="not translated"):
        model.java_regex(java)
