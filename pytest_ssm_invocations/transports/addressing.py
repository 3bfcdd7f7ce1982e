"""What a request says about where it is going: its region, and whether its endpoint is local.

Shared by the in-process hook and the HTTP server, so both read a request's
region the same way.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

#: The SigV4 credential scope: ``Credential=<key>/<date>/<region>/<service>/aws4_request``.
_REGION_IN_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/")
#: AWS's own SSM host names: regional, FIPS, dual-stack, VPC endpoint DNS, China.
_REGION_IN_HOST = re.compile(
    r"(?:^|\.)ssm(?:-fips)?\.([a-z0-9-]+)\.(?:vpce\.)?(?:amazonaws\.com(?:\.cn)?|api\.aws)$"
)


def region_of(authorization: str | bytes | None, url: str | None, default: str) -> str:
    """The region a request is meant for.

    The signature's credential scope is what AWS itself goes by, so it comes
    first; an unsigned request falls back to the host name (``ssm.<region>...``),
    then to ``default``.
    """
    if isinstance(authorization, bytes):
        authorization = authorization.decode(errors="replace")
    found = _REGION_IN_SCOPE.search(authorization or "")
    if found is None:
        found = _REGION_IN_HOST.search(urlsplit(url or "").hostname or "")
    return found.group(1) if found else default


def is_loopback(url: str | None) -> bool:
    """Whether ``url`` points at this machine (127.0.0.0/8, ::1, localhost).

    Such an endpoint is a real server the test started (the kit's own, moto's,
    LocalStack): requests to it must reach it rather than be answered in process.
    """
    host = urlsplit(url or "").hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
