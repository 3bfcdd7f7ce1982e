"""A fake serves only its own test: threads and tasks know the fake they were started under."""

from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.transports import registry

from ..conftest import active, client


def test_a_thread_left_running_by_a_test_is_refused_by_the_next(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import threading, boto3
        from pytest_ssm_invocations.transports.registry import FakeEndedError

        go, done, outcome = threading.Event(), threading.Event(), []

        def client():
            return boto3.session.Session().client(
                "ssm", region_name="us-east-1",
                aws_access_key_id="a", aws_secret_access_key="b")

        def late_caller():
            go.wait(30)
            try:
                client().list_command_invocations()
                outcome.append("served")
            except FakeEndedError as error:
                outcome.append(str(error))
            done.set()

        def test_starts_a_thread(ssm_invocations):
            threading.Thread(target=late_caller, daemon=True).start()

        def test_next(ssm_invocations):
            go.set()
            assert done.wait(30)
            assert ssm_invocations.calls == []
            assert "test_starts_a_thread" in outcome[0], outcome
            assert "no longer active" in outcome[0]
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_threads_started_inside_a_test_are_served_by_its_fake(ssm_invocations: FakeSSM) -> None:
    handle = ssm_invocations.add_command(instances=3)
    ssm = client()  # built here, called from the inner thread
    found: list[int] = []

    def work() -> None:
        inner = threading.Thread(target=lambda: found.append(count()))
        inner.start()
        inner.join()

    def count() -> int:
        got = ssm.list_command_invocations(CommandId=handle.command_id)
        return len(got["CommandInvocations"])

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert found == [3]
    assert len(ssm_invocations.calls) == 1


def test_a_thread_started_before_any_fake_is_served_by_the_active_one() -> None:
    go, finished = threading.Event(), threading.Event()
    seen: list[object] = []

    def worker() -> None:
        go.wait(30)
        seen.append(registry.active())
        finished.set()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()  # no fake active yet: the thread belongs to none
    fake = FakeSSM(seed=1)
    with active(fake):
        go.set()
        assert finished.wait(30)
    thread.join(30)
    assert seen == [fake]


def test_the_thread_start_patch_is_only_on_while_a_fake_is_active() -> None:
    original = threading.Thread.start
    with active(FakeSSM(seed=1)):
        assert threading.Thread.start is not original
    assert threading.Thread.start is original


def test_activations_nest_and_end_in_any_order() -> None:
    first, second = FakeSSM(seed=1), FakeSSM(seed=2)
    registry.activate(first, owner="first")
    registry.activate(second, owner="second")
    assert registry.active() is second
    registry.deactivate(first)
    assert registry.active() is second
    registry.deactivate(second)
    assert registry.active() is None
    registry.deactivate(second)  # no-op


def test_work_carrying_a_context_is_served_by_that_contexts_fake() -> None:
    """A pool thread of an ended fake serves work submitted with a live fake's context."""
    ended, live = FakeSSM(seed=1), FakeSSM(seed=2)
    with ThreadPoolExecutor(max_workers=1) as pool:
        with active(ended):
            pool.submit(lambda: None).result()  # its one thread starts under ``ended``
        with active(live):
            carried = contextvars.copy_context()  # what asyncio.to_thread does
            assert pool.submit(carried.run, registry.active).result() is live
            with pytest.raises(registry.FakeEndedError):
                pool.submit(registry.active).result()


class _Worker:
    """A thread that enters and leaves ``with fake:`` blocks when told, and says who serves it."""

    def __init__(self) -> None:
        import queue

        self.orders: queue.Queue[tuple[str, FakeSSM | None]] = queue.Queue()
        self.answers: queue.Queue[object] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            order, fake = self.orders.get()
            try:
                if order == "enter":
                    assert fake is not None
                    fake.__enter__()
                    self.answers.put(None)
                elif order == "leave":
                    assert fake is not None
                    fake.__exit__(None, None, None)
                    self.answers.put(None)
                elif order == "serving":
                    self.answers.put(registry.active())
                else:
                    return
            except BaseException as error:  # told to the test, never lost in the thread
                self.answers.put(error)

    def stop(self) -> None:
        self.orders.put(("stop", None))
        self.thread.join(timeout=30)

    def tell(self, order: str, fake: FakeSSM | None = None) -> object:
        self.orders.put((order, fake))
        answer = self.answers.get(timeout=30)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def test_a_thread_leaving_its_block_leaves_another_thread_s_block_of_the_same_fake() -> None:
    fake = FakeSSM(seed=1)
    a, b = _Worker(), _Worker()
    a.tell("enter", fake)
    b.tell("enter", fake)
    a.tell("leave", fake)
    assert b.tell("serving") is fake  # B's block is still open: it is served, not ended
    b.tell("leave", fake)
    assert registry.activations() == 0
    for worker in (a, b):
        worker.stop()


@given(st.permutations(range(6)), st.lists(st.integers(0, 1), min_size=6, max_size=6))
def test_blocks_entered_in_any_threads_leave_in_any_order(
    order: list[int], fakes: list[int]
) -> None:
    """Six blocks (two fakes, three threads) entered in turn, left in any order: every
    thread is served by the latest fake it still has a block of, to the end."""
    pair = (FakeSSM(seed=1), FakeSSM(seed=2))
    workers = [_Worker() for _ in range(3)]
    blocks = [(workers[i % 3], pair[fakes[i]]) for i in range(6)]
    open_blocks: list[tuple[_Worker, FakeSSM]] = []
    try:
        for worker, fake in blocks:
            worker.tell("enter", fake)
            open_blocks.append((worker, fake))
        for index in order:
            worker, fake = blocks[index]
            worker.tell("leave", fake)
            open_blocks.remove((worker, fake))
            for other in workers:
                mine = [f for w, f in open_blocks if w is other]
                if mine:
                    assert other.tell("serving") is mine[-1]
        assert registry.activations() == 0
    finally:
        for worker in workers:
            worker.stop()
