"""The records core: a command built once, one value for output settings, seeded ids."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st

from pytest_ssm_invocations import factories, wire
from pytest_ssm_invocations.catalogue.documents import DOCUMENTS, custom_document
from pytest_ssm_invocations.fake import FakeSSM
from pytest_ssm_invocations.records.draws import check_weights

UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def test_a_command_to_no_node_records_its_own_documents_name() -> None:
    fake = FakeSSM(seed=1)
    handle = fake.add_command(instances=0, document=custom_document("My-Doc"), cloudwatch=True)
    command = handle.command
    assert command["DocumentName"] == "My-Doc"
    assert command["CloudWatchOutputConfig"]["CloudWatchLogGroupName"] == "/aws/ssm/My-Doc"
    listed = fake.handle("ListCommands", {"CommandId": handle.command_id})["Commands"]
    assert [c["DocumentName"] for c in listed] == ["My-Doc"]


def test_a_command_to_no_node_with_no_document_names_the_one_drawn() -> None:
    fake = FakeSSM(seed=2)
    command = fake.add_command(instances=0, document=None).command
    assert command["DocumentName"] in {d.name for d in DOCUMENTS}


def test_a_command_to_no_node_keeps_the_id_asked_for() -> None:
    fake = FakeSSM(seed=3)
    wanted = factories.command_id(seed=3)
    handle = fake.add_command(instances=0, command_id=wanted, comment="nothing to do")
    assert handle.command_id == wanted
    assert handle.command["Comment"] == "nothing to do"
    assert handle.command["TargetCount"] == 0


def test_add_command_shows_the_same_command_in_list_commands_and_its_invocations() -> None:
    fake = FakeSSM(seed=4)
    handle = fake.add_command(
        instances=2, document=None, comment=None, s3_bucket="ops-output", service_role="arn:r"
    )
    command = handle.command
    for record in handle.invocations:
        assert record["DocumentName"] == command["DocumentName"]
        assert record["Comment"] == command["Comment"]
        assert record["RequestedDateTime"] == command["RequestedDateTime"]
        assert record["ServiceRole"] == command["ServiceRole"] == "arn:r"
        assert record["CommandPlugins"][0]["OutputS3BucketName"] == "ops-output"
    listed = fake.handle("ListCommands", {"CommandId": handle.command_id})["Commands"]
    assert listed == [command]


@pytest.mark.parametrize("build", [factories.invocation, factories.command])
def test_a_mistyped_output_setting_names_itself_and_the_valid_ones(build: Any) -> None:
    with pytest.raises(TypeError, match=r"'s3bucket'.*s3_bucket, s3_key_prefix, cloudwatch"):
        build(s3bucket="ops-output", seed=1)


def test_a_mistyped_output_setting_is_refused_by_add_command() -> None:
    with pytest.raises(TypeError, match="'cloud_watch'"):
        FakeSSM().add_command(cloud_watch=True)  # type: ignore[call-arg]


def test_the_command_id_builder_is_seeded_like_every_other() -> None:
    first = factories.command_id(seed=7)
    assert first == factories.command_id(seed=7) == factories.command_id(rng=random.Random(7))
    assert first != factories.command_id(seed=8)
    assert re.match(UUID, first)
    fakers = [Faker(), Faker()]
    for faker in fakers:
        faker.seed_instance(7)
    assert factories.command_id(rng=fakers[0]) == factories.command_id(rng=fakers[1].random)


def test_the_instance_id_builder_is_seeded_like_every_other() -> None:
    assert factories.instance_id(seed=1) == factories.instance_id(seed=1)
    assert factories.instance_id(seed=1).startswith("i-")
    assert factories.instance_id(hybrid=True, seed=1).startswith("mi-")
    assert len(factories.instance_id(seed=2)) == len("i-0123456789abcdef0")


@pytest.mark.parametrize("build", [factories.command_id, factories.instance_id])
def test_id_builders_take_keywords_only(build: Any) -> None:
    with pytest.raises(TypeError, match="positional"):
        build(random.Random(1))
    with pytest.raises(TypeError, match="either seed or rng"):
        build(seed=1, rng=random.Random(1))


def test_factories_exports_the_builders_and_keeps_the_rest_importable() -> None:
    assert sorted(factories.__all__) == [
        "command",
        "command_id",
        "instance_id",
        "invocation",
        "pages",
        "plugin",
        "response",
        "stub_pages",
    ]
    assert all(callable(getattr(factories, name)) for name in factories.__all__)
    for name in ("STATUS_CASES", "DOCUMENTS", "status_case", "plugin_output", "next_token"):
        assert hasattr(factories, name), name


def test_weight_tables_that_miss_a_catalogued_name_are_refused() -> None:
    with pytest.raises(RuntimeError, match=r"no weight for \['Failed'\].*unknown \['Done'\]"):
        check_weights("cases", {"Success": 1, "Done": 1}, ["Success", "Failed"])
    check_weights("cases", {"Success": 0, "Failed": 3}, ["Failed", "Success"])


def test_load_reads_each_commands_output_settings_from_its_first_invocation() -> None:
    captured = factories.response(
        factories.command(
            instances=2, s3_bucket="ops-output", cloudwatch="/ops/logs", region="eu-west-1", seed=5
        )
    )
    fake = FakeSSM(region="eu-west-1")
    (handle,) = fake.load(wire.dumps(captured))
    command = handle.command
    assert command["OutputS3BucketName"] == "ops-output"
    assert command["OutputS3Region"] == "eu-west-1"
    assert command["CloudWatchOutputConfig"] == {
        "CloudWatchLogGroupName": "/ops/logs",
        "CloudWatchOutputEnabled": True,
    }


@given(st.integers(min_value=-(2**80), max_value=2**80))
def test_a_seed_gives_the_generator_random_random_gives(seed: int) -> None:
    from pytest_ssm_invocations.records import seeding as _seeding

    assert _seeding.seeded(seed).getstate() == random.Random(seed).getstate()
    assert _seeding.resolve(seed, None).random() == random.Random(seed).random()
