"""Sign-up to the first report through the console, as a new analyst would: the empty state invites the first
company, the CNPJ input formats and refuses a typo before sending, the server's verdict shows next to the field,
and the report reads in pt-BR sections. Logging out leaves nothing in the browser's storage."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from tests.e2e.console.conftest import ConsolePage, check_page, new_credentials, unexpected_errors
from tests.support.cloud import RunningCloud
from tests.support.cnpjs import random_cnpjs


def test_sign_up_to_first_report(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    console = open_page()
    page = console.page
    console.goto("/")
    page.wait_for_selector("h1:has-text('Entrar')")  # pt-BR by default, signed out: the login page
    check_page(console, "login-desktop")
    page.click("text=Criar organização")
    tenant_name, email, password = new_credentials()
    page.fill("#signup-tenant", tenant_name)
    page.fill("#signup-email", email)
    page.fill("#signup-password", "short")  # the API's rule, shown next to the field
    page.click("[data-testid=signup-submit]")
    page.wait_for_selector("#signup-password-error")
    check_page(console, "signup-desktop")
    page.fill("#signup-password", password)
    page.click("[data-testid=signup-submit]")

    empty = page.wait_for_selector("[data-testid=empty-state]")
    assert "Nenhuma empresa ainda" in empty.inner_text()
    check_page(console, "targets-empty-desktop")
    empty.query_selector("button").click()

    cnpj_input = page.locator("[data-testid=cnpj-input]")
    cnpj = random_cnpjs(1, seed=int(time.time() * 1000) % 100_000, alphanumeric_share=0)[0]
    wrong = cnpj[:12] + f"{(int(cnpj[12:]) + 1) % 100:02d}"
    cnpj_input.press_sequentially(wrong.lower())
    assert cnpj_input.input_value() == f"{wrong[:2]}.{wrong[2:5]}.{wrong[5:8]}/{wrong[8:12]}-{wrong[12:]}"
    assert "dígitos verificadores não conferem" in page.inner_text("[data-testid=cnpj-status]")
    page.click("[data-testid=create-target]")
    time.sleep(0.3)
    assert not [r for r in console.api_responses if r[0] == "POST" and r[1] == "/v1/targets"]  # nothing sent

    cnpj_input.fill("")
    cnpj_input.press_sequentially(cnpj)
    assert page.inner_text("[data-testid=cnpj-status]") == "CNPJ válido."
    page.fill("#new-target-label", "Primeira empresa")
    page.fill("#new-target-tags", "fornecedor, sp")
    page.click("[data-testid=create-target]")

    page.wait_for_selector("[data-testid=run-check]")
    assert page.locator("h1").inner_text().startswith("Primeira empresa")
    page.click("[data-testid=run-check]")
    report = page.wait_for_selector("[data-testid=report]", timeout=60_000)
    assert report.query_selector(".badge[data-status]") is not None
    status = page.get_attribute("[data-testid=report-status] .badge", "data-status")
    assert status in {"ATIVA", "BAIXADA", "INAPTA", "SUSPENSA", "NULA"}
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", page.inner_text("[data-testid=report-opened-on] dd"))
    assert re.fullmatch(r"R\$ [\d.]+,\d{2}", page.inner_text("[data-testid=report-capital] dd"))
    assert re.match(r"\d{4}-\d/\d{2} ", page.inner_text("[data-testid=report-main-cnae] dd"))
    # Partners (a generated company may have none): a CPF shows its middle digits only, a company partner its CNPJ.
    documents = page.locator("[data-testid=partner-document]").all_inner_texts()
    assert all(re.fullmatch(r"\*\*\*\.\d{3}\.\d{3}-\*\*|[\dA-Z]{2}\.[\dA-Z]{3}\.[\dA-Z]{3}/[\dA-Z]{4}-\d{2}|—", d)
               for d in documents), documents
    assert documents or page.locator("text=Nenhum sócio informado.").count() == 1
    assert page.get_attribute("[data-testid=report-cached]", "data-cached") == "false"
    assert page.inner_text("[data-testid=report-source] dd") in {"CNPJ.ws", "BrasilAPI", "ReceitaWS"}
    assert "Primeiro relatório" in page.inner_text("[data-testid=timeline]")
    check_page(console, "target-report-desktop")

    # The same page in English.
    page.select_option("[data-testid=language]", "en")
    page.wait_for_selector("text=Registration and status")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("[data-testid=language]", "pt-BR")

    page.click("[data-testid=sign-out]")
    page.wait_for_selector("[data-testid=ended-message][data-reason=logout]")
    storage = console.storage()
    assert storage["session"] == {} and storage["cookie"] == ""
    assert set(storage["local"]) <= {"radar.lang"}  # a language preference, never the session
    page.go_back()
    page.wait_for_selector("h1:has-text('Entrar')")  # protected pages need a session again
    assert unexpected_errors(console) == []
