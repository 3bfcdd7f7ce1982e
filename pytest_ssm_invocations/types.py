"""The types of records: mypy-boto3-ssm's TypedDicts when it is installed.

Install the ``types`` extra (``mypy-boto3-ssm``) and records type-check as
what boto3 returns: ``record["Status"]`` is the Status literal,
``record["RequestedDateTime"]`` a datetime. The import happens only for type
checkers; at run time the records are plain dicts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_ssm.type_defs import CommandInvocationTypeDef as InvocationRecord
    from mypy_boto3_ssm.type_defs import CommandPluginTypeDef as PluginRecord
    from mypy_boto3_ssm.type_defs import CommandTypeDef as CommandRecord
else:
    InvocationRecord = PluginRecord = CommandRecord = dict[str, Any]

__all__ = ["CommandRecord", "InvocationRecord", "PluginRecord"]
