"""Two tenants side by side: repositories and handlers never cross tenants (404 or empty, never the other's data)."""

from __future__ import annotations

from typing import Any

import pytest

from radar.accounts.repository import UserRepository
from radar.apikeys.repository import ApiKeyRepository
from radar.audit import query_events
from radar.errors import BadRequest
from radar.sessions.repository import RefreshTokenRepository
from tests.integration.test_auth_api import (
    PASSWORD,
    authorize,
    call,
    identity_for,
    rest_event,
    run_purge,
    signup,
    unique_email,
    use_cheap_argon2,
)
from tests.support.aws import AwsResources


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Any:
    yield from use_cheap_argon2()


@pytest.fixture
def two_tenants(aws: AwsResources, lambda_context: Any) -> dict[str, dict[str, Any]]:
    tenants = {}
    for name in ("a", "b"):
        owner = signup(lambda_context, name=f"Tenant {name.upper()}")
        owner["identity"] = identity_for(owner["tokens"]["access_token"], lambda_context)
        created = call(
            rest_event("POST", "/api-keys", {"name": f"key-{name}", "role": "analyst"}, identity=owner["identity"]),
            lambda_context,
        )[1]
        owner["api_key"] = created
        tenants[name] = owner
    return tenants


def test_api_keys_of_another_tenant_are_invisible_and_cannot_be_revoked(two_tenants, lambda_context):
    a, b = two_tenants["a"], two_tenants["b"]
    a_key_id = a["api_key"]["key_id"]

    listed_by_b = call(rest_event("GET", "/api-keys", identity=b["identity"]), lambda_context)[1]["items"]
    revoke = rest_event(
        "DELETE",
        f"/api-keys/{a_key_id}",
        identity=b["identity"],
        path_params={"key_id": a_key_id},
        resource="/api-keys/{key_id}",
    )
    status, body, _ = call(revoke, lambda_context)

    assert [k["key_id"] for k in listed_by_b] == [b["api_key"]["key_id"]]
    assert status == 404 and a_key_id not in str(body.get("error", {}).get("message"))
    assert ApiKeyRepository().get(a["tenant"]["tenant_id"], a_key_id).revoked is False
    assert ApiKeyRepository().get(b["tenant"]["tenant_id"], a_key_id) is None
    assert (
        authorize(a["api_key"]["key"], kind="api_key", context=lambda_context)["context"]["tenant_id"]
        == (a["tenant"]["tenant_id"])
    )


def test_users_and_tenant_views_are_per_tenant(two_tenants, lambda_context):
    a, b = two_tenants["a"], two_tenants["b"]
    invited = unique_email("a-member")
    call(
        rest_event(
            "POST", "/users", {"email": invited, "role": "viewer", "password": PASSWORD}, identity=a["identity"]
        ),
        lambda_context,
    )

    b_users = call(rest_event("GET", "/users", identity=b["identity"]), lambda_context)[1]["items"]
    b_tenant = call(rest_event("GET", "/tenant", identity=b["identity"]), lambda_context)[1]

    assert [u["email"] for u in b_users] == [b["email"]]
    assert b_tenant["tenant_id"] == b["tenant"]["tenant_id"] and b_tenant["name"] == "Tenant B"
    assert UserRepository().get(b["tenant"]["tenant_id"], a["user"]["user_id"]) is None


def test_logout_with_another_tenants_refresh_token_touches_nothing(two_tenants, lambda_context):
    a, b = two_tenants["a"], two_tenants["b"]
    a_refresh = a["tokens"]["refresh_token"]

    status = call(
        rest_event("POST", "/auth/logout", {"refresh_token": a_refresh}, identity=b["identity"]), lambda_context
    )[0]

    assert status == 204
    refreshed = call(rest_event("POST", "/auth/refresh", {"refresh_token": a_refresh}), lambda_context)
    assert refreshed[0] == 200  # A's token survived B's attempt
    from radar.sessions.tokens import refresh_token_hash

    assert RefreshTokenRepository().get(b["tenant"]["tenant_id"], refresh_token_hash(a_refresh)) is None


def test_plan_change_and_deletion_only_touch_the_callers_tenant(two_tenants, lambda_context):
    a, b = two_tenants["a"], two_tenants["b"]

    call(rest_event("PUT", "/tenant/plan", {"plan": "business"}, identity=b["identity"]), lambda_context)
    assert call(rest_event("GET", "/tenant", identity=a["identity"]), lambda_context)[1]["plan"] == "free"

    assert call(rest_event("DELETE", "/tenant", identity=b["identity"]), lambda_context)[0] == 202
    run_purge(lambda_context)
    a_view = call(rest_event("GET", "/tenant", identity=a["identity"]), lambda_context)
    assert a_view[0] == 200 and a_view[1]["tenant_id"] == a["tenant"]["tenant_id"]
    assert [
        k["key_id"] for k in call(rest_event("GET", "/api-keys", identity=a["identity"]), lambda_context)[1]["items"]
    ] == [a["api_key"]["key_id"]]
    # B's context now points at a tenant that no longer exists: 404, never A's data.
    gone = call(rest_event("GET", "/tenant", identity=b["identity"]), lambda_context)
    assert gone[0] == 404


def test_audit_events_and_cursors_stay_inside_their_tenant(two_tenants):
    a, b = two_tenants["a"], two_tenants["b"]
    a_tid, b_tid = a["tenant"]["tenant_id"], b["tenant"]["tenant_id"]

    a_events, _ = query_events(a_tid, limit=50)
    b_events, _ = query_events(b_tid, limit=50)
    a_first, a_cursor = query_events(a_tid, limit=1)

    assert {e["actor"] for e in a_events} == {a["user"]["user_id"]}
    assert {e["actor"] for e in b_events} == {b["user"]["user_id"]}
    assert not {e["event_id"] for e in a_events} & {e["event_id"] for e in b_events}
    assert a_cursor is not None and len(a_first) == 1
    with pytest.raises(BadRequest):
        query_events(b_tid, limit=1, cursor=a_cursor)
