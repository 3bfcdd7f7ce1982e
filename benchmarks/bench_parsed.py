"""Why ``transports.parsed`` writes a function per structure instead of looping over members.

Run: python benchmarks/bench_parsed.py [--rounds 15]

The in-process answer to a page of 50 invocations with details is turned
into what botocore's parser would return, once per page. Side A builds each
structure's converter as closures over a tuple of (wire name, member name,
inner converter), looping at run time; side B is the shipped converter,
whose source is written once per structure with one lookup and one test per
member. Both are checked equal first; rounds alternate (see ``timing``).
The project keeps generated source only while it is more than 10% faster.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import botocore.session

sys.path.insert(0, str(Path(__file__).parent))
from timing import interleaved

from pytest_ssm_invocations import FakeSSM
from pytest_ssm_invocations.transports import parsed


def closure_structure(shape: Any) -> parsed.Convert:
    """The same converter as ``parsed._structure``, as a loop over its members."""
    steps = []
    for name, member in shape.members.items():
        steps.append((member.serialization.get("name", name), name, parsed._compile(member)))

    def convert(value: Any, timestamp: Any) -> Any:
        get = value.get
        out = {}
        for key, name, inner in steps:
            item = get(key)
            if item is not None:
                out[name] = item if inner is None else inner(item, timestamp)
        return out

    return convert


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rounds", type=int, default=15)
    rounds = arguments.parse_args().rounds
    fake = FakeSSM(seed=1)
    command = fake.add_command(instances=50)
    params = {"CommandId": command.command_id, "Details": True}
    answer = fake.handle("ListCommandInvocations", params, "us-east-1")
    model = botocore.session.get_session().get_service_model("ssm")
    shape = model.operation_model("ListCommandInvocations").output_shape
    reader = parsed.timestamp_reader(lambda seconds: datetime.fromtimestamp(seconds, timezone.utc))

    generated = parsed._compile(shape)
    shipped = parsed._structure
    parsed._structure = closure_structure
    try:
        closures = parsed._compile(shape)
    finally:
        parsed._structure = shipped
    assert generated is not None
    assert closures is not None
    assert closures(answer, reader) == generated(answer, reader)
    result = interleaved(
        lambda: closures(answer, reader), lambda: generated(answer, reader),
        rounds=rounds, number=300,
    )  # fmt: skip
    print(f"a page of 50 with details, closures vs generated source: {result.describe(1e6, 'us')}")
    print("generated source is kept while closures cost more than 1.10x")


if __name__ == "__main__":
    main()
