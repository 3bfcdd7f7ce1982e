"""The pytest plugin: the seed option, the header line, markers and fixtures.

pytest imports this module at start-up in every suite that has the package
installed, so it imports only pytest and the standard library at module level.
"""

from __future__ import annotations

import random
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .catalogue.defaults import DEFAULT_REGION
from .records import seeding
from .service.paging import PAGING_MODES
from .store.clock import TIME_MODES

if TYPE_CHECKING:
    from .catalogue.statuses import StatusCase
    from .fake import FakeSSM
    from .pytest_side.options import MarkerOptions
    from .transports.http_server import SSMServer

SEED_INI = "ssm_invocations_seed"
STRICT_NETWORK_INI = "ssm_invocations_strict_network"
PAGING_INI = "ssm_invocations_paging"
TIME_INI = "ssm_invocations_time"
REAL_SENDS_INI = "ssm_invocations_real_sends"
_SEED = pytest.StashKey[int]()
_PAGING = pytest.StashKey[str]()
_TIME = pytest.StashKey[str]()
_OPTIONS = pytest.StashKey["MarkerOptions"]()
_FAKE = pytest.StashKey["FakeSSM"]()
#: Whether the test's call phase failed (a stopped poll loop is then reported by it alone).
_CALL_FAILED = pytest.StashKey[bool]()
#: The strict network guard as it was before this session turned it on (pytester nests).
_GUARD_BEFORE = pytest.StashKey[bool]()
#: The real-send guard as it was before this session's first test set it.
_SEND_GUARD_BEFORE = pytest.StashKey[bool]()


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
    group.addoption(
        "--ssm-strict-network",
        action="store_true",
        default=None,
        help="fail any SSM call made while no fake SSM is active, instead of letting it "
        f"reach AWS (default: ini {STRICT_NETWORK_INI})",
    )
    parser.addini(
        STRICT_NETWORK_INI,
        "fail SSM calls made with no fake SSM active (as --ssm-strict-network)",
        type="bool",
        default=False,
    )
    group.addoption(
        "--ssm-paging",
        action="store",
        choices=PAGING_MODES,
        default=None,
        help="page shapes of the fake's list answers: exact (full pages), aws (default: "
        "account-wide filtered queries get seeded short and empty pages, as AWS sends), "
        "chaos (every query gets seeded irregular pages); default: ini ssm_invocations_paging",
    )
    parser.addini(PAGING_INI, "paging mode (exact, aws, chaos) when --ssm-paging is not given")
    group.addoption(
        "--ssm-time",
        action="store",
        choices=TIME_MODES,
        default=None,
        help="time of the code under test while a fake SSM is active: real (default) or fake "
        "(its time.sleep, asyncio.sleep, time.time, time.monotonic and datetime.now on the "
        f"fake clock; needs time-machine); default: ini {TIME_INI}",
    )
    parser.addini(TIME_INI, "time mode (real, fake) when --ssm-time is not given")
    parser.addini(
        REAL_SENDS_INI,
        "let SendCommand and CancelCommand reach AWS from tests with no fake SSM active "
        "(default: they fail before signing, naming the fix)",
        type="bool",
        default=False,
    )


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


def _configured_paging(config: pytest.Config) -> str:
    mode = config.getoption("ssm_paging") or str(config.getini(PAGING_INI) or "").strip()
    if mode and mode not in PAGING_MODES:
        raise pytest.UsageError(
            f"{PAGING_INI} must be one of {', '.join(PAGING_MODES)}, not {mode!r}"
        )
    return mode or "aws"


def _configured_time(config: pytest.Config) -> str:
    mode = config.getoption("ssm_time") or str(config.getini(TIME_INI) or "").strip()
    if mode and mode not in TIME_MODES:
        raise pytest.UsageError(f"{TIME_INI} must be one of {', '.join(TIME_MODES)}, not {mode!r}")
    return mode or "real"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"ssm_invocations(seed=None, region={DEFAULT_REGION!r}, strict=True, paging=None, "
        "time=None): "
        "per-test options of pytest-ssm-invocations: seed fixes the records this test builds, "
        "region is the fake's default region, strict=False allows unconsumed page plans and "
        "faults, paging is exact, aws or chaos (the run's --ssm-paging otherwise), time is "
        "real or fake (the run's --ssm-time otherwise); options merge across module, class "
        "and function markers, the closest winning",
    )
    config.addinivalue_line(
        "markers",
        "ssm_status_cases(*statuses, terminal=None, reached_node=None): narrow the "
        "ssm_status_case fixture to these StatusDetails (as arguments or one tuple), or to "
        "(non-)terminal cases, or to cases that did (not) reach the node",
    )
    config.stash[_SEED] = _configured_seed(config)
    config.stash[_PAGING] = _configured_paging(config)
    config.stash[_TIME] = _configured_time(config)
    _start_guard(config)


