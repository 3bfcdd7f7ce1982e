"""The error codes a fake may answer: those SSM's model declares, and those AWS sends anyway.

The model's error shapes are SSM's own (InvalidCommandId, InvocationDoesNotExist...).
Beside them, every AWS JSON service answers the common errors of the AWS API
reference ("Common Errors"), and botocore's standard retry mode knows the
throttling and transient codes its checkers read: both sets are taken from
where they live. A code outside all three is a misspelling until the author
says otherwise (``fail(code, unmodelled=True)``).
"""

from __future__ import annotations

import functools

from . import model

#: AWS API reference, "Common Errors" (every service's JSON and Query APIs), plus the JSON
#: protocol's own: a body botocore cannot read (SerializationException), a request no
#: operation matches (UnknownOperationException, UnrecognizedClientException).
COMMON = frozenset({
    "AccessDeniedException", "IncompleteSignature", "InternalFailure", "InternalServerError",
    "InvalidAction", "InvalidClientTokenId", "InvalidParameterCombination",
    "InvalidParameterValue", "InvalidQueryParameter", "MalformedQueryString", "MissingAction",
    "MissingAuthenticationToken", "MissingParameter", "NotAuthorized", "OptInRequired",
    "RequestExpired", "ServiceUnavailable", "ThrottlingException", "ValidationError",
    "ValidationException", "SerializationException", "UnknownOperationException",
    "UnrecognizedClientException", "ExpiredTokenException",
})  # fmt: skip


@functools.cache
def known() -> frozenset[str]:
    """Every code a fake answers without ``unmodelled=True``."""
    from botocore.retries import standard

    retried = {
        *standard.ThrottledRetryableChecker._THROTTLED_ERROR_CODES,
        *standard.TransientRetryableChecker._TRANSIENT_ERROR_CODES,
    }
    modelled = {shape.name for shape in model.service_model().error_shapes}
    return frozenset(modelled | retried | COMMON)
