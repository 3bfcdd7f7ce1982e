"""Snapshot files: one real capture each, read and written with every member checked.

A snapshot is a JSON object::

    {"title": ..., "source": URL, "date": "YYYY-MM-DD", "region": "us-east-1",
     "nodes": [{"InstanceId": ..., "PlatformType": "Linux"}],
     "send": {...SendCommand request...},
     "outcome": {"statuses": [...], "stdout": ..., "stderr": ...},
     "notes": ...,
     "steps": [{"operation": ..., "request": {...}, "response": {...}},
               {"operation": ..., "after": "finished", "request": {...},
                "error": {"Code": ..., "Message": ...}}]}

``nodes``: the managed nodes the capture names (the fake gets them as its
fleet; another endpoint binds them to nodes of its own). ``send``: for a
capture that reads a command it did not send, the SendCommand that makes such
a command (run first, not compared). ``outcome``: what the real nodes did,
which only a real node knows (the fake is told it through ``on_send``).
``after: "finished"``: the step was read once the command had finished.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogue import model

#: The operations a snapshot may replay: the ones the kit answers.
OPERATIONS = (
    "SendCommand", "CancelCommand", "ListCommands", "ListCommandInvocations",
    "GetCommandInvocation", "DescribeInstanceInformation",
)  # fmt: skip
PLATFORMS = ("Linux", "Windows", "MacOS")
_KEYS = {"title", "source", "date", "region", "nodes", "send", "outcome", "notes", "steps"}
_REQUIRED = ("title", "source", "date", "steps")
_STEP_KEYS = {"operation", "request", "response", "error", "after"}
_OUTCOME_KEYS = {"statuses", "stdout", "stderr"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class SnapshotError(ValueError):
    """A snapshot file that is not what this module reads: names the file and the member."""


@dataclass(frozen=True)
class Step:
    """One request of a capture and what the real service answered."""

    operation: str
    request: dict[str, Any]
    response: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    after_finished: bool = False


@dataclass(frozen=True)
class Snapshot:
    """A real capture: where it comes from, what it needs, and its steps."""

    title: str
    source: str
    date: str
    steps: tuple[Step, ...]
    region: str = "us-east-1"
    nodes: tuple[dict[str, str], ...] = ()
    send: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None
    notes: str = ""
    path: Path | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        return self.path.stem if self.path else self.title

    @property
    def instance_ids(self) -> list[str]:
        return [node["InstanceId"] for node in self.nodes]

    def as_json(self) -> dict[str, Any]:
        """The snapshot as its file holds it (members in the documented order)."""
        data: dict[str, Any] = {"title": self.title, "source": self.source, "date": self.date}
        data["region"] = self.region
        if self.nodes:
            data["nodes"] = [dict(node) for node in self.nodes]
        if self.send is not None:
            data["send"] = self.send
        if self.outcome is not None:
            data["outcome"] = self.outcome
        if self.notes:
            data["notes"] = self.notes
        data["steps"] = [_step_json(step) for step in self.steps]
        return data


def _step_json(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {"operation": step.operation}
    if step.after_finished:
        data["after"] = "finished"
    data["request"] = step.request
    if step.error is not None:
        data["error"] = step.error
    elif step.response is not None:
        data["response"] = step.response
    return data


def load(path: str | Path, *, scenario: bool = False) -> Snapshot:
    """Read one snapshot file; a SnapshotError names the file and what is wrong.

    ``scenario``: steps may leave out both ``response`` and ``error`` (what record
    mode fills in)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SnapshotError(f"{path}: cannot read a snapshot: {error}") from None
    try:
        return parse(data, path, scenario=scenario)
    except SnapshotError as error:
        raise SnapshotError(f"{path}: {error}") from None


