"""The pytest plugin: the seed option, the header line, markers and fixtures.

pytest imports this module at start-up in every suite that has the package
installed, so it imports only pytest and the standard library at module level.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import pytest

from . import _seeding

if TYPE_CHECKING:
    from .catalogue.statuses import StatusCase

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
        "ssm_invocations(seed=None): per-test options of pytest-ssm-invocations; "
        "seed fixes the records this test builds",
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
