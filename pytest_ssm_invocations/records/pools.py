"""Realistic strings (node names, comments) filled once by Faker.

Faker is slow per call and slow to import, so it fills pools once per process,
from a fixed seed; records then pick from the pools with their own generator.
The same seed therefore gives the same records for a given Faker version.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

POOL_SIZE = 256


@dataclass(frozen=True)
class Pools:
    instance_names: tuple[str, ...]
    windows_names: tuple[str, ...]
    """Windows nodes report ``HOST.WORKGROUP`` (EC2AMAZ-..., WIN-...), as real output shows."""
    comments: tuple[str, ...]


@cache
def pools() -> Pools:
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(20200219)

    def private_dns() -> str:
        ip = fake.ipv4_private(address_class="a").replace(".", "-")
        return f"ip-{ip}.ec2.internal"

    def server() -> str:
        role = fake.random_element(("web", "api", "worker", "db", "cache", "batch", "bastion"))
        env = fake.random_element(("prod", "staging", "dev"))
        return f"{role}-{env}-{fake.random_int(1, 40):02d}"

    def windows() -> str:
        host = fake.random_element(("EC2AMAZ-", "WIN-"))
        return f"{host}{fake.bothify('???????', letters='ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}"

    def comment() -> str:
        return fake.random_element(
            (
                # State Manager and maintenance windows write these (real captures).
                f"Apply association with id at creation time: {fake.uuid4()}",
                f"{fake.uuid4()}:{fake.uuid4()}",
                f"Deploy release {fake.numerify('#.##.#')}",
                f"Ticket {fake.bothify('OPS-####')}: {fake.bs()}",
                f"Nightly patch scan for {fake.random_element(('prod', 'staging'))}",
                f"Rotate {fake.word()} credentials",
                f"Restart {fake.random_element(('nginx', 'httpd', 'tomcat', 'app'))} "
                f"requested by {fake.user_name()}",
            )
        )[:100]

    return Pools(
        instance_names=tuple(private_dns() if i % 2 else server() for i in range(POOL_SIZE)),
        windows_names=tuple(f"{windows()}.WORKGROUP" for _ in range(POOL_SIZE)),
        comments=tuple(comment() for _ in range(POOL_SIZE)),
    )
