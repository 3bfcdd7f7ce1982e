"""NextToken: opaque, not guessable, bound to the query it came from.

A token carries the position after the last item served (its sort key), the
number of the page it opens, and a digest of the query, all signed with the
fake's secret. Garbage, a tampered token, or a token from another query is
``InvalidNextToken``. Because the position is a sort key, not an offset, items
added between two pages never make an item of the first page repeat or one
that was there from the start go missing (see ``Store`` for the order).

Each fake signs with its own secret, so a token is good only on the fake that
issued it, even between two fakes built with the same seed. The secret is
derived from the seed, the start state of the fake's random generator (the
fixture's is seeded with the test's id) and how many fakes the test built from
the same ones before (``seeding.ordinal``, counted afresh in each test): a
test's tokens are the same byte for byte serially, under pytest-xdist and
pytest-randomly, whatever other tests built.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import random
import struct
from dataclasses import dataclass
from typing import Any

from ..records.seeding import ordinal
from .errors import invalid_next_token

_LAYOUT = struct.Struct(">BIqqq8s")
_VERSION = 1
_SIGNATURE = 16


@dataclass(frozen=True)
class Cursor:
    page: int
    """The page this token opens (the first call without a token reads page 1)."""
    key: tuple[int, int, int]
    """The sort key of the last item served (see ``Store``)."""


def query_digest(operation: str, region: str, query: dict[str, Any]) -> bytes:
    """What binds a token to its query: every parameter but NextToken and MaxResults."""
    bound = {k: v for k, v in query.items() if k not in ("NextToken", "MaxResults")}
    text = json.dumps([operation, region, bound], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).digest()[:8]


class TokenCodec:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()[:_SIGNATURE]

    def encode(self, cursor: Cursor, digest: bytes) -> str:
        payload = _LAYOUT.pack(_VERSION, cursor.page, *cursor.key, digest)
        return base64.b64encode(payload + self._sign(payload)).decode()

    def decode(self, token: str, digest: bytes) -> Cursor:
        try:
            raw = base64.b64decode(token.encode(), validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise invalid_next_token() from None
        payload, signature = raw[:-_SIGNATURE], raw[-_SIGNATURE:]
        if len(payload) != _LAYOUT.size or not hmac.compare_digest(signature, self._sign(payload)):
            raise invalid_next_token()
        version, page, *key, bound = _LAYOUT.unpack(payload)
        if version != _VERSION or bound != digest:
            raise invalid_next_token()
        return Cursor(page, (key[0], key[1], key[2]))


def fake_secret(seed: int, rng: random.Random | None = None) -> bytes:
    """A secret no other fake of this test has: seed, rng state and ordinal, hashed."""
    state = hashlib.sha256(repr(rng.getstate()).encode()).hexdigest() if rng else ""
    key = f"{seed}:{state}"
    return hashlib.sha256(f"pytest-ssm-invocations:{key}:{ordinal(key)}".encode()).digest()
