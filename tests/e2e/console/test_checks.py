"""Checks in the console: a background check shown progressing to its final state, and a connector failure (every
provider failing, with the sandbox's faults on) shown in plain words, with a retry that then succeeds."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.e2e.console.conftest import ConsolePage, api, sign_in, signed_in, unexpected_errors
from tests.support.cloud import RunningCloud, Tenant
from tests.support.cnpjs import random_cnpjs


def _fresh_target(cloud: RunningCloud, label: str, seed: int) -> tuple[Tenant, str]:
    """A tenant and a target with a CNPJ nobody has looked up (so the providers, not the cache, answer)."""
    tenant = cloud.signup()
    cnpj = random_cnpjs(1, seed=seed, alphanumeric_share=0)[0]
    with api(tenant) as http:
        created = http.post("/targets", json={"cnpj": cnpj, "label": label})
        assert created.status_code == 201, created.text
    return tenant, created.json()["id"]


def test_async_check_progresses_to_final(cloud: RunningCloud, open_page: Callable[..., ConsolePage]) -> None:
    tenant, target_id = _fresh_target(cloud, "Em segundo plano", int(time.time()) % 100_000 + 1)
    cloud.sandbox(latency_ms=2500)  # the worker's lookup takes a while: progress is visible
    console = signed_in(open_page, tenant)
    page = console.page
    console.navigate(f"/targets/{target_id}")
    page.wait_for_selector("[data-testid=empty-state]")  # no report yet
    page.click("[data-testid=run-check-async]")

    progress = page.wait_for_selector("[data-testid=check-progress]")
    seen: list[str] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        status = progress.get_attribute("data-status") or ""
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in {"succeeded", "failed"}:
            break
        time.sleep(0.1)
    assert seen[0] == "queued", seen
    assert seen[-1] == "succeeded", seen
    assert page.locator("[data-testid=check-progress] li[aria-current=step]").inner_text() == "Concluída"
    page.wait_for_selector("[data-testid=report]")
    polls = [r for r in console.api_responses if r[0] == "GET" and r[1].startswith("/v1/checks/")]
    assert len(polls) >= 2 and all(status == 200 for *_, status in polls)
    started = [r for r in console.api_responses if r[0] == "POST" and "/checks" in r[1]]
    assert started == [("POST", f"/v1/targets/{target_id}/checks?async=true&refresh=false", 202)]
    assert unexpected_errors(console) == []


def test_connector_failure_in_plain_words_with_retry(
    cloud: RunningCloud, open_page: Callable[..., ConsolePage]
) -> None:
    tenant, target_id = _fresh_target(cloud, "Fontes fora do ar", int(time.time()) % 100_000 + 50_000)
    console = open_page(clock=True)  # the page's clock: the retry waits the API's Retry-After, fast-forwarded
    page = console.page
    sign_in(console, tenant)
    console.navigate(f"/targets/{target_id}")
    page.wait_for_selector("[data-testid=run-check]")
    cloud.sandbox(fault_rate=1.0, faults=["5xx"])
    page.click("[data-testid=run-check]")

    panel = page.wait_for_selector("[data-testid=provider-errors]", timeout=60_000)
    assert "As fontes de dados não responderam" in panel.inner_text()
    tried = {item.get_attribute("data-provider"): item.inner_text() for item in panel.query_selector_all("li")}
    # Every provider of the deployed order was tried (BrasilAPI and minha-receita share a breaker: once it opens,
    # the later one says so instead of failing again).
    assert set(tried) == {"cnpjws", "brasilapi", "receitaws", "minhareceita", "opencnpj", "cnpja"}, tried
    assert "CNPJ.ws" in tried["cnpjws"] and "BrasilAPI" in tried["brasilapi"] and "ReceitaWS" in tried["receitaws"]
    assert "minha-receita" in tried["minhareceita"]
    # Each in words (cnpj.ws may instead have had no token left in its 3-a-minute budget), never a raw code.
    words = ("está fora do ar ou demorou demais para responder", "recusou por limite de consultas",
             "está em pausa depois de falhas seguidas")
    assert all(any(w in text for w in words) for text in tried.values()), tried
    assert any(words[0] in text for text in tried.values()), tried
    assert any(r[2] == 503 for r in console.api_responses if r[0] == "POST")

    cloud.sandbox(fault_rate=0.0)
    retry = page.locator("[data-testid=retry-check]")
    for _ in range(10):  # it honours the API's Retry-After: the page's clock skips the wait
        if retry.is_enabled():
            break
        page.clock.fast_forward(30_000)
        page.wait_for_timeout(500)
    retry.click()
    page.wait_for_selector("[data-testid=report]", timeout=60_000)
    assert page.locator("[data-testid=provider-errors]").count() == 0
    timeline = page.inner_text("[data-testid=timeline]")
    assert "Falhou" in timeline and "Concluída" in timeline  # the failed attempt stays in the history
    assert unexpected_errors(console) == []
