"""A hermetic AWS environment for the test: the developer's own setup stays out.

A profile whose ``credential_process`` fails (an expired SSO login), another
default region, endpoint overrides or real keys in ``~/.aws`` would otherwise
decide what the test's clients do. While the ``ssm_invocations`` fixture is
active botocore sees no profile, no config or credentials file, dummy keys,
no instance metadata and the fixture's region; everything is restored after.
"""

from __future__ import annotations

import os

import pytest

#: Who the process is and where its requests go; unset for the test.
UNSET = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)
_UNSET = frozenset(UNSET)
#: ``AWS_ENDPOINT_URL`` and every per-service ``AWS_ENDPOINT_URL_<SERVICE>``.
ENDPOINT_PREFIX = "AWS_ENDPOINT_URL"


def hermetic(region: str) -> dict[str, str]:
    """The variables set for the test: dummy keys, no files, no metadata, ``region``."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def isolate(monkeypatch: pytest.MonkeyPatch, region: str) -> None:
    """Make the environment hermetic until ``monkeypatch`` is undone.

    boto3's default session (``boto3.client(...)``) keeps the credentials and
    region it resolved first, so the test gets a fresh one and the old one is
    put back afterwards. Sessions made meanwhile cost about what a warm one
    does (:mod:`._sessions`): they share the models botocore already read.
    """
    import boto3

    from . import sessions

    environ = os.environ
    for name in [n for n in environ if n in _UNSET or n.startswith(ENDPOINT_PREFIX)]:
        monkeypatch.delenv(name)
    for name, value in hermetic(region).items():
        if environ.get(name) != value:  # already so (a CI job's test keys): nothing to undo
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    sessions.share(monkeypatch)
