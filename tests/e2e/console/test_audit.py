"""The audit log in the console: filters by action and by date, cursor paging forwards and back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from tests.e2e.console.conftest import ConsolePage, api, check_page, signed_in, unexpected_errors
from tests.support.cloud import RunningCloud
from tests.support.cnpjs import random_cnpjs

TARGETS = 25  # more than one page (20) of target.created events


def test_audit_filter_and_paging(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    tenant = cloud.signup(plan_roles=())
    tenant.upgrade("business")  # 25 creations in a burst: more than the free plan's 2 requests a second
    with api(tenant) as http:
        for cnpj in random_cnpjs(TARGETS, seed=int(datetime.now(UTC).timestamp()) % 100_000 + 3_000):
            assert http.post("/targets", json={"cnpj": cnpj}).status_code == 201

    console = signed_in(open_page, tenant)
    page = console.page
    console.navigate("/admin/audit")
    table = page.wait_for_selector("[data-testid=audit-table]")
    first_page = page.locator("[data-testid=audit-table] tbody tr")
    assert first_page.count() == 20
    assert first_page.first.get_attribute("data-action") == "auth.login"  # newest first: this sign-in
    check_page(console, "audit-desktop")

    page.fill("[data-testid=audit-action]", "target.created")
    page.click("[data-testid=audit-apply]")
    page.wait_for_url("**/admin/audit?action=target.created")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=audit-table] tbody tr')]"
        ".every(r => r.dataset.action === 'target.created')"
    )
    assert first_page.count() == 20
    newest = first_page.first.inner_text()
    page.click("[data-testid=audit-next]")
    page.wait_for_selector("[data-testid=audit-table][data-page='2']")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=audit-table] tbody tr').length === 5")
    assert set(first_page.evaluate_all("rows => rows.map(r => r.dataset.action)")) == {"target.created"}
    assert page.locator("[data-testid=audit-next]").is_disabled()  # no page after the last
    page.click("[data-testid=audit-prev]")
    page.wait_for_selector("[data-testid=audit-table][data-page='1']")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=audit-table] tbody tr').length === 20")
    assert first_page.first.inner_text() == newest

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
    page.fill("#audit-start", tomorrow)
    page.click("[data-testid=audit-apply]")
    page.wait_for_selector("[data-testid=empty-state]:has-text('Nenhum evento com estes filtros')")
    assert table is not None
    assert unexpected_errors(console) == []
