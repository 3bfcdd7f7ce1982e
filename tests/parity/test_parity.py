"""Every real capture in ``snapshots/`` replayed against the fake: the same answers.

Each snapshot file is one capture of AWS's own answers (its source and date are
in the file; ``snapshots/SOURCES.md`` lists them). ``parity.compare`` says what
"the same" means: volatile members (times, tokens) present but not compared,
ids bound, map keys in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_ssm_invocations.parity.replay import fake_client, replay_on_fake
from pytest_ssm_invocations.parity.report import report
from pytest_ssm_invocations.parity.snapshots import load, load_all

SNAPSHOTS = Path(__file__).parent / "snapshots"
FILES = sorted(SNAPSHOTS.glob("*.json"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_the_fake_answers_as_aws_did(path: Path) -> None:
    result = replay_on_fake(load(path), fake_client)
    assert result.same, report([result], "the in-process fake")


def test_every_snapshot_is_listed_with_its_source() -> None:
    listed = (SNAPSHOTS / "SOURCES.md").read_text(encoding="utf-8")
    for snapshot in load_all([SNAPSHOTS]):
        assert f"{snapshot.name}.json" in listed, snapshot.name
        assert snapshot.source in listed, snapshot.name
