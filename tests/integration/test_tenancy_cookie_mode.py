"""Cookie mode for browsers (console API_NEEDS item 1): with `X-Radar-Session: cookie` the refresh token travels in
an httpOnly, Secure, SameSite=Strict cookie on /v1/auth, never in a body; without the header a cookie is ignored
(the header is the CSRF guard) and API clients keep the JSON body."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.test_auth_api import (
    PASSWORD,
    identity_for,
    load_function,
    rest_event,
    unique_email,
    use_cheap_argon2,
)
from tests.support.aws import AwsResources

REFRESH_TTL = 30 * 24 * 3600


@pytest.fixture(autouse=True, scope="module")
def cheap_argon2() -> Iterator[None]:
    yield from use_cheap_argon2()


def _browser(event: dict[str, Any], cookie: str | None = None, mode: bool = True) -> dict[str, Any]:
    from radar.sessions.cookies import COOKIE_MODE, MODE_HEADER

    for name, value in ((MODE_HEADER, COOKIE_MODE if mode else None), ("Cookie", cookie)):
        if value is not None:
            event["headers"][name] = value
            event["multiValueHeaders"][name] = [value]
    return event


def _send(event: dict[str, Any], context: Any) -> tuple[int, Any, list[str]]:
    import json

    response = load_function("auth").lambda_handler(event, context)
    cookies = list((response.get("multiValueHeaders") or {}).get("Set-Cookie") or [])
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None, cookies


def _signup(email: str, context: Any, *, browser: bool = True) -> tuple[int, Any, list[str]]:
    event = rest_event("POST", "/auth/signup", {"tenant_name": "Cookie Co", "email": email, "password": PASSWORD})
    return _send(_browser(event) if browser else event, context)


def _refresh_cookie(token: str, context: Any) -> tuple[int, Any, list[str]]:
    return _send(_browser(rest_event("POST", "/auth/refresh", {}), cookie=f"radar_refresh={token}"), context)


def _token_of(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


def test_a_browser_session_keeps_its_refresh_token_in_an_http_only_cookie(aws: AwsResources, lambda_context: Any):
    email = unique_email("browser")
    status, body, cookies = _signup(email, lambda_context)
    assert status == 201 and body["tokens"]["refresh_token"] is None and body["tokens"]["access_token"]
    [cookie] = cookies
    assert cookie.startswith("radar_refresh=rt.")
    for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/v1/auth", f"Max-Age={REFRESH_TTL}"):
        assert attribute in cookie
    assert body["tokens"]["refresh_expires_in"] == REFRESH_TTL

    status, login, cookies = _send(
        _browser(rest_event("POST", "/auth/login", {"email": email, "password": PASSWORD})), lambda_context
    )
    assert status == 200 and login["refresh_token"] is None
    first = _token_of(cookies[0])

    # Refresh reads the cookie (body {}), rotates it, and answers a new cookie.
    status, pair, cookies = _send(
        _browser(rest_event("POST", "/auth/refresh", {}), cookie=f"other=1; radar_refresh={first}"), lambda_context
    )
    assert status == 200 and pair["refresh_token"] is None
    second = _token_of(cookies[0])
    assert second != first

    # Reusing the first cookie is a reuse: 401, the family dies, and the cookie is cleared.
    status, body, cookies = _refresh_cookie(first, lambda_context)
    assert status == 401 and body["error"]["code"] == "unauthorized"
    assert cookies and "Max-Age=0" in cookies[0] and cookies[0].startswith("radar_refresh=;")
    status, _, _ = _refresh_cookie(second, lambda_context)
    assert status == 401


def test_cookie_logout_clears_the_cookie_and_ends_the_session(aws: AwsResources, lambda_context: Any):
    email = unique_email("browser")
    _signup(email, lambda_context)
    status, login, cookies = _send(
        _browser(rest_event("POST", "/auth/login", {"email": email, "password": PASSWORD})), lambda_context
    )
    token = _token_of(cookies[0])
    load_function("authorizer").authorizer().cache.clear()
    ident = identity_for(login["access_token"], lambda_context)

    logout = _browser(rest_event("POST", "/auth/logout", {}, identity=ident), cookie=f"radar_refresh={token}")
    status, _, cookies = _send(logout, lambda_context)
    assert status == 204 and "Max-Age=0" in cookies[0]
    status, _, _ = _refresh_cookie(token, lambda_context)
    assert status == 401


def test_without_the_header_a_cookie_is_ignored_and_json_clients_are_unchanged(aws: AwsResources, lambda_context: Any):
    """The CSRF guard: a cross-site form can carry the cookie but not the header, so a cookie alone does nothing."""
    email = unique_email("api")
    status, body, cookies = _signup(email, lambda_context, browser=False)
    assert status == 201 and body["tokens"]["refresh_token"].startswith("rt.") and cookies == []
    token = body["tokens"]["refresh_token"]

    status, body, _ = _send(
        _browser(rest_event("POST", "/auth/refresh", {}), cookie=f"radar_refresh={token}", mode=False), lambda_context
    )
    assert status == 422 and body["error"]["details"][0]["field"] == "refresh_token"
    status, body, _ = _send(rest_event("POST", "/auth/refresh", {"refresh_token": token}), lambda_context)
    assert status == 200 and body["refresh_token"].startswith("rt.")


def test_an_unknown_session_mode_is_refused_naming_the_header_and_changes_nothing(
    aws: AwsResources, lambda_context: Any
) -> None:
    from radar.sessions.cookies import MODE_HEADER

    def bogus(event: dict[str, Any]) -> dict[str, Any]:
        event["headers"][MODE_HEADER] = "cookies"  # not the spec's enum value
        event["multiValueHeaders"][MODE_HEADER] = ["cookies"]
        return event

    email = unique_email("bogus-mode")
    status, body, cookies = _send(bogus(rest_event("POST", "/auth/signup", {
        "tenant_name": "Bogus Co", "email": email, "password": PASSWORD})), lambda_context)
    assert status == 422 and cookies == []
    assert body["error"]["details"][0]["field"] == MODE_HEADER
    # Nothing was created: the e-mail is still free, and a JSON-mode signup with it works.
    status, signed, _ = _signup(email, lambda_context, browser=False)
    assert status == 201, signed
    refresh_token = signed["tokens"]["refresh_token"]

    for path, payload in (("/auth/login", {"email": email, "password": PASSWORD}),
                          ("/auth/refresh", {"refresh_token": refresh_token})):
        status, body, cookies = _send(bogus(rest_event("POST", path, payload)), lambda_context)
        assert status == 422 and body["error"]["details"][0]["field"] == MODE_HEADER and cookies == [], path
    # The refused refresh did not rotate the token: it still works once, in JSON mode.
    status, pair, _ = _send(rest_event("POST", "/auth/refresh", {"refresh_token": refresh_token}), lambda_context)
    assert status == 200 and pair["refresh_token"] != refresh_token
