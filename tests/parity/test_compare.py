"""The masking rule: what a replay and a capture must agree on (``parity.compare``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations import factories
from pytest_ssm_invocations.parity.compare import (
    VOLATILE,
    Bindings,
    added,
    aws_words,
    differences,
    key_order,
    normalised,
    output_shape,
)

LIST = output_shape("ListCommandInvocations")
COMMANDS = output_shape("ListCommands")


def page(seed: int, instances: int = 3) -> dict[str, Any]:
    return dict(factories.response(factories.command(instances=instances, details=True, seed=seed)))


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every scalar in ``value``."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for n, v in enumerate(value) for p in leaves(v, (*path, n))]
    return [path]


def copied(value: Any) -> Any:
    """A copy sharing nothing (records share their empty members; deepcopy keeps that)."""
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copied(v) for v in value]
    return value


def changed(value: Any, path: tuple[Any, ...]) -> Any:
    """``value`` with the scalar at ``path`` replaced by another of its kind."""
    value = copied(value)
    *parents, last = path
    holder = value
    for key in parents:
        holder = holder[key]
    old = holder[last]
    if isinstance(old, bool):
        holder[last] = not old
    elif isinstance(old, int):
        holder[last] = old + 1
    elif isinstance(old, datetime):
        holder[last] = old + timedelta(seconds=1)
    else:
        holder[last] = f"{old}x"
    return value


def compared(expected: Any, got: Any, shape: Any = LIST) -> list[Any]:
    a, b = normalised(expected, shape, Bindings()), normalised(got, shape, Bindings())
    return differences(a, b) + key_order(a, b, shape)


@given(seed=st.integers(0, 10_000))
def test_an_answer_is_the_same_as_itself(seed: int) -> None:
    assert compared(page(seed), page(seed)) == []


@given(seed=st.integers(0, 10_000), data=st.data())
def test_any_changed_value_is_found_unless_its_member_is_volatile(seed: int, data: Any) -> None:
    answer = page(seed)
    path = data.draw(st.sampled_from(leaves(answer)))
    found = compared(answer, changed(answer, path))
    volatile = path[-1] in (
        "RequestedDateTime", "ResponseStartDateTime", "ResponseFinishDateTime", "InstanceName",
    )  # fmt: skip
    assert (found == []) is volatile, (path, found)
    if not volatile:
        assert [d.path.split(".")[-1].split("[")[0] for d in found] == [path[-1]]


def test_a_volatile_member_must_still_be_there() -> None:
    answer = page(1, instances=1)
    missing = copied(answer)
    del missing["CommandInvocations"][0]["RequestedDateTime"]
    (found,) = compared(answer, missing)
    assert found.path == "CommandInvocations[0].RequestedDateTime"
    assert str(found).endswith("AWS has '<volatile>', got nothing")


def test_command_ids_are_bound_in_order_and_inside_strings() -> None:
    theirs, mine = Bindings(), Bindings()
    theirs.bind_command("aaaaaaaa-0000-0000-0000-000000000000")
    mine.bind_command("bbbbbbbb-0000-0000-0000-000000000000")
    url = "https://s3.amazonaws.com/b/p/{}/i-1/awsrunShellScript/0.awsrunShellScript/stdout"
    a = {"Commands": [{"CommandId": "aaaaaaaa-0000-0000-0000-000000000000"}],
         "NextToken": "t1"}  # fmt: skip
    b = {"Commands": [{"CommandId": "bbbbbbbb-0000-0000-0000-000000000000"}], "NextToken": "t2"}
    assert normalised(a, COMMANDS, theirs) == {
        "Commands": [{"CommandId": "<command 1>"}],
        "NextToken": VOLATILE,
    }
    assert differences(normalised(a, COMMANDS, theirs), normalised(b, COMMANDS, mine)) == []
    assert theirs.named(url.format("aaaaaaaa-0000-0000-0000-000000000000")) == mine.named(
        url.format("bbbbbbbb-0000-0000-0000-000000000000")
    )


def test_an_endpoints_own_nodes_read_as_the_captures() -> None:
    mine = Bindings({"i-0mine0000000000001": "i-1234567890abcdef0"})
    named = mine.named("Command sent to i-0mine0000000000001")
    assert named == "Command sent to i-1234567890abcdef0"


def test_map_keys_keep_their_order_structure_members_do_not() -> None:
    command = {"CommandId": "c", "Parameters": {"a": ["1"], "b": ["2"]}, "Status": "Success"}
    reordered = {"Status": "Success", "Parameters": {"b": ["2"], "a": ["1"]}, "CommandId": "c"}
    (found,) = compared({"Commands": [command]}, {"Commands": [reordered]}, COMMANDS)
    assert found.path == "Commands[0].Parameters (key order)"
    assert (found.expected, found.got) == (["a", "b"], ["b", "a"])


def test_members_newer_than_the_capture_are_noted_not_differences() -> None:
    old = {"Commands": [{"CommandId": "c", "Status": "Success"}]}
    new = {"Commands": [{"CommandId": "c", "Status": "Success", "TimeoutSeconds": 3600}]}
    assert compared(old, new, COMMANDS) == []
    assert added(old, new) == ["Commands[0].TimeoutSeconds"]
    (missing,) = compared(new, old, COMMANDS)
    assert missing.path == "Commands[0].TimeoutSeconds"


def test_numbers_compare_by_value_but_a_bool_is_not_a_number() -> None:
    assert differences({"n": 1}, {"n": 1.0}) == []
    assert [d.path for d in differences({"n": 1}, {"n": True})] == ["n"]
    assert [d.path for d in differences({"n": "1"}, {"n": 1})] == ["n"]


def test_an_error_is_compared_on_awss_words_not_the_kits_reason() -> None:
    kit = "document AWS-RunRemoteScript does not support parameters. (pytest-ssm-invocations: "
    kit += "sourceType=['s3']; allowed values: GitHub, S3)"
    assert aws_words(kit) == "document AWS-RunRemoteScript does not support parameters."
    assert aws_words("Rate exceeded") == "Rate exceeded"
    assert aws_words("a (note) in AWS's own words") == "a (note) in AWS's own words"


def test_an_empty_volatile_member_is_compared() -> None:
    shape = output_shape("GetCommandInvocation")
    ended = {"ExecutionEndDateTime": "2020-02-19T18:18:03.419Z"}
    (found,) = differences(normalised(ended, shape, Bindings()),
                           normalised({"ExecutionEndDateTime": ""}, shape, Bindings()))  # fmt: skip
    assert (found.path, found.got) == ("ExecutionEndDateTime", "")


def test_account_ids_are_masked_in_arns_and_messages_only() -> None:
    named = Bindings().named
    assert (
        named("arn:aws:sns:us-east-2:111122223333:topic") == "arn:aws:sns:us-east-2:<account>:topic"
    )
    assert named("not in a valid state for account 775288309636") == (
        "not in a valid state for account <account>"
    )
    assert named("saved [103045821234/103045821234]") == "saved [103045821234/103045821234]"
