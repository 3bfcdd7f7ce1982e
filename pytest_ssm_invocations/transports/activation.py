"""Turning a fake on for every botocore client of the process, and off again.

What ``with FakeSSM() as fake:`` and the ``ssm_invocations`` fixture both do:
the fake answers SSM requests (the botocore hook and its registry), botocore's
JSON parser reads the fake's answers without walking their bytes
(``transports.parsed``), and botocore's retry and waiter sleeps, its adaptive
retry limiter and aiobotocore's sleeps run on the fake clock instead of
waiting; with ``time="fake"`` the code under test's own sleeps and clock
reads do too (``fake_time``). Fakes nest and may be exited in any order:
sleeps move the clock of the fake that serves the sleeping code
(``registry.active()``), and the real modules are back in place once no
fake is active.
"""

from __future__ import annotations

import importlib
import sys
import threading
from typing import TYPE_CHECKING, Any

from . import registry

if TYPE_CHECKING:
    from ..store.clock import FakeClock

#: Where botocore sleeps: (module, its name for the module it sleeps with).
_SLEEPERS = (("botocore.endpoint", "time"), ("botocore.waiter", "time"))
#: Where aiobotocore sleeps. Importing aiobotocore costs a fifth of a second
#: (aiohttp): these are patched once something else has imported them, at the
#: latest by the first answer to an aiobotocore client (:func:`_catch_up`).
_ASYNC_SLEEPERS = (("aiobotocore.endpoint", "asyncio"), ("aiobotocore.waiter", "asyncio"))
_ASYNC_BUCKET = "aiobotocore.retries.bucket"
_LATE = frozenset({*(name for name, _ in _ASYNC_SLEEPERS), _ASYNC_BUCKET})

_lock = threading.RLock()
_replaced: list[tuple[Any, str, Any]] = []
_patched: set[str] = set()
#: Whether the process-wide patches are on (from the first :func:`enter` until no fake
#: is active in the registry, whose stack of activations is the one there is).
_on = False


def enter(fake: registry.Answers) -> None:
    """Make ``fake`` the one that answers and sleeps, until :func:`leave`."""
    from . import botocore_hook

    global _on
    with _lock:
        botocore_hook.activate(fake)
        if not _on:
            _on = True
            _patch()  # with ``fake`` serving: the limiter's clock starts at its time
            registry.on_answer(_catch_up)
        if fake.time == "fake":
            from . import fake_time

            try:
                fake_time.start(fake)
            except BaseException:
                _leave(fake)
                raise


def leave(fake: registry.Answers) -> None:
    """Undo one :func:`enter` of ``fake``, whatever was entered after it."""
    with _lock:
        if fake.time == "fake":
            from . import fake_time

            fake_time.stop(fake)
        _leave(fake)


def _leave(fake: registry.Answers) -> None:
    from . import botocore_hook

    global _on
    with _lock:
        botocore_hook.deactivate(fake)
        if _on and not registry.activations():
            _on = False
            registry.on_answer(None)
            _unpatch()


def _serving_clock() -> FakeClock | None:
    """The clock of the fake serving the calling code; None when there is none."""
    try:
        fake = registry.active()
    except registry.FakeEndedError:
        return None  # the code's own fake has ended: it waits for real, as without one
    return None if fake is None else fake.clock


class _ServingClock:
    """The clock of whichever fake serves the caller, for botocore's adaptive limiter.

    Fakes entered inside another one with a clock of their own make the
    limiter's time jump to theirs; it never waits for real either way.
    """

    @property
    def now_ms(self) -> int:
        clock = _serving_clock()
        if clock is None:
            import time

            return time.time_ns() // 1_000_000
        return clock.now_ms

    def sleep(self, seconds: float) -> None:
        clock = _serving_clock()
        if clock is None:
            import time

            time.sleep(seconds)
        else:
            clock.sleep(seconds)


class _Sleeps:
    """Stands in for ``time`` where botocore sleeps: ``sleep`` moves the serving fake's clock.

    Everything else is the real module.
    """

    def __init__(self, real: Any) -> None:
        self._real = real

    def sleep(self, seconds: float) -> None:
        clock = _serving_clock()
        if clock is None:
            self._real.sleep(seconds)
        else:
            clock.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _AsyncSleeps(_Sleeps):
    """The same for ``asyncio`` where aiobotocore sleeps: an awaitable ``sleep``."""

    async def sleep(self, seconds: float, result: Any = None) -> Any:  # type: ignore[override]
        clock = _serving_clock()
        if clock is None:
            return await self._real.sleep(seconds, result)
        clock.sleep(seconds)
        return result


def _replace(owner: Any, attribute: str, value: Any) -> None:
    _replaced.append((owner, attribute, getattr(owner, attribute)))
    setattr(owner, attribute, value)


def _patch() -> None:
    from .botocore_hook import patch_send
    from .parsed import patch_json_parser
    from .retry_clock import patch_adaptive_retries

    patch_send(_replace)
    for module_name, attribute in _SLEEPERS:
        _replace_sleep(importlib.import_module(module_name), attribute)
    patch_adaptive_retries(_replace, _ServingClock())
    patch_json_parser(_replace)
    _catch_up()


def _replace_sleep(module: Any, attribute: str) -> None:
    real = getattr(module, attribute)
    _replace(module, attribute, _AsyncSleeps(real) if attribute == "asyncio" else _Sleeps(real))
    _patched.add(module.__name__)


def _catch_up() -> None:
    """Patch aiobotocore's sleeps and limiter if it was imported since they were last looked at."""
    if _patched >= _LATE:
        return
    from .retry_clock import patch_async_adaptive_retries

    with _lock:
        if not _on:
            return
        for module_name, attribute in _ASYNC_SLEEPERS:
            module = sys.modules.get(module_name)
            if module is not None and module_name not in _patched:
                _replace_sleep(module, attribute)
        bucket = sys.modules.get(_ASYNC_BUCKET)
        if bucket is not None and _ASYNC_BUCKET not in _patched:
            patch_async_adaptive_retries(bucket, _replace, _ServingClock())
            _patched.add(_ASYNC_BUCKET)


def _unpatch() -> None:
    while _replaced:
        owner, attribute, real = _replaced.pop()
        setattr(owner, attribute, real)
    _patched.clear()
