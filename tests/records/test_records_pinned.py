"""Invocation records pinned to a fixed seed's output, byte for byte, and errors word for word.

A test suite that builds ``invocation(seed=7)`` may assert on what it got, so a
faster builder must give the very same records: same values, same types, same
key order. Each case below is one call of ``factories.invocation`` (every
keyword it accepts, every status, every document, with and without details or
plugins); its record's ``repr`` is pinned by digest in
``records_pinned.json``, and each refused call by its exception's type and
message. After a deliberate change to the records, rewrite the file with
``PYTHONPATH=. python -m tests.test_records_pinned`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations import STATUS_CASES, factories
from pytest_ssm_invocations.catalogue.documents import DOCUMENTS
from pytest_ssm_invocations.catalogue.statuses import STATUS_VARIANTS
from pytest_ssm_invocations.records import seeding as _seeding

PINNED = Path(__file__).with_name("records_pinned.json")
WHEN = datetime(2024, 7, 7, 12, 0, 0, 123000, tzinfo=timezone.utc)
CID = "ef7fdfd8-9b57-4151-a15c-db9a12345678"
STATUSES = [c.status_details for c in STATUS_CASES] + [c.name for c in STATUS_VARIANTS]
Call = Callable[[], Any]


def _faker(seed: int) -> Faker:
    fake = Faker()
    fake.seed_instance(seed)
    return fake


def _default_rng(seed: int) -> Any:
    """A record built with neither seed nor rng, from the default generator set to ``seed``."""
    saved = _seeding._default
    _seeding.use(random.Random(seed))
    try:
        return factories.invocation()
    finally:
        _seeding.use(saved)


def _given_plugins(seed: int) -> Any:
    plugins = [
        factories.plugin(status="Success", name="PatchLinux", start=WHEN, seed=seed),
        factories.plugin(status="Failed", document="AWS-RunShellScript", start=WHEN, seed=seed),
    ]
    return factories.invocation(plugins=plugins, requested=WHEN, seed=seed)


def record_calls() -> Iterator[tuple[str, Call]]:
    """Every call whose record is pinned, by a readable label."""
    inv = factories.invocation
    for seed in range(200):
        yield f"seed={seed}", lambda s=seed: inv(seed=s)
    for status in STATUSES:
        for doc in DOCUMENTS:
            for seed in range(3):
                label = f"status={status} document={doc.name} seed={seed}"
                yield (
                    label,
                    lambda st=status, d=doc.name, s=seed: inv(status=st, document=d, seed=s),
                )
            for platform in doc.platforms:
                label = f"status={status} document={doc.name} platform={platform}"
                yield (
                    label,
                    lambda st=status, d=doc, p=platform: inv(
                        status=st, document=d, platform=p, seed=11
                    ),
                )
        yield (
            f"status={status} details=False",
            lambda st=status: inv(status=st, details=False, seed=5),
        )
        yield (
            f"status={status} stubber_safe",
            lambda st=status: inv(status=st, stubber_safe=True, s3_bucket="bucket", seed=6),
        )
    for seed in range(30):
        yield f"details=False seed={seed}", lambda s=seed: inv(details=False, seed=s)
        yield f"rng=Random({seed})", lambda s=seed: inv(rng=random.Random(s))
        yield f"rng=Faker({seed})", lambda s=seed: inv(rng=_faker(s))
        yield f"default rng {seed}", lambda s=seed: _default_rng(s)
        yield f"stdout seed={seed}", lambda s=seed: inv(stdout="hello\n" * s, seed=s)
        yield f"stderr seed={seed}", lambda s=seed: inv(stderr="oops " * (s * 40), seed=s)
        yield f"plugins seed={seed}", lambda s=seed: _given_plugins(s)
        yield (
            f"skip_wording seed={seed}",
            lambda s=seed: inv(document="AWS-RunPatchBaseline", skip_wording="platform", seed=s),
        )
        yield f"outputs seed={seed}", lambda s=seed: inv(
            s3_bucket="my-bucket", s3_key_prefix="runs/", cloudwatch=True,
            notification_arn="arn:aws:sns:us-east-1:123456789012:topic",
            notification_events=["Success", "Failed"], notification_type="Invocation",
            service_role="arn:aws:iam::123456789012:role/ssm", region="eu-west-1", seed=s,
        )  # fmt: skip
        yield (
            f"cloudwatch group seed={seed}",
            lambda s=seed: inv(
                cloudwatch="my-group", notification_arn="arn:aws:sns:eu-west-1:1:t", seed=s
            ),
        )
    fixed: dict[str, Call] = {
        "ids": lambda: inv(command_id=CID, instance_id="i-0123456789abcdef0", seed=1),
        "hybrid": lambda: inv(hybrid=True, seed=1),
        "names": lambda: inv(instance_name="web-01", comment="deploy", seed=1),
        "empty comment": lambda: inv(instance_name="", comment="", seed=2),
        "version ''": lambda: inv(document_version="", seed=1),
        "version 1": lambda: inv(document_version="1", seed=1),
        "version $LATEST": lambda: inv(document_version="$LATEST", seed=1),
        "requested": lambda: inv(requested=WHEN, seed=1),
        "response_code": lambda: inv(status="Failed", response_code=2, seed=1),
        "response_code success": lambda: inv(status="Success", response_code=0, seed=1),
        "stdout and stderr": lambda: inv(status="Failed", stdout="a", stderr="b", seed=3),
        "unicode output": lambda: inv(stdout="é" * 3000, seed=3),
        "region": lambda: inv(region="ap-southeast-2", s3_bucket="b" * 3, seed=4),
        "inconsistent": lambda: inv(
            status="Success", response_code=7, allow_inconsistent=True, seed=1
        ),
        "inconsistent output": lambda: inv(
            status="Pending", stdout="x", allow_inconsistent=True, seed=1
        ),
        "inconsistent plugins": lambda: inv(
            status="Failed",
            plugins=[{"Name": "p", "StatusDetails": "Success"}],
            allow_inconsistent=True,
            seed=1,
        ),
        "document object": lambda: inv(document=factories.document("AWS-RunShellScript"), seed=1),
        "status object": lambda: inv(status=STATUS_CASES[1], seed=1),
        "human status": lambda: inv(status="Delivery Timed Out", seed=1),
        "windows name": lambda: inv(document="AWS-RunPowerShellScript", seed=8),
        "stubber_safe details=False": lambda: inv(stubber_safe=True, details=False, seed=9),
    }
    yield from fixed.items()


def error_calls() -> Iterator[tuple[str, Call]]:
    """Calls a test author gets wrong, each refused with its own message."""
    inv = factories.invocation
    bad: dict[str, Call] = {
        "seed and rng": lambda: inv(seed=1, rng=random.Random(1)),
        "seed str": lambda: inv(seed="1"),  # type: ignore[arg-type]
        "seed bool": lambda: inv(seed=True),
        "rng object": lambda: inv(rng=object()),
        "hybrid": lambda: inv(hybrid="no", seed=1),  # type: ignore[arg-type]
        "details": lambda: inv(details=1, seed=1),  # type: ignore[arg-type]
        "stubber_safe": lambda: inv(stubber_safe=None, seed=1),  # type: ignore[arg-type]
        "allow_inconsistent": lambda: inv(allow_inconsistent=0, seed=1),  # type: ignore[arg-type]
        "stdout": lambda: inv(stdout=1, seed=1),  # type: ignore[arg-type]
        "stderr": lambda: inv(stderr=b"x", seed=1),  # type: ignore[arg-type]
        "plugins str": lambda: inv(plugins="x", seed=1),  # type: ignore[arg-type]
        "plugins item": lambda: inv(plugins=[1], seed=1),  # type: ignore[list-item]
        "plugins missing": lambda: inv(plugins=[{"Name": "x"}], seed=1),
        "document": lambda: inv(document="AWS-Nope", seed=1),
        "document type": lambda: inv(document=3, seed=1),  # type: ignore[arg-type]
        "status": lambda: inv(status="Done", seed=1),
        "status type": lambda: inv(status=3, seed=1),  # type: ignore[arg-type]
        "status vs plugins": lambda: inv(
            status="Success", plugins=[factories.plugin(status="Failed", seed=1)], seed=1
        ),
        "platform": lambda: inv(document="AWS-RunShellScript", platform="Windows", seed=1),
        "command_id": lambda: inv(command_id="abc", seed=1),
        "command_id type": lambda: inv(command_id=1, seed=1),  # type: ignore[arg-type]
        "instance_id": lambda: inv(instance_id="x-1", seed=1),
        "instance_name type": lambda: inv(instance_name=1, seed=1),  # type: ignore[arg-type]
        "instance_name long": lambda: inv(instance_name="n" * 300, seed=1),
        "comment long": lambda: inv(comment="c" * 101, seed=1),
        "comment type": lambda: inv(comment=1, seed=1),  # type: ignore[arg-type]
        "document_version": lambda: inv(document_version="v1", seed=1),
        "document_version type": lambda: inv(document_version=1, seed=1),  # type: ignore[arg-type]
        "requested naive": lambda: inv(requested=datetime(2024, 1, 1), seed=1),
        "requested type": lambda: inv(requested="2024", seed=1),  # type: ignore[arg-type]
        "response_code": lambda: inv(status="Failed", response_code=0, seed=1),
        "response_code success": lambda: inv(status="Success", response_code=1, seed=1),
        "response_code type": lambda: inv(response_code="1", seed=1),  # type: ignore[arg-type]
        "output for pending": lambda: inv(status="Pending", stdout="x", seed=1),
        "skip_wording": lambda: inv(skip_wording="old", seed=1),
        "plugin before request": lambda: inv(
            plugins=[factories.plugin(status="Success", start=WHEN, seed=1)],
            requested=datetime(2025, 1, 1, tzinfo=timezone.utc),
            seed=1,
        ),
        "unknown option": lambda: inv(s3_buckt="x", seed=1),  # type: ignore[call-arg]
        "region": lambda: inv(region="x", seed=1),
        "region type": lambda: inv(region=1, seed=1),  # type: ignore[arg-type]
        "s3_bucket short": lambda: inv(s3_bucket="ab", seed=1),
        "s3_key_prefix alone": lambda: inv(s3_key_prefix="p", seed=1),
        "cloudwatch type": lambda: inv(cloudwatch=1, seed=1),  # type: ignore[typeddict-item]
        "cloudwatch empty": lambda: inv(cloudwatch="", seed=1),
        "events alone": lambda: inv(notification_events=["All"], seed=1),
        "event": lambda: inv(notification_arn="arn", notification_events=["Nope"], seed=1),
        "events str": lambda: inv(notification_arn="arn", notification_events="All", seed=1),
        "type": lambda: inv(notification_arn="arn", notification_type="Nope", seed=1),
        "service_role type": lambda: inv(service_role=1, seed=1),  # type: ignore[typeddict-item]
        # Several mistakes at once: which one is named first is pinned too.
        "seed, then flags": lambda: inv(seed="1", hybrid="no"),  # type: ignore[arg-type]
        "flags, then streams": lambda: inv(stdout=1, details=1, seed=1),  # type: ignore[arg-type]
        "streams, then plugins": lambda: inv(plugins="x", stderr=1, seed=1),  # type: ignore[arg-type]
        "plugins, then document": lambda: inv(document="X", plugins=[1], seed=1),  # type: ignore[list-item]
        "document, then status": lambda: inv(status="X", document="X", seed=1),
        "status, then platform": lambda: inv(platform="X", status="X", seed=1),
        "platform, then ids": lambda: inv(command_id="x", platform="X", seed=1),
        "command, then instance id": lambda: inv(instance_id="x", command_id="x", seed=1),
        "instance id, then texts": lambda: inv(comment=1, instance_id="x", seed=1),  # type: ignore[arg-type]
        "name, then comment": lambda: inv(comment=1, instance_name=1, seed=1),  # type: ignore[arg-type]
        "comment, then version": lambda: inv(document_version=1, comment=1, seed=1),  # type: ignore[arg-type]
        "name length, then version": lambda: inv(
            document_version="x", instance_name="n" * 300, seed=1
        ),
        "texts, then requested": lambda: inv(requested="x", comment="c" * 101, seed=1),  # type: ignore[arg-type]
        "requested, then options": lambda: inv(s3_buckt=1, requested="x", seed=1),  # type: ignore[arg-type, call-arg]
        "options, then wording": lambda: inv(skip_wording="x", region="x", seed=1),
        "wording, then code": lambda: inv(response_code="x", skip_wording="x", seed=1),  # type: ignore[arg-type]
        "code, then output": lambda: inv(status="Pending", response_code=5, stdout="x", seed=1),
    }
    yield from bad.items()


def digest(record: Any) -> str:
    """The record's values, types and key order, in 16 hex digits."""
    return hashlib.sha256(repr(record).encode()).hexdigest()[:16]


