"""The fake's cost per call, measured against floors run in the same process.

Run: python benchmarks/bench_fake.py [--rounds 15]

1. One page of 50 invocations with details through a real boto3 client,
   against a bare ``before-send`` hook returning the same bytes, already
   serialized: that floor is botocore's own work (signing, parsing). The
   fake's answers skip botocore's walk of the bytes (``transports.parsed``),
   so it may come out below the floor.
2. The same page against moto's cost for a comparable call under
   ``mock_aws`` (``list_commands`` over 50 commands).
3. The ``ssm_invocations`` fixture's setup plus teardown, per test, from a
   real pytest run, against moto's ``mock_aws`` enter and exit.
4. The local endpoint's start (until it answers) and stop.

Rounds of the fake and of its floor alternate (see ``timing``); the ratio
printed is the median of the per-round ratios, with their spread. How a page
scales with the store is ``bench_scale.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import boto3
from botocore.handlers import BUILTIN_HANDLERS

from pytest_ssm_invocations import wire
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports import botocore_hook

sys.path.insert(0, str(Path(__file__).parent))
from timing import Comparison, interleaved, median_time


def per_call(fn: Callable[[], object], rounds: int, number: int) -> float:
    """Median seconds per call over ``rounds`` batches of ``number`` calls."""
    return median_time(fn, rounds=rounds, number=number)


def page_against_floor(rounds: int) -> Comparison:
    """The fake's page and the floor's, in alternating rounds through one client."""
    fake = FakeSSM(seed=1)
    handle = fake.add_command(instances=50, document="AWS-RunShellScript")
    params = {"CommandId": handle.command_id, "Details": True, "MaxResults": 50}
    body = wire.encode(fake.handle("ListCommandInvocations", params))
    botocore_hook.install()
    floor_on = [False]

    def floor_hook(request: Any, event_name: str = "", **_: Any) -> Any:
        if floor_on[0]:
            return botocore_hook.http_response(request.url, 200, body)
        return None

    BUILTIN_HANDLERS.insert(0, ("before-send", floor_hook))
    client = boto3.session.Session().client("ssm", region_name="us-east-1")

    def ours() -> object:
        floor_on[0] = False
        return client.list_command_invocations(**params)

    def floor() -> object:
        floor_on[0] = True
        return client.list_command_invocations(**params)

    try:
        with fake:  # as the fixture: the floor's plain bytes are still walked by botocore
            return interleaved(ours, floor, rounds=rounds, number=20)
    finally:
        BUILTIN_HANDLERS.remove(("before-send", floor_hook))


def moto_list_commands(rounds: int) -> float:
    from moto import mock_aws

    with mock_aws():
        client = boto3.session.Session().client("ssm", region_name="us-east-1")
        for _ in range(50):
            client.send_command(
                InstanceIds=["i-0123456789abcdef0"],
                DocumentName="AWS-RunShellScript",
                Parameters={"commands": ["uptime"]},
            )
        return per_call(lambda: client.list_commands(MaxResults=50), rounds, 20)


FIXTURE_SUITE = """
import pytest

@pytest.mark.parametrize("n", range(300))
def test_with(ssm_invocations, n):
    pass

@pytest.mark.parametrize("n", range(300))
def test_without(n):
    pass

@pytest.mark.parametrize("n", range(100))
def test_moto(n):
    from moto import mock_aws
    with mock_aws():
        pass
"""

TIMING_PLUGIN = """
import time, json, pytest
times = {}

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    start = time.perf_counter(); yield
    times.setdefault(item.originalname, []).append(time.perf_counter() - start)

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    start = time.perf_counter(); yield
    times[item.originalname][-1] += time.perf_counter() - start

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    start = time.perf_counter(); yield
    if item.originalname == "test_moto":
        times.setdefault("moto_call", []).append(time.perf_counter() - start)

def pytest_sessionfinish(session):
    with open("times.json", "w") as f:
        json.dump(times, f)
"""


def fixture_overhead() -> tuple[float, float]:
    import json

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        (path / "test_suite.py").write_text(FIXTURE_SUITE)
        (path / "timing.py").write_text(TIMING_PLUGIN)
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "timing", "-p", "no:randomly",
             "-p", "no:cacheprovider", "test_suite.py"],
            cwd=path, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": folder},
        )  # fmt: skip
        times = json.loads((path / "times.json").read_text())
    with_fixture = statistics.median(times["test_with"][20:])
    without = statistics.median(times["test_without"][20:])
    moto = statistics.median(times["moto_call"][10:])
    return with_fixture - without, moto


def server_start_stop(rounds: int) -> tuple[float, float]:
    import http.client

    from pytest_ssm_invocations.transports.http_server import SSMServer

    starts, stops = [], []
    for _ in range(rounds):
        begin = time.perf_counter()
        server = SSMServer(FakeSSM()).start()
        connection = http.client.HTTPConnection(server.host, server.port)
        connection.request("POST", "/", b"{}", {"X-Amz-Target": "AmazonSSM.ListCommands"})
        connection.getresponse().read()
        connection.close()
        starts.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        server.stop()
        stops.append(time.perf_counter() - begin)
    return statistics.median(starts), statistics.median(stops)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    page = page_against_floor(args.rounds)
    print(f"1. page of 50 with details through boto3 vs a bare before-send hook with the same "
          f"bytes: {page.describe()} (target <= 1.10)")  # fmt: skip
    moto = moto_list_commands(args.rounds)
    print(f"2. moto list_commands (50 commands) under mock_aws: {moto * 1e3:.2f} ms; "
          f"ours / moto = {page.ours / moto:.2f}")  # fmt: skip
    overhead, moto_enter_exit = fixture_overhead()
    print(f"3. ssm_invocations setup + teardown: {overhead * 1e3:.3f} ms per test (target <= 1 ms);"
          f" moto mock_aws enter + exit: {moto_enter_exit * 1e3:.2f} ms")  # fmt: skip
    start, stop = server_start_stop(args.rounds)
    print(
        f"4. local endpoint: start until it answers {start * 1e3:.1f} ms; stop {stop * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
