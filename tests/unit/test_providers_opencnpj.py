"""OpenCNPJ client: path, parsing of its real bodies, its Worker errors and Cloudflare's 429 and challenge."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from radar.cnpj import parse_cnpj
from radar.providers.base import LazyClient
from radar.providers.errors import (
    ProviderBlocked,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from radar.providers.opencnpj import DEFAULT_BASE_URL, OpenCnpjProvider
from tests.unit.fakes import fixture

BASE = "https://opencnpj.test"
CNPJ = parse_cnpj("08942107000160")


def _provider(**options: Any) -> OpenCnpjProvider:
    return OpenCnpjProvider(base_url=BASE, client=LazyClient(), sleep=lambda _s: None, jitter=lambda: 0.0, **options)


@respx.mock
def test_lookup_normalizes_the_record() -> None:
    route = respx.get(f"{BASE}/08942107000160").mock(
        return_value=httpx.Response(200, json=fixture("opencnpj_08942107000160.json"))
    )
    report = _provider().lookup(CNPJ)
    assert route.call_count == 1 and route.calls[0].request.url.params == httpx.QueryParams()
    assert (report.source, report.status, report.head_office) == ("opencnpj", "BAIXADA", True)


@pytest.mark.parametrize(
    ("status", "body", "error_type", "calls"),
    [
        (400, fixture("opencnpj_error_400_model.json"), ProviderInvalidCnpj, 1),
        (404, fixture("opencnpj_error_404_94580730000152.json"), ProviderNotFound, 1),
        (502, {"error": "invalid shard payload"}, ProviderTransient, 3),
    ],
)
@respx.mock
def test_worker_errors(status: int, body: dict[str, str], error_type: type[ProviderError], calls: int) -> None:
    route = respx.get(f"{BASE}/08942107000160").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(error_type) as caught:
        _provider(max_attempts=3).lookup(CNPJ)
    assert type(caught.value) is error_type and route.call_count == calls


@respx.mock
def test_sustained_volume_429_is_a_rate_limit() -> None:
    route = respx.get(f"{BASE}/08942107000160").mock(
        return_value=httpx.Response(429, text="error code: 1015", headers={"retry-after": "60"})
    )
    with pytest.raises(ProviderRateLimited) as caught:
        _provider(max_attempts=3).lookup(CNPJ)
    assert caught.value.retry_after == 60.0 and route.call_count == 1  # 60 s is more than a call may wait


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("<!DOCTYPE html><title>Just a moment...</title>", {"cf-mitigated": "challenge"}),
        ("<!DOCTYPE html><title>Just a moment...</title>", {}),  # the page without the header
        ('{"error":"blocked"}', {"cf-mitigated": "challenge", "content-type": "application/json"}),
    ],
)
@respx.mock
def test_cloudflare_challenge_is_a_blocked_provider(body: str, headers: dict[str, str]) -> None:
    route = respx.get(f"{BASE}/08942107000160").mock(return_value=httpx.Response(403, text=body, headers=headers))
    with pytest.raises(ProviderBlocked) as caught:
        _provider(max_attempts=3).lookup(CNPJ)
    assert route.call_count == 1 and caught.value.retryable is False and caught.value.outcome == "transient"


@respx.mock
def test_a_challenge_page_with_status_200_is_not_a_record() -> None:
    respx.get(f"{BASE}/08942107000160").mock(
        return_value=httpx.Response(200, text="<html><title>Just a moment...</title></html>")
    )
    with pytest.raises(ProviderTransient):
        _provider().lookup(CNPJ)


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENCNPJ_BASE_URL", "http://127.0.0.1:9/opencnpj")
    assert OpenCnpjProvider.from_environ().build_request(CNPJ, None)[0] == "http://127.0.0.1:9/opencnpj/08942107000160"
    monkeypatch.delenv("OPENCNPJ_BASE_URL")
    assert OpenCnpjProvider.from_environ().base_url == DEFAULT_BASE_URL == "https://api.opencnpj.org"
