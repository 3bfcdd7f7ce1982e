"""What delivering a command's outputs into moto costs a test, against the same test
whose command asks for none.

Run: python benchmarks/bench_outputs.py [--rounds 11] [--number 40]

A test here is what a user's test under moto does: ``mock_aws`` entered, a
fresh fake, an S3 bucket made, a three-node command added, the fake clock moved
past its end, the command read back through an SSM client created in the test,
and the bucket listed. Side A's command sends its output to that bucket and to
CloudWatch Logs (each plugin's stdout written to S3 and to a log stream as the
clock passes its end); side B's asks for neither. Rounds alternate (see
``timing``). Printed: each side's median per-test cost and the ratio with its
spread.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import boto3
from moto import mock_aws
from timing import interleaved

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports import interception

REGION = "us-east-1"


def one_test(outputs: bool) -> None:
    with mock_aws(), FakeSSM(region=REGION) as fake:
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="outputs")
        where = {"s3_bucket": "outputs", "cloudwatch": True} if outputs else {}
        handle = fake.add_command(instances=3, stdout="done\n", progress="clock", **where)
        fake.clock.advance(hours=3)
        boto3.client("ssm", region_name=REGION).list_command_invocations(
            CommandId=handle.command_id, Details=True
        )
        s3.list_objects_v2(Bucket="outputs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--number", type=int, default=40)
    args = parser.parse_args()
    interception.start()  # what the plugin does as a pytest session starts, moto included
    test = interleaved(
        lambda: one_test(True), lambda: one_test(False), rounds=args.rounds, number=args.number
    )
    print(f"a test whose outputs go to S3 and CloudWatch Logs vs one without: {test.describe()}")
    print(f"   the deliveries add {(test.ours - test.base) * 1e3:.2f} ms per test")


if __name__ == "__main__":
    main()
