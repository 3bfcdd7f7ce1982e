"""The record builders as Faker provider methods."""

from __future__ import annotations

import pytest
from faker import Faker

from pytest_ssm_invocations.catalogue.documents import is_catalogued
from pytest_ssm_invocations.faker import SSMProvider

from ..consistency import assert_consistent, assert_plugin_consistent


@pytest.fixture
def fake() -> Faker:
    fake = Faker()
    fake.add_provider(SSMProvider)
    return fake


def test_provider_methods_build_consistent_records(fake: Faker) -> None:
    assert_consistent(fake.ssm_invocation(status="Failed"))
    assert_plugin_consistent(fake.ssm_plugin(status="ExecutionTimedOut"))
    records = fake.ssm_command(statuses={"Success": 3, "Failed": 1})
    assert len({r["CommandId"] for r in records}) == 1
    assert fake.ssm_instance_id().startswith("i-")
    assert fake.ssm_instance_id(hybrid=True).startswith("mi-")
    assert len(fake.ssm_command_id()) == 36
    assert is_catalogued(fake.ssm_document_name())  # AWS-..., AmazonCloudWatch-...
    assert fake.ssm_status_case(terminal=False).terminal is False


def test_provider_honours_fakers_seeding(fake: Faker) -> None:
    fake.seed_instance(21)
    first = [fake.ssm_invocation(), fake.ssm_instance_id(), fake.ssm_status_details()]
    fake.seed_instance(21)
    assert [fake.ssm_invocation(), fake.ssm_instance_id(), fake.ssm_status_details()] == first
    fake.seed_instance(22)
    assert fake.ssm_invocation() != first[0]


def test_provider_passes_overrides_through(fake: Faker) -> None:
    record = fake.ssm_invocation(status="Undeliverable", document="AWS-RunShellScript")
    assert (record["Status"], record["StatusDetails"]) == ("Failed", "Undeliverable")
    with pytest.raises(ValueError, match="unknown StatusDetails"):
        fake.ssm_invocation(status="Nope")
