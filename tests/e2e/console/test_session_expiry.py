"""Session expiry: an idle analyst is asked "stay signed in?" two minutes before the access token ends; staying
refreshes it; no answer signs out (the session revoked at the API) and goes back to login with a message, with
nothing of the session left in the browser.

The API's access token lives 15 minutes and its lifetime is a constant of radar.auth.tokens (no setting a test
cloud could shorten: console/API_NEEDS.md), so the page's clock is fast-forwarded instead; every request still
goes to the real API, whose clock is not moved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from radar.sessions.cookies import COOKIE_NAME as REFRESH_COOKIE
from tests.e2e.console.conftest import ConsolePage, check_page, sign_in, unexpected_errors, wait_for
from tests.support.cloud import RunningCloud


def test_expiry_warning_stay_signed_in_then_expiry(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    tenant = cloud.signup(plan_roles=())
    console = open_page(clock=True)
    page = console.page
    tokens: list[dict[str, Any]] = []

    def keep_tokens(response: Any) -> None:
        auth = response.url.endswith(("/v1/auth/login", "/v1/auth/refresh"))
        if response.request.method == "POST" and auth and response.status == 200:
            tokens.append(response.json())

    def refresh_cookie() -> str:
        """The refresh token, which in the console's cookie mode lives only in the httpOnly cookie."""
        cookies = [c for c in page.context.cookies() if c["name"] == REFRESH_COOKIE]
        assert len(cookies) == 1 and cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Strict", cookies
        return str(cookies[0]["value"])

    page.on("response", keep_tokens)
    sign_in(console, tenant)
    page.wait_for_selector("[data-testid=empty-state]")
    assert len(tokens) == 1 and tokens[0]["expires_in"] == 900
    assert not tokens[0].get("refresh_token")  # cookie mode: never in a body the page's script can read
    first_refresh = refresh_cookie()

    page.clock.fast_forward("12:00")
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid=session-warning][open]").count() == 0  # not yet
    page.clock.fast_forward("01:05")  # 13:05 of 15:00, with no keyboard or pointer input
    warning = page.wait_for_selector("[data-testid=session-warning][open]")
    assert "Continuar conectado?" in warning.inner_text()
    assert "sua sessão termina em 1:" in warning.inner_text()
    check_page(console, "session-warning-desktop")
    page.click("[data-testid=session-warning] button.primary")
    page.wait_for_selector("text=Sessão renovada.")
    assert page.locator("[data-testid=session-warning][open]").count() == 0
    assert len(tokens) == 2  # a real refresh: a new pair from the API
    assert ("POST", "/v1/auth/refresh", 200) in console.api_responses
    last_refresh = refresh_cookie()
    assert last_refresh != first_refresh  # rotated, in the cookie

    page.clock.fast_forward("13:05")
    page.wait_for_selector("[data-testid=session-warning][open]")
    with page.expect_response(lambda r: r.url.endswith("/v1/auth/logout")) as logout:
        page.clock.fast_forward("01:55")  # past 14:55: the console ends the session while it can still revoke it
    assert logout.value.status == 204
    assert logout.value.request.headers["authorization"] == f"Bearer {tokens[-1]['access_token']}"
    ended = page.wait_for_selector("[data-testid=ended-message]")
    assert ended.get_attribute("data-reason") == "idle"
    assert "terminou por inatividade" in ended.inner_text()
    assert page.locator("h1").inner_text() == "Entrar"

    storage = console.storage()
    assert storage["session"] == {} and storage["cookie"] == ""
    assert set(storage["local"]) <= {"radar.lang"}
    held = " ".join(str(v) for v in storage["local"].values())
    assert tokens[-1]["access_token"] not in held and last_refresh not in held
    assert not [c for c in page.context.cookies() if c["name"] == REFRESH_COOKIE and c["value"]]  # cleared
    # Revoked at the API too: the last refresh token is refused, and so is the last access token (within the
    # authorizer's cache TTL).
    last = {"refresh_token": last_refresh}
    refreshed = httpx.post(f"{cloud.api_url}/auth/refresh", json=last, timeout=30)
    assert refreshed.status_code == 401, refreshed.text

    def access_refused() -> bool:
        bearer = {"Authorization": f"Bearer {tokens[-1]['access_token']}"}
        return httpx.get(f"{cloud.api_url}/targets", headers=bearer, timeout=30).status_code == 401

    wait_for(access_refused, "the ended session's access token to be refused", timeout=30)
    console.navigate("/targets")  # protected pages need a session again
    page.wait_for_selector("h1:has-text('Entrar')")
    assert unexpected_errors(console) == []
