"""The allowance refusal (429) shows the upgrade offer, naming the next plan and what it gives; the admin follows
it to the plan page, moves up, and the same check then runs."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from radar.tiers import load_tiers
from tests.e2e.console.conftest import ConsolePage, api, check_page, signed_in, unexpected_errors, wait_for
from tests.support.cloud import RunningCloud
from tests.support.cnpjs import random_cnpjs


def test_allowance_429_shows_the_upgrade_offer(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    tenant = cloud.signup()
    tiers = load_tiers()
    allowance = tiers.get("free").monthly_checks
    cnpjs = random_cnpjs(allowance + 1, seed=int(time.time()) % 100_000 + 7_000)
    with api(tenant) as http:
        batch = http.post("/checks/batch", json={"cnpjs": cnpjs[:allowance]})
        assert batch.status_code == 202 and batch.json()["accepted"] == allowance, batch.text
        target = http.post("/targets", json={"cnpj": cnpjs[-1], "label": "Depois da franquia"})
        assert target.status_code == 201, target.text
        usage = wait_for(lambda: (u := http.get("/usage")).status_code == 200 and u.json(), "usage")
        assert usage["remaining"] == 0

    console = signed_in(open_page, tenant)
    page = console.page
    console.navigate(f"/targets/{target.json()['id']}")
    page.click("[data-testid=run-check]")
    offer = page.wait_for_selector("[data-testid=upgrade-offer]")
    assert offer.get_attribute("data-code") == "allowance_exceeded"
    text = offer.inner_text()
    assert "As consultas do mês acabaram" in text
    assert f"Você usou {allowance} de {allowance} consultas deste mês" in text
    pro = tiers.get("pro")
    assert f"O plano {pro.display_name} dá {pro.monthly_checks:,}".replace(",", ".") in text
    check_page(console, "upgrade-offer-desktop")

    page.click("[data-testid=upgrade-offer] >> text=Ver planos")
    page.wait_for_selector("[data-testid=plans] section.highlight[data-plan=pro]")
    # Moving up is paid for: the console sends the admin to the billing provider's hosted checkout (the billing
    # sandbox locally); the plan moves when the provider's signed webhook confirms the payment.
    page.click("[data-testid=choose-pro]")
    page.wait_for_url(f"{cloud.billing_url}/pay/**")
    page.wait_for_selector("#pay")
    session_id = page.url.split("?")[0].rsplit("/", 1)[-1]
    paid = httpx.post(f"{cloud.billing_url}/_sandbox/sessions/{session_id}/pay", params={"outcome": "succeeded"},
                      timeout=30)
    assert paid.status_code == 200 and paid.json()["paid"] is True, paid.text
    with api(tenant) as http:
        wait_for(lambda: http.get("/tenant").json()["plan"] == "pro", "the paid plan")
    console = signed_in(open_page, tenant)  # the checkout left the console (its session lives in the page)
    page = console.page
    console.navigate("/admin/plan")
    page.wait_for_selector("[data-testid=current-plan][data-plan=pro]")
    check_page(console, "plan-desktop")

    time.sleep(1.5)  # the local gateway re-reads usage plans every second
    console.navigate(f"/targets/{target.json()['id']}")
    page.click("[data-testid=run-check]")
    page.wait_for_selector("[data-testid=report]", timeout=60_000)
    assert unexpected_errors(console) == []
