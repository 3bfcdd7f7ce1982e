"""``@pytest.mark.ssm_invocations`` options: merged across levels, checked once per test."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_options_merge_across_module_class_and_function(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.ssm_invocations(region="eu-west-1", seed=1)

        @pytest.mark.ssm_invocations(seed=5)
        class TestFleet:
            @pytest.mark.ssm_invocations(strict=False)
            def test_all_three(self, ssm_invocations):
                assert (ssm_invocations.region, ssm_invocations.seed) == ("eu-west-1", 5)
                ssm_invocations.page_plan(2)  # never reached: allowed by strict=False

            def test_class_and_module(self, ssm_invocations):
                assert (ssm_invocations.region, ssm_invocations.seed) == ("eu-west-1", 5)

        @pytest.mark.ssm_invocations(strict=False)
        def test_module_region_survives_strict(ssm_invocations):
            assert (ssm_invocations.region, ssm_invocations.seed) == ("eu-west-1", 1)

        @pytest.mark.ssm_invocations(region="ap-south-1")
        def test_the_closest_wins(ssm_invocations):
            assert ssm_invocations.region == "ap-south-1"
            ssm_invocations.page_plan(2)  # strict by default: an error at teardown
        """
    )
    result = pytester.runpytest("--ssm-seed=3", "--strict-markers", "-p", "no:randomly")
    result.assert_outcomes(passed=4, errors=1)
    result.stdout.fnmatch_lines(["ERROR*test_the_closest_wins*"])


def test_the_merged_seed_seeds_factories_without_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from pytest_ssm_invocations import factories

        pytestmark = pytest.mark.ssm_invocations(seed=5)

        @pytest.mark.ssm_invocations(region="eu-west-1")
        def test_seeded_by_the_module():
            assert factories.invocation() == factories.invocation(seed=5)
        """
    )
    pytester.runpytest("--ssm-seed=1").assert_outcomes(passed=1)


BAD_OPTIONS = {
    "zone='x'": "*ssm_invocations marker got [[]'zone'[]]; valid keyword options: "
    "seed, region, strict, paging, time, real_sends",
    "'us-east-1'": "*ssm_invocations marker got [[]'us-east-1'[]]; valid keyword options*",
    "seed='7'": "*seed must be an int, not '7'",
    "seed=True": "*seed must be an int, not True",
    "region='EU West'": "*region must be an AWS region name such as 'eu-west-1', not 'EU West'",
    "region=None": "*region must be an AWS region name such as 'eu-west-1', not None",
    # The rule add_command's region= follows: the model's S3Region lengths too.
    "region='us-southwesternmost-12'": "*region must be an AWS region name such as 'eu-west-1', "
    "not 'us-southwesternmost-12'",
    "strict='no'": "*strict must be True or False, not 'no'",
}


def test_a_bad_option_fails_that_test_only_naming_the_valid_ones(
    pytester: pytest.Pytester,
) -> None:
    tests = "".join(
        f"@pytest.mark.ssm_invocations({options})\ndef test_bad_{n}(ssm_invocations):\n    pass\n\n"
        for n, options in enumerate(BAD_OPTIONS)
    )
    pytester.makepyfile(f"import pytest\n\n{tests}def test_fine(ssm_invocations):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=len(BAD_OPTIONS))
    for message in BAD_OPTIONS.values():
        result.stdout.fnmatch_lines([message])


def test_a_bad_module_option_is_named_for_each_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.ssm_invocations(regoin="eu-west-1")

        def test_one():
            pass

        def test_two(ssm_invocations):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*got [[]'regoin'[]] (did you mean 'region'?); valid keyword options: "
            "seed, region, strict, paging, time, real_sends"
        ]
    )


def test_the_markers_chaos_paging_shapes_describe_instance_information(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        @pytest.mark.ssm_invocations(paging="chaos", seed=4)
        def test_walk(ssm_invocations):
            nodes = ssm_invocations.add_instances(40)
            ssm = boto3.client("ssm")
            pages = list(ssm.get_paginator("describe_instance_information").paginate(
                PaginationConfig={"PageSize": 10}))
            items = [i["InstanceId"] for p in pages for i in p["InstanceInformationList"]]
            assert items == nodes
            assert any(len(p["InstanceInformationList"]) < 10 for p in pages[:-1])
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)
