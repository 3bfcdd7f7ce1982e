"""``time="fake"``: the code under test's sleeps and clock reads on the fake clock.

Every check reads a real outcome: what ``time.time()``, ``datetime.now()``,
``time.monotonic()`` and the records say, and that nothing waited (a sleep of
an hour returning while ``perf_counter``, which stays real, moved by less
than a few seconds).
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations import FakeSSM
from pytest_ssm_invocations.store.clock import FakeClock

pytest_plugins = ["pytester"]
time_machine = pytest.importorskip("time_machine")

UTC = timezone.utc
START = datetime(2025, 6, 1, tzinfo=UTC)
#: An hour of fake sleeping must take far less real time than this.
REAL_BOUND = 5.0


def _now() -> datetime:
    return datetime.now(UTC)


def test_sleeps_and_clock_reads_follow_the_fake_clock() -> None:
    began = time.perf_counter()
    with FakeSSM(time="fake") as fake:
        assert _now() == START == fake.clock.now
        assert time.time() == START.timestamp()
        mono = time.monotonic()
        time.sleep(3600)
        assert fake.clock.now == START + timedelta(hours=1) == _now()
        assert time.monotonic() == pytest.approx(mono + 3600)
        assert time.monotonic_ns() // 10**9 == int(mono + 3600)
        assert datetime.now().astimezone(UTC) == fake.clock.now  # naive local now too
        fake.clock.advance(minutes=1)
        assert time.time() == (START + timedelta(minutes=61)).timestamp()
    assert time.perf_counter() - began < REAL_BOUND
    assert abs(time.time() - time.perf_counter() - (time.time() - time.perf_counter())) < 1
    assert _now().year >= 2026  # real time again


def test_real_time_is_the_default() -> None:
    with FakeSSM() as fake:
        assert fake.time == "real"
        assert _now().year >= 2026
        assert time.sleep.__module__ == "time"  # the real builtin


def test_a_bad_mode_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="time='frozen'; valid: 'real', 'fake'"):
        FakeSSM(time="frozen")


def test_threads_started_in_the_test_sleep_on_the_fake_clock() -> None:
    with FakeSSM(time="fake") as fake:
        worker = threading.Thread(target=time.sleep, args=(600,))
        worker.start()
        worker.join(timeout=REAL_BOUND)
        assert not worker.is_alive()
        assert fake.clock.now == START + timedelta(minutes=10)


def test_a_thread_started_before_the_fake_keeps_real_sleeps() -> None:
    readings: list[float] = []
    go, done = threading.Event(), threading.Event()

    def outsider() -> None:
        go.wait(REAL_BOUND)
        began = time.monotonic()
        time.sleep(0.05)
        readings.append(time.monotonic() - began)
        done.set()

    thread = threading.Thread(target=outsider)
    thread.start()
    with FakeSSM(time="fake") as fake:
        go.set()
        done.wait(REAL_BOUND)
        assert fake.clock.now == START  # its sleep did not move the test's clock
    thread.join()
    assert 0.04 <= readings[0] < REAL_BOUND


def test_asyncio_sleeps_overlap_and_timers_fire_on_the_fake_clock() -> None:
    async def scenario() -> tuple[float, bool, list[str]]:
        loop = asyncio.get_running_loop()
        began = loop.time()
        await asyncio.gather(asyncio.sleep(10), asyncio.sleep(20))  # concurrent: 20 s
        fired: list[str] = []
        loop.call_later(5, fired.append, "later")
        try:
            await asyncio.wait_for(asyncio.Event().wait(), timeout=30)
            timed_out = False
        except asyncio.TimeoutError:
            timed_out = True
        return loop.time() - began, timed_out, fired

    real = time.perf_counter()
    with FakeSSM(time="fake") as fake:
        elapsed, timed_out, fired = asyncio.run(scenario())
        assert fake.clock.now == START + timedelta(seconds=50)
    assert elapsed == pytest.approx(50, abs=0.01)
    assert timed_out
    assert fired == ["later"]
    assert time.perf_counter() - real < REAL_BOUND


def test_the_fake_clock_follows_a_time_machine_traveller() -> None:
    destination = datetime(2030, 1, 1, tzinfo=UTC)
    with time_machine.travel(destination, tick=False) as traveller, FakeSSM() as fake:
        handle = fake.add_command(instances=1)
        assert handle.command["RequestedDateTime"] == destination
        traveller.shift(90)
        assert fake.clock.now == destination + timedelta(seconds=90)
        fake.clock.advance(minutes=5)  # moves the traveller too
        assert _now() == destination + timedelta(minutes=6, seconds=30)


def test_fake_time_under_a_traveller_moves_the_traveller() -> None:
    destination = datetime(2030, 1, 1, tzinfo=UTC)
    with time_machine.travel(destination, tick=False), FakeSSM(time="fake") as fake:
        time.sleep(30)
        assert fake.clock.now == _now() == destination + timedelta(seconds=30)
    assert _now().year >= 2026


def test_a_traveller_started_inside_fake_time_leads_until_it_stops() -> None:
    with FakeSSM(time="fake") as fake:
        with time_machine.travel(datetime(2031, 5, 5, tzinfo=UTC), tick=False):
            time.sleep(5)
            assert fake.clock.now == _now() == datetime(2031, 5, 5, 0, 0, 5, tzinfo=UTC)
        assert fake.clock.now == _now()  # the fake's own traveller took over at that now
        time.sleep(5)
        assert _now() == datetime(2031, 5, 5, 0, 0, 10, tzinfo=UTC)


def test_the_fake_clock_follows_freezegun() -> None:
    freezegun = pytest.importorskip("freezegun")
    with freezegun.freeze_time("2029-02-03 04:05:06") as frozen, FakeSSM(time="fake") as fake:
        assert fake.clock.now == datetime(2029, 2, 3, 4, 5, 6, tzinfo=UTC)
        frozen.tick(timedelta(seconds=4))
        assert fake.clock.now == datetime(2029, 2, 3, 4, 5, 10, tzinfo=UTC)
        time.sleep(50)  # fake time moves freezegun's clock
        assert datetime.now(UTC) == datetime(2029, 2, 3, 4, 6, tzinfo=UTC) == fake.clock.now


def test_a_fake_ended_out_of_order_leaves_the_other_on_fake_time() -> None:
    outer, inner = FakeSSM(time="fake"), FakeSSM(time="fake", clock=FakeClock(START))
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)
    time.sleep(7)
    assert inner.clock.now == START + timedelta(seconds=7) == _now()
    inner.__exit__(None, None, None)
    assert _now().year >= 2026


@given(
    st.lists(
        st.tuples(st.sampled_from(["sleep", "advance", "shift"]), st.integers(0, 10**7)),
        max_size=12,
    )
)
def test_every_reading_agrees_whatever_moves_the_clock(steps: list[tuple[str, int]]) -> None:
    with FakeSSM(time="fake") as fake:
        monotonic = time.monotonic()
        for how, ms in steps:
            if how == "sleep":
                time.sleep(ms / 1000)
            elif how == "advance":
                fake.clock.advance(milliseconds=ms)
            else:
                fake.clock.advance_ms(ms)
            assert time.time_ns() // 10**6 == fake.clock.now_ms
            assert _now() == fake.clock.now
            assert time.monotonic() >= monotonic
            monotonic = time.monotonic()
        total = sum(ms for _, ms in steps)
        assert fake.clock.now_ms == START.timestamp() * 1000 + total


def test_advance_names_the_keyword_meant() -> None:
    clock = FakeClock(START)
    with pytest.raises(TypeError, match="'minute' \\(did you mean 'minutes'\\?\\)"):
        clock.advance(minute=5)  # type: ignore[call-arg]
    assert clock.now == START


def test_sleep_refuses_what_time_sleep_refuses() -> None:
    clock = FakeClock(START)
    with pytest.raises(ValueError, match="non-negative"):
        clock.sleep(-1)
    with pytest.raises(TypeError, match="not str"):
        clock.sleep("5")  # type: ignore[arg-type]
    assert clock.now == START


# -- through the plugin ----------------------------------------------------

POLLER = """
    import time
    from datetime import datetime, timedelta, timezone

    import boto3

    def wait(command_id):
        ssm = boto3.client("ssm")
        deadline = time.time() + 600
        while time.time() < deadline:
            status = ssm.list_commands(CommandId=command_id)["Commands"][0]["Status"]
            if status not in ("Pending", "InProgress"):
                return status
            time.sleep(5)
        raise TimeoutError(command_id)

    def recent():
        since = datetime.now(timezone.utc) - timedelta(hours=1)
        value = since.strftime("%Y-%m-%dT%H:%M:%SZ")
        filters = [{"key": "InvokedAfter", "value": value}]
        pages = boto3.client("ssm").get_paginator("list_command_invocations").paginate(
            Filters=filters
        )
        return [i for page in pages for i in page["CommandInvocations"]]
