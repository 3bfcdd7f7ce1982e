"""A downstream suite on the fixture against the same suite on botocore's Stubber.

Run: python benchmarks/bench_suite.py [--rounds 3] [--tests 200]

The code under test reads a command's invocations with a paginator (two
pages of 50) and returns the failed nodes. Each of the 200 tests checks it
on a 100-invocation command, 10 of them Failed:

- with the ``ssm_invocations`` fixture: one ``add_command`` call;
- with ``Stubber``: two hand-built pages (records a test author would write,
  without the empty strings Stubber rejects) and their expected parameters.

Each suite is built two ways: a client created in each test, as code under
test creates its own (``boto3.client("ssm", region_name=...)``), and one
client per module. Each suite runs in its own pytest process (the Stubber
ones without this plugin), fixture and Stubber alternating, with compiled
modules cached (a first, untimed, run of each fills the cache); a figure is
the median, over rounds, of the ratio of their summed setup + call +
teardown times, in CPU seconds of the pytest process (``time.process_time``:
waiting for a core on a busy machine is not counted).

Then, in this process, in the fixture's hermetic environment: a client
created on a new default session (each test's) against one created on a
warm default session, and the other ways code creates one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from timing import Comparison, interleaved

CODE = '''
def failed_nodes(ssm, command_id):
    """The nodes where the command failed, read page by page."""
    paginator = ssm.get_paginator("list_command_invocations")
    failed = []
    config = {"PageSize": 50}
    pages = paginator.paginate(CommandId=command_id, Details=True, PaginationConfig=config)
    for page in pages:
        failed += [i["InstanceId"] for i in page["CommandInvocations"] if i["Status"] == "Failed"]
    return failed
'''

#: The client the tests read with: one per module, or created in each test.
CLIENTS = {
    "module": """
@pytest.fixture(scope="module")
def ssm():
    return boto3.session.Session().client("ssm", region_name="us-east-1")
""",
    "test": """
@pytest.fixture
def ssm():
    return boto3.client("ssm", region_name="us-east-1")
""",
}

COMMON = """
import boto3, pytest
from inventory import failed_nodes
"""

FAKE_SUITE = """
@pytest.mark.parametrize("n", range(TESTS))
def test_failed_nodes(ssm_invocations, ssm, n):
    handle = ssm_invocations.add_command(instances=100, statuses={"Success": 90, "Failed": 10})
    assert len(failed_nodes(ssm, handle.command_id)) == 10
"""

STUBBER_SUITE = """
import uuid
from datetime import datetime, timedelta, timezone
from botocore.stub import Stubber

T0 = datetime(2025, 5, 1, tzinfo=timezone.utc)


def invocation(command_id, n):
    status = "Failed" if n % 10 == 0 else "Success"
    start = T0 + timedelta(seconds=1)
    return {
        "CommandId": command_id,
        "InstanceId": f"i-{n:017x}",
        "DocumentName": "AWS-RunShellScript",
        "DocumentVersion": "$DEFAULT",
        "RequestedDateTime": T0,
        "Status": status,
        "StatusDetails": status,
        "CommandPlugins": [
            {
                "Name": "aws:runShellScript",
                "Status": status,
                "StatusDetails": status,
                "ResponseCode": 1 if status == "Failed" else 0,
                "ResponseStartDateTime": start,
                "ResponseFinishDateTime": start + timedelta(seconds=2),
                "Output": "failed to run commands: exit status 1" if status == "Failed" else "ok",
                "OutputS3Region": "us-east-1",
            }
        ],
        "CloudWatchOutputConfig": {"CloudWatchOutputEnabled": False},
    }


@pytest.mark.parametrize("n", range(TESTS))
def test_failed_nodes(ssm, n):
    command_id = str(uuid.UUID(int=n + 1))
    items = [invocation(command_id, i) for i in range(100)]
    expected = {"CommandId": command_id, "Details": True, "MaxResults": 50}
    with Stubber(ssm) as stub:
        stub.add_response(
            "list_command_invocations",
            {"CommandInvocations": items[:50], "NextToken": "page-2"},
            expected,
        )
        stub.add_response(
            "list_command_invocations",
            {"CommandInvocations": items[50:]},
            {**expected, "NextToken": "page-2"},
        )
        assert len(failed_nodes(ssm, command_id)) == 10
        stub.assert_no_pending_responses()