def outcome(call: Call) -> str:
    try:
        result = call()
    except (TypeError, ValueError) as error:
        return f"{type(error).__name__}: {error}"
    return f"built {digest(result)}"


def current() -> dict[str, dict[str, str]]:
    return {
        "records": {label: digest(call()) for label, call in record_calls()},
        "errors": {label: outcome(call) for label, call in error_calls()},
    }


@pytest.fixture(scope="module")
def pinned() -> dict[str, dict[str, str]]:
    loaded: dict[str, dict[str, str]] = json.loads(PINNED.read_text())
    return loaded


def test_every_pinned_case_is_still_built(pinned: dict[str, dict[str, str]]) -> None:
    assert sorted(pinned["records"]) == sorted(label for label, _ in record_calls())
    assert sorted(pinned["errors"]) == sorted(label for label, _ in error_calls())


def test_records_are_those_the_seed_gave_before(pinned: dict[str, dict[str, str]]) -> None:
    changed = [
        label for label, call in record_calls() if digest(call()) != pinned["records"][label]
    ]
    assert changed == []


def test_refused_calls_keep_their_messages(pinned: dict[str, dict[str, str]]) -> None:
    for label, call in error_calls():
        assert outcome(call) == pinned["errors"][label], label


def test_a_changed_record_changes_its_digest() -> None:
    record = factories.invocation(seed=1)
    moved = dict(reversed(list(record.items())))
    assert digest(record) == digest(factories.invocation(seed=1))
    assert digest(moved) != digest(record)  # key order counts
    assert digest({**record, "Comment": record["Comment"] + " "}) != digest(record)


@given(st.integers(min_value=0, max_value=2**64))
def test_a_command_id_is_the_uuid4_of_its_128_drawn_bits(seed: int) -> None:
    drawn = random.Random(seed).getrandbits(128)
    assert factories.command_id(seed=seed) == str(uuid.UUID(int=drawn, version=4))


if __name__ == "__main__":
    PINNED.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {PINNED}")
