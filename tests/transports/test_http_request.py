"""Reading a request head: strict to RFC 9112, never more lenient than http.client's reading."""

from __future__ import annotations

import http.client
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_ssm_invocations.transports.http_request import (
    MAX_FIELDS,
    MAX_LINE_BYTES,
    Rejected,
    Request,
    read_request,
)

LINE = b"POST / HTTP/1.1\r\n"


def _read(data: bytes) -> Request | None:
    return read_request(io.BufferedReader(io.BytesIO(data)))  # type: ignore[arg-type]


def _rejected(data: bytes) -> Rejected:
    with pytest.raises(Rejected) as raised:
        _read(data)
    return raised.value


def test_a_signed_sdk_request_head_is_read() -> None:
    head = _read(
        LINE + b"Host: 127.0.0.1:8080\r\nX-Amz-Target:AmazonSSM.ListCommands \t\r\n"
        b"Content-Length: 2\r\nAuthorization: AWS4-HMAC-SHA256 Credential=a/20260101/eu-west-1/"
        b"ssm/aws4_request, SignedHeaders=host, Signature=ab\r\n\r\n{}"
    )
    assert head is not None
    assert (head.method, head.target, head.version) == ("POST", "/", (1, 1))
    assert head.fields["host"] == "127.0.0.1:8080"
    assert head.fields["x-amz-target"] == "AmazonSSM.ListCommands"
    assert head.fields["content-length"] == "2"
    assert head.keep_alive
    assert not head.expects_continue


def test_bare_lf_line_ends_are_read_as_rfc_9112_allows() -> None:
    head = _read(b"POST / HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}")
    assert head is not None
    assert head.fields == {"host": "x", "content-length": "2"}


def test_repeated_fields_are_joined_as_one_list() -> None:
    head = _read(LINE + b"Host: x\r\nTransfer-Encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n")
    assert head is not None
    assert head.fields["transfer-encoding"] == "gzip, chunked"


@pytest.mark.parametrize(
    ("fields", "keep_alive"),
    [
        (b"", True),
        (b"Connection: close\r\n", False),
        (b"Connection: TE, Close\r\n", False),
        (b"Connection: keep-alive\r\n", True),
        (b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", False),
    ],
)
def test_keep_alive_follows_the_connection_options(fields: bytes, keep_alive: bool) -> None:
    head = _read(LINE + b"Host: x\r\n" + fields + b"\r\n")
    assert head is not None
    assert head.keep_alive is keep_alive


def test_http_1_0_closes_unless_asked_to_keep_alive_and_needs_no_host() -> None:
    plain = _read(b"POST / HTTP/1.0\r\n\r\n")
    kept = _read(b"POST / HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\n\r\n")
    assert plain is not None
    assert kept is not None
    assert not plain.keep_alive
    assert kept.keep_alive
    assert not kept.expects_continue  # a 1.0 client knows nothing of 100 Continue


def test_expect_100_continue_is_seen() -> None:
    head = _read(LINE + b"Host: x\r\nExpect: 100-Continue\r\n\r\n")
    assert head is not None
    assert head.expects_continue


@pytest.mark.parametrize(
    "data",
    [b"", b"POST / HT", LINE + b"Host: x\r\nContent-Len", LINE + b"Host: x\r\n", b"\r\n\r\n"],
    ids=["nothing", "cut in the request line", "cut in a field", "no blank line", "two blanks"],
)
def test_a_head_the_client_never_finished_is_nothing_to_answer(data: bytes) -> None:
    assert _read(data) is None


def test_one_empty_line_before_the_request_line_is_skipped() -> None:
    head = _read(b"\r\n" + LINE + b"Host: x\r\n\r\n")
    assert head is not None
    assert head.method == "POST"


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        (b"POST  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Bad request syntax"),
        (b"POST\t/ HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Bad request syntax"),
        (b"POST /a\tb HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Bad request syntax"),
        (b"POST /\xe9 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Bad request syntax"),
        (b"GET /\r\n\r\n", 400, "Bad request syntax"),
        (b"POST / http/1.1\r\nHost: x\r\n\r\n", 400, "Bad request syntax"),
        (b"POST / HTTP/1.10\r\nHost: x\r\n\r\n", 400, "Bad request syntax"),
        (b"POST / HTTP/1.1 \r\nHost: x\r\n\r\n", 400, "Bad request syntax"),
        (b"\x00\x01GARBAGE\r\n\r\n", 400, "Bad request syntax"),
        (b"POST / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "Invalid HTTP version (2.0)"),
        (b"POST / HTTP/0.9\r\nHost: x\r\n\r\n", 505, "Invalid HTTP version (0.9)"),
        (LINE + b"Host : x\r\n\r\n", 400, "Bad header line"),
        (LINE + b"Host: x\r\n folded\r\n\r\n", 400, "Bad header line"),
        (LINE + b" Host: x\r\n\r\n", 400, "Bad header line"),
        (LINE + b"Host: x\r\nX-A: a\rb\r\n\r\n", 400, "Bad header line"),
        (LINE + b"Host: x\r\nX-A: a\x00b\r\n\r\n", 400, "Bad header line"),
        (LINE + b"Host: x\r\nX-A: a\x7fb\r\n\r\n", 400, "Bad header line"),
        (LINE + b"Host: x\r\n: empty name\r\n\r\n", 400, "Bad header line"),
        (LINE + b"Host: x\r\nX(A): 1\r\n\r\n", 400, "Bad header line"),
        (LINE + b"Host: x\r\nno colon\r\n\r\n", 400, "Bad header line"),
        (LINE + b"Host: x\r\nHost: y\r\n\r\n", 400, "one Host header"),
        (LINE + b"Content-Length: 2\r\n\r\n{}", 400, "must have a Host header"),
        (b"POST /" + b"a" * MAX_LINE_BYTES + b" HTTP/1.1\r\n\r\n", 414, "Request-URI Too Long"),
        (LINE + b"X-Long: " + b"a" * MAX_LINE_BYTES + b"\r\n\r\n", 431, "Line too long"),
        (LINE + b"X: 1\r\n" * (MAX_FIELDS + 1) + b"\r\n", 431, "Too many headers"),
    ],
)
def test_a_malformed_head_is_refused_with_its_status(data: bytes, status: int, words: str) -> None:
    rejected = _rejected(data)
    assert rejected.status == status
    assert words in rejected.message


