"""Snapshot files: every member checked on reading, the file and the member named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pytest_ssm_invocations.parity.snapshots import SnapshotError, dump, load, load_all

GOOD: dict[str, Any] = {
    "title": "an unknown command id",
    "source": "https://docs.aws.amazon.com/systems-manager/latest/APIReference/",
    "date": "2024-01-31",
    "steps": [
        {
            "operation": "CancelCommand",
            "request": {"CommandId": "00000000-0000-0000-0000-000000000000"},
            "error": {"Code": "InvalidCommandId", "Message": ""},
        }
    ],
}


def written(tmp_path: Path, data: Any, name: str = "s.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_a_snapshot_reads_back_as_it_was_written(tmp_path: Path) -> None:
    snapshot = load(written(tmp_path, GOOD))
    assert (snapshot.name, snapshot.region, snapshot.steps[0].error) == (
        "s", "us-east-1", {"Code": "InvalidCommandId", "Message": ""},
    )  # fmt: skip
    dump(snapshot, tmp_path / "again.json")
    assert load(tmp_path / "again.json") == snapshot


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "31/01/2024"}, r"'date' is '31/01/2024', not a date as YYYY-MM-DD"),
        ({"date": "2020-13-45"}, r"'date' is '2020-13-45', not a date"),
        ({"date": "\uff12\uff10\uff12\uff10-01-01"}, r"not a date"),  # full-width digits
        ({"region": "../evil"}, r"'region': region '../evil' is not an AWS region name"),
        ({"nodes": [{"InstanceId": "i-1234567890abcdef0"}] * 2},
         r"'nodes' name \['i-1234567890abcdef0'\] more than once"),
        ({"documents": [{"Name": "doc", "PlatformTypes": [["Linux"]]}]},
         r"PlatformTypes is \[\['Linux'\]\]: a list of one or more of"),
        ({"documents": [{"Name": "doc", "PlatformTypes": []}]}, r"PlatformTypes is \[\]"),
        ({"documents": [{"Name": "a b"}]}, r"documents\[0\].Name is 'a b', not a document name"),
        ({"outcome": {"statuses": ["Sucess"]}}, r"'outcome'.statuses: unknown StatusDetails"),
        ({"steps": [{"operation": "CancelCommand", "request": {"Bogus": 1},
                     "response": {}}]},
         r"steps\[0\].request has unknown members \['Bogus'\]; it may have \['CommandId'"),
        ({"steps": [{"operation": "SendCommand", "request": {}, "response": {"Command": {}}}]},
         r"steps\[0\].response needs a Command with its CommandId"),
        ({"source": None}, r"'source' is None, not a string"),
        ({"steps": []}, r"'steps' is \[\], not a list of at least one step"),
        ({"tiltle": "x"}, r"unknown members \['tiltle'\]"),
        ({"nodes": [{"InstanceId": "i-1"}]},
         r"malformed instance id 'i-1' \(nodes\[0\].InstanceId\)"),
        ({"nodes": [{"InstanceId": "i-1234567890abcdef0", "PlatformType": "linux"}]},
         r"PlatformType is 'linux'; valid: \['Windows', 'Linux', 'MacOS'\]"),
        ({"nodes": [{"InstanceId": "i-1234567890abcdef0", "PingStatus": "Offline"}]},
         r"PingStatus is 'Offline'; valid: \['Online', 'ConnectionLost', 'Inactive'\]"),
        ({"outcome": {"statuses": "Success"}}, r"'outcome'.statuses is 'Success': one status per"),
        ({"outcome": {"outputs": {"i-1": "hi"}}},
         r"outputs is .*: a node id to \[stdout, stderr\]"),
        ({"send": [{"request": {}}]}, r"send\[0\].CommandId is None: the capture's id"),
        ({"documents": [{"Name": "doc", "PlatformTypes": ["Solaris"]}]},
         r"documents\[0\].PlatformTypes is \['Solaris'\]"),
        ({"steps": [{"operation": "ListDocuments", "request": {}, "response": {}}]},
         r"steps\[0\].operation is 'ListDocuments'; valid: \['SendCommand'"),
        ({"steps": [{"operation": "ListCommands", "request": {}}]},
         r"steps\[0\] needs one of 'response' and 'error'"),
        ({"steps": [{"operation": "ListCommands", "request": {}, "response": {}, "error": {}}]},
         r"steps\[0\] has both 'response' and 'error'"),
        ({"steps": [{"operation": "ListCommands", "after": "done", "request": {}, "response": {}}]},
         r"steps\[0\].after is 'done'; valid: 'finished' or seconds \(0 to 604800\)"),
        ({"steps": [{"operation": "ListCommands", "after": 1e300, "request": {},
                     "response": {}}]}, r"steps\[0\].after is 1e\+300"),
        ({"steps": [{"operation": "ListCommands", "request": {},
                     "response": {"ResponseMetadata": {}}}]},
         r"steps\[0\].response has ResponseMetadata: boto3's, not AWS's answer"),
    ],
)  # fmt: skip
def test_a_bad_snapshot_is_refused_naming_the_file_and_the_member(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    path = written(tmp_path, {**GOOD, **change})
    with pytest.raises(SnapshotError, match=message) as raised:
        load(path)
    assert str(raised.value).startswith(f"{path}: ")


def test_a_scenario_to_record_may_leave_out_what_aws_answered(tmp_path: Path) -> None:
    scenario = {**GOOD, "steps": [{"operation": "ListCommands", "request": {}}]}
    path = written(tmp_path, scenario)
    assert load(path, scenario=True).steps[0].response is None
    with pytest.raises(SnapshotError, match="needs one of"):
        load(path)


def test_a_file_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{")
    with pytest.raises(SnapshotError, match=r"broken.json: cannot read a snapshot"):
        load(path)


def test_folders_read_their_json_files_by_name(tmp_path: Path) -> None:
    written(tmp_path, GOOD, "b.json")
    written(tmp_path, GOOD, "a.json")
    (tmp_path / "SOURCES.md").write_text("not a snapshot")
    assert [s.name for s in load_all([tmp_path])] == ["a", "b"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(SnapshotError, match=r"no snapshot \(\*.json\) in .*empty"):
        load_all([tmp_path / "empty"])
    with pytest.raises(SnapshotError, match=r"missing\.json: no such file or folder"):
        load_all([tmp_path / "missing.json"])
