"""CNPJá open client: the /office path, parsing of its real body, and its {code, message} errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from radar.cnpj import parse_cnpj
from radar.providers.base import LazyClient
from radar.providers.cnpja import DEFAULT_BASE_URL, RATE_LIMIT_BACKOFF_SECONDS, CnpjaProvider
from radar.providers.errors import (
    ProviderBlocked,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from tests.unit.fakes import fixture

BASE = "https://cnpja.test"
CNPJ = parse_cnpj("07.526.557/0116-59")


def _provider(**options: Any) -> CnpjaProvider:
    return CnpjaProvider(base_url=BASE, client=LazyClient(), sleep=lambda _s: None, jitter=lambda: 0.0, **options)


@respx.mock
def test_lookup_goes_to_office_with_the_bare_tax_id() -> None:
    route = respx.get(f"{BASE}/office/07526557011659").mock(
        return_value=httpx.Response(200, json=fixture("cnpja_07526557011659.json"))
    )
    report = _provider().lookup(CNPJ)
    assert route.call_count == 1
    assert (report.source, report.legal_name, report.head_office) == ("cnpja", "AMBEV S.A.", False)


@pytest.mark.parametrize(
    ("status", "body", "error_type", "calls"),
    [
        (400, fixture("cnpja_error_400_invalid-dv.json"), ProviderInvalidCnpj, 1),
        (404, {"code": 404, "message": "tax id not registered at revenue service"}, ProviderNotFound, 1),
        (503, {"code": 503, "message": "revenue service is offline"}, ProviderTransient, 3),
        (500, {"code": 500, "message": "unexpected error"}, ProviderTransient, 3),
    ],
)
@respx.mock
def test_errors(status: int, body: dict[str, Any], error_type: type[ProviderError], calls: int) -> None:
    route = respx.get(f"{BASE}/office/07526557011659").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(error_type) as caught:
        _provider(max_attempts=3).lookup(CNPJ)
    assert type(caught.value) is error_type and route.call_count == calls


@respx.mock
def test_429_without_retry_after_backs_off_a_minute_instead_of_retrying() -> None:
    route = respx.get(f"{BASE}/office/07526557011659").mock(
        return_value=httpx.Response(429, json=fixture("cnpja_error_429_model.json"))
    )
    with pytest.raises(ProviderRateLimited) as caught:
        _provider(max_attempts=3).lookup(CNPJ)
    assert route.call_count == 1
    assert caught.value.retry_after == RATE_LIMIT_BACKOFF_SECONDS == 60.0


@respx.mock
def test_429_with_a_short_retry_after_is_retried_after_it() -> None:
    slept: list[float] = []
    route = respx.get(f"{BASE}/office/07526557011659").mock(
        side_effect=[
            httpx.Response(429, json=fixture("cnpja_error_429_model.json"), headers={"retry-after": "2"}),
            httpx.Response(200, json=fixture("cnpja_07526557011659.json")),
        ]
    )
    provider = CnpjaProvider(base_url=BASE, client=LazyClient(), sleep=slept.append, jitter=lambda: 0.0)
    assert provider.lookup(CNPJ).source == "cnpja"
    assert route.call_count == 2 and slept == [2.0]


@respx.mock
def test_cloudflare_challenge_is_blocked() -> None:
    respx.get(f"{BASE}/office/07526557011659").mock(
        return_value=httpx.Response(403, text="<html>Just a moment...</html>", headers={"cf-mitigated": "challenge"})
    )
    with pytest.raises(ProviderBlocked):
        _provider().lookup(CNPJ)


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CNPJA_BASE_URL", "http://127.0.0.1:9/cnpja")
    url = CnpjaProvider.from_environ().build_request(CNPJ, None)[0]
    assert url == "http://127.0.0.1:9/cnpja/office/07526557011659"
    monkeypatch.delenv("CNPJA_BASE_URL")
    assert CnpjaProvider.from_environ().base_url == DEFAULT_BASE_URL == "https://open.cnpja.com"
