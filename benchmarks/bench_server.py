"""The local endpoint's cost per keep-alive request, against botocore's own floor.

Run: python benchmarks/bench_server.py [--rounds 30] [--number 5]

A real boto3 client (``endpoint_url`` = the server) sends the same request
over one keep-alive connection to three answerers, in interleaved rounds
(the order rotates each round, so drift in machine load falls on all three):

- floor: a bare ``before-send`` hook answering the same bytes in process,
  already serialized: botocore's own work (signing, parsing), no socket;
- before: the server as it was, Nagle on and headers and body written
  separately (the client's delayed ACK then holds every response under
  ~64 KB for ~40 ms);
- now: the server as it is, Nagle off and each response written at once.

Two responses: a 50-invocation page with details (~45 KB) and one
GetCommandInvocation (~0.6 KB). Goal: now <= 1.6x the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import boto3
import botocore.session

from pytest_ssm_invocations import wire
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports import botocore_hook
from pytest_ssm_invocations.transports.http_server import CONTENT_TYPE, SSMServer


def as_before(server: SSMServer) -> SSMServer:
    """Give ``server`` the old response path: Nagle on, headers then body, two writes."""
    current: Any = server._httpd.RequestHandlerClass

    class Before(current):  # type: ignore[misc, valid-type]
        disable_nagle_algorithm = False

        def _send(self, status: int, body: bytes, content_type: str = CONTENT_TYPE,
                  close: bool = False) -> None:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server._httpd.RequestHandlerClass = Before
    return server


def floor_client(answers: dict[str, bytes]) -> Any:
    """A client answered in process by a hook returning ready bytes: botocore alone."""

    def floor_hook(request: Any, **_: Any) -> Any:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        return botocore_hook.http_response(request.url, 200, answers[target.split(".")[-1]])

    core = botocore.session.get_session()
    core.register("before-send.ssm", floor_hook)
    return boto3.session.Session(botocore_session=core).client("ssm", region_name="us-east-1")


def bound(call: Callable[..., object], params: dict[str, Any]) -> Callable[[], object]:
    return lambda: call(**params)


def fake_alone(fake: FakeSSM, operation: str) -> Callable[..., object]:
    return lambda **params: wire.encode(fake.handle(operation, params))


def timed(call: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        call()
    return (time.perf_counter() - start) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--number", type=int, default=5, help="requests per round")
    args = parser.parse_args()

    fake = FakeSSM(seed=1)
    handle = fake.add_command(instances=50, document="AWS-RunShellScript")
    requests: dict[str, tuple[str, dict[str, Any]]] = {
        "page of 50 with details": (
            "ListCommandInvocations",
            {"CommandId": handle.command_id, "Details": True, "MaxResults": 50},
        ),
        "GetCommandInvocation": (
            "GetCommandInvocation",
            {"CommandId": handle.command_id, "InstanceId": handle.instance_ids[0]},
        ),
    }
    answers = {op: wire.encode(fake.handle(op, dict(params))) for op, params in requests.values()}
    now_server = SSMServer(fake).start()
    before_server = as_before(SSMServer(fake)).start()
    clients = {
        "floor": floor_client(answers),
        "before": boto3.client("ssm", region_name="us-east-1",
                               endpoint_url=before_server.endpoint_url),
        "now": boto3.client("ssm", region_name="us-east-1", endpoint_url=now_server.endpoint_url),
    }  # fmt: skip
    try:
        for name, (operation, params) in requests.items():
            method = {"ListCommandInvocations": "list_command_invocations",
                      "GetCommandInvocation": "get_command_invocation"}[operation]  # fmt: skip
            calls = {k: bound(getattr(c, method), params) for k, c in clients.items()}
            calls["fake alone"] = bound(fake_alone(fake, operation), params)
            samples: dict[str, list[float]] = {k: [] for k in calls}
            for call in calls.values():
                call()  # connect, warm up
            order = list(calls)
            for _ in range(args.rounds):
                for key in order:
                    samples[key].append(timed(calls[key], args.number))
                order = order[1:] + order[:1]
            report(name, len(answers[operation]), samples)
    finally:
        now_server.stop()
        before_server.stop()


def report(name: str, size: int, samples: dict[str, list[float]]) -> None:
    floor = statistics.median(samples["floor"])
    print(f"{name} ({size:,} bytes), keep-alive, per request (median; min-max over rounds):")
    alone = statistics.median(samples.pop("fake alone"))
    print(f"  (the fake's own handle + encode, inside every server figure: {alone * 1e3:.2f} ms, "
          f"{alone / floor:.2f}x the floor)")  # fmt: skip
    for key, values in samples.items():
        middle = statistics.median(values)
        print(f"  {key:<6} {middle * 1e3:7.2f} ms  ({min(values) * 1e3:.2f}-"
              f"{max(values) * 1e3:.2f})  {middle / floor:5.2f}x the floor")  # fmt: skip
    ratio = statistics.median(samples["now"]) / floor
    print(f"  goal now <= 1.6x the floor: {'met' if ratio <= 1.6 else 'NOT met'}")


if __name__ == "__main__":
    main()
