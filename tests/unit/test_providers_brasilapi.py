"""BrasilAPI client: path, parsing of real bodies, and its error shapes (JSON, Vercel plain text, Cloudflare HTML)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from radar.cnpj import parse_cnpj
from radar.providers.base import LazyClient
from radar.providers.brasilapi import BrasilApiProvider
from radar.providers.errors import ProviderInvalidCnpj, ProviderNotFound, ProviderRateLimited, ProviderTransient
from tests.unit.fakes import fixture

BASE = "https://brasilapi.test/api/cnpj/v1"


def _provider(**options: Any) -> BrasilApiProvider:
    return BrasilApiProvider(
        base_url=BASE,
        client=LazyClient(),
        sleep=lambda _s: None,
        jitter=lambda: 0.0,
        **options,
    )


@respx.mock
def test_alphanumeric_cnpj_goes_in_the_path_and_normalizes() -> None:
    cnpj = parse_cnpj("00.000.000/E08G-12")
    route = respx.get(f"{BASE}/00000000E08G12").mock(
        return_value=httpx.Response(200, json=fixture("brasilapi_00000000E08G12_alfanumerico_QSA-TRUNCATED.json"))
    )
    report = _provider().lookup(cnpj)
    assert route.called
    assert (report.source, report.cnpj, report.head_office) == ("brasilapi", "00000000E08G12", False)


@respx.mock
def test_404_body_is_a_not_found_with_the_message_excerpt() -> None:
    cnpj = parse_cnpj("12ABC34501DE35")
    respx.get(f"{BASE}/12ABC34501DE35").mock(
        return_value=httpx.Response(404, json=fixture("brasilapi_error_404_12ABC34501DE35.json"))
    )
    with pytest.raises(ProviderNotFound) as caught:
        _provider().lookup(cnpj)
    assert caught.value.http_status == 404
    assert "não encontrado" in caught.value.body_excerpt


@respx.mock
def test_400_body_is_invalid() -> None:
    cnpj = parse_cnpj("19131243000197")
    respx.get(f"{BASE}/19131243000197").mock(
        return_value=httpx.Response(400, json=fixture("brasilapi_error_400_19131243000198.json"))
    )
    with pytest.raises(ProviderInvalidCnpj) as caught:
        _provider().lookup(cnpj)
    assert "inválido" in caught.value.body_excerpt


@respx.mock
def test_upstream_503_as_500_is_transient_after_retries() -> None:
    cnpj = parse_cnpj("19131243000197")
    route = respx.get(f"{BASE}/19131243000197").mock(
        return_value=httpx.Response(500, json=fixture("brasilapi_error_500_upstream-503_65478551000100.json"))
    )
    with pytest.raises(ProviderTransient) as caught:
        _provider(max_attempts=3).lookup(cnpj)
    assert route.call_count == 3
    assert caught.value.http_status == 500


@respx.mock
def test_vercel_plain_text_429_is_rate_limited() -> None:
    cnpj = parse_cnpj("19131243000197")
    respx.get(f"{BASE}/19131243000197").mock(
        return_value=httpx.Response(
            429,
            text="Too Many Requests\n\ngru1::abcd-1234",
            headers={"x-vercel-mitigated": "deny", "server": "cloudflare", "content-type": "text/plain"},
        )
    )
    with pytest.raises(ProviderRateLimited) as caught:
        _provider(max_attempts=2).lookup(cnpj)
    assert caught.value.body_excerpt == "Too Many Requests gru1::abcd-1234"


@respx.mock
def test_cloudflare_504_without_json_honours_its_retry_after_hint() -> None:
    cnpj = parse_cnpj("19131243000197")
    route = respx.get(f"{BASE}/19131243000197").mock(
        return_value=httpx.Response(504, text="<html>504 Gateway Time-out</html>", headers={"retry-after": "120"})
    )
    with pytest.raises(ProviderTransient) as caught:
        _provider(max_retry_after=10.0).lookup(cnpj)
    assert route.call_count == 1  # 120 s is beyond what an invocation can wait
    assert caught.value.retry_after == 120.0


@respx.mock
def test_cloudflare_403_challenge_is_transient_not_retried() -> None:
    cnpj = parse_cnpj("19131243000197")
    route = respx.get(f"{BASE}/19131243000197").mock(
        return_value=httpx.Response(403, text="<html><title>Just a moment...</title></html>")
    )
    with pytest.raises(ProviderTransient) as caught:
        _provider().lookup(cnpj)
    assert route.call_count == 1
    assert caught.value.retryable is False


def test_from_env_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRASILAPI_BASE_URL", "http://127.0.0.1:9/brasilapi/api/cnpj/v1")
    provider = BrasilApiProvider.from_environ()
    url, params, headers = provider.build_request(parse_cnpj("19131243000197"), "ignored")
    assert url == "http://127.0.0.1:9/brasilapi/api/cnpj/v1/19131243000197"
    assert params == {} and headers == {}
    monkeypatch.delenv("BRASILAPI_BASE_URL")
    assert BrasilApiProvider.from_environ().base_url == "https://brasilapi.com.br/api/cnpj/v1"
