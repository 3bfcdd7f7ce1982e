"""Putting the transports in place for a pytest session, and taking them out after.

The botocore handler must be in ``botocore.handlers.BUILTIN_HANDLERS`` before
the first botocore session is created, and moto must learn the faked
operations before ``mock_aws`` serves them. Neither module may be imported
early (a suite that never uses the fake must not pay for them), so a finder on
``sys.meta_path`` waits for each to load and installs its transport then.

:func:`start` and :func:`stop` pair up and nest (pytest's own ``pytester``
runs a session inside a session): the outermost :func:`stop` removes the
finder, the botocore handler and moto's patched methods.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import threading
from collections.abc import Callable
from typing import Any

_MOTO_BRIDGE = "pytest_ssm_invocations.transports.moto_bridge"
#: Module whose loading installs a transport -> that transport's module and installer.
#: moto's ``mock_aws`` (``moto.core.models``) may intercept an SSM call before moto
#: has loaded its SSM responses: the bridge joins the registry then, so the hook
#: leaves moto the operations it does not fake (CreateDocument...), and patches
#: moto's SSM responses when they load.
_WHEN_LOADED = {
    "botocore.handlers": ("pytest_ssm_invocations.transports.botocore_hook", "install"),
    "moto.core.models": (_MOTO_BRIDGE, "join"),
    "moto.ssm.responses": (_MOTO_BRIDGE, "install"),
}
_lock = threading.Lock()
_sessions = 0
#: What builds a moto backend's own fake, handed to the moto bridge (see :func:`start`).
_backend_fake: list[Callable[[str], Any]] = []


def start(backend_fake: Callable[[str], Any] | None = None) -> None:
    """Install each transport now if its module is loaded, else as soon as it loads.

    ``backend_fake(region)`` builds the fake of a moto backend that no active fake
    serves (the plugin's builds a ``FakeSSM``): the transports import no fake.
    """
    global _sessions
    with _lock:
        _sessions += 1
        if backend_fake is not None:
            _backend_fake[:] = [backend_fake]
        if _sessions > 1:
            return
        for watched, transport in _WHEN_LOADED.items():
            if watched in sys.modules:
                _install(transport)
        if any(watched not in sys.modules for watched in _WHEN_LOADED):
            sys.meta_path.insert(0, _FINDER)


def stop() -> None:
    """Undo :func:`start`: remove the finder, then uninstall the transports it installed."""
    global _sessions
    with _lock:
        if _sessions == 0:
            return
        _sessions -= 1
        if _sessions > 0:
            return
        while _FINDER in sys.meta_path:
            sys.meta_path.remove(_FINDER)
        for transport in dict(_WHEN_LOADED.values()):
            module = sys.modules.get(transport)  # never imported: nothing to undo
            if module is not None:
                module.uninstall()


def _install(transport: tuple[str, str]) -> None:
    module, installer = transport
    install = getattr(importlib.import_module(module), installer)
    if module == _MOTO_BRIDGE:
        install(_backend_fake[0] if _backend_fake else None)
    else:
        install()


class _InstallWhenLoaded(importlib.abc.MetaPathFinder):
    """Installs the botocore handler and the moto bridge as their modules load.

    So every botocore session, even one created before the first test that uses
    the fake, carries the (inactive until then) handler, and moto answers
    ListCommandInvocations however it is used. Costs nothing before.
    """

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        transport = _WHEN_LOADED.get(name)
        if transport is None:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            if any(m not in sys.modules for m in _WHEN_LOADED if m != name):
                sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            run(module)
            _install(transport)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


_FINDER = _InstallWhenLoaded()
