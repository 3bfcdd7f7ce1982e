"""Every StatusDetails case of a command invocation, as data.

Source: "Understanding command statuses", AWS Systems Manager user guide, and
real ``list-command-invocations`` output. The wire values of ``Status`` (for
invocations and plugins) are checked against botocore's service model by the
test suite, so a new value in a newer botocore fails loudly.

Choices marked *unverified* in the project's domain notes are made here, once:
``Terminated``, ``InvalidPlatform`` and ``AccessDenied`` report ``Failed``;
``Cancelled`` is modelled as cancelled before the agent started (no times, -1).

Beside the thirteen cases, :data:`STATUS_VARIANTS` holds opt-in readings of
some of them that real fleets also show, asked for by name wherever a status
is taken (``status="InProgress:sending"``). A variant reports the wire values
of its base case; what differs is whether the node was reached and which
times and output the plugins carry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from .spelling import did_you_mean

#: Exit codes a failing shell or PowerShell script really returns (128: git's fatal errors).
FAILED_EXIT_CODES = (1, 2, 126, 127, 128, 130, 137, 255)
#: Codes seen on ExecutionTimedOut: -1 (killed by the agent), 124 (timeout(1)), 137 (SIGKILL).
EXECUTION_TIMEOUT_CODES = (-1, 124, 137)
#: What AWS reports when the command never ran on the node.
NOT_RUN = -1


@dataclass(frozen=True)
class StatusCase:
    """One StatusDetails case and everything that follows from it.

    A case compares equal to its name (``case == "Success"``), so a test that
    takes ``ssm_status_case`` can branch on the string it knows.
    """

    status_details: str
    """The wire value of ``StatusDetails``."""
    status: str
    """The invocation ``Status`` that goes with it."""
    plugin_status: str
    """The plugin ``Status`` (the plugin enum has no Delayed and no Cancelling)."""
    terminal: bool
    counts_against_max_errors: bool | None
    """``None`` where AWS documents neither (Pending, Cancelled, ...)."""
    reached_node: bool
    """The agent started it: plugins have a start time, and output may exist."""
    response_codes: tuple[int, ...]
    """The ResponseCode values AWS shows in this case; the first is the usual one."""
    human: str
    """The spelling of the user guide ("Delivery Timed Out")."""
    meaning: str
    variant: str = ""
    """Empty for the thirteen base cases; the variant's name otherwise (``"sending"``)."""
    result_lost: bool = False
    """The node ran it but its result never reached the service: a start time, no finish."""

    @property
    def name(self) -> str:
        """How a test asks for it: ``"Failed"``, or ``"InProgress:sending"`` for a variant."""
        return f"{self.status_details}:{self.variant}" if self.variant else self.status_details

    @cached_property
    def finished(self) -> bool:
        """Started and terminal, with a result: the plugins have a finish time."""
        return self.terminal and self.reached_node and not self.result_lost

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        """Equal to the name a test asks for it by: ``ssm_status_case == "Failed"``.

        For the thirteen cases that name is the wire's StatusDetails; a variant
        is equal to its own name (``"InProgress:sending"``), not its base's.
        """
        if isinstance(other, str):
            return self.name == other
        if isinstance(other, StatusCase):
            return self.name == other.name
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.name)  # as its name's: equal objects hash alike


def _case(
    details: str,
    status: str,
    plugin: str,
    *,
    terminal: bool,
    max_errors: bool | None,
    reached: bool,
    codes: tuple[int, ...],
    human: str,
    meaning: str,
) -> StatusCase:
    return StatusCase(details, status, plugin, terminal, max_errors, reached, codes, human, meaning)


