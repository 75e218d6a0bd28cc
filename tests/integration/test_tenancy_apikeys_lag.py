"""A new API key works at once, with the GSI lagging writes by 1.5 s (RADAR_GSI_LAG_MS=1500 on the emulator)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from scripts.localcloud.moto_gsi import set_gsi_lag
from tests.integration.test_auth_api import (
    call,
    identity_for,
    load_function,
    rest_event,
    run_purge,
    signup,
    use_cheap_argon2,
)
from tests.support.aws import AwsResources

LAG_MS = 1500


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Iterator[None]:
    yield from use_cheap_argon2()


@pytest.fixture
def lagging_index(aws: AwsResources) -> Iterator[None]:
    set_gsi_lag(LAG_MS)
    load_function("authorizer").authorizer().cache.clear()
    yield
    set_gsi_lag(0)
    load_function("authorizer").authorizer().cache.clear()


def test_a_new_key_works_at_once_while_the_index_lags(lagging_index: None, lambda_context: Any) -> None:
    """Caught: the authorizer found keys through gsi1 (eventually consistent), so a key used right after its
    creation was refused, and the refusal was then cached for 60 s."""
    owner = signup(lambda_context)
    admin = identity_for(owner["tokens"]["access_token"], lambda_context)
    status, created = call(rest_event("POST", "/api-keys", {"name": "ci"}, identity=admin), lambda_context)[:2]
    assert status == 201
    started = time.monotonic()

    ident = identity_for(created["key"], lambda_context, kind="api_key")

    assert time.monotonic() - started < LAG_MS / 1000  # answered inside the lag window, not after it
    assert ident["tenant_id"] == owner["tenant"]["tenant_id"] and ident["principal_type"] == "api_key"


def test_a_revoked_key_stops_and_a_deleted_tenant_leaves_no_key_pointer(
    lagging_index: None, aws: AwsResources, lambda_context: Any
) -> None:
    owner = signup(lambda_context)
    admin = identity_for(owner["tokens"]["access_token"], lambda_context)
    created = call(rest_event("POST", "/api-keys", {"name": "ci"}, identity=admin), lambda_context)[1]
    assert call(
        rest_event(
            "DELETE",
            f"/api-keys/{created['key_id']}",
            identity=admin,
            path_params={"key_id": created["key_id"]},
            resource="/api-keys/{key_id}",
        ),
        lambda_context,
    )[0] == 204
    load_function("authorizer").authorizer().cache.clear()
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        identity_for(created["key"], lambda_context, kind="api_key")

    assert call(rest_event("DELETE", "/tenant", identity=admin), lambda_context)[0] == 202
    run_purge(lambda_context)
    table = boto3.resource("dynamodb").Table(aws.main_table)
    from radar.apikeys.keys import api_key_hash

    pointer = table.get_item(Key={"pk": f"APIKEYHASH#{api_key_hash(created['key'])}", "sk": "APIKEY"})
    assert "Item" not in pointer
