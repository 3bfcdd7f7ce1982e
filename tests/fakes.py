"""Helpers to use a FakeSSM outside the fixture (Hypothesis examples, threads)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports import registry


@contextmanager
def active(fake: FakeSSM) -> Iterator[FakeSSM]:
    registry.activate(fake)
    try:
        yield fake
    finally:
        registry.deactivate(fake)


def client(region: str = "us-east-1", **config: Any) -> Any:
    from botocore.config import Config

    return boto3.session.Session().client(
        "ssm",
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(**config) if config else None,
    )


def walk(client: Any, **params: Any) -> list[dict[str, Any]]:
    paginator = client.get_paginator("list_command_invocations")
    return [i for page in paginator.paginate(**params) for i in page["CommandInvocations"]]
