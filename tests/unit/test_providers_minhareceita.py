"""minha-receita client: path, parsing of its real bodies, and its error shapes (Go JSON, Cloudflare 1015/522)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from radar.cnpj import parse_cnpj
from radar.providers.base import LazyClient
from radar.providers.errors import (
    ProviderBadResponse,
    ProviderBlocked,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from radar.providers.minhareceita import DEFAULT_BASE_URL, MinhaReceitaProvider
from tests.unit.fakes import fixture

BASE = "https://minhareceita.test"
CNPJ = parse_cnpj("19131243000197")


def _provider(**options: Any) -> MinhaReceitaProvider:
    return MinhaReceitaProvider(
        base_url=BASE, client=LazyClient(), sleep=lambda _s: None, jitter=lambda: 0.0, **options
    )


@respx.mock
def test_lookup_goes_to_the_bare_cnpj_and_normalizes_as_minhareceita() -> None:
    route = respx.get(f"{BASE}/19131243000197").mock(
        return_value=httpx.Response(200, json=fixture("minhareceita_19131243000197.json"))
    )
    report = _provider().lookup(CNPJ)
    assert route.call_count == 1
    assert (report.source, report.cnpj, report.legal_name) == (
        "minhareceita",
        "19131243000197",
        "OPEN KNOWLEDGE BRASIL",
    )


@respx.mock
def test_alphanumeric_cnpj_goes_in_the_path() -> None:
    route = respx.get(f"{BASE}/00000000E08G12").mock(
        return_value=httpx.Response(200, json=fixture("brasilapi_00000000E08G12_alfanumerico_QSA-TRUNCATED.json"))
    )
    report = _provider().lookup(parse_cnpj("00.000.000/E08G-12"))
    assert route.called and report.cnpj == "00000000E08G12" and report.source == "minhareceita"


@pytest.mark.parametrize(
    ("status", "body", "error_type", "calls"),
    [
        (400, fixture("minhareceita_error_400_foobar.json"), ProviderInvalidCnpj, 1),
        (404, fixture("minhareceita_error_404_33787094000140.json"), ProviderNotFound, 1),
        (405, fixture("minhareceita_error_405_POST.json"), ProviderBadResponse, 1),
        (418, None, ProviderBadResponse, 1),  # ALLOWED_HOST mismatch: no body
        (522, "error code: 522", ProviderTransient, 3),  # Cloudflare: origin unreachable
    ],
)
@respx.mock
def test_error_answers(status: int, body: Any, error_type: type[ProviderError], calls: int) -> None:
    response = httpx.Response(status, json=body) if isinstance(body, dict) else httpx.Response(status, text=body or "")
    route = respx.get(f"{BASE}/19131243000197").mock(return_value=response)
    with pytest.raises(error_type) as caught:
        _provider(max_attempts=3).lookup(CNPJ)
    assert type(caught.value) is error_type
    assert route.call_count == calls
    assert caught.value.http_status == status


@respx.mock
def test_cloudflare_1015_is_a_rate_limit_with_its_retry_after() -> None:
    respx.get(f"{BASE}/19131243000197").mock(
        return_value=httpx.Response(429, text="error code: 1015", headers={"retry-after": "30"})
    )
    with pytest.raises(ProviderRateLimited) as caught:
        _provider().lookup(CNPJ)
    assert caught.value.retry_after == 30.0


@respx.mock
def test_cloudflare_challenge_is_blocked_and_not_retried() -> None:
    route = respx.get(f"{BASE}/19131243000197").mock(
        return_value=httpx.Response(
            403, text="<html><title>Just a moment...</title></html>", headers={"cf-mitigated": "challenge"}
        )
    )
    with pytest.raises(ProviderBlocked) as caught:
        _provider().lookup(CNPJ)
    assert route.call_count == 1 and caught.value.outcome == "transient" and caught.value.retryable is False


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINHARECEITA_BASE_URL", "http://127.0.0.1:9/minhareceita/")
    url, params, headers = MinhaReceitaProvider.from_environ().build_request(CNPJ, None)
    assert (url, params, headers) == ("http://127.0.0.1:9/minhareceita/19131243000197", {}, {})
    monkeypatch.delenv("MINHARECEITA_BASE_URL")
    assert MinhaReceitaProvider.from_environ().base_url == DEFAULT_BASE_URL == "https://minhareceita.org"
