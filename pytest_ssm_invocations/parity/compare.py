"""What a capture and a replay must agree on, and where they differ.

The masking rule (the same on both sides, so neither can hide a difference):

- A member whose shape in the service model is a timestamp, a
  ``StringDateTime`` (GetCommandInvocation's execution times and elapsed time)
  or a ``NextToken`` is volatile: it must be present on both sides, and its
  value is not compared unless it is empty (an empty ``ExecutionEndDateTime``
  and a filled one differ). ``ExpiresAfter``, ``RequestedDateTime`` and the
  plugins' response times are such members.
- The facts of a managed node that only the node knows (its agent version,
  addresses, names and OS release, in DescribeInstanceInformation; its host
  name, an invocation's ``InstanceName``, which most captures show empty and
  some filled) are volatile in the same way: see :data:`NODE_FACTS`.
- Members the kit does not model are dropped on both sides: State Manager's
  association members of a node (:data:`OUT_OF_SCOPE`), and members the
  service model lacks (a raw HTTP capture shows ``Interactive``; botocore,
  which parses every replayed answer, drops them).
- Account ids (in ARNs, and after "account" in messages) read ``<account>``.
- An error message is AWS's words; the kit's own reason, appended in
  parentheses as ``(pytest-ssm-invocations...)``, is left out (:func:`aws_words`).
- Ids are bound, not masked: the n-th command id either side saw (in a
  SendCommand answer, or named by the capture) reads ``<command n>``
  wherever it appears, in members and inside strings (output URLs, error
  messages); an endpoint's own node ids read as the capture's nodes they
  stand for.

A capture shows the members of its day, and the service has added members
since (``TimeoutSeconds``, ``AlarmConfiguration``, ``TriggeredAlarms``...):
a member the replay has and the capture lacks is a note (:func:`added`), not
a difference. A member the capture has and the replay lacks is a difference.

Botocore, and so the AWS CLI that prints most captures, builds each structure
in the order of the service model, not of the wire: the order of a
structure's members is not compared. The order of list items and of map keys
(``Parameters``) is the service's own, and is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..catalogue import model

#: Members of a node that come from the node itself: volatile (see the module's rule).
NODE_FACTS = {
    "InstanceInformation": frozenset({
        "AgentVersion", "IsLatestVersion", "IPAddress", "ComputerName", "PlatformName",
        "PlatformVersion", "IamRole", "ActivationId", "Name", "SourceId", "SourceType",
    }),
    "CommandInvocation": frozenset({"InstanceName"}),
}  # fmt: skip
#: Members of State Manager's associations, which the kit does not model: not compared.
OUT_OF_SCOPE = {
    "InstanceInformation": frozenset({
        "AssociationStatus", "LastAssociationExecutionDate",
        "LastSuccessfulAssociationExecutionDate", "AssociationOverview",
    }),
}  # fmt: skip
_VOLATILE_SHAPES = frozenset({"StringDateTime", "NextToken"})
#: An account id: in an ARN (``arn:aws:sns:us-east-2:111122223333:topic``), or named so in
#: a message (``... not in a valid state for account 775288309636``).
_ACCOUNT = re.compile(r"(?<=:)[0-9]{12}(?=:)|(?<=account )[0-9]{12}(?![0-9])")
VOLATILE = "<volatile>"


@dataclass(frozen=True)
class Difference:
    """One place where the replay's answer is not the capture's."""

    path: str
    expected: Any
    got: Any

    def __str__(self) -> str:
        return f"{self.path or '(answer)'}: AWS has {_show(self.expected)}, got {_show(self.got)}"


_ABSENT = object()


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


class Bindings:
    """The ids one side has seen, each with the name both sides share."""

    def __init__(self, nodes: Mapping[str, str] | None = None) -> None:
        self.names: dict[str, str] = dict(nodes or {})
        """Each id seen, as it reads in comparisons."""
        self.commands: list[str] = []

    def bind_command(self, command_id: str) -> None:
        if command_id not in self.names:
            self.commands.append(command_id)
            self.names[command_id] = f"<command {len(self.commands)}>"

    def named(self, text: str) -> str:
        renamed = {value: name for value, name in self.names.items() if value != name}
        if renamed:
            text = ids_pattern(renamed).sub(lambda found: renamed[found[0]], text)
        return _ACCOUNT.sub("<account>", text)


def ids_pattern(ids: Mapping[str, str]) -> re.Pattern[str]:
    """Any of ``ids``, the longest first (an 8-character id may begin a 17-character one)."""
    return re.compile("|".join(map(re.escape, sorted(ids, key=len, reverse=True))))


_KIT_HINT = re.compile(r"\s*\(pytest-ssm-invocations\b.*\)\Z", re.DOTALL)


def aws_words(message: str) -> str:
    """An error message of the fake without the reason it adds to AWS's words."""
    return _KIT_HINT.sub("", message)


