"""Plugin Output built from stdout and stderr exactly as the SSM agent does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations.records.output import (
    ERROR_TITLE,
    ERROR_TRUNCATED,
    MAX_PLUGIN_OUTPUT,
    OUTPUT_TRUNCATED,
    is_truncated,
    plugin_output,
)

LONG = "0123456789" * 40  # 400 characters, longer than a capacity of 100


def test_markers_are_the_agents() -> None:
    assert ERROR_TITLE == "\n----------ERROR-------\n"
    assert OUTPUT_TRUNCATED == "\n---Output truncated---"
    assert ERROR_TRUNCATED == "\n---Error truncated----"
    assert MAX_PLUGIN_OUTPUT == 2500


def test_stdout_alone_is_kept_verbatim() -> None:
    assert plugin_output("hello\n", "") == "hello\n"


def test_empty_streams_give_empty_output() -> None:
    assert plugin_output("", "") == ""


def test_stderr_follows_an_error_title() -> None:
    assert plugin_output("out", "err") == "out\n----------ERROR-------\nerr"
    assert plugin_output("", "err") == "\n----------ERROR-------\nerr"


def test_long_stdout_is_cut_to_the_capacity_with_a_marker() -> None:
    out = plugin_output(LONG, "", capacity=100)
    assert out == LONG[:77] + OUTPUT_TRUNCATED
    assert len(out) == 100


def test_long_stderr_is_cut_after_the_title() -> None:
    out = plugin_output("", LONG, capacity=100)
    assert out == ERROR_TITLE + LONG[:53] + ERROR_TRUNCATED
    assert len(out) == 100


def test_both_long_share_the_space_equally() -> None:
    out = plugin_output(LONG, LONG, capacity=100)
    assert out == LONG[:15] + OUTPUT_TRUNCATED + ERROR_TITLE + LONG[:15] + ERROR_TRUNCATED


def test_short_stdout_is_kept_whole_and_stderr_takes_the_rest() -> None:
    out = plugin_output("short", LONG, capacity=100)
    assert out.startswith("short" + ERROR_TITLE)
    assert out.endswith(ERROR_TRUNCATED)
    assert len(out) == 100


def test_short_stderr_is_kept_whole_and_stdout_takes_the_rest() -> None:
    out = plugin_output(LONG, "boom", capacity=100)
    assert out.endswith(OUTPUT_TRUNCATED + ERROR_TITLE + "boom")
    assert len(out) == 100


def test_exactly_the_capacity_is_cut_as_the_agent_does() -> None:
    # The agent keeps the whole only when it is strictly shorter than the space.
    assert plugin_output("x" * 2499, "") == "x" * 2499
    assert plugin_output("x" * 2500, "").endswith(OUTPUT_TRUNCATED)


def test_multibyte_text_never_splits_a_character() -> None:
    out = plugin_output("é" * 2000, "")
    assert out.endswith(OUTPUT_TRUNCATED)
    assert len(out.encode()) <= MAX_PLUGIN_OUTPUT
    assert set(out.removesuffix(OUTPUT_TRUNCATED)) == {"é"}


def test_is_truncated() -> None:
    assert is_truncated(plugin_output(LONG * 10, ""))
    assert is_truncated(plugin_output("", LONG * 10))
    assert not is_truncated(plugin_output("ok", "warning"))


@given(st.text(max_size=3000), st.text(max_size=3000))
def test_output_never_exceeds_the_capacity_in_bytes(stdout: str, stderr: str) -> None:
    assert len(plugin_output(stdout, stderr).encode()) <= MAX_PLUGIN_OUTPUT


@given(st.text(max_size=1200), st.text(max_size=1200))
def test_what_fits_is_kept_whole(stdout: str, stderr: str) -> None:
    out = plugin_output(stdout, stderr)
    if len(stdout.encode()) + len(stderr.encode()) + len(ERROR_TITLE) < MAX_PLUGIN_OUTPUT:
        assert out == (stdout + ERROR_TITLE + stderr if stderr else stdout)
        assert not is_truncated(out) or OUTPUT_TRUNCATED in stdout + stderr


@given(st.text(alphabet="ab\n", max_size=6000), st.text(alphabet="cd\n", max_size=6000))
def test_truncated_parts_are_prefixes_of_the_streams(stdout: str, stderr: str) -> None:
    out = plugin_output(stdout, stderr)
    head, _, tail = out.partition(ERROR_TITLE)
    assert stdout.startswith(head.removesuffix(OUTPUT_TRUNCATED))
    assert stderr.startswith(tail.removesuffix(ERROR_TRUNCATED))
    assert (ERROR_TITLE in out) == bool(stderr)
