"""Realistic strings (node names, comments), drawn once per process from a fixed seed.

Records pick from these pools with their own generator, so the same seed
gives the same records on every machine and with every version of the
dependencies. The standard library fills them in about a millisecond (Faker
took a third of a second, the first time a test built a record).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from functools import cache

POOL_SIZE = 256

_ROLES = ("web", "api", "worker", "db", "cache", "batch", "bastion")
_ENVIRONMENTS = ("prod", "staging", "dev")
_SERVICES = ("nginx", "httpd", "tomcat", "app")
_SECRETS = ("database", "api", "service", "replication", "deploy", "backup")
_PEOPLE = ("jdoe", "asmith", "mgarcia", "wchen", "pkumar", "lnguyen", "ops-bot", "deploy-bot")
_TICKETS = (
    "patch kernel on the web tier", "rotate TLS certificates", "clear disk on batch hosts",
    "upgrade the SSM agent", "restart stuck workers", "collect logs for the incident",
    "apply the CIS baseline", "drain nodes before maintenance",
)  # fmt: skip
_WINDOWS_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass(frozen=True)
class Pools:
    instance_names: tuple[str, ...]
    windows_names: tuple[str, ...]
    """Windows nodes report ``HOST.WORKGROUP`` (EC2AMAZ-..., WIN-...), as real output shows."""
    comments: tuple[str, ...]


@cache
def pools() -> Pools:
    r = random.Random(20200219)

    def uuid4() -> str:
        return str(uuid.UUID(int=r.getrandbits(128), version=4))

    def private_dns() -> str:
        return f"ip-10-{r.randrange(256)}-{r.randrange(256)}-{r.randrange(1, 255)}.ec2.internal"

    def server() -> str:
        return f"{r.choice(_ROLES)}-{r.choice(_ENVIRONMENTS)}-{r.randint(1, 40):02d}"

    def windows() -> str:
        host = r.choice(("EC2AMAZ-", "WIN-"))
        return host + "".join(r.choice(_WINDOWS_LETTERS) for _ in range(7))

    def comment() -> str:
        forms = (
            # State Manager and maintenance windows write these (real captures).
            lambda: f"Apply association with id at creation time: {uuid4()}",
            lambda: f"{uuid4()}:{uuid4()}",
            lambda: f"Deploy release {r.randint(1, 9)}.{r.randint(0, 99):02d}.{r.randint(0, 9)}",
            lambda: f"Ticket OPS-{r.randint(1000, 9999)}: {r.choice(_TICKETS)}",
            lambda: f"Nightly patch scan for {r.choice(('prod', 'staging'))}",
            lambda: f"Rotate {r.choice(_SECRETS)} credentials",
            lambda: f"Restart {r.choice(_SERVICES)} requested by {r.choice(_PEOPLE)}",
        )
        return r.choice(forms)()[:100]

    return Pools(
        instance_names=tuple(private_dns() if i % 2 else server() for i in range(POOL_SIZE)),
        windows_names=tuple(f"{windows()}.WORKGROUP" for _ in range(POOL_SIZE)),
        comments=tuple(comment() for _ in range(POOL_SIZE)),
    )