def normalised(value: Any, shape: Any, bindings: Bindings) -> Any:
    """``value`` (a parsed answer, or a member of one with its model ``shape``) as it is
    compared: volatile members masked, ids bound."""
    if shape is not None and _volatile_shape(shape) and value not in ("", None):
        return VOLATILE
    if isinstance(value, Mapping):
        if shape is not None and shape.type_name == "structure":
            facts = NODE_FACTS.get(shape.name, frozenset())
            dropped = OUT_OF_SCOPE.get(shape.name, frozenset())
            members = shape.members
            return {
                key: VOLATILE if key in facts else normalised(item, members[key], bindings)
                for key, item in value.items()
                if key in members and key not in dropped
            }
        inner = shape.value if shape is not None and shape.type_name == "map" else None
        return {bindings.named(k): normalised(v, inner, bindings) for k, v in value.items()}
    if isinstance(value, list):
        inner = shape.member if shape is not None and shape.type_name == "list" else None
        return [normalised(item, inner, bindings) for item in value]
    if isinstance(value, str):
        return bindings.named(value)
    return value


def _volatile_shape(shape: Any) -> bool:
    return bool(shape.type_name == "timestamp" or shape.name in _VOLATILE_SHAPES)


def output_shape(operation: str) -> Any:
    """The model's output shape of ``operation`` (``None`` for an operation without one)."""
    return model.service_model().operation_model(operation).output_shape


def differences(expected: Any, got: Any, path: str = "", ordered: bool = True) -> list[Difference]:
    """Where ``got`` differs from ``expected`` (both normalised); structure members in any
    order, list items and map keys in order."""
    if isinstance(expected, Mapping) and isinstance(got, Mapping):
        found: list[Difference] = []
        for key in expected:
            if key not in got:
                found.append(Difference(_join(path, key), expected[key], _ABSENT))
            else:
                found.extend(differences(expected[key], got[key], _join(path, key)))
        return found
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [Difference(f"{path} (items)", len(expected), len(got))]
        found = []
        for n, (a, b) in enumerate(zip(expected, got, strict=True)):
            found.extend(differences(a, b, f"{path}[{n}]"))
        return found
    if _same_scalar(expected, got):
        return []
    return [Difference(path, expected, got)]


def added(expected: Any, got: Any, path: str = "") -> list[str]:
    """The members ``got`` has where ``expected`` has none: members newer than the capture."""
    found: list[str] = []
    if isinstance(expected, Mapping) and isinstance(got, Mapping):
        for key, item in got.items():
            if key not in expected:
                found.append(_join(path, key))
            else:
                found.extend(added(expected[key], item, _join(path, key)))
    elif isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for n, (a, b) in enumerate(zip(expected, got, strict=True)):
            found.extend(added(a, b, f"{path}[{n}]"))
    return found


def key_order(expected: Any, got: Any, shape: Any, path: str = "") -> list[Difference]:
    """Maps whose keys come in another order than the capture's (``Parameters``)."""
    found: list[Difference] = []
    if shape is None:
        return found
    if shape.type_name == "structure" and isinstance(expected, Mapping):
        for key, item in expected.items():
            if isinstance(got, Mapping) and key in got and key in shape.members:
                found.extend(key_order(item, got[key], shape.members[key], _join(path, key)))
    elif shape.type_name == "list" and isinstance(expected, list) and isinstance(got, list):
        for n, (a, b) in enumerate(zip(expected, got, strict=False)):
            found.extend(key_order(a, b, shape.member, f"{path}[{n}]"))
    elif (
        shape.type_name == "map"
        and isinstance(expected, Mapping)
        and isinstance(got, Mapping)
        and set(expected) == set(got)
        and list(expected) != list(got)
    ):
        found.append(Difference(f"{path} (key order)", list(expected), list(got)))
    return found


def _same_scalar(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b and type(a) in (int, float) and type(b) in (int, float)) or (
        type(a) is type(b) and a == b
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
