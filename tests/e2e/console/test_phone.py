"""At a 390 px wide phone: the menu opens from the top bar, a company is added with the CNPJ input, checked and
read, and no page scrolls sideways."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.e2e.console.conftest import PHONE, ConsolePage, check_page, signed_in, unexpected_errors
from tests.support.cloud import RunningCloud
from tests.support.cnpjs import random_cnpjs


def test_phone_width_flow(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    tenant = cloud.signup(plan_roles=())
    console = signed_in(open_page, tenant, viewport=PHONE)
    page = console.page
    page.wait_for_selector("[data-testid=empty-state]")
    console.assert_no_horizontal_scroll()
    nav = page.locator("nav#nav")
    assert not nav.is_visible()  # folded behind the menu button
    page.click("[data-testid=menu-toggle]")
    assert nav.is_visible()
    assert page.get_attribute("[data-testid=menu-toggle]", "aria-expanded") == "true"
    page.click("nav#nav >> text=Consumo")
    page.wait_for_selector("h1:has-text('Consumo do mês')")
    assert not nav.is_visible()  # closes after navigating
    console.assert_no_horizontal_scroll()

    page.click("[data-testid=menu-toggle]")
    page.click("nav#nav >> text=Empresas")
    page.click("[data-testid=add-target]")
    cnpj = random_cnpjs(1, seed=int(time.time()) % 100_000 + 90_000)[0]
    page.locator("[data-testid=cnpj-input]").press_sequentially(cnpj)
    assert page.inner_text("[data-testid=cnpj-status]") == "CNPJ válido."
    console.assert_no_horizontal_scroll()
    page.click("[data-testid=create-target]")
    page.click("[data-testid=run-check]")
    page.wait_for_selector("[data-testid=report]", timeout=60_000)
    console.assert_no_horizontal_scroll()
    check_page(console, "target-report-phone-flow")
    # Tables become labelled cards: each cell carries its column's name.
    assert page.locator("[data-testid=report-partners] td[data-label]").count() > 0 or page.locator(
        "text=Nenhum sócio informado."
    ).count() == 1
    assert unexpected_errors(console) == []
