"""What a failing test's report adds: calls that looked in a region with no commands.

A client in another region than the commands (``AWS_DEFAULT_REGION``, a
``region_name=``) gets empty answers, as AWS gives; the test then fails far
from the cause. The hint names the regions on both sides.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .fake import FakeSSM
    from .service.faults import Call


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