"""


@pytest.mark.parametrize(
    ("how", "args", "ini"),
    [
        ("marker", (), ""),
        ("option", ("--ssm-time=fake",), ""),
        ("ini", (), "[pytest]\nssm_invocations_time = fake\n"),
    ],
)
def test_each_way_to_choose_fake_time(
    pytester: pytest.Pytester, how: str, args: tuple[str, ...], ini: str
) -> None:
    pytester.makepyfile(poller=POLLER)
    marker = '@pytest.mark.ssm_invocations(time="fake")' if how == "marker" else ""
    pytester.makepyfile(
        f"""
        import pytest
        from poller import recent, wait

        {marker}
        def test_polls_on_the_fake_clock(ssm_invocations):
            handle = ssm_invocations.add_command(instances=3, progress="clock")
            assert wait(handle.command_id) == "Success"
            assert len(recent()) == 3
        """
    )
    if ini:
        pytester.makefile(".ini", pytest=ini)
    result = pytester.runpytest("-p", "no:randomly", *args)
    result.assert_outcomes(passed=1)
    if how != "marker":
        result.stdout.fnmatch_lines(["ssm-invocations: time fake*"])


def test_bad_time_modes_name_the_valid_ones(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.ssm_invocations(time="frozen")
        def test_bad(ssm_invocations):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*time='frozen'; valid: real, fake*"])
    pytester.makefile(".ini", pytest="[pytest]\nssm_invocations_time = slow\n")
    result = pytester.runpytest("-p", "no:randomly")
    result.stderr.fnmatch_lines(["*ssm_invocations_time must be one of real, fake, not 'slow'*"])
    assert pytester.runpytest("--ssm-time=slow").ret == pytest.ExitCode.USAGE_ERROR


def test_real_time_comes_back_after_a_failure_and_a_setup_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import time
        from datetime import datetime, timezone

        import pytest

        pytestmark = pytest.mark.ssm_invocations(time="fake")

        @pytest.fixture
        def broken(ssm_invocations):
            time.sleep(60)
            raise RuntimeError("setup broke")

        def test_1_fails(ssm_invocations):
            time.sleep(60)
            assert False, "the body failed"

        def test_2_setup_errors(broken):
            pass

        @pytest.mark.ssm_invocations(time="real")
        def test_3_real_again():
            assert datetime.now(timezone.utc).year >= 2026
            began = time.perf_counter()
            time.sleep(0.02)
            assert time.perf_counter() - began >= 0.015
            assert time.sleep.__module__ == "time"
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, failed=1, errors=1)


def test_async_code_under_pytest_asyncio(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_asyncio")
    pytester.makepyfile(
        """
        import asyncio
        import time
        from datetime import datetime, timedelta, timezone

        import pytest

        @pytest.mark.asyncio
        @pytest.mark.ssm_invocations(time="fake")
        async def test_polls_with_asyncio_sleep(ssm_invocations):
            handle = ssm_invocations.add_command(instances=2, progress="clock")
            began = time.perf_counter()
            while handle.command["Status"] in ("Pending", "InProgress"):
                await asyncio.sleep(5)
            assert handle.command["Status"] == "Success"
            assert datetime.now(timezone.utc) == ssm_invocations.clock.now
            assert ssm_invocations.clock.now > datetime(2025, 6, 1, tzinfo=timezone.utc)
            assert time.perf_counter() - began < 5
        """
    )
    pytester.runpytest("-p", "no:randomly", "-p", "asyncio").assert_outcomes(passed=1)


def test_a_frozen_poll_loop_fails_fast_naming_the_fixes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(poller=POLLER.replace("time.sleep(5)", "pass"))
    pytester.makepyfile(
        """
        from poller import wait

        def test_spins(ssm_invocations):
            handle = ssm_invocations.add_command(instances=2, progress="clock")
            try:
                wait(handle.command_id)
            except Exception:  # code under test swallowing errors cannot swallow this
                pass

        def test_moves_the_clock(ssm_invocations):
            import boto3
            handle = ssm_invocations.add_command(instances=2, progress="clock")
            ssm = boto3.client("ssm")
            polls = 0
            command_id = handle.command_id
            while ssm.list_commands(CommandId=command_id)["Commands"][0]["Status"] != "Success":
                ssm_invocations.clock.advance(0.002)
                polls += 1
            assert polls > 200

        def test_poll_mode_is_never_stopped(ssm_invocations):
            import boto3
            handle = ssm_invocations.add_command(
                instances=1, progress="poll", statuses=["InProgress"]
            )
            ssm = boto3.client("ssm")
            node = handle.instance_ids[0]
            for _ in range(300):
                ssm.get_command_invocation(CommandId=handle.command_id, InstanceId=node)
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ListCommands answered command * Pending 200 times in a row*"
            "*fake.clock.advance(...)*fake.clock.sleep*time=*fake*",
            "(polled at *poller.py:*)",
        ]
    )


