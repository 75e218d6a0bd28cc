"""Users can be offboarded: role changes, disabling (sessions and the keys they created die with it), sign out
everywhere, the last admin kept even against concurrent demotions, and `GET /me`. Each route failed on the old code
(it did not exist: a compromised user kept a rotating session for as long as they liked)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.test_auth_api import (
    PASSWORD,
    authorize,
    call,
    identity_for,
    load_function,
    main_items,
    rest_event,
    signup,
    unique_email,
    use_cheap_argon2,
)
from tests.support.aws import AwsResources


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Iterator[None]:
    yield from use_cheap_argon2()


@pytest.fixture(autouse=True)
def fresh_authorizer(aws: AwsResources) -> Iterator[None]:
    load_function("authorizer").authorizer().cache.clear()
    yield
    load_function("authorizer").authorizer().cache.clear()


def _ident(token: str, context: Any, kind: str = "bearer") -> dict[str, str]:
    load_function("authorizer").authorizer().cache.clear()  # the decision cache lapses within its 60 s TTL
    return identity_for(token, context, kind=kind)


def _denied(token: str, context: Any, kind: str = "bearer") -> bool:
    load_function("authorizer").authorizer().cache.clear()
    try:
        authorize(token, kind=kind, context=context)
    except Exception as exc:
        return str(exc) == "Unauthorized"
    return False


def _session_over(pair: dict[str, str], context: Any) -> bool:
    """Neither the session's access token nor its refresh token works any more."""
    refreshed = call(rest_event("POST", "/auth/refresh", {"refresh_token": pair["refresh_token"]}), context)[0]
    return _denied(pair["access_token"], context) and refreshed == 401


def _invite(admin: dict[str, str], role: str, context: Any) -> tuple[str, str]:
    email = unique_email(role)
    status, body, _ = call(
        rest_event("POST", "/users", {"email": email, "role": role, "password": PASSWORD}, identity=admin), context
    )
    assert status == 201, body
    return email, body["user_id"]


def _login(email: str, context: Any) -> tuple[int, Any]:
    status, body, _ = call(rest_event("POST", "/auth/login", {"email": email, "password": PASSWORD}), context)
    return status, body


def _user_call(method: str, path: str, identity: dict[str, str], context: Any, body: Any = None) -> tuple[int, Any]:
    resource = path
    params = None
    parts = path.split("/")
    if len(parts) >= 3 and parts[1] == "users":
        params = {"user_id": parts[2]}
        resource = "/users/{user_id}" + ("/sessions/revoke" if path.endswith("/sessions/revoke") else "")
    status, payload, _ = call(
        rest_event(method, path, body, identity=identity, path_params=params, resource=resource), context
    )
    return status, payload


def test_disabling_a_user_ends_their_sessions_keys_and_sign_in_and_keeps_the_audit(lambda_context: Any) -> None:
    owner = signup(lambda_context)
    admin = _ident(owner["tokens"]["access_token"], lambda_context)
    email, user_id = _invite(admin, "admin", lambda_context)
    sessions = [_login(email, lambda_context)[1] for _ in range(2)]
    theirs = _ident(sessions[0]["access_token"], lambda_context)
    status, key = call(rest_event("POST", "/api-keys", {"name": "laptop"}, identity=theirs), lambda_context)[:2]
    assert status == 201
    assert _ident(key["key"], lambda_context, kind="api_key")["tenant_id"] == owner["tenant"]["tenant_id"]

    assert _user_call("DELETE", f"/users/{user_id}", admin, lambda_context)[0] == 204

    assert all(_session_over(pair, lambda_context) for pair in sessions)
    assert _denied(key["key"], lambda_context, kind="api_key")
    assert _login(email, lambda_context)[0] == 401
    items = main_items(f"TENANT#{owner['tenant']['tenant_id']}")
    user_item = next(i for i in items if i["sk"] == f"USER#{user_id}")
    assert user_item["disabled"] is True  # kept: the audit trail still names who did what
    audit = main_items(f"TENANT#{owner['tenant']['tenant_id']}#AUDIT")
    actions = {(a["action"], a["actor"]) for a in audit}
    assert ("apikey.create", user_id) in actions and ("user.disable", owner["user"]["user_id"]) in actions
    # The owner is untouched, and the listing shows the disabled user as such.
    status, listing = _user_call("GET", "/users", admin, lambda_context)
    assert status == 200
    assert {u["user_id"]: u["disabled"] for u in listing["items"]}[user_id] is True


def test_the_last_admin_cannot_be_demoted_or_removed(lambda_context: Any) -> None:
    owner = signup(lambda_context)
    admin = _ident(owner["tokens"]["access_token"], lambda_context)
    me = owner["user"]["user_id"]

    status, body = _user_call("PATCH", f"/users/{me}", admin, lambda_context, {"role": "viewer"})
    assert status == 409 and body["error"]["code"] == "last_admin"
    status, body = _user_call("DELETE", f"/users/{me}", admin, lambda_context)
    assert status == 409 and body["error"]["code"] == "last_admin"
    # With a second admin, demoting the first works, and the second is then the last.
    _invite(admin, "admin", lambda_context)
    status, body = _user_call("PATCH", f"/users/{me}", admin, lambda_context, {"role": "analyst"})
    assert status == 200 and body["role"] == "analyst"
    assert _ident(owner["tokens"]["access_token"], lambda_context)["role"] == "analyst"  # the authorizer follows