STATUS_CASES: tuple[StatusCase, ...] = (
    _case("Pending", "Pending", "Pending", terminal=False, max_errors=None, reached=False,
          codes=(NOT_RUN,), human="Pending",
          meaning="Not yet sent to the node, or not yet received by the agent."),
    _case("InProgress", "InProgress", "InProgress", terminal=False, max_errors=None, reached=True,
          codes=(NOT_RUN,), human="In Progress",
          meaning="Delivered and running; no terminal state yet."),
    _case("Delayed", "Delayed", "Pending", terminal=False, max_errors=None, reached=False,
          codes=(NOT_RUN,), human="Delayed",
          meaning="Sending failed (node unavailable); the system will try again."),
    _case("Success", "Success", "Success", terminal=True, max_errors=False, reached=True,
          codes=(0,), human="Success",
          meaning="Every plugin exited 0."),
    _case("DeliveryTimedOut", "TimedOut", "TimedOut", terminal=True, max_errors=False,
          reached=False, codes=(NOT_RUN,), human="Delivery Timed Out",
          meaning="Not delivered before the delivery timeout; decides Success vs Incomplete."),
    _case("ExecutionTimedOut", "TimedOut", "TimedOut", terminal=True, max_errors=True,
          reached=True, codes=EXECUTION_TIMEOUT_CODES, human="Execution Timed Out",
          meaning="Started on the node but did not finish before the execution timeout."),
    _case("Failed", "Failed", "Failed", terminal=True, max_errors=True, reached=True,
          codes=FAILED_EXIT_CODES, human="Failed",
          meaning="A plugin exited non-zero (for a shell script, the last command's code)."),
    _case("Cancelled", "Cancelled", "Cancelled", terminal=True, max_errors=None, reached=False,
          codes=(NOT_RUN,), human="Canceled",
          meaning="Cancelled before it completed."),
    _case("Cancelling", "Cancelling", "InProgress", terminal=False, max_errors=None,
          reached=True, codes=(NOT_RUN,), human="Cancelling",
          meaning="A cancel was requested and is not done yet."),
    _case("Undeliverable", "Failed", "Failed", terminal=True, max_errors=False, reached=False,
          codes=(NOT_RUN,), human="Undeliverable",
          meaning="The node does not exist, is not managed, or is not reachable."),
    _case("Terminated", "Failed", "Failed", terminal=True, max_errors=None, reached=False,
          codes=(NOT_RUN,), human="Terminated",
          meaning="The parent command hit MaxErrors; the system cancelled the rest."),
    _case("InvalidPlatform", "Failed", "Failed", terminal=True, max_errors=False, reached=False,
          codes=(NOT_RUN,), human="Invalid Platform",
          meaning="The document's platform does not match the node's."),
    _case("AccessDenied", "Failed", "Failed", terminal=True, max_errors=False, reached=False,
          codes=(NOT_RUN,), human="Access Denied",
          meaning="The caller is not allowed to reach the node."),
)  # fmt: skip


_BASE = {c.status_details: c for c in STATUS_CASES}

#: Opt-in readings of base cases, asked for by name (``"Cancelled:after-start"``).
STATUS_VARIANTS: tuple[StatusCase, ...] = (
    replace(_BASE["InProgress"], variant="sending", reached_node=False,
            meaning="The system is attempting to send the command to the node (user guide: "
            "In Progress); no plugin has started."),
    replace(_BASE["Cancelled"], variant="after-start", reached_node=True,
            meaning="Cancelled while running on the node: the plugin has its start and finish "
            "times and what it printed until then."),
    replace(_BASE["DeliveryTimedOut"], variant="after-run", reached_node=True, result_lost=True,
            meaning="Agent quirk (amazon-ssm-agent issue 316): the command ran to the end on "
            "the node, but its result never reached the service, which reports "
            "DeliveryTimedOut: a start time, no finish, no output."),
    replace(_BASE["DeliveryTimedOut"], variant="after-delay",
            meaning="Delayed until the delivery timeout: sending failed, the system retried "
            "(user guide: Delayed) and gave up when the timeout passed."),
    replace(_BASE["DeliveryTimedOut"], variant="reboot", reached_node=True, result_lost=True,
            meaning="Agent quirk (amazon-ssm-agent issue 289): a script that asks for a "
            "reboot (exit 194) stays InProgress until the delivery timeout, then "
            "DeliveryTimedOut: a start time, no finish, no output."),
)  # fmt: skip


_BY_KEY = (
    {c.status_details: c for c in STATUS_CASES}
    | {c.human: c for c in STATUS_CASES}
    | {c.name: c for c in STATUS_VARIANTS}
)


def status_case(value: str | StatusCase) -> StatusCase:
    """The case for a StatusDetails value, in the wire's or the user guide's spelling.

    ``"DeliveryTimedOut"`` and ``"Delivery Timed Out"`` are the same case; a
    variant is named ``"<StatusDetails>:<variant>"``. Any other spelling
    (``"success"``) is a ``ValueError`` that suggests the name meant and lists
    the valid ones: nothing is corrected silently.
    """
    if isinstance(value, StatusCase):
        return value
    if not isinstance(value, str):
        raise TypeError(f"status must be a str or StatusCase, not {type(value).__name__}")
    case = _BY_KEY.get(value)
    if case is None:
        valid = ", ".join(c.status_details for c in STATUS_CASES)
        variants = ", ".join(c.name for c in STATUS_VARIANTS)
        hint = did_you_mean(value, _BY_KEY)
        raise ValueError(
            f"unknown StatusDetails {value!r}{hint}; valid values: {valid} (variants: {variants})"
        )
    return case


TABLE_HEADER = (
    "StatusDetails", "Status", "Plugin Status", "Terminal", "Counts against MaxErrors",
    "Reached the node", "ResponseCode",
)  # fmt: skip


def table_rows(*, variants: bool = False) -> list[tuple[str, ...]]:
    """The catalogue as text cells, one row a case (for the README and the CLI)."""
    return [_row(c) for c in (*STATUS_CASES, *(STATUS_VARIANTS if variants else ()))]


def _row(case: StatusCase) -> tuple[str, ...]:
    yes_no = {True: "yes", False: "no", None: "-"}
    return (
        case.name,
        case.status,
        case.plugin_status,
        yes_no[case.terminal],
        yes_no[case.counts_against_max_errors],
        yes_no[case.reached_node],
        ", ".join(map(str, case.response_codes)),
    )
