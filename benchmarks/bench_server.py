"""The local endpoint's cost per keep-alive request, against botocore's own floors.

Run: python benchmarks/bench_server.py [--rounds 30] [--number 5]

A real boto3 client (``endpoint_url`` = the server) sends the same request
over one keep-alive connection to four answerers, in interleaved rounds
(the order rotates each round, so drift in machine load falls on all four):

- floor: a bare ``before-send`` hook answering the same bytes in process,
  already serialized: botocore's own work (signing, parsing), no socket;
- loopback: a bare socket server answering the same ready bytes with the same
  headers, with no HTTP parsing at all: what any server on 127.0.0.1 costs the
  client (urllib3 and http.client sending and reading the response, a thread
  switch each way), the second floor;
- http only: the server with the fake's work replaced by the answer built
  once (its JSON encoding kept): the server's HTTP layer alone;
- now: the server as it is (its request reading, the fake's handle + encode,
  the response head).

Two responses: a 50-invocation page with details (~45 KB) and one
GetCommandInvocation (~0.6 KB). Goal: now <= 1.6x the floor; for a small
response the loopback floor alone is above that, so the server's share is
shown against loopback as well.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any, cast

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import boto3
import botocore.session

from pytest_ssm_invocations import wire
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports import botocore_hook
from pytest_ssm_invocations.transports.http_server import CONTENT_TYPE, SSMServer


class Loopback:
    """A bare socket server answering ready bytes: the cost of any server on 127.0.0.1.

    Reads each request only as far as its framing needs (Content-Length), so
    it measures the client's side and the loopback hops, not HTTP parsing.
    """

    def __init__(self, answers: dict[str, bytes]) -> None:
        self._answers = answers
        self._listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            connection, _ = self._listener.accept()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        pending = b""
        while True:
            while b"\r\n\r\n" not in pending:
                if not (received := connection.recv(65536)):
                    return
                pending += received
            head, _, pending = pending.partition(b"\r\n\r\n")
            length = int(_field(rb"(?i)content-length: *([0-9]+)", head))
            while len(pending) < length:
                pending += connection.recv(65536)
            pending = pending[length:]
            operation = _field(rb"AmazonSSM\.(\w+)", head).decode()
            body = self._answers[operation]
            connection.sendall(_LOOPBACK_HEAD % len(body) + body)

    def stop(self) -> None:
        self._listener.close()


def _field(pattern: bytes, head: bytes) -> bytes:
    found = re.search(pattern, head)
    if found is None:
        raise ValueError(f"{pattern!r} not in the request head {head!r}")
    return found.group(1)


#: The real server's response head, with fixed values: the client parses the same fields.
_LOOPBACK_HEAD = (
    b"HTTP/1.1 200 OK\r\nServer: pytest-ssm-invocations Python/3\r\n"
    b"Date: Mon, 23 Nov 2026 16:00:00 GMT\r\nContent-Type: " + CONTENT_TYPE.encode()
    + b"\r\nContent-Length: %d\r\nx-amzn-RequestId: 7f1e5a52-0b3c-4f7e-9a43-2d1c6f0e8b11\r\n\r\n"
)  # fmt: skip


class ReadyAnswers:
    """Stands in for the fake: each operation's answer built once and handed back as is."""

    def __init__(self, fake: FakeSSM, requests: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.region = fake.region
        self._answers = {op: fake.handle(op, dict(params)) for op, params in requests.values()}

    def handle(self, operation: str, params: dict[str, Any], region: str | None = None) -> Any:
        return self._answers[operation]


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
    http_server = SSMServer(cast(FakeSSM, ReadyAnswers(fake, requests))).start()
    loopback = Loopback(answers)
    clients = {
        "floor": floor_client(answers),
        "loopback": boto3.client("ssm", region_name="us-east-1",
                                 endpoint_url=loopback.endpoint_url),
        "http only": boto3.client("ssm", region_name="us-east-1",
                                  endpoint_url=http_server.endpoint_url),
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
        http_server.stop()
        loopback.stop()


def report(name: str, size: int, samples: dict[str, list[float]]) -> None:
    floor = statistics.median(samples["floor"])
    print(f"{name} ({size:,} bytes), keep-alive, per request (median; min-max over rounds):")
    alone = statistics.median(samples.pop("fake alone"))
    print(f"  (the fake's own handle + encode, inside every server figure: {alone * 1e3:.2f} ms, "
          f"{alone / floor:.2f}x the floor)")  # fmt: skip
    for key, values in samples.items():
        middle = statistics.median(values)
        print(f"  {key:<9} {middle * 1e3:7.2f} ms  ({min(values) * 1e3:.2f}-"
              f"{max(values) * 1e3:.2f})  {middle / floor:5.2f}x the floor")  # fmt: skip
    for key in ("http only", "now"):
        print(f"  {key} / loopback: {against(samples[key], samples['loopback'])}")
    now = statistics.median(samples["now"])
    loopback = statistics.median(samples["loopback"])
    above = "" if loopback / floor <= 1.6 else " (the loopback floor alone is above it)"
    print(f"  goal now <= 1.6x the floor: {'met' if now / floor <= 1.6 else 'NOT met'}{above}")


def against(values: list[float], baseline: list[float]) -> str:
    """The ratio of medians, and its spread over rounds (each round against its own baseline)."""
    rounds = sorted(v / b for v, b in zip(values, baseline, strict=True))
    ratio = statistics.median(values) / statistics.median(baseline)
    return f"{ratio:.2f}x (per round {rounds[0]:.2f}-{rounds[-1]:.2f})"


if __name__ == "__main__":
    main()
