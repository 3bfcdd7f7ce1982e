"""What AWS assumes where a request leaves a member out, and the region a fake starts in.

Each default is spelled here once; builders, the fake's signatures and the
service read them from here. MaxConcurrency 50 and MaxErrors 0 are the service
model's documented defaults (SendCommandRequest's docs; a test reads them back
from the model). TimeoutSeconds 3600: the API reference documents none; real
captures' ``ExpiresAfter`` (RequestedDateTime + 7200 s, with the shell
documents' ``executionTimeout`` of 3600) imply it. The region is the one AWS's
own examples use.
"""

from __future__ import annotations

DEFAULT_MAX_CONCURRENCY = "50"
DEFAULT_MAX_ERRORS = "0"
DEFAULT_TIMEOUT_SECONDS = 3600
DEFAULT_REGION = "us-east-1"
