"""API keys in the console: created and shown once with a copy button (the key works at once), listed masked with
its last use, revoked after a confirmation (it stops working within the authorizer's cache TTL)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.e2e.console.conftest import ConsolePage, check_page, signed_in, unexpected_errors, wait_for
from tests.support.cloud import RunningCloud


def test_key_create_copy_and_revoke(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    tenant = cloud.signup(plan_roles=())
    console = signed_in(open_page, tenant)
    page = console.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=console.url)
    console.navigate("/admin/keys")
    page.wait_for_selector("[data-testid=empty-state]")
    page.fill("[data-testid=key-name]", "robô de conciliação")
    page.select_option("[data-testid=key-role]", "analyst")
    page.click("[data-testid=key-create]")

    dialog = page.wait_for_selector("[data-testid=key-shown][open]")
    key = page.input_value("[data-testid=new-key-value]")
    assert len(key) >= 32
    check_page(console, "api-key-shown-desktop")
    page.click("[data-testid=key-copy]")
    assert page.evaluate("() => navigator.clipboard.readText()") == key
    response = httpx.get(f"{cloud.api_url}/targets", headers={"x-api-key": key}, timeout=30)
    assert response.status_code == 200, response.text  # the new key works at once
    page.click("[data-testid=key-shown-close]")
    assert not dialog.is_visible()

    row = page.wait_for_selector("[data-testid=keys-table] tr[data-revoked=false]")
    assert key not in page.inner_text("main")  # shown once: never again
    prefix = row.query_selector("td.mono").inner_text()
    assert "*" in prefix or len(prefix) < len(key) // 2
    # A reload forgets the in-memory access token; the httpOnly refresh cookie brings the session back, and the
    # list comes from the API again, not from memory.
    with page.expect_response(lambda r: r.url.endswith("/v1/auth/refresh") and r.status == 200):
        page.reload()
    row = page.wait_for_selector("[data-testid=keys-table] tr[data-revoked=false]")
    assert "nunca" not in row.inner_text()  # last use: the request above
    check_page(console, "api-keys-desktop")

    row.query_selector("[data-testid=key-revoke]").click()
    confirm = page.wait_for_selector("[data-testid=confirm-dialog][open]")
    assert "robô de conciliação" in confirm.inner_text()
    confirm.query_selector("button.danger").click()
    page.wait_for_selector("[data-testid=keys-table] tr[data-revoked=true]")

    def refused() -> bool:
        status = httpx.get(f"{cloud.api_url}/targets", headers={"x-api-key": key}, timeout=30).status_code
        return status in (401, 403)

    wait_for(refused, "the revoked key to stop working", timeout=30)
    assert unexpected_errors(console) == []