def test_the_refusal_shows_the_bad_line_cut_short() -> None:
    message = _rejected(b"POST " + b"x " * 5000 + b"\r\n\r\n").message
    assert message.startswith("Bad request syntax ('POST x x")
    assert len(message) < 150


def test_the_limits_themselves_are_accepted() -> None:
    fields = b"".join(b"X-%d: 1\r\n" % n for n in range(MAX_FIELDS - 2))
    longest = b"X-Long: " + b"a" * (MAX_LINE_BYTES - 10) + b"\r\n"
    head = _read(LINE + b"Host: x\r\n" + fields + longest + b"\r\n")
    assert head is not None
    assert len(head.fields) == MAX_FIELDS
    assert len(head.fields["x-long"]) == MAX_LINE_BYTES - 10


# -- hostile bytes --------------------------------------------------------------

#: Bytes that matter to a head's grammar, and some that must never pass.
_HOSTILE = b"aZ09-_.!~:;, \t\r\n\x00\x01\x0b\x0c\x1c\x7f\x80\xff()/@\"'"
_byte = st.sampled_from([bytes([b]) for b in _HOSTILE])
_junk = st.lists(_byte, max_size=24).map(b"".join)
_allowed = b"aZ09-_.!~:;, \t\x80\xff()/@\"'"
_value = st.one_of(
    st.lists(st.sampled_from([bytes([b]) for b in _allowed]), max_size=24).map(b"".join), _junk
)
_name = st.sampled_from([b"Host", b"Content-Length", b"X-Amz-Target", b"Connection", b"X-A"])
_named_line = st.tuples(
    _name,
    st.sampled_from([b":", b": ", b": ", b":\t", b" :"]),
    _value,
    st.sampled_from([b"\r\n", b"\r\n", b"\n"]),
).map(b"".join)
_line = st.one_of(
    _named_line, st.tuples(_junk, st.sampled_from([b"\r\n", b"\n", b"\r"])).map(b"".join)
)
_head = st.tuples(
    st.sampled_from([LINE, b"GET / HTTP/1.0\r\n", b"POST / HTTP/1.1\n"]),
    st.lists(_line, max_size=8).map(b"".join),
    st.sampled_from([b"\r\n", b"\n", b""]),
).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(data=st.one_of(_head, st.binary(max_size=200)))
def test_any_bytes_are_a_head_nothing_or_a_refusal_never_a_crash(data: bytes) -> None:
    outcome = _outcome(data)
    if isinstance(outcome, Rejected):
        assert outcome.status in {400, 414, 431, 505}
        assert outcome.message
    elif outcome is not None:
        assert all(name == name.lower() for name in outcome.fields)
        for value in outcome.fields.values():  # RFC 9110 5.5: no CR, LF, NUL or other controls
            assert all(c == "\t" or " " <= c <= "~" or c >= "\x80" for c in value), value


def _outcome(data: bytes) -> Request | Rejected | None:
    try:
        return _read(data)
    except Rejected as rejected:
        return rejected


@settings(max_examples=400, deadline=None)
@given(
    fields=st.lists(_named_line, max_size=6).map(b"".join),
)
def test_never_more_lenient_than_http_clients_reading(fields: bytes) -> None:
    """Whatever is accepted, http.client's reading (the server's before) reads the same way."""
    data = fields + b"\r\n"
    head = _outcome(b"POST / HTTP/1.0\r\n" + data)  # 1.0: a head without Host is read too
    if not isinstance(head, Request):
        return
    before = http.client.parse_headers(io.BytesIO(data))
    for name, value in head.fields.items():
        said = [v.strip(" \t") for v in before.get_all(name) or []]
        assert ", ".join(said) == value, (name, data)
