"""Which fake answers a request: the one registry every transport reads.

``activate(fake)`` makes a fake the one that answers botocore's SSM requests,
``deactivate(fake)`` ends that, ``active()`` says which fake serves the
calling code. Activations nest: the latest one serves.

A fake serves only the test that owns it. The rule, for a call made from:

- the code (thread, asyncio task) that activated a fake, or code it started
  (a thread started while a fake is active belongs to it, and so do the
  threads that thread starts; ``asyncio.to_thread`` carries the caller's
  context): that fake, as long as it is active; once it is deactivated, a
  call raises :class:`FakeEndedError` naming the test that owned it, instead
  of being served by the next test's fake (or reaching AWS);
- a thread that belongs to no fake (the main thread, threads started outside
  any test such as session-wide pools): the latest fake activated.

So a long-lived thread pool should be started outside the tests (or shut
down by the test that started it); a pool that is lazily started inside one
test and reused by the next one is reported, not silently shared.
"""

from __future__ import annotations

import contextvars
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..store.clock import FakeClock


class Answers(Protocol):
    """What a transport needs from a fake: its default region, an answer per request, and
    its clock and time mode (``"real"`` or ``"fake"``), on which its caller's sleeps run."""

    @property
    def region(self) -> str: ...

    @property
    def clock(self) -> FakeClock: ...

    @property
    def time(self) -> str: ...

    def handle(self, operation: str, params: dict[str, Any], region: str | None = None) -> Any: ...


class FakeEndedError(RuntimeError):
    """An SSM call from code started during a test whose fake is no longer active."""


class NetworkBlockedError(RuntimeError):
    """An SSM call with no fake active while the strict network guard is on."""


@dataclass(eq=False)
class _Activation:
    fake: Answers
    owner: str
    previous: _Activation | None


_lock = threading.RLock()
_stack: list[_Activation] = []
_strict_network = False
#: The activation of the code running now (set where a fake is activated, copied to tasks).
_current: contextvars.ContextVar[_Activation | None] = contextvars.ContextVar(
    "ssm_invocations_activation", default=None
)
#: Where a thread records the activation it was started under.
_THREAD_OWNER = "_ssm_invocations_activation"
#: ``Thread.start`` as it was when the patch went on, put back when no fake is active.
_thread_start: Callable[[threading.Thread], None] = threading.Thread.start


def activate(fake: Answers, owner: str | None = None) -> None:
    """Make ``fake`` answer from now on; ``owner`` names it in errors (default: the test)."""
    with _lock:
        activation = _Activation(fake, owner or _running_test() or repr(fake), _current.get())
        _stack.append(activation)
        _current.set(activation)
        if len(_stack) == 1:
            _own_new_threads(True)


def deactivate(fake: Answers) -> None:
    """End one activation of ``fake``: the caller's own; a no-op if it is not active.

    Blocks of one fake may be entered in several threads and left in any
    order: leaving ends the activation the leaving code made (the latest of
    ``fake`` in its context), never another thread's. Code that leaves a
    block it did not enter (a fixture finished in another context) ends the
    latest activation of ``fake``.
    """
    with _lock:
        current = _current.get()
        activation = _in_force(_own_activation(current, fake))
        if activation is None:
            activation = next((a for a in reversed(_stack) if a.fake is fake), None)
        if activation is None:
            return
        _stack.remove(activation)
        if current is activation:
            _current.set(_in_force(activation.previous))
        if not _stack:
            _own_new_threads(False)


def _own_activation(current: _Activation | None, fake: Answers) -> _Activation | None:
    """The latest activation of ``fake`` in the chain the calling code runs under."""
    while current is not None and (current.fake is not fake or not _is_in_force(current)):
        current = current.previous
    return current


def _in_force(activation: _Activation | None) -> _Activation | None:
    """``activation``, or the latest one before it still in force (others ended out of order)."""
    while activation is not None and not _is_in_force(activation):
        activation = activation.previous
    return activation


def _is_in_force(activation: _Activation) -> bool:
    return any(a is activation for a in _stack)


def active() -> Answers | None:
    """The fake that serves the calling code, or None when no fake is active.

    Raises :class:`FakeEndedError` when the calling code belongs to a fake that
    is no longer active (see the module's rule).
    """
    with _lock:
        owned = _owner_of_caller()
        if owned is None:
            return _stack[-1].fake if _stack else None
        if any(a is owned for a in _stack):
            return owned.fake
        raise FakeEndedError(
            f"an SSM call came from a thread or task started during {owned.owner}, whose fake "
            "SSM is no longer active; a fake serves only the test that owns it. Join the "
            "threads a test starts before it ends, or start long-lived threads and pools "
            "outside the tests (for example in a session-scoped fixture)."
        )


def activations() -> int:
    """How many activations are in force (every fake's, however it was activated)."""
    return len(_stack)


def owned() -> Answers | None:
    """The active fake the calling code belongs to (see the module's rule); None otherwise.

    Unlike :func:`active`, a thread that belongs to no fake gets None: a
    session-wide thread keeps real time while a test runs on a fake clock.
    """
    owner = _owner_of_caller()
    if owner is None:
        return None
    stack = _stack
    for activation in reversed(stack):
        if activation is owner:
            return owner.fake
    return None


#: Run by the in-process hook before each answer (see :func:`on_answer`).
_before_answer: Callable[[], None] | None = None


def on_answer(callback: Callable[[], None] | None) -> None:
    """Have ``callback`` run before each in-process answer (None: no longer).

    The activation uses it to catch up with modules imported after the fake
    was entered (aiobotocore's, whose sleeps must run on the fake clock).
    """
    global _before_answer
    _before_answer = callback


