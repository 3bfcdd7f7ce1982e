"""What a failing test's report adds: calls that looked in a region with no commands,
where a poll loop on a frozen clock was stopped, calls a Stubber answered before the
fake saw them, and the cause of errors AWS sends without a message.

A client in another region than the commands (``AWS_DEFAULT_REGION``, a
``region_name=``) gets empty answers, as AWS gives; the test then fails far
from the cause. The hint names the regions on both sides.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..fake import FakeSSM
    from ..service.faults import Call


def _found_nothing(call: Call) -> bool:
    if call.fault is not None:
        return False
    return call.returned == 0 or call.error == "InvocationDoesNotExist"


def region_hint(fake: FakeSSM) -> str | None:
    """A line per region where calls found nothing while other regions hold commands."""
    populated = fake.store.regions()
    if not populated:
        return None
    empty = Counter(c.region for c in fake.calls if c.region not in populated and _found_nothing(c))
    if not empty:
        return None
    where = ", ".join(populated)
    lines = [
        f"{count} call{'s' if count > 1 else ''} to {region} returned nothing; "
        f"commands exist in {where}"
        for region, count in sorted(empty.items())
    ]
    lines.append(
        f"(the fake's default region is {fake.region}: set it with "
        "@pytest.mark.ssm_invocations(region=...), or pass region= to add_command "
        "or region_name= to the client)"
    )
    return "\n".join(lines)


#: Frames of these packages are the machinery between the code that polled and the fake.
_MACHINERY = ("pytest_ssm_invocations", "botocore", "boto3", "aiobotocore", "moto")


def own_mistake(excinfo: Any) -> str | None:
    """The report of a test's own mistake (a poll loop stopped on a frozen clock, an
    ``on_send`` that does not fit the command sent): its message, and the line that
    polled or sent (the fake's and botocore's frames are noise there)."""
    from ..service.errors import TestMistake
    from ..service.polls import FrozenPollError

    if not excinfo.errisinstance(TestMistake):
        return None
    verb = "polled" if excinfo.errisinstance(FrozenPollError) else "sent"
    polled_at = [
        f"{entry.path}:{entry.lineno + 1}"
        for entry in excinfo.traceback
        if not any(part in _MACHINERY for part in Path(str(entry.path)).parts)
    ]
    where = f"\n({verb} at {polled_at[-1]})" if polled_at else ""
    return f"{excinfo.value}{where}"


def stubbed_hint(fake: FakeSSM) -> str | None:
    """SSM calls answered without reaching the fake: a Stubber on their client answered."""
    from ..transports import registry

    unseen = registry.unseen(fake)
    if not unseen:
        return None
    shown = ", ".join(f"{op} x{n}" for op, n in sorted(unseen.items()))
    return (
        f"{sum(unseen.values())} SSM call(s) never reached the fake ({shown}): a botocore "
        "Stubber activated on their client answered them first. A Stubber wins over the "
        "fixture on the client it stubs: deactivate it, or shape the fake's answers with "
        "page_plan(), fail() and on_send() instead."
    )


def blank_error_hint(fake: FakeSSM) -> str | None:
    """What caused the errors AWS answers with no message (InvalidPluginName)."""
    lines = []
    now = fake.clock.now_ms
    for call in fake.calls:
        if call.error != "InvalidPluginName":
            continue
        command = fake.store.region(call.region).commands.get(call.params.get("CommandId", ""))
        if command is None or not command.invocations:
            continue
        record = command.invocations[0].view(now, observe=False)
        names = [p["Name"] for p in record["CommandPlugins"]]
        asked = call.params.get("PluginName")
        why = (
            f"PluginName {asked!r} is none of them"
            if asked is not None
            else "a document of several plugins needs PluginName"
        )
        lines.append(
            f"GetCommandInvocation answered InvalidPluginName, whose message AWS leaves "
            f"empty: command {command.command_id} runs {command.document_name}, whose plugins "
            f"are {', '.join(map(repr, names))}; {why}"
        )
    return "\n".join(dict.fromkeys(lines)) or None