def _start_guard(config: pytest.Config) -> None:
    """Turn the strict network guard on for this session, if asked (importing nothing else)."""
    wanted = config.getoption("ssm_strict_network")
    if wanted is None:
        wanted = config.getini(STRICT_NETWORK_INI)
    if wanted:
        from .transports import registry

        config.stash[_GUARD_BEFORE] = registry.strict_network()
        registry.set_strict_network(True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: every worker uses the controller's seed."""
    node.workerinput["ssm_seed"] = node.config.stash[_SEED]


def pytest_report_header(config: pytest.Config) -> list[str]:
    seed = config.stash[_SEED]
    paging = config.stash[_PAGING]
    return [
        f"ssm-invocations: seed {seed} (replay with --ssm-seed={seed})",
        f"ssm-invocations: paging {paging}, pages seeded by {seed} "
        f"(replay with --ssm-paging={paging} --ssm-seed={seed})",
        f"ssm-invocations: time {config.stash[_TIME]} (--ssm-time, or the marker's time=)",
    ]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Check the test's marker options once, and seed its records."""
    from .pytest_side.options import options_of

    try:
        options = item.stash[_OPTIONS] = options_of(item)
    except (TypeError, ValueError) as error:
        bad = str(error)
    else:
        bad = ""
    if bad:
        pytest.fail(bad, pytrace=False)  # outside the except: the message is told once
    from .transports import registry

    if _SEND_GUARD_BEFORE not in item.config.stash:  # pytester nests sessions: put it back
        item.config.stash[_SEND_GUARD_BEFORE] = registry.send_guard()
    real_sends = options.real_sends or bool(item.config.getini(REAL_SENDS_INI))
    registry.set_send_guard(not real_sends)
    if options.seed is not None:
        seeding.use(random.Random(options.seed))
    else:
        seeding.use(seeding.for_test(item.config.stash[_SEED], item.nodeid))


def _options_of(item: pytest.Item) -> MarkerOptions:
    from .pytest_side.options import options_of

    return item.stash.get(_OPTIONS, None) or options_of(item)


class _BadSelection(str):
    """The error of a malformed ``ssm_status_cases`` marker, failing that test alone."""


def _selected_cases(metafunc: pytest.Metafunc) -> list[StatusCase] | _BadSelection:
    from .catalogue.statuses import STATUS_CASES
    from .pytest_side.case_selection import MARKER, select

    marker = metafunc.definition.get_closest_marker(MARKER)
    if marker is None:
        return list(STATUS_CASES)
    try:
        return select(marker.args, marker.kwargs)
    except ValueError as error:
        return _BadSelection(error)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "ssm_status_case" in metafunc.fixturenames:
        cases = _selected_cases(metafunc)
        if isinstance(cases, _BadSelection):
            metafunc.parametrize("ssm_status_case", [cases], ids=["bad-marker"], indirect=True)
            return
        metafunc.parametrize(
            "ssm_status_case", cases, ids=[c.status_details for c in cases], indirect=True
        )


@pytest.fixture
def ssm_status_case(request: pytest.FixtureRequest) -> StatusCase:
    """Each StatusDetails case in turn (``Success``, ``DeliveryTimedOut``, ...).

    Narrow it with ``@pytest.mark.ssm_status_cases("Failed", "Undeliverable")``
    or ``@pytest.mark.ssm_status_cases(terminal=True)``; a marker that selects
    nothing, or names no case, fails the test.
    """
    if isinstance(request.param, _BadSelection):
        pytest.fail(str(request.param), pytrace=False)
    case: StatusCase = request.param
    return case


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test's report says when its calls looked in a region with no commands,
    and a poll loop stopped on a frozen clock is told in its message and where it polled.

    A test whose body raised (a failure, an expected failure) never reached the
    page plans, faults and outcomes it left unused: its report notes them,
    instead of a second error at teardown, as mock libraries do.
    """
    report = yield
    if call.when == "call":
        item.stash[_CALL_FAILED] = call.excinfo is not None
    fake = item.stash.get(_FAKE, None)
    if fake is not None and call.when == "call" and call.excinfo is not None:
        left = fake.unconsumed()
        if left:
            report.sections.append(("ssm_invocations: not used up", "\n".join(left)))
    if fake is not None and call.when == "call" and report.failed:
        from .pytest_side import hints

        if call.excinfo is not None:
            report.longrepr = hints.own_mistake(call.excinfo) or report.longrepr
        for title, hint in (
            ("regions", hints.region_hint(fake)),
            ("stubbed clients", hints.stubbed_hint(fake)),
            ("errors without a message", hints.blank_error_hint(fake)),
        ):
            if hint:
                report.sections.append((f"ssm_invocations: {title}", hint))
    return report


@pytest.fixture
def ssm_invocations(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeSSM]:
    """A fresh fake SSM, wired into every botocore client of the process.

    Add commands with ``ssm_invocations.add_command(...)``; shape answers with
    ``page_plan(...)`` and ``fail(...)``; move time with ``clock.advance(...)``;
    assert on ``calls``. Waiter and retry sleeps advance the fake clock instead
    of sleeping. The AWS environment is hermetic meanwhile: no profile, no
    config files, dummy keys, the fake's region. Options:
    ``@pytest.mark.ssm_invocations(seed=, region=, strict=, paging=, time=)``;
    with ``time="fake"`` the test's own sleeps and clock reads run on the fake clock.
    """
    from .fake import FakeSSM
    from .pytest_side import environment

    options = _options_of(request.node)
    seed = request.config.stash[_SEED] if options.seed is None else options.seed
    rng = seeding.for_test(seed, request.node.nodeid)
    paging = options.paging or request.config.stash[_PAGING]
    time = options.time or request.config.stash[_TIME]
    try:
        fake = FakeSSM(seed=seed, region=options.region, rng=rng, paging=paging, time=time)
    except ModuleNotFoundError as missing:
        pytest.fail(str(missing), pytrace=False)
    environment.isolate(monkeypatch, options.region)
    request.node.stash[_FAKE] = fake
    with fake:
        yield fake
    del request.node.stash[_FAKE]
    left = fake.unconsumed()
    # The test's own mistakes, told once: by the call that raised them, else here (they
    # were answered over the local endpoint, or the code under test swallowed them).
    mistakes = fake.service.polls.stopped + fake.service.outcomes.mistakes()
    fake.release()
    if mistakes and not request.node.stash.get(_CALL_FAILED, False):
        pytest.fail(mistakes[0], pytrace=False)
    if left and options.strict and not request.node.stash.get(_CALL_FAILED, False):
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
    from .transports.http_server import SERVER_CALL_LOG, SSMServer

    seed = request.config.stash[_SEED]
    rng = seeding.for_test(seed, "session-server")
    with SSMServer(FakeSSM(seed=seed, rng=rng, call_limit=SERVER_CALL_LOG)) as server:
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
    if _SEND_GUARD_BEFORE in config.stash:
        from .transports import registry

        registry.set_send_guard(config.stash[_SEND_GUARD_BEFORE])
    if _GUARD_BEFORE in config.stash:
        from .transports import registry

        registry.set_strict_network(config.stash[_GUARD_BEFORE])
    if config.stash.get(_INTERCEPTING, False):
        config.stash[_INTERCEPTING] = False
        from .transports import interception

        interception.stop()


def _start_intercepting(config: pytest.Config) -> None:
    if not config.stash.get(_INTERCEPTING, False):
        config.stash[_INTERCEPTING] = True
        from .transports import interception

        interception.start(_moto_backend_fake)


def _moto_backend_fake(region: str) -> Any:
    """A moto backend's own fake, for the moto bridge (``fake`` is imported when first needed)."""
    from .fake import moto_backend_fake

    return moto_backend_fake(region)
