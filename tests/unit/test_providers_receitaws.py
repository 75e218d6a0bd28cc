"""ReceitaWS client: public and paid URLs, and its HTTP 200 status: ERROR answers mapped to typed errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from radar.cnpj import parse_cnpj
from radar.providers.base import LazyClient
from radar.providers.errors import (
    ProviderBadResponse,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from radar.providers.receitaws import ReceitaWsProvider
from tests.unit.fakes import fixture

BASE = "https://receitaws.test/v1"
CNPJ = parse_cnpj("27865757000102")


def _provider(token: str | None = None, **options: Any) -> ReceitaWsProvider:
    return ReceitaWsProvider(
        base_url=BASE,
        token_source=lambda: token,
        client=LazyClient(),
        sleep=lambda _s: None,
        jitter=lambda: 0.0,
        **options,
    )


@respx.mock
def test_public_lookup() -> None:
    route = respx.get(f"{BASE}/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json=fixture("receitaws_27865757000102.json"))
    )
    report = _provider().lookup(CNPJ)
    assert "authorization" not in route.calls.last.request.headers
    assert (report.source, report.opened_on.isoformat() if report.opened_on else None) == ("receitaws", "1986-01-31")


@respx.mock
def test_paid_lookup_uses_days_path_and_bearer_token() -> None:
    route = respx.get(f"{BASE}/cnpj/27865757000102/days/7").mock(
        return_value=httpx.Response(200, json=fixture("receitaws_27865757000102.json"))
    )
    _provider(token="secret-token", max_age_days=7).lookup(CNPJ)
    assert route.calls.last.request.headers["authorization"] == "Bearer secret-token"


@respx.mock
def test_status_error_cnpj_invalido_on_200_is_invalid() -> None:
    route = respx.get(f"{BASE}/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json=fixture("receitaws_error_cnpj-invalido_03420926004980.json"))
    )
    with pytest.raises(ProviderInvalidCnpj) as caught:
        _provider().lookup(CNPJ)
    assert route.call_count == 1
    assert (caught.value.http_status, caught.value.body_excerpt) == (200, "CNPJ inválido")


@respx.mock
def test_status_error_rejeitado_on_200_is_not_found() -> None:
    respx.get(f"{BASE}/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json=fixture("receitaws_error_rejeitado_23713354000189.json"))
    )
    with pytest.raises(ProviderNotFound) as caught:
        _provider().lookup(CNPJ)
    assert caught.value.outcome == "not_found"


@respx.mock
def test_status_error_timeout_on_200_is_retried_then_succeeds() -> None:
    route = respx.get(f"{BASE}/cnpj/27865757000102").mock(
        side_effect=[
            httpx.Response(200, json={"status": "ERROR", "message": "Timeout"}),
            httpx.Response(200, json=fixture("receitaws_27865757000102.json")),
        ]
    )
    assert _provider().lookup(CNPJ).legal_name == "GLOBO COMUNICACAO E PARTICIPACOES S/A"
    assert route.call_count == 2


@respx.mock
def test_status_error_timeout_every_time_is_transient() -> None:
    respx.get(f"{BASE}/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json={"status": "ERROR", "message": "Timeout"})
    )
    with pytest.raises(ProviderTransient):
        _provider(max_attempts=2).lookup(CNPJ)


@respx.mock
def test_unknown_status_error_message_is_a_bad_response() -> None:
    respx.get(f"{BASE}/cnpj/27865757000102").mock(
        return_value=httpx.Response(200, json={"status": "ERROR", "message": "Token inválido"})
    )
    with pytest.raises(ProviderBadResponse) as caught:
        _provider().lookup(CNPJ)
    # "inválido" about a token must not read as "the CNPJ is invalid" (that would count as not-found evidence).
    assert caught.value.outcome == "error"


@respx.mock
@pytest.mark.parametrize(
    ("status", "error_type"),
    [(429, ProviderRateLimited), (504, ProviderTransient), (401, ProviderBadResponse), (403, ProviderBadResponse)],
)
def test_http_errors(status: int, error_type: type[ProviderError]) -> None:
    body = {"status": "ERROR", "message": "Too many requests, please try again later."}
    respx.get(f"{BASE}/cnpj/27865757000102").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(error_type) as caught:
        _provider(max_attempts=1).lookup(CNPJ)
    assert caught.value.http_status == status
    assert caught.value.provider == "receitaws"


@respx.mock
def test_plain_text_429_is_rate_limited() -> None:
    respx.get(f"{BASE}/cnpj/27865757000102").mock(return_value=httpx.Response(429, text="Too Many Requests"))
    with pytest.raises(ProviderRateLimited):
        _provider(max_attempts=1).lookup(CNPJ)


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECEITAWS_BASE_URL", "http://127.0.0.1:9/receitaws/v1")
    monkeypatch.setenv("RECEITAWS_MAX_AGE_DAYS", "3")
    provider = ReceitaWsProvider.from_environ()
    assert provider.build_request(CNPJ, None)[0] == "http://127.0.0.1:9/receitaws/v1/cnpj/27865757000102"
    url, _params, headers = provider.build_request(CNPJ, "tok")
    assert url == "http://127.0.0.1:9/receitaws/v1/cnpj/27865757000102/days/3"
    assert headers == {"Authorization": "Bearer tok"}


_WAIT_A_MINUTE = {
    "status": "ERROR",
    "message": "Espere um minuto para tentar fazer uma nova requisição!",
    "errorCode": 101,
}


@respx.mock
def test_wait_a_minute_on_200_is_a_rate_limit_not_a_bad_response() -> None:
    route = respx.get(f"{BASE}/cnpj/{CNPJ.value}").mock(return_value=httpx.Response(200, json=_WAIT_A_MINUTE))
    with pytest.raises(ProviderRateLimited) as caught:
        _provider(max_attempts=3).lookup(CNPJ)
    # A minute is longer than an invocation waits: no retry into the same full window.
    assert route.call_count == 1
    assert caught.value.retry_after == 60.0
    assert caught.value.outcome == "rate_limited"
    assert "Espere um minuto" in caught.value.body_excerpt


@pytest.mark.parametrize(
    "body",
    [
        {"status": "ERROR", "message": "Espere um minuto para tentar fazer uma nova requisição"},  # no code
        {"status": "ERROR", "message": "", "errorCode": 101},  # the code alone
        {"status": "ERROR", "message": "espere UM minuto...", "errorCode": "101"},
    ],
)
@respx.mock
def test_wait_a_minute_is_recognized_by_its_code_or_its_text(body: dict[str, Any]) -> None:
    respx.get(f"{BASE}/cnpj/{CNPJ.value}").mock(return_value=httpx.Response(200, json=body))
    with pytest.raises(ProviderRateLimited):
        _provider(max_attempts=1).lookup(CNPJ)
