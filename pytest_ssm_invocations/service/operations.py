"""The one list of the SSM operations the fake answers.

Everything that routes a request reads this table: the service's dispatch
(``SSMService._<snake name>``), the in-process botocore hook, the moto
bridge (moto's response methods carry the snake names) and the HTTP server.
Faking one more operation is one entry here plus its handler in the service.
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
