"""Service errors as AWS reports them: a code, a message, an HTTP status.

An error whose shape in the service model has no ``Message`` member
(``InvocationDoesNotExist``, ``InvalidPluginName``, ``InvalidCommandId``, ...)
comes back from AWS with no message at all: ``{"__type":"InvocationDoesNotExist"}``,
which botocore shows as "An error occurred (InvocationDoesNotExist) when
calling the GetCommandInvocation operation: " (aws/aws-sdk issue 86). Such
errors carry an empty message here unless a test gives one.
"""

from __future__ import annotations

from functools import cache

from ..catalogue import model

#: Codes AWS answers with a status other than 400.
_STATUS = {"InternalServerError": 500, "ServiceUnavailable": 503, "InternalFailure": 500}
#: The messages AWS gives when a test injects a fault without one.
DEFAULT_MESSAGES = {
    "ThrottlingException": "Rate exceeded",
    "InternalServerError": "An internal error occurred.",
    "ServiceUnavailable": "Service Unavailable",
    "InvalidNextToken": "The specified token isn't valid.",
    "AccessDeniedException": "User is not authorized to perform this operation.",
}


class TestMistake(BaseException):
    """A mistake of the test's own (a poll loop on a frozen clock, an ``on_send`` that does
    not fit), which must fail the test and never reach the code under test as an error
    it could handle: a ``BaseException``, as pytest's own outcomes are."""

    __test__ = False  # not a test class, whatever its name says to pytest


class ServiceError(Exception):
    """What the service answers instead of a response."""

    def __init__(self, code: str, message: str | None = None, status: int | None = None) -> None:
        self.code = code
        self.message = message if message is not None else default_message(code)
        self.status = status if status is not None else _STATUS.get(code, 400)
        super().__init__(f"{code}: {self.message}")


@cache
def modelled_without_message(code: str) -> bool:
    """Whether the service model declares ``code`` as an error with no ``Message`` member."""
    from botocore.model import NoShapeFoundError

    try:
        shape = model.shape(code)
    except NoShapeFoundError:
        return False
    return bool(shape.metadata.get("exception")) and not shape.members


def default_message(code: str) -> str:
    """The message AWS sends with ``code`` when nothing more is known: none for messageless
    modelled errors, the usual text for the common ones, else the code itself."""
    if code in DEFAULT_MESSAGES:
        return DEFAULT_MESSAGES[code]
    return "" if modelled_without_message(code) else code


def invalid_next_token() -> ServiceError:
    return ServiceError("InvalidNextToken")