def test_a_frozen_poll_over_the_local_endpoint_fails_the_test_at_teardown(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import boto3
        from botocore.config import Config

        def test_polls_from_outside(ssm_invocations_server, ssm_invocations):
            handle = ssm_invocations.add_command(instances=1, progress="clock")
            ssm = boto3.client(
                "ssm", endpoint_url=ssm_invocations_server.endpoint_url,
                config=Config(retries={"max_attempts": 1}),
            )
            for _ in range(250):  # answered InternalServerError once stopped, retried
                ssm.list_commands(CommandId=handle.command_id)
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ListCommands answered command * 200 times in a row*"])


def test_a_loop_that_really_sleeps_is_stopped_after_ten_real_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pytest_ssm_invocations.service import polls

    real_seconds = iter([0.0, 5.0, 12.0])  # three polls, twelve seconds apart in all
    monkeypatch.setattr(polls.time, "perf_counter", lambda: next(real_seconds))
    watch = polls.PollWatch()
    params = {"CommandId": "c0ffee00-0000-4000-8000-000000000000"}
    watch.answered("GetCommandInvocation", params, "us-east-1", ["InProgress"], 0)
    watch.answered("GetCommandInvocation", params, "us-east-1", ["InProgress"], 0)
    with pytest.raises(polls.FrozenPollError, match=r"3 times in a row \(12.0 s of real time\)"):
        watch.answered("GetCommandInvocation", params, "us-east-1", ["InProgress"], 0)


def test_a_final_state_a_new_answer_or_a_moved_clock_starts_the_count_again() -> None:
    from pytest_ssm_invocations.service import polls

    watch = polls.PollWatch()
    params = {"CommandId": "c0ffee00-0000-4000-8000-000000000000"}
    for n in range(polls.POLL_LIMIT * 3):
        state = ["Success"] if n % 150 == 149 else ["InProgress"]
        watch.answered("ListCommands", params, "us-east-1", state, 0)
    for n in range(polls.POLL_LIMIT * 3):
        watch.answered("ListCommands", params, "us-east-1", ["Pending"], n // 100)
    assert watch.stopped == []
    for _ in range(polls.POLL_LIMIT - 1):
        watch.answered("ListCommands", params, "us-east-1", ["Pending"], 10**6)
    with pytest.raises(polls.FrozenPollError):
        watch.answered("ListCommands", params, "us-east-1", ["Pending"], 10**6)


def test_time_machine_s_fixture_in_either_order(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import time
        from datetime import datetime, timezone

        import pytest

        DESTINATION = datetime(2032, 7, 1, tzinfo=timezone.utc)
        pytestmark = pytest.mark.ssm_invocations(time="fake")

        def test_fake_first(ssm_invocations, time_machine):
            time_machine.move_to(DESTINATION, tick=False)
            time.sleep(60)
            assert ssm_invocations.clock.now == datetime(2032, 7, 1, 0, 1, tzinfo=timezone.utc)
            assert datetime.now(timezone.utc) == ssm_invocations.clock.now

        def test_traveller_first(time_machine, ssm_invocations):
            time_machine.move_to(DESTINATION, tick=False)
            record = ssm_invocations.add_command(instances=1).command
            assert record["RequestedDateTime"] == DESTINATION

        @pytest.mark.ssm_invocations(time="real")
        def test_real_again_after_both():
            assert datetime.now(timezone.utc).year >= 2026
            assert time.sleep.__module__ == "time"
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=3)