def before_answer() -> None:
    callback = _before_answer
    if callback is not None:
        callback()


#: Run by the in-process hook before every AWS request, of any service (see :func:`on_request`).
_before_request: list[Callable[[], None]] = []


def on_request(callback: Callable[[], None]) -> None:
    """Have ``callback`` run before every botocore request (idempotent).

    What a fake delivers outside SSM (its outputs into moto's S3 and Logs) is
    delivered there, before anything can read it.
    """
    with _lock:
        if callback not in _before_request:
            _before_request.append(callback)


def before_request() -> None:
    for callback in _before_request:
        callback()


#: Per fake: how many SSM calls of each operation got an answer the fake never gave (a
#: botocore ``Stubber`` on their client answered first).
_unseen: weakref.WeakKeyDictionary[Any, dict[str, int]] = weakref.WeakKeyDictionary()
#: Whether the SSM call running in this context (thread, task) went through the hook.
_sent: contextvars.ContextVar[bool] = contextvars.ContextVar("ssm_invocations_sent", default=False)


def call_begins() -> None:
    """An SSM call starts (``before-parameter-build``, which every handler sees)."""
    _sent.set(False)


def call_sent() -> None:
    """The call reached the hook (``before-send``): whoever answers, the fake saw it."""
    _sent.set(True)


def call_answered(operation: str) -> None:
    """The call got its answer (``after-call``): counted for the serving fake if it never
    went through the hook."""
    if _sent.get():
        return
    try:
        fake = active()
    except FakeEndedError:
        return
    if fake is not None:
        with _lock:
            counts = _unseen.setdefault(fake, {})
            counts[operation] = counts.get(operation, 0) + 1


def unseen(fake: Answers) -> dict[str, int]:
    """How many SSM calls of each operation were answered without ``fake`` seeing them."""
    with _lock:
        return dict(_unseen.get(fake, {}))


#: SSM operations that change something on real nodes: under pytest, never sent for real
#: from a test with no fake active unless the project or the test opts out.
REAL_SENDS = frozenset({"SendCommand", "CancelCommand"})
_send_guard = False


class RealSendBlockedError(NetworkBlockedError):
    """A SendCommand or CancelCommand with no fake active, under pytest's send guard."""


def set_send_guard(on: bool) -> None:
    """With ``on``, SendCommand and CancelCommand with no fake active fail before signing."""
    global _send_guard
    _send_guard = on


def send_guard() -> bool:
    return _send_guard


def set_strict_network(on: bool) -> None:
    """With ``on``, an SSM call made while no fake (nor moto) answers fails instead of leaving."""
    global _strict_network
    _strict_network = on


def strict_network() -> bool:
    return _strict_network


def _owner_of_caller() -> _Activation | None:
    owned = _current.get()
    if owned is None:
        owned = getattr(threading.current_thread(), _THREAD_OWNER, None)
    return owned


def _own_new_threads(on: bool) -> None:
    """Patch ``Thread.start`` while a fake is active (so threads know their fake), then undo it."""
    global _thread_start
    current = threading.Thread.start
    if on and current is not _start_owned:
        _thread_start = current
        threading.Thread.start = _start_owned  # type: ignore[method-assign]
    elif not on and current is _start_owned:
        threading.Thread.start = _thread_start  # type: ignore[method-assign, assignment]


def _start_owned(self: threading.Thread) -> None:
    """``Thread.start`` while a fake is active: the thread belongs to the caller's fake."""
    with _lock:
        owner = _owner_of_caller() or (_stack[-1] if _stack else None)
        start = _thread_start
    if owner is not None:
        setattr(self, _THREAD_OWNER, owner)
    start(self)


def _running_test() -> str:
    """The node id of the test pytest is running, from ``PYTEST_CURRENT_TEST``."""
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]


# -- companions ----------------------------------------------------------------
#
# Another interceptor of botocore (moto's ``mock_aws``) registers here what the
# in-process hook must do to agree with it; the hook never imports it.


class Companion(Protocol):
    def intercepting(self) -> bool:
        """Whether it is intercepting botocore now (SSM calls the fake does not answer are its)."""

    def prepare(self, fake: Answers, region: str) -> None:
        """Bring ``fake`` up to date with its own state before ``fake`` answers in ``region``."""


_companions: list[Companion] = []

#: Header the in-process hook puts on every request it answered, so that a
#: companion called later for the same request (moto's handler runs after ours
#: in the same botocore event) knows the answer is given and leaves it alone.
ANSWERED_HEADER = "x-ssm-invocations-answered-in-process"


def add_companion(companion: Companion) -> None:
    with _lock:
        if companion not in _companions:
            _companions.append(companion)


def remove_companion(companion: Companion) -> None:
    with _lock:
        if companion in _companions:
            _companions.remove(companion)


def companions() -> tuple[Companion, ...]:
    with _lock:
        return tuple(_companions)


__all__ = [
    "ANSWERED_HEADER",
    "REAL_SENDS",
    "Answers",
    "Companion",
    "FakeEndedError",
    "NetworkBlockedError",
    "RealSendBlockedError",
    "activate",
    "activations",
    "active",
    "add_companion",
    "before_request",
    "call_answered",
    "call_begins",
    "call_sent",
    "companions",
    "deactivate",
    "on_request",
    "owned",
    "remove_companion",
    "send_guard",
    "set_send_guard",
    "set_strict_network",
    "strict_network",
    "unseen",
]
