"""Snapshot files: one real capture each, read and written with every member checked.

A snapshot is a JSON object::

    {"title": ..., "source": URL, "date": "YYYY-MM-DD", "region": "us-east-1",
     "nodes": [{"InstanceId": ..., "PlatformType": "Linux", "PingStatus": "Online",
                "Tags": {"Role": "web"}}],
     "documents": [{"Name": "my-document", "PlatformTypes": ["Linux"]}],
     "send": [{"CommandId": ..., "request": {...}, "outcome": {...}}],
     "outcome": {"statuses": [...], "stdout": ..., "stderr": ...,
                 "outputs": {node id: [stdout, stderr]}},
     "notes": ...,
     "steps": [{"operation": ..., "request": {...}, "response": {...}},
               {"operation": ..., "after": "finished", "request": {...},
                "error": {"Code": ..., "Message": ...}}]}

What the capture's account held, for the replay to make first (never compared):

- ``nodes``: its managed nodes, in the order the account lists them (the fake
  gets them as its fleet; another endpoint binds them to nodes of its own);
- ``documents``: documents of its own that the requests name;
- ``send``: for a capture that reads commands it did not send, a SendCommand
  that makes each (``CommandId``: the capture's id it stands for), with what
  its nodes did.

``outcome``: what the nodes did with the steps' own SendCommands, which only
a real node knows (the fake is told it through ``on_send``). A step's
``after``: ``"finished"`` once every command sent had finished, or a number
of seconds after the step before (a capture of a command still running).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..catalogue import model
from ..catalogue.statuses import status_case
from ..records.checks import check_region
from ..records.ids import check_instance_id

#: The operations a snapshot may replay: the ones the kit answers.
OPERATIONS = (
    "SendCommand", "CancelCommand", "ListCommands", "ListCommandInvocations",
    "GetCommandInvocation", "DescribeInstanceInformation",
)  # fmt: skip
PLATFORMS = model.enum("PlatformType")
PING_STATUSES = model.enum("PingStatus")
_KEYS = {
    "title", "source", "date", "region", "nodes", "documents", "send", "outcome", "notes",
    "steps",
}  # fmt: skip
_REQUIRED = ("title", "source", "date", "steps")
_STEP_KEYS = {"operation", "request", "response", "error", "after"}
_OUTCOME_KEYS = {"statuses", "stdout", "stderr", "outputs"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The longest a step may wait after the one before (``after``): a week.
MAX_AFTER_S = 7 * 86_400


class SnapshotError(ValueError):
    """A snapshot file that is not what this module reads: names the file and the member."""


@dataclass(frozen=True)
class Step:
    """One request of a capture and what the real service answered."""

    operation: str
    request: dict[str, Any]
    response: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    after: str | float | None = None
    """``"finished"``, or seconds after the step before; ``None``: at once."""


@dataclass(frozen=True)
class Send:
    """A command the capture's account had: how to make one like it."""

    command_id: str
    request: dict[str, Any]
    outcome: dict[str, Any] | None = None


@dataclass(frozen=True)
class Snapshot:
    """A real capture: where it comes from, what it needs, and its steps."""

    title: str
    source: str
    date: str
    steps: tuple[Step, ...]
    region: str = "us-east-1"
    nodes: tuple[dict[str, Any], ...] = ()
    documents: tuple[dict[str, Any], ...] = ()
    send: tuple[Send, ...] = ()
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
            data["nodes"] = [_node_json(node) for node in self.nodes]
        if self.documents:
            data["documents"] = [dict(doc) for doc in self.documents]
        if self.send:
            data["send"] = [_send_json(send) for send in self.send]
        if self.outcome is not None:
            data["outcome"] = self.outcome
        if self.notes:
            data["notes"] = self.notes
        data["steps"] = [_step_json(step) for step in self.steps]
        return data


