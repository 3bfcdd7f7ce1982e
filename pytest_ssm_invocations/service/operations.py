"""The one list of the SSM operations the fake answers.

Everything that routes a request reads this table: the service's dispatch
(``service.ANSWERS``: a module per operation, named by its snake name), the
in-process botocore hook, the moto bridge (moto's response methods carry the
snake names) and the HTTP server, all through ``wire.exchange``. Faking one
more operation is one entry here plus its module in the service.
"""

from __future__ import annotations

from botocore import xform_name

#: Operation name (as in ``X-Amz-Target`` and botocore's events) -> botocore's
#: snake-case method name (as on a client, and on moto's responses class).
OPERATIONS: dict[str, str] = {
    name: xform_name(name)
    for name in (
        "ListCommandInvocations",
        "GetCommandInvocation",
        "ListCommands",
        "SendCommand",
        "CancelCommand",
        "DescribeInstanceInformation",
    )
}


class NotFaked(NotImplementedError):
    """An SSM operation the fake does not answer; ``str()`` names those it does.

    The one message for it, whichever way the request came: raised in
    process, the HTTP server's UnsupportedOperation.
    """

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(
            f"pytest-ssm-invocations fakes {', '.join(OPERATIONS)}; the SSM operation "
            f"{operation} is not faked and was not sent anywhere"
        )
