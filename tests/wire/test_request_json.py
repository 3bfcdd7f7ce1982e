"""Request bodies as parameters: deep nesting refused whatever the recursion limit."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations.wire.requests import (
    MAX_DEPTH,
    Malformed,
    nests_deeper,
    parameters,
)

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text('[]{}"\\ab\u00e9', max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text('[{"', max_size=3), inner),
    max_leaves=40,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@given(value=_JSON, limit=st.integers(0, 8))
def test_the_depth_measured_is_the_json_s_own_brackets_in_strings_aside(
    value: Any, limit: int
) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert nests_deeper(text, limit) is (_depth(value) > limit)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "Start of structure or map"),
        (b'{"a": ' * 200 + b"1" + b"}" * 200, "Start of structure or map"),
        (b"[1, 2]", "Start of list found where not expected"),
        (b"{not json", "Start of structure or map"),
        (b'{"a": "\xff"}', "Start of structure or map"),
    ],
)
def test_bodies_that_are_no_json_object_are_refused_with_aws_s_words(
    body: bytes, message: str
) -> None:
    with pytest.raises(Malformed, match=message):
        parameters(body)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le"])
def test_bodies_in_any_json_encoding_are_measured_as_their_text(encoding: str) -> None:
    """In UTF-16 and UTF-32 a byte of a character can be a quote's (U+0122 is 22 01 in
    UTF-16-LE): the depth is measured on the decoded text, not on the bytes."""
    ordinary = {"Parameters": {"commands": ["echo '[[[{{{' \u0122"]}, "MaxResults": 5}
    assert parameters(json.dumps(ordinary, ensure_ascii=False).encode(encoding)) == ordinary
    deep = '["\u0122", ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "]"
    with pytest.raises(Malformed, match="Start of structure or map"):
        parameters(deep.encode(encoding))


def test_an_empty_body_is_no_parameters() -> None:
    assert parameters(b"") == {}


def test_a_deep_body_is_refused_by_the_server_even_with_the_recursion_limit_raised() -> None:
    """With the limit raised, ``json.loads`` of this body overflows the C stack: the process
    died. Run apart, so that a regression fails this test instead of the whole session."""
    script = textwrap.dedent(
        """
        import http.client, json, sys
        from pytest_ssm_invocations import FakeSSM
        from pytest_ssm_invocations.transports.http_server import SSMServer

        sys.setrecursionlimit(200_000)
        with SSMServer(FakeSSM(seed=1)) as server:
            deep = '["\u0122", ' + "[" * 100_000
            for body in (b"[" * 100_000, deep.encode("utf-16-le"), deep.encode("utf-32"), b"{}"):
                connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
                connection.request("POST", "/", body=body, headers={
                    "X-Amz-Target": "AmazonSSM.ListCommandInvocations",
                    "Content-Type": "application/x-amz-json-1.1",
                })
                response = connection.getresponse()
                print(response.status, json.loads(response.read()).get("__type"))
                connection.close()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:4] == [*["400 SerializationException"] * 3, "200 None"]
