"""A failing test's report explains what the test could not see."""

from __future__ import annotations

import pytest


def test_a_stubber_that_answered_first_is_named(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        from botocore.stub import Stubber

        def test_stubbed(ssm_invocations):
            handle = ssm_invocations.add_command(instances=3)
            ssm = boto3.client("ssm")
            with Stubber(ssm) as stubber:
                stubber.add_response("list_command_invocations", {"CommandInvocations": []})
                got = ssm.list_command_invocations(CommandId=handle.command_id)
            assert len(got["CommandInvocations"]) == 3
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- ssm_invocations: stubbed clients -*",
            "1 SSM call(s) never reached the fake (ListCommandInvocations x1)*Stubber*",
        ]
    )


def test_an_error_aws_leaves_blank_is_explained(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_no_plugin_name(ssm_invocations):
            handle = ssm_invocations.add_command(instances=1, document="AWS-RunPatchBaseline")
            ssm = boto3.client("ssm")
            ssm.get_command_invocation(
                CommandId=handle.command_id, InstanceId=handle.instance_ids[0]
            )
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- ssm_invocations: errors without a message -*",
            "GetCommandInvocation answered InvalidPluginName*AWS-RunPatchBaseline, whose plugins"
            " are 'PatchWindows', 'PatchLinux'*needs PluginName",
        ]
    )


def test_a_passing_test_gets_no_hints(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def test_fine(ssm_invocations):
            handle = ssm_invocations.add_command(instances=1)
            boto3.client("ssm").list_command_invocations(CommandId=handle.command_id)
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "-rA")
    result.assert_outcomes(passed=1)
    assert "ssm_invocations:" not in result.stdout.str()
