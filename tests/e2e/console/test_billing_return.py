"""Checkout from the plan page and back: the admin subscribes, pays on the billing sandbox's hosted pay page (a
full-page navigation away from the console and back, so the session comes back through the httpOnly refresh cookie),
lands on /admin/plan with the notice that the payment was received, and sees the plan move when the signed webhook
has been processed; leaving Checkout says nothing was charged. pt-BR by default, English too, phone width."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from radar.tiers import load_tiers
from tests.e2e.console.conftest import PHONE, ConsolePage, api, check_page, signed_in, unexpected_errors
from tests.support.cloud import RunningCloud

ACTIVATING = "[data-testid=billing-return][data-state=activating]"


def _search(page: Any) -> str:
    return str(page.evaluate("() => location.search"))


def test_pay_on_the_hosted_page_and_come_back_to_the_plan_moving(
    cloud: RunningCloud, open_page: Callable[..., ConsolePage]
) -> None:
    tenant = cloud.signup(plan_roles=())
    pro = load_tiers().get("pro")
    console = signed_in(open_page, tenant)
    page = console.page
    console.navigate("/admin/plan")
    page.wait_for_selector("[data-testid=current-plan][data-plan=free]")
    # Hold the sandbox's webhooks, so the page is seen waiting before the plan moves (in production seconds pass).
    with api(tenant) as http:
        assert http.get("/tenant").json()["plan"] == "free"
    hold = page.request.post(f"{cloud.billing_url}/_sandbox/webhooks/hold")
    assert hold.ok, hold.text()
    try:
        page.focus("[data-testid=choose-pro]")  # keyboard: the subscribe button is pressed with Enter
        page.keyboard.press("Enter")
        page.wait_for_url(f"{cloud.billing_url}/pay/**")
        page.click("#pay")  # the sandbox's hosted pay page: test card 4242
        page.wait_for_url(f"{console.url}/admin/plan**")
        notice = page.wait_for_selector(ACTIVATING, timeout=30_000)
        text = notice.inner_text()
        assert "Pagamento recebido." in text and f"Ativando o plano {pro.display_name}" in text, text
        # Read once and cleared: no checkout=, session_id= or plan= left in the address bar.
        page.wait_for_function("() => location.search === ''")
        assert page.get_attribute("[data-testid=current-plan]", "data-plan") == "free"
        check_page(console, "plan-payment-received-desktop")
    finally:
        released = page.request.post(f"{cloud.billing_url}/_sandbox/webhooks/release")
        assert released.ok, released.text()
    # The poll sees the verified webhook's plan: the toast, the current plan, and the notice gone.
    page.wait_for_selector("[data-testid=current-plan][data-plan=pro]", timeout=60_000)
    page.wait_for_selector(f"text=Plano {pro.display_name} ativo.")
    page.wait_for_selector("[data-testid=billing-return]", state="detached")
    assert _search(page) == ""
    assert unexpected_errors(console) == []


def test_leaving_checkout_says_nothing_was_charged_in_english_on_a_phone(
    cloud: RunningCloud, open_page: Callable[..., ConsolePage]
) -> None:
    tenant = cloud.signup(plan_roles=())
    console = signed_in(open_page, tenant, viewport=PHONE, locale="en")
    page = console.page
    page.evaluate("() => localStorage.setItem('radar.lang', 'en')")
    console.goto("/admin/plan")  # a full load: the cookie session restores itself
    page.wait_for_selector("[data-testid=current-plan][data-plan=free]")
    page.click("[data-testid=choose-pro]")
    page.wait_for_url(f"{cloud.billing_url}/pay/**")
    page.click("#cancel")
    page.wait_for_url(f"{console.url}/admin/plan**")
    notice = page.wait_for_selector("[data-testid=billing-return][data-state=checkout_cancel]")
    assert "nothing was charged" in notice.inner_text()
    page.wait_for_function("() => location.search === ''")
    console.assert_no_horizontal_scroll()
    check_page(console, "plan-checkout-cancelled-phone")
    page.click("[data-testid=billing-return] >> text=Dismiss")
    page.wait_for_selector("[data-testid=billing-return]", state="detached")
    with api(tenant) as http:
        assert http.get("/tenant").json()["plan"] == "free"
    assert unexpected_errors(console) == []
