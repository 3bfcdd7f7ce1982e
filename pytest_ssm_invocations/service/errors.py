"""Service errors as AWS reports them: a code, a message, an HTTP status."""

from __future__ import annotations

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


class ServiceError(Exception):
    """What the service answers instead of a response."""

    def __init__(self, code: str, message: str | None = None, status: int | None = None) -> None:
        self.code = code
        self.message = message if message is not None else DEFAULT_MESSAGES.get(code, code)
        self.status = status if status is not None else _STATUS.get(code, 400)
        super().__init__(f"{code}: {self.message}")


def invalid_next_token() -> ServiceError:
    return ServiceError("InvalidNextToken")