def _node_json(node: dict[str, Any]) -> dict[str, Any]:
    """A node as a file holds it: what differs from an online node without tags."""
    data = {"InstanceId": node["InstanceId"], "PlatformType": node["PlatformType"]}
    if node["PingStatus"] != "Online":
        data["PingStatus"] = node["PingStatus"]
    if node["Tags"]:
        data["Tags"] = node["Tags"]
    return data


def _send_json(send: Send) -> dict[str, Any]:
    data: dict[str, Any] = {"CommandId": send.command_id, "request": send.request}
    if send.outcome is not None:
        data["outcome"] = send.outcome
    return data


def _step_json(step: Step) -> dict[str, Any]:
    data: dict[str, Any] = {"operation": step.operation}
    if step.after is not None:
        data["after"] = step.after
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
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
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
    if not _is_date(data["date"]):
        raise SnapshotError(f"'date' is {data['date']!r}, not a date as YYYY-MM-DD")
    if "region" in data:
        try:
            check_region(data["region"])
        except ValueError as error:
            raise SnapshotError(f"'region': {error}") from None
    nodes = tuple(_node(n, i) for i, n in enumerate(_list(data.get("nodes", []), "'nodes'")))
    ids = [n["InstanceId"] for n in nodes]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise SnapshotError(f"'nodes' name {repeated} more than once: one entry per node")
    documents = tuple(
        _document(d, i) for i, d in enumerate(_list(data.get("documents", []), "'documents'"))
    )
    sends = tuple(_send(s, i) for i, s in enumerate(_list(data.get("send", []), "'send'")))
    if not isinstance(data["steps"], list) or not data["steps"]:
        raise SnapshotError(f"'steps' is {data['steps']!r}, not a list of at least one step")
    steps = tuple(_step(s, i, scenario) for i, s in enumerate(data["steps"]))
    outcome = data.get("outcome")
    if outcome is not None:
        _outcome(outcome, "'outcome'")
    return Snapshot(
        title=data["title"], source=data["source"], date=data["date"], steps=steps,
        region=data.get("region", "us-east-1"), nodes=nodes, documents=documents, send=sends,
        outcome=outcome, notes=data.get("notes", ""), path=path,
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


def _node(node: Any, index: int) -> dict[str, Any]:
    what = f"nodes[{index}]"
    _object(node, what, {"InstanceId", "PlatformType", "PingStatus", "Tags"})
    instance_id = node.get("InstanceId")
    try:
        check_instance_id(instance_id, f"{what}.InstanceId")
    except (TypeError, ValueError) as error:
        raise SnapshotError(str(error)) from None
    platform = node.get("PlatformType", "Linux")
    if platform not in PLATFORMS:
        raise SnapshotError(f"{what}.PlatformType is {platform!r}; valid: {list(PLATFORMS)}")
    ping = node.get("PingStatus", "Online")
    if ping not in PING_STATUSES:
        raise SnapshotError(f"{what}.PingStatus is {ping!r}; valid: {list(PING_STATUSES)}")
    tags = node.get("Tags", {})
    if not isinstance(tags, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
    ):
        raise SnapshotError(f"{what}.Tags is {tags!r}, not an object of strings")
    return {"InstanceId": instance_id, "PlatformType": platform, "PingStatus": ping, "Tags": tags}


def _document(doc: Any, index: int) -> dict[str, Any]:
    what = f"documents[{index}]"
    _object(doc, what, {"Name", "PlatformTypes"})
    name = doc.get("Name")
    if not isinstance(name, str) or not model.pattern("DocumentName").fullmatch(name):
        raise SnapshotError(f"{what}.Name is {name!r}, not a document name")
    platforms = doc.get("PlatformTypes", ["Linux"])
    if not (
        isinstance(platforms, list)
        and platforms
        and all(isinstance(p, str) and p in PLATFORMS for p in platforms)
    ):
        raise SnapshotError(
            f"{what}.PlatformTypes is {platforms!r}: a list of one or more of {list(PLATFORMS)}"
        )
    return {"Name": doc["Name"], "PlatformTypes": platforms}


def _send(send: Any, index: int) -> Send:
    what = f"send[{index}]"
    _object(send, what, {"CommandId", "request", "outcome"})
    if not isinstance(send.get("CommandId"), str):
        raise SnapshotError(f"{what}.CommandId is {send.get('CommandId')!r}: the capture's id")
    _request(send.get("request"), "SendCommand", f"{what}.request")
    if "outcome" in send:
        _outcome(send["outcome"], f"{what}.outcome")
    return Send(send["CommandId"], send["request"], send.get("outcome"))


def _step(step: Any, index: int, scenario: bool) -> Step:
    what = f"steps[{index}]"
    _object(step, what, _STEP_KEYS)
    operation = step.get("operation")
    if operation not in OPERATIONS:
        raise SnapshotError(f"{what}.operation is {operation!r}; valid: {list(OPERATIONS)}")
    request = step.get("request", {})
    _request(request, operation, f"{what}.request")
    if "response" in step and "error" in step:
        raise SnapshotError(f"{what} has both 'response' and 'error'; a step has one")
    if not scenario and "response" not in step and "error" not in step:
        raise SnapshotError(f"{what} needs one of 'response' and 'error' (what AWS answered)")
    after = step.get("after")
    if not (after in (None, "finished") or _seconds(after)):
        raise SnapshotError(
            f"{what}.after is {after!r}; valid: 'finished' or seconds (0 to {MAX_AFTER_S})"
        )
    error = step.get("error")
    if error is not None:
        _object(error, f"{what}.error", {"Code", "Message"})
        if not isinstance(error.get("Code"), str) or not isinstance(error.get("Message", ""), str):
            raise SnapshotError(f"{what}.error needs a string 'Code' and 'Message'")
    elif "response" in step:
        _object(step["response"], f"{what}.response", None)
        if "ResponseMetadata" in step["response"]:
            raise SnapshotError(
                f"{what}.response has ResponseMetadata: boto3's, not AWS's answer; remove it"
            )
        if operation == "SendCommand":
            command = step["response"].get("Command")
            if not (isinstance(command, dict) and isinstance(command.get("CommandId"), str)):
                raise SnapshotError(f"{what}.response needs a Command with its CommandId")
    return Step(operation, request, step.get("response"), error, after)


def _request(request: Any, operation: str, what: str) -> None:
    """A JSON object of the operation's own members (the service model's input shape)."""
    members = model.operation(operation).input_shape.members
    _object(request, what, set(members))


def _seconds(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and 0 < value <= MAX_AFTER_S


def _is_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _outcome(outcome: Any, what: str) -> None:
    _object(outcome, what, _OUTCOME_KEYS)
    statuses = outcome.get("statuses")
    if statuses is not None and not (
        isinstance(statuses, list) and all(isinstance(s, str) for s in statuses)
    ):
        raise SnapshotError(f"{what}.statuses is {statuses!r}: one status per node it reaches")
    for status in statuses or ():
        try:
            status_case(status)
        except ValueError as error:
            raise SnapshotError(f"{what}.statuses: {error}") from None
    for key in ("stdout", "stderr"):
        if key in outcome and not isinstance(outcome[key], str):
            raise SnapshotError(f"{what}.{key} is {outcome[key]!r}, not a string")
    outputs = outcome.get("outputs", {})
    if not isinstance(outputs, dict) or not all(
        isinstance(v, list) and len(v) == 2 and all(isinstance(t, str) for t in v)
        for v in outputs.values()
    ):
        raise SnapshotError(f"{what}.outputs is {outputs!r}: a node id to [stdout, stderr]")


def dump(snapshot: Snapshot, path: Path) -> None:
    """Write ``snapshot`` as a new file of the form :func:`load` reads (an existing file is
    a ``FileExistsError``: a recording never replaces a capture)."""
    text = json.dumps(snapshot.as_json(), indent=2, ensure_ascii=False, default=str)
    with path.open("x", encoding="utf-8") as file:
        file.write(text + "\n")
