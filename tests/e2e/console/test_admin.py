"""Administration in the console: users invited and listed (role changes and removal say the API lacks them), the
organization deleted behind a typed confirmation, and the whole console driven from the keyboard."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx

from tests.e2e.console.conftest import ConsolePage, signed_in, unexpected_errors, wait_for
from tests.support.cloud import RunningCloud
from tests.support.cnpjs import random_cnpjs


def test_invite_a_user_who_then_signs_in(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    tenant = cloud.signup(plan_roles=())
    console = signed_in(open_page, tenant)
    page = console.page
    console.navigate("/admin/users")
    page.wait_for_selector("[data-testid=users-table]")
    # PATCH/DELETE /users and sign-out-everywhere are in the spec now: no "not yet" note.
    assert not page.locator("[data-testid=users-manage-unavailable]").is_visible()
    email = f"viewer-{uuid.uuid4().hex[:8]}@example.com"
    page.fill("#invite-email", email)
    page.select_option("#invite-role", "viewer")
    page.fill("#invite-password", "weak")
    page.click("[data-testid=invite-form] button[type=submit]")
    page.wait_for_selector("#invite-password-error")  # the API's password rule, next to the field
    page.fill("#invite-password", "Viewer-Correct-Horse-9")
    page.click("[data-testid=invite-form] button[type=submit]")
    page.wait_for_selector(f"[data-testid=users-table] td:has-text('{email}')")

    page.click("[data-testid=sign-out]")
    page.wait_for_selector("[data-testid=ended-message]")
    page.fill("#login-email", email)
    page.fill("#login-password", "Viewer-Correct-Horse-9")
    page.click("[data-testid=login-submit]")
    page.wait_for_selector("[data-testid=who]:has-text('leitor')")
    assert page.locator("nav#nav >> text=Chaves de API").count() == 0  # no admin pages for a viewer
    assert page.locator("[data-testid=add-target]").count() == 0
    assert unexpected_errors(console) == []


def test_delete_the_organization_with_typed_confirmation(
    cloud: RunningCloud, open_page: Callable[..., ConsolePage]
) -> None:
    tenant = cloud.signup(plan_roles=("analyst",))
    console = signed_in(open_page, tenant)
    page = console.page
    console.navigate("/admin/tenant")
    name = page.inner_text("[data-testid=tenant-name]")
    button = page.locator("[data-testid=tenant-delete]")
    page.fill("[data-testid=tenant-confirm]", name[:-1])
    assert button.is_disabled()
    page.fill("[data-testid=tenant-confirm]", name)
    assert button.is_enabled()
    button.click()
    # DELETE /tenant is a job now: the page shows its progress (GET /tenant/deletion) until it has succeeded.
    page.wait_for_selector("[data-testid=tenant-deletion-progress]", timeout=30_000)
    ended = page.wait_for_selector("[data-testid=ended-message][data-reason=tenant_deleted]", timeout=60_000)
    assert "A organização foi excluída" in ended.inner_text()
    assert console.storage()["session"] == {}

    def gone() -> bool:
        status = httpx.get(f"{cloud.api_url}/targets", headers=tenant.key("analyst"), timeout=30).status_code
        return status in (401, 403)

    wait_for(gone, "the deleted tenant's key to stop working")
    assert unexpected_errors(console) == []


def _tab_to(page: object, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):  # type: ignore[attr-defined]
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    tenant = cloud.signup(plan_roles=())
    console = signed_in(open_page, tenant)
    page = console.page
    page.wait_for_selector("[data-testid=empty-state]")
    page.evaluate("() => document.activeElement?.blur()")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    _tab_to(page, "[data-testid=add-target]")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "cnpj-input"  # focus moves in
    page.keyboard.type(random_cnpjs(1, seed=int(time.time()) % 100_000 + 60_000)[0])
    page.keyboard.press("Tab")
    page.keyboard.type("Pelo teclado")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_selector("[data-testid=run-check]")
    assert page.evaluate("() => document.activeElement.dataset.pageTitle !== undefined")  # the new page's heading
    _tab_to(page, "[data-testid=run-check]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=report]", timeout=60_000)

    _tab_to(page, "summary")  # the edit panel opens from the keyboard too
    page.keyboard.press("Enter")
    _tab_to(page, "button.danger")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=confirm-dialog][open]")
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null")  # focus inside the dialog
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid=confirm-dialog]:not([open])", state="attached")
    assert page.evaluate("() => document.activeElement.matches('button.danger')")  # focus back on the opener
    assert unexpected_errors(console) == []
