"""The contract declares the browsers' cookie mode as the auth function runs it (issue 17 point 1): docs/openapi.json
names the mode header on the routes that read it, the refresh cookie on those that read it, and Set-Cookie on the
answers that set it, with the names radar.sessions.cookies uses (imported here, never copied); and driving each
route of the auth function with and without the header shows the handler reads and sets exactly that."""

from __future__ import annotations

import json
from typing import Any

from infra_cdk.routes import ROUTES
from radar.sessions.cookies import COOKIE_MODE, COOKIE_NAME, COOKIE_PATH, MODE_HEADER
from scripts.openapi import COOKIE_MODE_ROUTES, OUTPUT
from tests.integration.test_auth_api import PASSWORD, identity_for, rest_event, unique_email
from tests.integration.test_tenancy_cookie_mode import _browser, _send, cheap_argon2  # noqa: F401 (the fixture)
from tests.support.aws import AwsResources

SPEC = json.loads(OUTPUT.read_text(encoding="utf-8"))


def _parameters(method: str, path: str, where: str) -> dict[str, dict[str, Any]]:
    operation = SPEC["paths"][path][method]
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == where}


def _sets_cookie_on(method: str, path: str) -> set[str]:
    responses = SPEC["paths"][path][method]["responses"]
    return {status for status, response in responses.items() if "Set-Cookie" in response.get("headers", {})}


def test_the_spec_declares_the_mode_header_the_cookie_and_set_cookie_with_the_auth_packages_names() -> None:
    for (method, path), reads_cookie in COOKIE_MODE_ROUTES.items():
        header = _parameters(method, path, "header")[MODE_HEADER]
        assert header["required"] is False and header["schema"]["enum"] == [COOKIE_MODE]
        cookies = _parameters(method, path, "cookie")
        assert set(cookies) == ({COOKIE_NAME} if reads_cookie else set()), (method, path)
        success = {status for status in SPEC["paths"][path][method]["responses"] if status.startswith("2")}
        assert success and success <= _sets_cookie_on(method, path), (method, path)
        assert f"Path={COOKIE_PATH}" in SPEC["paths"][path][method]["responses"][min(success)]["headers"][
            "Set-Cookie"]["description"]
    # Nothing else in the contract mentions the mode or the cookie.
    for path, item in SPEC["paths"].items():
        for method in item:
            if (method, path) in COOKIE_MODE_ROUTES:
                continue
            assert MODE_HEADER not in _parameters(method, path, "header"), (method, path)
            assert not _parameters(method, path, "cookie") and not _sets_cookie_on(method, path), (method, path)


# --- what the handler does -----------------------------------------------------------------------------------


def _event(method: str, path: str, body: Any = None, *, mode: bool, cookie: str | None = None,
           identity: dict[str, str] | None = None) -> dict[str, Any]:
    return _browser(rest_event(method.upper(), path, body, identity=identity), cookie=cookie, mode=mode)


def _token(set_cookie: str) -> str:
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


def test_the_handler_reads_and_sets_what_the_spec_declares(aws: AwsResources, lambda_context: Any) -> None:
    email = unique_email("contract")
    credentials = {"email": email, "password": PASSWORD}
    seen_setting: dict[tuple[str, str], set[str]] = {}
    seen_reading: set[tuple[str, str]] = set()

    def probe(method: str, path: str, body: Any, **kwargs: Any) -> tuple[int, Any, list[str]]:
        status, answer, every = _send(_event(method, path, body, **kwargs), lambda_context)
        cookies = [c for c in every if c.startswith(f"{COOKIE_NAME}=")]
        if cookies:
            seen_setting.setdefault((method, path), set()).add(str(status))
        return status, answer, cookies

    # signup and login: with the header the refresh token is a cookie, without it the body has it.
    status, body, [cookie] = probe("post", "/auth/signup", {"tenant_name": "Contract Co", **credentials}, mode=True)
    assert status == 201 and body["tokens"]["refresh_token"] is None and "HttpOnly" in cookie
    status, body, cookies = probe("post", "/auth/login", credentials, mode=False)
    assert status == 200 and body["refresh_token"] and cookies == []
    status, body, [cookie] = probe("post", "/auth/login", credentials, mode=True)
    assert status == 200 and body["refresh_token"] is None
    access = body["access_token"]

    # refresh reads the cookie only with the header (the CSRF guard), and clears a dead one with the refusal.
    status, _, cookies = probe("post", "/auth/refresh", {}, mode=False, cookie=f"{COOKIE_NAME}={_token(cookie)}")
    assert status == 422 and cookies == []
    status, body, [rotated] = probe("post", "/auth/refresh", {}, mode=True, cookie=f"{COOKIE_NAME}={_token(cookie)}")
    assert status == 200 and body["refresh_token"] is None and _token(rotated) != _token(cookie)
    seen_reading.add(("post", "/auth/refresh"))
    status, _, [cleared] = probe("post", "/auth/refresh", {}, mode=True, cookie=f"{COOKIE_NAME}=rt.not.a.token")
    assert status == 401 and "Max-Age=0" in cleared

    # logout reads the cookie too: the session it names ends, and the browser's cookie is cleared.
    identity = identity_for(access, lambda_context)
    status, _, [cleared] = probe("post", "/auth/logout", {}, mode=True, identity=identity,
                                 cookie=f"{COOKIE_NAME}={_token(rotated)}")
    assert status == 204 and "Max-Age=0" in cleared
    status, _, _ = probe("post", "/auth/refresh", {}, mode=True, cookie=f"{COOKIE_NAME}={_token(rotated)}")
    assert status == 401  # revoked by the logout: the cookie was read
    seen_reading.add(("post", "/auth/logout"))

    # The auth function's other routes ignore the header: no cookie, whatever the request says.
    for route in ROUTES:
        key = (route.method.lower(), route.path)
        if route.function != "auth" or key in COOKIE_MODE_ROUTES or "{" in route.path or route.method != "GET":
            continue
        status, _, cookies = probe(route.method.lower(), route.path, None, mode=True, identity=identity,
                                   cookie=f"{COOKIE_NAME}={_token(rotated)}")
        assert cookies == [], (key, status)

    declared_setting = {key: _sets_cookie_on(*key) for key in COOKIE_MODE_ROUTES}
    assert set(seen_setting) == set(declared_setting)
    for key, statuses in seen_setting.items():
        assert statuses <= declared_setting[key], (key, statuses, declared_setting[key])
    assert seen_reading == {key for key, reads in COOKIE_MODE_ROUTES.items() if reads}
