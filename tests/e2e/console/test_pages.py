"""Every page of the console, with real data behind it, at desktop and phone width: a screenshot of each under
artifacts/console/ and axe-core on each (no serious or critical violation). On the way: the history timeline with
a diff (the company changed at the source between two checks), and a batch from a paste and from a CSV file,
followed to the end and downloaded as CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.console.conftest import (
    DESKTOP,
    PHONE,
    ConsolePage,
    api,
    check_page,
    sign_in,
    signed_in,
    unexpected_errors,
)
from tests.support.cloud import RunningCloud, Tenant
from tests.support.cnpjs import random_cnpjs


@pytest.fixture(scope="module")
def rich_tenant(cloud: RunningCloud, sandbox_fixtures: Path) -> dict[str, Any]:
    """A business tenant with a company whose record changed between two checks, a tagged company, a user."""
    tenant: Tenant = cloud.signup(plan_roles=("analyst",))
    tenant.upgrade("business")
    cnpj = random_cnpjs(1, seed=int(time.time()) % 100_000 + 20_000, alphanumeric_share=0)[0]
    record = json.loads((sandbox_fixtures / "brasilapi_19131243000197.json").read_text(encoding="utf-8"))
    record["cnpj"] = cnpj
    fixture = sandbox_fixtures / f"brasilapi_{cnpj}_console-tour.json"
    fixture.write_text(json.dumps(record), encoding="utf-8")
    with api(tenant) as http:
        target = http.post("/targets", json={"cnpj": cnpj, "label": "Horizonte (muda)", "tags": ["alimentos", "ba"]})
        assert target.status_code == 201, target.text
        target_id = target.json()["id"]
        first = http.post(f"/targets/{target_id}/checks")
        assert first.json()["status"] == "succeeded", first.text
        record |= {
            "situacao_cadastral": 8,
            "descricao_situacao_cadastral": "BAIXADA",
            "data_situacao_cadastral": "2026-11-01",
        }
        record["capital_social"] = 123456789.5
        record["qsa"] = [*record["qsa"][1:], dict(record["qsa"][0], nome_socio="PARCEIRA NOVA DA SILVA")]
        time.sleep(0.05)
        fixture.write_text(json.dumps(record), encoding="utf-8")
        second = http.post(f"/targets/{target_id}/checks", params={"refresh": "true"})
        assert second.json()["status"] == "succeeded" and second.json()["diff"]["changed"], second.text
        other = http.post("/targets", json={"cnpj": random_cnpjs(1, seed=int(time.time()) % 100_000 + 21_000)[0],
                                            "label": "Outra", "tags": ["sp"]})
        assert other.status_code == 201
        invited = http.post("/users", json={"email": f"viewer-{tenant.tenant_id[:8]}@example.com", "role": "viewer",
                                            "password": "Another-Correct-Horse-1"})
        assert invited.status_code == 201, invited.text
        batch = http.post("/checks/batch", json={"cnpjs": random_cnpjs(2, seed=int(time.time()) % 100_000 + 22_000)})
        assert batch.status_code in (200, 201, 202), batch.text
    return {"tenant": tenant, "target_id": target_id, "check_id": second.json()["id"],
            "batch_id": batch.json()["batch_id"]}


def test_history_shows_the_diff(rich_tenant: dict[str, Any], open_page: Callable[..., ConsolePage]) -> None:
    console = signed_in(open_page, rich_tenant["tenant"])
    page = console.page
    console.navigate(f"/targets/{rich_tenant['target_id']}")
    page.wait_for_selector("[data-testid=report]")
    assert page.get_attribute("[data-testid=report-status] .badge", "data-status") == "BAIXADA"
    assert page.inner_text("[data-testid=report-capital] dd") == "R$ 123.456.789,50"
    diff = page.wait_for_selector("[data-testid=diff]")
    status = diff.query_selector('[data-field="status"]')
    assert status.query_selector("del").inner_text() == "Ativa"
    assert status.query_selector("ins").inner_text() == "Baixada"
    assert diff.query_selector('[data-field="status_date"] ins').inner_text() == "01/11/2026"
    documents = page.locator("[data-testid=partner-document]").all_inner_texts()
    assert documents and all(re.fullmatch(r"\*\*\*\.\d{3}\.\d{3}-\*\*", d) for d in documents), documents
    assert "PARCEIRA NOVA DA SILVA" in page.inner_text("[data-testid=partners-in]")
    assert page.locator("[data-testid=partners-out] li").count() == 1
    assert page.locator("[data-testid=timeline] > li").count() == 2
    assert "Primeiro relatório" in page.inner_text("[data-testid=timeline] > li:last-child")
    assert unexpected_errors(console) == []


def test_batch_from_paste_and_csv(
    rich_tenant: dict[str, Any], open_page: Callable[..., ConsolePage], tmp_path: Path
) -> None:
    console = signed_in(open_page, rich_tenant["tenant"])
    page = console.page
    console.navigate("/batches")
    valid = random_cnpjs(6, seed=int(time.time()) % 100_000 + 30_000)
    masked = [f"{c[:2]}.{c[2:5]}.{c[5:8]}/{c[8:12]}-{c[12:]}" for c in valid]
    page.fill("[data-testid=batch-paste]", "\n".join([masked[0], valid[1].lower(), "11222333000182", "abc", valid[0]]))
    assert page.inner_text("[data-testid=batch-summary]") == "2 válidos, 2 inválidos, 1 repetidos"
    invalid = page.inner_text("[data-testid=batch-invalid]")
    assert "Linha 3" in invalid and "dígitos verificadores" in invalid and "Linha 4" in invalid
    check_page(console, "batches-desktop")

    rows = "\r\n".join(["razao;cnpj", *[f'"Empresa {i}; Ltda";{c}' for i, c in enumerate(masked)], "X;123"])
    page.set_input_files("[data-testid=batch-file]", files=[{"name": "empresas.csv", "mimeType": "text/csv",
                                                            "buffer": rows.encode()}])
    page.wait_for_selector("[data-testid=batch-summary]:has-text('6 válidos, 1 inválidos')")
    page.click("[data-testid=batch-submit]")
    progress = page.wait_for_selector("[data-testid=batch-progress]")
    page.wait_for_selector("[data-testid=batch-progress][data-done=true]", timeout=90_000)
    assert "6 de 6 concluídas" in progress.inner_text()
    check_page(console, "batch-desktop")
    with page.expect_download() as download_info:
        page.click("[data-testid=batch-download]")
    path = tmp_path / "results.csv"
    download_info.value.save_as(path)
    results = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    # The API's results download (GET /checks/batch/{id}/results) gives each CNPJ as its 14 characters.
    assert sorted(r["cnpj"] for r in results) == sorted(re.sub(r"[^0-9A-Z]", "", c) for c in masked)
    assert {r["status"] for r in results} <= {"succeeded", "failed"} and all(r["check_id"] for r in results)
    assert unexpected_errors(console) == []


PAGES = [
    ("targets", "/targets", "[data-testid=targets-table]"),
    ("target", "/targets/{target_id}", "[data-testid=timeline]"),
    ("check", "/checks/{check_id}", "[data-testid=check-progress]"),
    ("batches", "/batches", "[data-testid=batch-form]"),
    ("batch", "/batches/{batch_id}", "[data-testid=batch-progress]"),
    ("usage", "/usage", "[data-testid=usage-chart]"),
    ("api-keys", "/admin/keys", "[data-testid=keys-table]"),
    ("users", "/admin/users", "[data-testid=users-table]"),
    ("plan", "/admin/plan", "[data-testid=plans]"),
    ("audit", "/admin/audit", "[data-testid=audit-table]"),
    ("tenant", "/admin/tenant", "[data-testid=delete-tenant-form]"),
    ("not-found", "/no/such/page", "h2:has-text('Página não encontrada')"),
]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_page_screenshot_and_axe(
    rich_tenant: dict[str, Any], open_page: Callable[..., ConsolePage], width: str
) -> None:
    console = open_page(DESKTOP if width == "desktop" else PHONE)
    page = console.page
    for name, path in (("login", "/login"), ("signup", "/signup")):
        console.goto(path)
        page.wait_for_selector("form")
        check_page(console, f"{name}-{width}")
        console.assert_no_horizontal_scroll()
    sign_in(console, rich_tenant["tenant"])
    for name, path, ready in PAGES:
        console.navigate(path.format(**rich_tenant))  # in the app: a reload would end the in-memory session
        page.wait_for_selector(ready, timeout=30_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=skeleton]')")
        page.wait_for_load_state("networkidle")
        check_page(console, f"{name}-{width}")
        console.assert_no_horizontal_scroll()
    assert unexpected_errors(console) == []
