"""Fresh botocore sessions at about the cost of a warm one, for tests under the fixture.

The hermetic environment gives every test new sessions, and botocore builds
each from nothing: some 150 handlers registered one by one (4-5 ms) and a new
data loader that parses the service model, endpoints and partitions again
(about 50 ms). While :func:`share` is in place a new session instead copies
its handlers from a template registered once (as botocore copies a session's
handlers into each of its clients), and its data loader reads through what an
identical loader read before: the models are read-only data. Everything else
is the session's own, as botocore makes it: credentials, config, the handlers
registered later, the loader's search paths.
"""

from __future__ import annotations

import copy
import os
from typing import Any

import pytest
from botocore import handlers
from botocore.hooks import EventAliaser, HierarchicalEmitter
from botocore.loaders import ExtrasProcessor, JSONFileLoader, Loader
from botocore.session import Session

#: botocore's own, kept before anything here replaces them.
_REGISTER_HANDLERS = Session._register_builtin_handlers
_AIO_EMITTER = "aiobotocore.hooks.AioHierarchicalEmitter"


def _data_paths(value: str | None) -> list[str]:
    """The search paths ``AWS_DATA_PATH`` adds, as ``botocore.loaders.create_loader`` reads it."""
    if value is None:
        return []
    return [os.path.expanduser(os.path.expandvars(path)) for path in value.split(os.pathsep)]


def _boto3_data() -> str:
    import boto3

    return os.path.join(os.path.dirname(boto3.__file__), "data")


#: Folders whose files a loader may share what it read from: botocore's, ``~/.aws/models``,
#: boto3's (each ``boto3.Session`` appends it) and the process's own ``AWS_DATA_PATH``.
#: A loader pointed anywhere else (a test's folder of models) reads on its own, as ever.
_SHAREABLE = frozenset(
    {
        Loader.BUILTIN_DATA_PATH,
        Loader.CUSTOMER_DATA_PATH,
        _boto3_data(),
        *_data_paths(os.environ.get("AWS_DATA_PATH")),
    }
)
#: What loaders in one state have read: (search paths, extras types) -> botocore's cache dict.
_READ: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[Any, Any]] = {}


class SharedLoader(Loader):  # type: ignore[misc]
    """botocore's loader, reading through what any loader in the same state has read.

    A loader's answers follow from its search paths, extras types and file
    loader alone; while those are botocore's own, its ``instance_cache`` dict
    is the one every such loader uses. Change them (``search_paths.insert``)
    and it has a dict of its own, so a model it finds there stays with it.
    """

    _own: dict[Any, Any]

    @property
    def _cache(self) -> dict[Any, Any]:
        if type(self.file_loader) is not JSONFileLoader or (
            type(self._extras_processor) is not ExtrasProcessor
        ):
            return self._own
        paths = tuple(dict.fromkeys(self._search_paths))
        if not _SHAREABLE.issuperset(paths):
            return self._own
        return _READ.setdefault((paths, tuple(self._extras_types)), {})

    @_cache.setter
    def _cache(self, value: dict[Any, Any]) -> None:
        self._own = value


def _register_data_loader(self: Any) -> None:
    """botocore's ``Session._register_data_loader``, with a :class:`SharedLoader`."""
    self._components.lazy_register_component(
        "data_loader",
        lambda: SharedLoader(extra_search_paths=_data_paths(self.get_config_variable("data_path"))),
    )


#: Per emitter class: the handler list it was made from, and the template.
_templates: dict[type, tuple[list[Any], Any]] = {}


def _template(kind: type) -> Any:
    """An emitter of class ``kind`` holding botocore's built-in handlers, as a session's would.

    Rebuilt whenever ``botocore.handlers.BUILTIN_HANDLERS`` changes (moto and
    this kit add theirs to it).
    """
    if kind is not HierarchicalEmitter and f"{kind.__module__}.{kind.__qualname__}" != _AIO_EMITTER:
        return None  # someone's own emitter: it registers its own way
    made = _templates.get(kind)
    if made is None or made[0] != handlers.BUILTIN_HANDLERS:
        template = kind()
        holder = Session.__new__(Session)  # all botocore's registration uses is _events
        holder._events = EventAliaser(template)
        _REGISTER_HANDLERS(holder, holder._events)
        made = _templates[kind] = (list(handlers.BUILTIN_HANDLERS), template)
    return made[1]


def _register_builtin_handlers(self: Any, events: Any) -> None:
    """botocore's ``Session._register_builtin_handlers``, copied from a template.

    The same handlers in the same order, copied the way
    ``HierarchicalEmitter.__copy__`` copies them, for a session's own empty emitter.
    """
    emitter: Any = getattr(self, "_original_handler", None)
    template = None
    if events is self._events and _empty(emitter):
        template = _template(type(emitter))
    if template is None:
        _REGISTER_HANDLERS(self, events)
        return
    emitter._handlers = copy.copy(template._handlers)
    emitter._unique_id_handlers = copy.copy(template._unique_id_handlers)
    emitter._lookup_cache = {}


def _empty(emitter: Any) -> bool:
    trie = getattr(getattr(emitter, "_handlers", None), "_root", None)
    return trie == {"chunk": None, "children": {}, "values": None} and not getattr(
        emitter, "_unique_id_handlers", True
    )


def share(monkeypatch: pytest.MonkeyPatch) -> None:
    """New botocore sessions share read-only models and copy built-in handlers until undone."""
    monkeypatch.setattr(Session, "_register_builtin_handlers", _register_builtin_handlers)
    monkeypatch.setattr(Session, "_register_data_loader", _register_data_loader)