"""

TIMING_PLUGIN = """
import json, time, pytest
spent = []

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = time.process_time(); yield
    spent.append(time.process_time() - start)

def pytest_sessionfinish(session):
    with open("spent.json", "w") as f:
        json.dump(spent, f)
"""


#: Both suites run with test credentials in the environment, as CI jobs usually do.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def environment(folder: Path) -> dict[str, str]:
    """What both suites run with: test credentials, and compiled modules cached (in a
    folder of the run's own) as on a developer's machine, whatever this shell says."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {
        **env, **CREDENTIALS, "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
        "PYTHONPATH": os.pathsep.join([str(folder), *sys.path]),
    }  # fmt: skip


def run(folder: Path, suite: str, *flags: str) -> float:
    """Seconds the suite's tests took (setup, call, teardown), summed."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "timing", "-p", "no:randomly",
         "-p", "no:cacheprovider", *flags, suite],
        cwd=folder, capture_output=True, text=True, env=environment(folder),
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"{suite} failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return sum(json.loads((folder / "spent.json").read_text()))


def in_process(folder: Path, rounds: int) -> dict[str, float]:
    """One test's body without pytest, median ms: the fixture's way, the Stubber's, and two
    floors from a bare hook, no fake at all: botocore reading the same two pages' bytes, and
    the same two calls answered with empty pages (the HTTP-level path before any record)."""
    import importlib

    os.environ.update(CREDENTIALS)
    sys.path.insert(0, str(folder))
    import boto3
    from botocore.handlers import BUILTIN_HANDLERS

    from pytest_ssm_invocations import wire
    from pytest_ssm_invocations.fake import FakeSSM
    from pytest_ssm_invocations.transports import botocore_hook

    stubbed = importlib.import_module("test_stubber_module")
    failed_nodes = importlib.import_module("inventory").failed_nodes
    botocore_hook.install()
    bodies: list[bytes] = []

    def floor_hook(request: Any, **_: Any) -> Any:
        if bodies:
            return botocore_hook.http_response(request.url, 200, bodies.pop(0))
        return None

    BUILTIN_HANDLERS.insert(0, ("before-send", floor_hook))
    ssm = boto3.session.Session().client("ssm", region_name="us-east-1")

    def fake_test() -> None:
        with FakeSSM(seed=1) as fake:  # what the fixture does, but for the environment
            handle = fake.add_command(instances=100, statuses={"Success": 90, "Failed": 10})
            assert len(failed_nodes(ssm, handle.command_id)) == 10

    fake = FakeSSM(seed=1)
    handle = fake.add_command(instances=100, statuses={"Success": 90, "Failed": 10})
    query = {"CommandId": handle.command_id, "Details": True, "MaxResults": 50}
    first = fake.handle("ListCommandInvocations", query)
    second = fake.handle("ListCommandInvocations", {**query, "NextToken": first["NextToken"]})
    pages = [wire.encode(first), wire.encode(second)]

    def floor_test() -> None:
        bodies[:] = pages  # plain bytes: botocore parses them as it would AWS's
        assert len(failed_nodes(ssm, handle.command_id)) == 10

    empty = [b'{"CommandInvocations":[],"NextToken":"2"}', b'{"CommandInvocations":[]}']

    def empty_test() -> None:
        bodies[:] = empty
        assert failed_nodes(ssm, handle.command_id) == []

    tests = {
        "fixture": fake_test, "floor": floor_test, "empty": empty_test,
        "Stubber": stubbed.test_failed_nodes,
    }  # fmt: skip
    samples: dict[str, list[float]] = {name: [] for name in tests}
    for index in range(rounds * 10):
        for name, test in tests.items():
            start = time.process_time()
            test(ssm, index) if name == "Stubber" else test()  # type: ignore[operator]
            samples[name].append(time.process_time() - start)
    BUILTIN_HANDLERS.remove(("before-send", floor_hook))
    return {name: statistics.median(values) * 1e3 for name, values in samples.items()}


#: What ``_sessions.share`` replaces in botocore's ``Session``.
_SHARED_BY = ("_register_builtin_handlers", "_register_data_loader")


def client_creation(rounds: int) -> dict[str, Comparison]:
    """Creating an SSM client in the fixture's hermetic environment, each way code does,
    against ``boto3.client`` on a warm default session; and, once, as it cost before new
    sessions shared botocore's models (botocore's own way of making a session)."""
    import boto3
    import botocore.session
    import pytest

    from pytest_ssm_invocations.pytest_side import environment as _environment

    Session = botocore.session.Session
    own = {name: Session.__dict__[name] for name in _SHARED_BY}  # botocore's, before sharing
    patch = pytest.MonkeyPatch()
    _environment.isolate(patch, "us-east-1")
    warm = boto3.session.Session()
    region = {"region_name": "us-east-1"}

    def on_warm() -> None:
        boto3.DEFAULT_SESSION = warm
        boto3.client("ssm", **region)

    def on_new() -> None:
        boto3.DEFAULT_SESSION = None  # what each test under the fixture starts with
        boto3.client("ssm", **region)

    ways = {
        "boto3.client, a test's new default session": on_new,
        "boto3.Session().client": lambda: boto3.Session().client("ssm", **region),
        "botocore get_session().create_client": lambda: (
            botocore.session.get_session().create_client("ssm", **region)
        ),
    }
    try:
        found = {n: interleaved(w, on_warm, rounds=rounds, number=40) for n, w in ways.items()}
        for name, method in own.items():
            patch.setattr(Session, name, method)
        found["boto3.client, unshared (as before)"] = interleaved(
            on_new, on_warm, rounds=rounds, number=3
        )
    finally:
        patch.undo()
    return found


def _suites(tests: int) -> dict[str, str]:
    """File name -> text: the fixture's and the Stubber's suite, with each way of clients."""
    files = {}
    for kind, client in CLIENTS.items():
        files[f"test_fake_{kind}.py"] = COMMON + client + FAKE_SUITE
        files[f"test_stubber_{kind}.py"] = COMMON + client + STUBBER_SUITE
    return {name: text.replace("TESTS", str(tests)) for name, text in files.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tests", type=int, default=200)
    args = parser.parse_args()
    without = ("-p", "no:ssm_invocations")
    spent: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "inventory.py").write_text(CODE)
        (folder / "timing.py").write_text(TIMING_PLUGIN)
        for file, text in _suites(args.tests).items():
            (folder / file).write_text(text)
            spent[file] = []
            # Untimed: fills the bytecode cache, as a first run would.
            run(folder, file, *(without if "stubber" in file else ()))
        for index in range(args.rounds):
            for kind in CLIENTS:  # fixture, Stubber, Stubber, fixture, ...
                pair = [f"test_fake_{kind}.py", f"test_stubber_{kind}.py"]
                for file in pair if index % 2 == 0 else pair[::-1]:
                    spent[file].append(run(folder, file, *(without if "stubber" in file else ())))
        alone = in_process(folder, args.rounds)
    per_test = 1e3 / args.tests
    for kind, label in (("test", "a client created in each test"), ("module", "one per module")):
        ours, theirs = spent[f"test_fake_{kind}.py"], spent[f"test_stubber_{kind}.py"]
        ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
        target = "1.3" if kind == "test" else "1.2"
        print(f"{args.tests} tests, each a 100-invocation command read in 2 pages, {label}: "
              f"fixture {statistics.median(ours) * per_test:.2f} ms per test, Stubber "
              f"{statistics.median(theirs) * per_test:.2f} ms; ratio "
              f"{statistics.median(ratios):.2f} (rounds {min(ratios):.2f}..{max(ratios):.2f}; "
              f"target <= {target})")  # fmt: skip
    fixture, floor, stubber = alone["fixture"], alone["floor"], alone["Stubber"]
    print(f"one test's body without pytest: fixture {fixture:.2f} ms, botocore reading the same "
          f"bytes from a bare hook {floor:.2f} ms, Stubber {stubber:.2f} ms; fixture / Stubber "
          f"{fixture / stubber:.2f}, floor / Stubber {floor / stubber:.2f}, "
          f"fixture / floor {fixture / floor:.2f}")  # fmt: skip
    print(f"the same two calls answered with empty pages from a bare hook: "
          f"{alone['empty']:.2f} ms, "
          f"{alone['empty'] / stubber:.2f} of the Stubber's whole test")  # fmt: skip
    print("an SSM client created in the fixture's environment, against boto3.client on a warm "
          "default session (target: at most 0.5 ms more):")  # fmt: skip
    for way, found in client_creation(args.rounds * 3).items():
        print(f"  {way}: {found.describe()}, {(found.ours - found.base) * 1e3:+.2f} ms")


if __name__ == "__main__":
    main()
