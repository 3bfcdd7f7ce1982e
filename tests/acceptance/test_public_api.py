"""The names the package exports, and what importing it costs a suite that never uses them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import pytest_ssm_invocations
from pytest_ssm_invocations import catalogue, fake
from pytest_ssm_invocations.service import faults
from pytest_ssm_invocations.store import clock

HEAVY = ("moto", "faker", "hypothesis", "botocore", "boto3")


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("FakeSSM", fake),
        ("CommandHandle", fake),
        ("Call", faults),
        ("FakeClock", clock),
        ("STATUS_CASES", catalogue.statuses),
        ("StatusCase", catalogue.statuses),
        ("status_case", catalogue.statuses),
    ],
)
def test_public_names_are_the_defining_modules_objects(name: str, module: object) -> None:
    assert getattr(pytest_ssm_invocations, name) is getattr(module, name)
    assert name in pytest_ssm_invocations.__all__
    assert name in dir(pytest_ssm_invocations)


def test_from_import_of_the_types_to_annotate_with() -> None:
    from pytest_ssm_invocations import Call, CommandHandle, FakeClock, FakeSSM

    with FakeSSM(seed=1, clock=FakeClock()) as ssm:
        handle = ssm.add_command(instances=1)
        ssm.handle("ListCommandInvocations", {})
    assert isinstance(handle, CommandHandle)
    assert isinstance(ssm.calls[0], Call)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'FakeSsm'"):
        pytest_ssm_invocations.FakeSsm  # noqa: B018


def _loaded_after(code: str) -> list[str]:
    heavy = f"[m for m in {HEAVY!r} if m in sys.modules]"
    probe = f"import json, sys\n{code}\nprint(json.dumps({heavy}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(out.stdout)
    return loaded


def test_importing_the_package_and_plugin_loads_nothing_heavy() -> None:
    assert _loaded_after("import pytest, pytest_ssm_invocations.plugin") == []
    assert _loaded_after("import pytest_ssm_invocations") == []
    assert _loaded_after("from pytest_ssm_invocations import STATUS_CASES") == []


def test_the_fake_loads_botocore_only_when_asked_for() -> None:
    loaded = _loaded_after("from pytest_ssm_invocations import FakeSSM")
    assert "moto" not in loaded
    assert "hypothesis" not in loaded
