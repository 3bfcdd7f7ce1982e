"""Shared helpers of the kit's own tests."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest


@pytest.fixture(scope="session")
def ssm_model() -> Any:
    return botocore.session.get_session().get_service_model("ssm")


@pytest.fixture
def ssm_client() -> Any:
    """A real botocore SSM client with dummy credentials; never used against AWS."""
    session = botocore.session.get_session()
    return session.create_client(
        "ssm",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytester, with the one setting pytest-asyncio asks every project for."""
    monkeypatch.setenv("PYTEST_ADDOPTS", "-o asyncio_default_fixture_loop_scope=function")
    return pytester
