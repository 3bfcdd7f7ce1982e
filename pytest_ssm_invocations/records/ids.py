"""Identifiers shaped like AWS's, drawn from a ``random.Random``."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence

from ..catalogue import model

#: What the service accepts as a CommandId (the model gives only its length).
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


#: The bits a version-4 UUID keeps of 128 random ones, and the version and variant it sets.
_UUID4_KEEP = ~(0xF000 << 64) & ~(0xC << 60)
_UUID4_SET = 0x4000 << 64 | 0x8 << 60


def command_id(rng: random.Random) -> str:
    """A version-4 UUID, as SendCommand returns for ``CommandId``."""
    h = (rng.getrandbits(128) & _UUID4_KEEP | _UUID4_SET).to_bytes(16, "big").hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def instance_id(rng: random.Random, *, hybrid: bool = False) -> str:
    """``i-`` and 17 hex digits (EC2), or ``mi-`` and 17 (hybrid managed node)."""
    return f"{'mi' if hybrid else 'i'}-{rng.getrandbits(68):017x}"


def check_instance_id(value: object, name: str = "instance_id") -> str:
    """The instance id if the service model's pattern accepts it, else ``ValueError``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__} {value!r}")
    if not model.pattern("InstanceId").fullmatch(value):
        raise ValueError(
            f"malformed instance id {value!r} ({name}): expected 'i-' and 8 or 17 characters "
            "(e.g. 'i-0123456789abcdef0') or 'mi-' and 17 (e.g. 'mi-0123456789abcdef0')"
        )
    return value


def check_command_id(value: object, name: str = "command_id") -> str:
    """The command id if it is a UUID as SendCommand returns (36 characters, 8-4-4-4-12 hex)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__} {value!r}")
    size = model.limit("CommandId", "max")
    if len(value) != size or not _UUID.fullmatch(value):
        raise ValueError(
            f"malformed command id {value!r} ({name}): expected a UUID of {size} characters, "
            "hex digits in groups 8-4-4-4-12, such as 'ef7fdfd8-9b57-4151-a15c-db9a12345678'"
        )
    return value


def is_uuid(text: str) -> bool:
    """A UUID as CommandId takes it: hex digits in groups 8-4-4-4-12."""
    return _UUID.fullmatch(text) is not None


def repeated(values: Sequence[str]) -> list[str]:
    """The values that occur more than once, sorted (empty when all are distinct)."""
    return sorted(value for value, count in Counter(values).items() if count > 1)


def unique_instance_ids(rng: random.Random, n: int, *, hybrid: bool) -> list[str]:
    """``n`` distinct instance ids drawn from ``rng``: :func:`instance_id`'s draws, in batches.

    A batch never draws past the n-th distinct id (each draw adds one at most),
    so the draws are those of drawing one at a time.
    """
    prefix, draw = ("mi-" if hybrid else "i-"), rng.getrandbits
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen.update(dict.fromkeys([f"{prefix}{draw(68):017x}" for _ in range(n - len(seen))]))
    return list(seen)
