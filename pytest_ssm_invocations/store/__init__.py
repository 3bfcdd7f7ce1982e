"""The fake's state: commands, invocations, the fleet, the clock, their lifecycle and indexes."""

from .indexes import Store as Store
