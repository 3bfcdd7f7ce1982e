"""Shared helpers of the kit's own tests: one way to build a client, one ``ssm`` fixture.

``client()`` is for the places a fixture cannot reach (Hypothesis examples,
module-scoped fakes, threads); tests take the ``ssm`` fixture. A test builds a
client some other way only where that form is what it tests, and says so.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import botocore.session
import pytest
from hypothesis import settings

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports import registry

# No test here is timed: Hypothesis's per-example deadline would be one, and on a
# shared, loaded machine the first example (which fills the record pools) can take
# longer than 200 ms. Performance is measured by the scripts in benchmarks/.
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")


@functools.cache
def _session() -> Any:
    """One boto3 session for every client: a new session reloads the SSM model (~0.1 s).

    Built on first use, during a test, so the kit's and moto's handlers are
    already in botocore's list when the session copies it.
    """
    return boto3.session.Session()


def client(region: str = "us-east-1", *, endpoint_url: str | None = None, **config: Any) -> Any:
    """A boto3 SSM client with dummy credentials; never used against AWS.

    ``config`` goes to ``botocore.config.Config`` (``retries={...}``, ...). Clients
    are thread-safe, sessions are not: build clients before starting threads.
    """
    from botocore.config import Config

    return _session().client(
        "ssm",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(**config) if config else None,
    )


@pytest.fixture
def ssm() -> Any:
    """A boto3 SSM client in us-east-1 with dummy credentials (``client()`` for others)."""
    return client()


@contextmanager
def active(fake: FakeSSM) -> Iterator[FakeSSM]:
    """Make ``fake`` answer every botocore client, where the fixture cannot."""
    registry.activate(fake)
    try:
        yield fake
    finally:
        registry.deactivate(fake)


def walk(ssm: Any, **params: Any) -> list[dict[str, Any]]:
    """Every ListCommandInvocations item, through botocore's paginator."""
    paginator = ssm.get_paginator("list_command_invocations")
    return [i for page in paginator.paginate(**params) for i in page["CommandInvocations"]]


@pytest.fixture(scope="session")
def ssm_model() -> Any:
    return botocore.session.get_session().get_service_model("ssm")


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytester, with the one setting pytest-asyncio asks every project for."""
    monkeypatch.setenv("PYTEST_ADDOPTS", "-o asyncio_default_fixture_loop_scope=function")
    return pytester


@pytest.fixture
def moto_started() -> Iterator[None]:
    """moto's ``mock_aws`` for one test, as a fixture: requested before or after
    ``ssm_invocations``, the two stop in the reverse order they started (both set
    AWS environment variables and restore them on exit)."""
    from moto import mock_aws

    with mock_aws():
        yield