def test_two_concurrent_demotions_of_the_last_two_admins_cannot_both_pass(lambda_context: Any) -> None:
    """The guard is a condition in the same transaction as the write (the other admin must still be one), so
    DynamoDB serializes the two demotions: one passes, the other meets 409 last_admin."""
    owner = signup(lambda_context)
    admin = _ident(owner["tokens"]["access_token"], lambda_context)
    _, second = _invite(admin, "admin", lambda_context)
    targets = [owner["user"]["user_id"], second]
    start = threading.Barrier(2)
    results: list[tuple[int, Any]] = []

    def demote(user_id: str) -> None:
        start.wait()
        results.append(_user_call("PATCH", f"/users/{user_id}", admin, lambda_context, {"role": "viewer"}))

    threads = [threading.Thread(target=demote, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(status for status, _ in results) == [200, 409]
    users = [i for i in main_items(f"TENANT#{owner['tenant']['tenant_id']}") if i["sk"].startswith("USER#")]
    assert [u["role"] for u in users].count("admin") == 1


def test_nobody_raises_their_own_role_and_only_admins_change_roles(lambda_context: Any) -> None:
    owner = signup(lambda_context)
    admin = _ident(owner["tokens"]["access_token"], lambda_context)
    email, analyst_id = _invite(admin, "analyst", lambda_context)
    analyst = _ident(_login(email, lambda_context)[1]["access_token"], lambda_context)

    status, body = _user_call("PATCH", f"/users/{analyst_id}", analyst, lambda_context, {"role": "admin"})
    assert status == 403
    status, body = _user_call("PATCH", f"/users/{analyst_id}", admin, lambda_context, {"role": "superuser"})
    assert status == 422 and body["error"]["details"][0]["field"].endswith("role")
    status, body = _user_call("PATCH", "/users/nosuchuser", admin, lambda_context, {"role": "viewer"})
    assert status == 404


def test_sign_out_everywhere_ends_every_session_and_a_new_login_works(lambda_context: Any) -> None:
    owner = signup(lambda_context)
    admin = _ident(owner["tokens"]["access_token"], lambda_context)
    email, user_id = _invite(admin, "viewer", lambda_context)
    pairs = [_login(email, lambda_context)[1] for _ in range(3)]
    theirs = _ident(pairs[0]["access_token"], lambda_context)

    assert _user_call("POST", f"/users/{user_id}/sessions/revoke", theirs, lambda_context)[0] == 204

    assert all(_session_over(pair, lambda_context) for pair in pairs)
    status, fresh = _login(email, lambda_context)
    assert status == 200 and not _denied(fresh["access_token"], lambda_context)
    # A viewer cannot sign someone else out.
    viewer = _ident(fresh["access_token"], lambda_context)
    assert _user_call("POST", f"/users/{owner['user']['user_id']}/sessions/revoke", viewer, lambda_context)[0] == 403


def test_me_says_who_the_caller_is_for_any_role(lambda_context: Any) -> None:
    owner = signup(lambda_context, name="Me Corp")
    admin = _ident(owner["tokens"]["access_token"], lambda_context)
    email, viewer_id = _invite(admin, "viewer", lambda_context)
    viewer = _ident(_login(email, lambda_context)[1]["access_token"], lambda_context)

    status, body = call(rest_event("GET", "/me", identity=viewer), lambda_context)[:2]

    assert status == 200
    assert body == {
        "user_id": viewer_id,
        "email": email,
        "principal_type": "user",
        "role": "viewer",
        "tenant_id": owner["tenant"]["tenant_id"],
        "tenant_name": "Me Corp",
        "plan": "free",
    }


def test_a_shortened_access_token_lifetime_reaches_login(lambda_context: Any, monkeypatch: pytest.MonkeyPatch):
    """ACCESS_TOKEN_TTL_SECONDS from the auth function's environment (what RADAR_FUNCTION_ENV sets in a test cloud)."""
    from radar.tenants.settings import AuthEnv
    from radar.tenants.wiring import build_auth_services

    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "60")
    services = build_auth_services(AuthEnv.from_environ())
    owner = signup(lambda_context)
    pair = services.sessions.login(owner["email"], PASSWORD, {})
    assert pair.expires_in == 60


def test_a_deleted_tenant_gives_no_new_session_but_to_the_admin_who_deleted_it(lambda_context: Any) -> None:
    """Deletion (issue 13 point 2): before, a deleted tenant's users could still sign in and refresh (their tokens
    were then refused by the authorizer); now the refusal is said where the session would start."""
    owner = signup(lambda_context)
    admin = _ident(owner["tokens"]["access_token"], lambda_context)
    email, _ = _invite(admin, "analyst", lambda_context)
    status, pair = _login(email, lambda_context)
    assert status == 200
    assert call(rest_event("DELETE", "/tenant", identity=admin), lambda_context)[0] == 202

    status, refused = _login(email, lambda_context)
    assert status == 403 and refused["error"]["code"] == "tenant_deleted", refused
    status, refreshed, _ = call(rest_event("POST", "/auth/refresh", {"refresh_token": pair["refresh_token"]}),
                                lambda_context)
    assert status == 403 and refreshed["error"]["code"] == "tenant_deleted", refreshed
    wrong = call(rest_event("POST", "/auth/login", {"email": email, "password": "Not-The-Password-1"}),
                 lambda_context)
    assert wrong[0] == 401  # a wrong password learns nothing about the tenant
    assert _login(owner["user"]["email"], lambda_context)[0] == 200  # the deleting admin follows the purge
