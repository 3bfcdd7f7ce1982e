"""Sessions made under the fixture: fresh, hermetic, sharing only botocore's read-only models."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

#: One suite, run in order: what each test saw is kept in ``SEEN`` for the last to compare.
CLIENTS = """
import asyncio, boto3, botocore.session, pytest

SEEN = {}

def model(client):
    return client.meta.service_model._service_description

def aio_model():
    from aiobotocore.session import get_session

    async def create():
        async with get_session().create_client("ssm", region_name="us-east-1") as client:
            return model(client)

    return asyncio.run(create())

def every_way():
    return {
        "boto3.client": model(boto3.client("ssm", region_name="us-east-1")),
        "boto3.Session": model(boto3.Session().client("ssm", region_name="us-east-1")),
        "botocore": model(botocore.session.get_session().create_client("ssm", "us-east-1")),
        "aiobotocore": aio_model(),
    }

@pytest.mark.parametrize("n", [1, 2])
def test_clients(ssm_invocations, n):
    SEEN[n] = every_way()
    handle = ssm_invocations.add_command(instances=1)
    got = boto3.client("ssm").list_command_invocations(CommandId=handle.command_id)
    assert len(got["CommandInvocations"]) == 1

def test_shared():
    for way, first in SEEN[1].items():
        assert SEEN[2][way] is first, way
"""


def test_clients_in_two_tests_share_the_model_botocore_read(pytester: pytest.Pytester) -> None:
    pytest.importorskip("aiobotocore")
    pytester.makepyfile(CLIENTS)
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_a_session_made_under_the_fixture_has_botocores_handlers(
    pytester: pytest.Pytester,
) -> None:
    """The handlers it copies are the ones botocore registers, in the same order."""
    pytest.importorskip("aiobotocore")
    pytester.makepyfile(
        """
        import botocore.session
        from aiobotocore.session import AioSession

        MADE = {}

        def handlers(session):
            emitter = session._original_handler
            return type(emitter), emitter._handlers._root, emitter._unique_id_handlers

        def test_1_outside():
            MADE["outside"] = [handlers(botocore.session.Session()), handlers(AioSession())]

        def test_2_inside(ssm_invocations):
            inside = [handlers(botocore.session.Session()), handlers(AioSession())]
            assert inside == MADE["outside"]
            assert inside[0][1]["children"]  # not two empty emitters
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_what_a_test_does_to_its_sessions_stays_in_that_test(pytester: pytest.Pytester) -> None:
    """A handler on the default session, a folder of models on a loader: neither reaches
    the next test, nor another session of the same test."""
    pytester.makepyfile(
        """
        import gzip, json, os, boto3, botocore.loaders, botocore.session

        SSM = "Amazon Simple Systems Manager (SSM)"

        def builtin_model():
            path = os.path.join(botocore.loaders.Loader.BUILTIN_DATA_PATH, "ssm", "2014-11-06")
            with gzip.open(os.path.join(path, "service-2.json.gz")) as f:
                return json.load(f)

        def test_1_changes_its_sessions(ssm_invocations, tmp_path):
            boto3.setup_default_session()
            boto3.DEFAULT_SESSION.events.register("before-call.ssm", lambda **_: 1 / 0)
            model = builtin_model()
            model["metadata"]["serviceFullName"] = "Custom Systems Manager"
            folder = tmp_path / "ssm" / "2014-11-06"
            folder.mkdir(parents=True)
            (folder / "service-2.json").write_text(json.dumps(model))
            custom = botocore.session.get_session()
            custom.get_component("data_loader").search_paths.insert(0, str(tmp_path))
            client = custom.create_client("ssm", "us-east-1")
            assert client.meta.service_model.metadata["serviceFullName"] == "Custom Systems Manager"
            other = botocore.session.get_session().create_client("ssm", "us-east-1")
            assert other.meta.service_model.metadata["serviceFullName"] == SSM

        def test_2_gets_botocores(ssm_invocations):
            handle = ssm_invocations.add_command(instances=1)
            ssm = boto3.client("ssm")
            assert ssm.meta.service_model.metadata["serviceFullName"] == SSM
            assert len(ssm.list_commands()["Commands"]) == 1
        """
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)
