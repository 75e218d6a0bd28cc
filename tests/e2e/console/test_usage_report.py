"""The Usage page's consumption report in the browser: the admin's month with checks of two principals and three
modes, the same numbers as GET /usage/report, the period picker by keyboard, the API's CSV downloaded, and the page
at phone width; axe on each state, screenshots under artifacts/console/."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.console.conftest import PHONE, ConsolePage, api, check_page, signed_in, unexpected_errors, wait_for
from tests.support.cloud import RunningCloud, Tenant
from tests.support.cnpjs import random_cnpjs


@pytest.fixture(scope="module")
def busy_tenant(cloud: RunningCloud) -> Tenant:
    """A business tenant whose admin ran a sync check and a batch of two, and whose analyst key ran a sync check
    of the same company (answered from the cache) and an asynchronous one."""
    tenant = cloud.signup(plan_roles=("analyst",))
    tenant.upgrade("business")
    first, *batch = random_cnpjs(3, seed=int(time.time()) % 100_000 + 23_000, alphanumeric_share=0)
    analyst = {"x-api-key": tenant.keys["analyst"]}
    with api(tenant) as http:
        target = http.post("/targets", json={"cnpj": first, "label": "Relatório"})
        assert target.status_code == 201, target.text
        checks = f"/targets/{target.json()['id']}/checks"
        assert http.post(checks).json()["status"] == "succeeded"
        assert http.post(checks, headers=analyst).json()["cached"] is True
        queued = http.post(checks, params={"async": "true"}, headers=analyst)
        assert queued.status_code == 202, queued.text
        submitted = http.post("/checks/batch", json={"cnpjs": batch})
        assert submitted.status_code == 202, submitted.text
        wait_for(
            lambda: http.get(f"/checks/{queued.json()['id']}").json()["status"] in ("succeeded", "failed"),
            "the async check",
            timeout=120,
        )
        wait_for(
            lambda: http.get(f"/checks/batch/{submitted.json()['batch_id']}").json()["done"], "the batch", timeout=180
        )
    return tenant


def _report(tenant: Tenant) -> dict[str, Any]:
    with api(tenant) as http:
        response = http.get("/usage/report")
        assert response.status_code == 200, response.text
        return dict(response.json())


def _open_report(console: ConsolePage) -> None:
    console.navigate("/usage")
    console.page.wait_for_selector("[data-testid=usage-report-chart]", timeout=30_000)
    console.page.wait_for_function("() => !document.querySelector('[data-testid=skeleton]')")
    console.page.wait_for_load_state("networkidle")


def test_the_report_shows_the_apis_numbers_steps_months_by_keyboard_and_downloads_its_csv(
    busy_tenant: Tenant, open_page: Callable[..., ConsolePage], tmp_path: Path
) -> None:
    expected = _report(busy_tenant)
    totals = expected["totals"]
    assert totals["checks"] == 5 and totals["by_mode"] == {"sync": 2, "async": 1, "batch": 2}
    console = signed_in(open_page, busy_tenant)
    page = console.page
    _open_report(console)
    assert page.inner_text("[data-testid=usage-report-checks]") == str(totals["checks"])
    assert page.inner_text("[data-testid=usage-report-cached]") == str(totals["cached"])
    assert page.inner_text("[data-testid=usage-report-looked-up]") == str(totals["looked_up"])
    for mode, count in totals["by_mode"].items():
        assert page.inner_text(f"[data-testid=usage-report-mode-{mode}]") == str(count)
    principals = page.inner_text("[data-testid=usage-report-principals]")
    assert "Chave de API" in principals and "Usuário" in principals
    for principal in expected["principals"]:
        assert principal["principal_id"] in principals
    assert page.locator("[data-testid=usage-report-principals] tbody tr").count() == len(expected["principals"])
    check_page(console, "usage-report-desktop")

    # The period picker by keyboard: the previous month has nothing, and the next one is this month again.
    page.focus("[data-testid=usage-report-previous]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Nenhuma consulta neste mês.")
    assert page.input_value("[data-testid=usage-report-period]") < expected["period"]
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Próximo mês", the next button in the tab order
    page.wait_for_selector("[data-testid=usage-report-chart]")
    assert page.input_value("[data-testid=usage-report-period]") == expected["period"]
    page.fill("[data-testid=usage-report-period]", "2999-01")
    page.wait_for_selector("text=Escolha um mês até o atual.")
    check_page(console, "usage-report-bad-period-desktop")
    page.fill("[data-testid=usage-report-period]", expected["period"])
    page.wait_for_selector("[data-testid=usage-report-chart]")

    with page.expect_download() as download_info:
        page.click("[data-testid=usage-report-csv]")
    assert download_info.value.suggested_filename == f"usage-{expected['period']}.csv"
    path = tmp_path / "usage.csv"
    download_info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert sum(int(r["checks"]) for r in rows) == totals["checks"]
    assert sum(int(r["cached"]) for r in rows) == totals["cached"]
    assert unexpected_errors(console) == []


def test_the_report_at_phone_width(busy_tenant: Tenant, open_page: Callable[..., ConsolePage]) -> None:
    console = signed_in(open_page, busy_tenant, viewport=PHONE)
    _open_report(console)
    console.assert_no_horizontal_scroll()
    check_page(console, "usage-report-phone")
    assert unexpected_errors(console) == []


def test_a_viewer_sees_no_report(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    """The report is an admin's: other roles get a note on the Usage page instead, and no call is made."""
    tenant = cloud.signup(plan_roles=())
    with api(tenant) as http:
        invited = http.post(
            "/users",
            json={
                "email": f"viewer-{tenant.tenant_id[:8]}@example.com",
                "role": "viewer",
                "password": "Another-Correct-Horse-1",
            },
        )
        assert invited.status_code == 201, invited.text
    viewer = Tenant(
        **{
            **tenant.__dict__,
            "email": f"viewer-{tenant.tenant_id[:8]}@example.com",
            "password": "Another-Correct-Horse-1",
        }
    )
    console = signed_in(open_page, viewer)
    console.navigate("/usage")
    console.page.wait_for_selector("text=O relatório de consumo é para administradores.")
    assert not [r for r in console.api_responses if r[1].startswith("/v1/usage/report")]
