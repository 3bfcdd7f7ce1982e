"""The pytest plugin: the seed option, the header line, markers and fixtures.

pytest imports this module at start-up in every suite that has the package
installed, so it imports only pytest and the standard library at module level.
"""

from __future__ import annotations

import importlib.util
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import _seeding

if TYPE_CHECKING:
    from .catalogue.statuses import StatusCase
    from .fake import FakeSSM
    from .transports.http_server import SSMServer

SEED_INI = "ssm_invocations_seed"
_SEED = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ssm-invocations", "AWS SSM Run Command records and fake")
    group.addoption(
        "--ssm-seed",
        action="store",
        type=int,
        default=None,
        metavar="N",
        help="seed for the records of every test (default: ini ssm_invocations_seed, "
        "else random; the seed in use is shown in the header)",
    )
    parser.addini(SEED_INI, "seed for ssm-invocations records when --ssm-seed is not given")


def _configured_seed(config: pytest.Config) -> int:
    worker_input = getattr(config, "workerinput", None)
    if worker_input is not None and "ssm_seed" in worker_input:
        return int(worker_input["ssm_seed"])
    seed = config.getoption("ssm_seed")
    if seed is not None:
        return int(seed)
    ini = str(config.getini(SEED_INI) or "").strip()
    if ini:
        try:
            return int(ini)
        except ValueError:
            raise pytest.UsageError(f"{SEED_INI} must be an integer, not {ini!r}") from None
    return random.SystemRandom().randrange(2**32)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ssm_invocations(seed=None, region='us-east-1', strict=True): per-test options of "
        "pytest-ssm-invocations: seed fixes the records this test builds, region is the "
        "fake's default region, strict=False allows unconsumed page plans and faults",
    )
    config.addinivalue_line(
        "markers",
        "ssm_status_cases(*statuses, terminal=None, reached_node=None): narrow the "
        "ssm_status_case fixture to these StatusDetails, or to (non-)terminal cases",
    )
    config.stash[_SEED] = _configured_seed(config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker uses the controller's seed."""
    node.workerinput["ssm_seed"] = node.config.stash[_SEED]


def pytest_report_header(config: pytest.Config) -> str:
    seed = config.stash[_SEED]
    return f"ssm-invocations: seed {seed} (replay with --ssm-seed={seed})"


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("ssm_invocations")
    seed = marker.kwargs.get("seed") if marker else None
    if seed is not None:
        _seeding.use(random.Random(seed))
    else:
        _seeding.use(_seeding.for_test(item.config.stash[_SEED], item.nodeid))


def _selected_cases(metafunc: pytest.Metafunc) -> list[StatusCase]:
    from .catalogue.statuses import STATUS_CASES, status_case

    marker = metafunc.definition.get_closest_marker("ssm_status_cases")
    if marker is None:
        return list(STATUS_CASES)
    unknown = set(marker.kwargs) - {"terminal", "reached_node"}
    if unknown:
        raise pytest.UsageError(
            f"ssm_status_cases got unknown options {sorted(unknown)}; "
            "valid: statuses as arguments, terminal=, reached_node="
        )
    cases = [status_case(s) for s in marker.args] if marker.args else list(STATUS_CASES)
    for option in ("terminal", "reached_node"):
        wanted = marker.kwargs.get(option)
        if wanted is not None:
            cases = [c for c in cases if getattr(c, option) is wanted]
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ssm_status_case" in metafunc.fixturenames:
        cases = _selected_cases(metafunc)
        metafunc.parametrize(
            "ssm_status_case", cases, ids=[c.status_details for c in cases], indirect=True
        )


@pytest.fixture
def ssm_status_case(request: pytest.FixtureRequest) -> StatusCase:
    """Each StatusDetails case in turn (``Success``, ``DeliveryTimedOut``, ...).

    Narrow it with ``@pytest.mark.ssm_status_cases("Failed", "Undeliverable")``
    or ``@pytest.mark.ssm_status_cases(terminal=True)``.
    """
    case: StatusCase = request.param
    return case


MARKER_OPTIONS = ("seed", "region", "strict")


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("ssm_invocations")
    options = dict(marker.kwargs) if marker else {}
    unknown = sorted(set(options) - set(MARKER_OPTIONS))
    if unknown or (marker and marker.args):
        raise pytest.UsageError(
            f"ssm_invocations marker got {unknown or list(marker.args)}; "
            f"valid keyword options: {', '.join(MARKER_OPTIONS)}"
        )
    return options


def _credentials_configured() -> bool:
    env = os.environ
    if env.get("AWS_ACCESS_KEY_ID") or env.get("AWS_PROFILE"):
        return True
    shared = env.get("AWS_SHARED_CREDENTIALS_FILE", str(Path.home() / ".aws" / "credentials"))
    return Path(shared).is_file()


@pytest.fixture
def ssm_invocations(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeSSM]:
    """A fresh fake SSM, wired into every botocore client of the process.

    Add commands with ``ssm_invocations.add_command(...)``; shape answers with
    ``page_plan(...)`` and ``fail(...)``; move time with ``clock.advance(...)``;
    assert on ``calls``. Waiter and retry sleeps advance the fake clock instead
    of sleeping. Options: ``@pytest.mark.ssm_invocations(seed=, region=, strict=)``.
    """
    import botocore.endpoint
    import botocore.waiter

    from .clock import AsyncSleepShim, SleepShim
    from .fake import FakeSSM
    from .transports import registry
    from .transports.retry_clock import patch_adaptive_retries

    options = _marker_options(request)
    seed = options.get("seed", request.config.stash[_SEED])
    region = options.get("region", "us-east-1")
    fake = FakeSSM(seed=seed, region=region, rng=_seeding.for_test(seed, request.node.nodeid))
    if not _credentials_configured():
        # Signing needs credentials; these never sign anything that leaves the machine.
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")):
        monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    shim = SleepShim(fake.clock, time)
    monkeypatch.setattr(botocore.endpoint, "time", shim)
    monkeypatch.setattr(botocore.waiter, "time", shim)
    if importlib.util.find_spec("aiobotocore") is not None:
        import asyncio

        import aiobotocore.endpoint
        import aiobotocore.waiter

        async_shim = AsyncSleepShim(fake.clock, asyncio)
        monkeypatch.setattr(aiobotocore.endpoint, "asyncio", async_shim)
        monkeypatch.setattr(aiobotocore.waiter, "asyncio", async_shim)
    patch_adaptive_retries(monkeypatch.setattr, fake.clock)
    registry.activate(fake)
    try:
        yield fake
    finally:
        registry.deactivate(fake)
    left = fake.unconsumed()
    if left and options.get("strict", True):
        pytest.fail(
            "ssm_invocations: registered but not used up: "
            + "; ".join(left)
            + " (use @pytest.mark.ssm_invocations(strict=False) to allow this)",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def ssm_invocations_session_server(request: pytest.FixtureRequest) -> Iterator[SSMServer]:
    """A local SSM endpoint (127.0.0.1, free port) for the whole session, with its own fake.

    ``.endpoint_url`` for SDK clients, ``.env()`` for a subprocess such as the
    AWS CLI, ``.fake`` for its state.
    """
    from .fake import FakeSSM
    from .transports.http_server import SSMServer

    seed = request.config.stash[_SEED]
    with SSMServer(FakeSSM(seed=seed, rng=_seeding.for_test(seed, "session-server"))) as server:
        yield server


@pytest.fixture
def ssm_invocations_server(
    ssm_invocations_session_server: SSMServer, ssm_invocations: FakeSSM
) -> Iterator[SSMServer]:
    """The local endpoint serving this test's ``ssm_invocations`` fake.

    Out-of-process clients see exactly what in-process clients see:
    ``subprocess.run(["aws", "ssm", ...], env={**os.environ, **server.env()})``.
    """
    server = ssm_invocations_session_server
    previous, server.fake = server.fake, ssm_invocations
    try:
        yield server
    finally:
        server.fake = previous


# -- interception: the transports go in at the start of the session, out at its end --

_INTERCEPTING = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """As early as a plugin can: before conftests create botocore sessions at import."""
    _start_intercepting(early_config)


def pytest_sessionstart(session: pytest.Session) -> None:
    """For a plugin registered too late for the hook above (``pytest_plugins`` in a conftest)."""
    _start_intercepting(session.config)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_INTERCEPTING, False):
        config.stash[_INTERCEPTING] = False
        from . import _interception

        _interception.stop()


def _start_intercepting(config: pytest.Config) -> None:
    if not config.stash.get(_INTERCEPTING, False):
        config.stash[_INTERCEPTING] = True
        from . import _interception

        _interception.start()
