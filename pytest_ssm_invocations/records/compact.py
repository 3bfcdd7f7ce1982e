"""Record dicts that share one table of keys with every record of their kind.

A million stored invocations are a million dicts with the same fifteen keys,
each with its own copy of the key table. The attribute dict of a class
instance keeps only its values while its keys are those of the class's other
instances (key-sharing dicts, PEP 412), and it is an ordinary ``dict`` in
every other respect: equality, JSON, copying, mutation (adding a key simply
gives that one dict its own table). A record filled key by key into such a dict
takes about half the memory (``dict.update`` with another dict would copy
that dict's own table instead).
"""

from __future__ import annotations

from . import Record


class _Invocation:
    """Holder whose instances' dicts share the invocation record's keys."""


class _Plugin:
    """Holder whose instances' dicts share the plugin record's keys."""


def invocation_dict() -> Record:
    """An empty dict that, filled in the usual order, shares the invocation records' keys."""
    record: Record = _Invocation().__dict__
    return record


def plugin_dict() -> Record:
    """An empty dict that, filled in the usual order, shares the plugin records' keys."""
    record: Record = _Plugin().__dict__
    return record