def load_all(paths: list[Path], *, scenario: bool = False) -> list[Snapshot]:
    """Every ``*.json`` snapshot of the folders and files given, by name."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.json")))
        elif path.exists():
            files.append(path)
        else:
            raise SnapshotError(f"{path}: no such file or folder")
    if not files:
        raise SnapshotError(f"no snapshot (*.json) in {', '.join(map(str, paths))}")
    return [load(file, scenario=scenario) for file in files]


def parse(data: Any, path: Path | None = None, *, scenario: bool = False) -> Snapshot:
    """A snapshot from its JSON object, checked member by member."""
    _object(data, "the snapshot", _KEYS)
    for key in _REQUIRED:
        if key not in data:
            raise SnapshotError(f"member {key!r} is missing; a snapshot has {sorted(_KEYS)}")
    for key in ("title", "source", "date", "region", "notes"):
        if key in data and not isinstance(data[key], str):
            raise SnapshotError(f"{key!r} is {data[key]!r}, not a string")
    if not _DATE.fullmatch(data["date"]):
        raise SnapshotError(f"'date' is {data['date']!r}, not YYYY-MM-DD")
    nodes = tuple(_node(n, i) for i, n in enumerate(_list(data.get("nodes", []), "'nodes'")))
    if not isinstance(data["steps"], list) or not data["steps"]:
        raise SnapshotError(f"'steps' is {data['steps']!r}, not a list of at least one step")
    steps = tuple(_step(s, i, scenario) for i, s in enumerate(data["steps"]))
    send = data.get("send")
    if send is not None:
        _object(send, "'send'", None)
    outcome = data.get("outcome")
    if outcome is not None:
        _outcome(outcome, len(nodes))
    return Snapshot(
        title=data["title"], source=data["source"], date=data["date"], steps=steps,
        region=data.get("region", "us-east-1"), nodes=nodes, send=send, outcome=outcome,
        notes=data.get("notes", ""), path=path,
    )  # fmt: skip


def _object(value: Any, what: str, keys: set[str] | None) -> None:
    if not isinstance(value, dict):
        raise SnapshotError(f"{what} is {value!r}, not a JSON object")
    if keys is not None and set(value) - keys:
        unknown = sorted(set(value) - keys)
        raise SnapshotError(f"{what} has unknown members {unknown}; it may have {sorted(keys)}")


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise SnapshotError(f"{what} is {value!r}, not a list")
    return value


def _node(node: Any, index: int) -> dict[str, str]:
    what = f"nodes[{index}]"
    _object(node, what, {"InstanceId", "PlatformType"})
    instance_id = node.get("InstanceId")
    if not isinstance(instance_id, str) or not model.pattern("InstanceId").fullmatch(instance_id):
        raise SnapshotError(f"{what}.InstanceId is {instance_id!r}, not an instance id")
    platform = node.get("PlatformType", "Linux")
    if platform not in PLATFORMS:
        raise SnapshotError(f"{what}.PlatformType is {platform!r}; valid: {list(PLATFORMS)}")
    return {"InstanceId": instance_id, "PlatformType": platform}


def _step(step: Any, index: int, scenario: bool) -> Step:
    what = f"steps[{index}]"
    _object(step, what, _STEP_KEYS)
    operation = step.get("operation")
    if operation not in OPERATIONS:
        raise SnapshotError(f"{what}.operation is {operation!r}; valid: {list(OPERATIONS)}")
    request = step.get("request", {})
    _object(request, f"{what}.request", None)
    if "response" in step and "error" in step:
        raise SnapshotError(f"{what} has both 'response' and 'error'; a step has one")
    if not scenario and "response" not in step and "error" not in step:
        raise SnapshotError(f"{what} needs one of 'response' and 'error' (what AWS answered)")
    after = step.get("after")
    if after not in (None, "finished"):
        raise SnapshotError(f"{what}.after is {after!r}; the only value is 'finished'")
    error = step.get("error")
    if error is not None:
        _object(error, f"{what}.error", {"Code", "Message"})
        if not isinstance(error.get("Code"), str) or not isinstance(error.get("Message", ""), str):
            raise SnapshotError(f"{what}.error needs a string 'Code' and 'Message'")
    elif "response" in step:
        _object(step["response"], f"{what}.response", None)
    return Step(operation, request, step.get("response"), error, after == "finished")


def _outcome(outcome: Any, nodes: int) -> None:
    _object(outcome, "'outcome'", _OUTCOME_KEYS)
    statuses = outcome.get("statuses")
    if statuses is not None and (not isinstance(statuses, list) or len(statuses) != nodes):
        raise SnapshotError(f"'outcome'.statuses is {statuses!r}: one status per node ({nodes})")
    for key in ("stdout", "stderr"):
        if key in outcome and not isinstance(outcome[key], str):
            raise SnapshotError(f"'outcome'.{key} is {outcome[key]!r}, not a string")


def dump(snapshot: Snapshot, path: Path) -> None:
    """Write ``snapshot`` as a file of the form :func:`load` reads."""
    text = json.dumps(snapshot.as_json(), indent=2, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
