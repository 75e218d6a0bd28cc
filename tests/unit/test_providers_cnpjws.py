"""CNPJ.ws client: URLs (public and commercial), parsing, and its error model mapped to typed errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from radar.cnpj import parse_cnpj
from radar.providers.base import LazyClient
from radar.providers.cnpjws import CnpjWsProvider
from radar.providers.errors import (
    ProviderBadResponse,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from tests.unit.fakes import fixture

PUBLIC = "https://publica.cnpj.test"
COMMERCIAL = "https://comercial.cnpj.test"
CNPJ = parse_cnpj("27.865.757/0001-02")


def _provider(token: str | None = None, **options: Any) -> CnpjWsProvider:
    return CnpjWsProvider(
        base_url=PUBLIC,
        commercial_base_url=COMMERCIAL,
        token_source=lambda: token,
        client=LazyClient(),
        sleep=lambda _s: None,
        jitter=lambda: 0.0,
        **options,
    )


def _error_model(status: int, detail: str) -> dict[str, object]:
    body = fixture("cnpjws_error_400_model.json")
    body.update({"status": status, "detalhes": detail})
    return body


@respx.mock
def test_public_lookup_calls_the_public_path_and_normalizes() -> None:
    route = respx.get(f"{PUBLIC}/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json=fixture("cnpjws_27865757000102.json"))
    )
    report = _provider().lookup(CNPJ)
    assert route.called
    assert "token" not in route.calls.last.request.url.params
    assert (report.source, report.cnpj, report.legal_name) == (
        "cnpjws",
        "27865757000102",
        "GLOBO COMUNICACAO E PARTICIPACOES S/A",
    )


@respx.mock
def test_commercial_lookup_sends_the_token_as_a_query_parameter() -> None:
    route = respx.get(f"{COMMERCIAL}/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json=fixture("cnpjws_27865757000102.json"))
    )
    _provider(token="tok-123").lookup(CNPJ)
    assert route.calls.last.request.url.params["token"] == "tok-123"


@respx.mock
@pytest.mark.parametrize(
    ("status", "error_type", "outcome"),
    [
        (400, ProviderInvalidCnpj, "invalid"),
        (404, ProviderNotFound, "not_found"),
        (429, ProviderRateLimited, "rate_limited"),
        (500, ProviderTransient, "transient"),
        (401, ProviderBadResponse, "error"),
        (403, ProviderBadResponse, "error"),
    ],
)
def test_error_model_statuses_map_to_typed_errors(status: int, error_type: type[ProviderError], outcome: str) -> None:
    body = _error_model(status, "CNPJ inválido" if status == 400 else "mensagem")
    respx.get(f"{PUBLIC}/cnpj/27865757000102").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(error_type) as caught:
        _provider(max_attempts=2).lookup(CNPJ)
    error = caught.value
    assert (error.provider, error.http_status, error.outcome) == ("cnpjws", status, outcome)
    assert json.loads(json.dumps(error.details)) == {"provider": "cnpjws", "status": status}
    assert "Requisição inválida" in error.body_excerpt


@respx.mock
def test_rate_limit_then_success_is_retried() -> None:
    route = respx.get(f"{PUBLIC}/cnpj/27865757000102").mock(
        side_effect=[
            httpx.Response(429, json=_error_model(429, "limite"), headers={"Retry-After": "1"}),
            httpx.Response(200, json=fixture("cnpjws_27865757000102.json")),
        ]
    )
    assert _provider().lookup(CNPJ).status == "ATIVA"
    assert route.call_count == 2


@respx.mock
def test_a_200_with_an_unreadable_record_is_a_bad_response() -> None:
    respx.get(f"{PUBLIC}/cnpj/27865757000102").mock(return_value=httpx.Response(200, json={"erro": "???"}))
    with pytest.raises(ProviderBadResponse, match="unreadable company record"):
        _provider().lookup(CNPJ)


@respx.mock
def test_a_200_for_another_company_is_a_bad_response() -> None:
    respx.get(f"{PUBLIC}/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json=fixture("cnpjws_05525406000101.json"))
    )
    with pytest.raises(ProviderBadResponse, match="different CNPJ"):
        _provider().lookup(CNPJ)


def test_from_env_reads_base_urls_and_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNPJWS_BASE_URL", "http://127.0.0.1:9/cnpjws/")
    monkeypatch.setenv("CNPJWS_COMMERCIAL_BASE_URL", "http://127.0.0.1:9/comercial")
    monkeypatch.setenv("PROVIDER_CONNECT_TIMEOUT", "0.5")
    monkeypatch.setenv("PROVIDER_READ_TIMEOUT", "1.5")
    provider = CnpjWsProvider.from_environ()
    assert provider.build_request(CNPJ, None)[0] == "http://127.0.0.1:9/cnpjws/cnpj/27865757000102"
    assert provider.build_request(CNPJ, "t")[:2] == ("http://127.0.0.1:9/comercial/cnpj/27865757000102", {"token": "t"})
    assert (provider.connect_timeout, provider.read_timeout) == (0.5, 1.5)


def test_defaults_without_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CNPJWS_BASE_URL", "CNPJWS_COMMERCIAL_BASE_URL", "PROVIDER_CONNECT_TIMEOUT", "PROVIDER_READ_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    provider = CnpjWsProvider.from_environ()
    assert provider.build_request(CNPJ, None)[0] == "https://publica.cnpj.ws/cnpj/27865757000102"
    assert provider.build_request(CNPJ, "t")[0] == "https://comercial.cnpj.ws/cnpj/27865757000102"
    assert (provider.connect_timeout, provider.read_timeout) == (2.0, 5.0)
