"""The shared HTTP mechanics: retries with full jitter, Retry-After, the time budget, non-JSON bodies, excerpts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import respx

from radar.cnpj import parse_cnpj
from radar.providers.base import LazyClient, body_excerpt, parse_retry_after
from radar.providers.brasilapi import BrasilApiProvider
from radar.providers.errors import BODY_EXCERPT_CHARS, ProviderBadResponse, ProviderRateLimited, ProviderTransient
from tests.unit.fakes import fixture

BASE = "https://brasilapi.test/api/cnpj/v1"
CNPJ = parse_cnpj("19131243000197")
URL = f"{BASE}/{CNPJ.value}"


class Sleeps:
    """Records requested sleeps instead of sleeping (unit tests never wait)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def _provider(sleeps: Sleeps, *, jitter: float = 1.0, **options: Any) -> BrasilApiProvider:
    return BrasilApiProvider(
        base_url=BASE,
        client=LazyClient(),
        sleep=sleeps,
        jitter=lambda: jitter,
        **options,
    )


@respx.mock
def test_retries_5xx_with_exponential_full_jitter_backoff_then_succeeds() -> None:
    route = respx.get(URL).mock(
        side_effect=[
            httpx.Response(502, text="bad gateway"),
            httpx.Response(503, json={"message": "Request failed with status code 503"}),
            httpx.Response(200, json=fixture("brasilapi_19131243000197.json")),
        ]
    )
    sleeps = Sleeps()
    report = _provider(sleeps, jitter=0.5, backoff_base=0.25, backoff_cap=4.0).lookup(CNPJ)
    assert report.cnpj == CNPJ.value
    assert route.call_count == 3
    # uniform(0, min(cap, base * 2^attempt)) with the random draw pinned at 0.5
    assert sleeps.calls == [pytest.approx(0.25), pytest.approx(0.5)]


@respx.mock
def test_backoff_is_capped() -> None:
    respx.get(URL).mock(return_value=httpx.Response(500, text="x"))
    sleeps = Sleeps()
    with pytest.raises(ProviderTransient):
        _provider(sleeps, max_attempts=5, backoff_base=1.0, backoff_cap=3.0).lookup(CNPJ)
    assert sleeps.calls == [2.0, 3.0, 3.0, 3.0]


@respx.mock
def test_gives_up_after_max_attempts_with_a_typed_error() -> None:
    route = respx.get(URL).mock(
        return_value=httpx.Response(500, json={"message": "Request failed with status code 503", "type": "x"})
    )
    with pytest.raises(ProviderTransient) as caught:
        _provider(Sleeps(), max_attempts=3).lookup(CNPJ)
    assert route.call_count == 3
    error = caught.value
    assert (error.provider, error.http_status, error.outcome) == ("brasilapi", 500, "transient")
    assert "Request failed with status code 503" in error.body_excerpt
    assert error.status == 503  # our own HTTP mapping stays a 503 if it ever escapes


@respx.mock
def test_retry_after_seconds_is_honoured() -> None:
    respx.get(URL).mock(
        side_effect=[
            httpx.Response(429, text="Too Many Requests gru1::abc", headers={"Retry-After": "3"}),
            httpx.Response(200, json=fixture("brasilapi_19131243000197.json")),
        ]
    )
    sleeps = Sleeps()
    _provider(sleeps, jitter=0.0).lookup(CNPJ)
    assert sleeps.calls == [3.0]


@respx.mock
def test_retry_after_beyond_the_limit_gives_up_at_once_and_reports_the_hint() -> None:
    route = respx.get(URL).mock(
        return_value=httpx.Response(429, text="Too Many Requests", headers={"Retry-After": "120"})
    )
    sleeps = Sleeps()
    with pytest.raises(ProviderRateLimited) as caught:
        _provider(sleeps, max_retry_after=10.0).lookup(CNPJ)
    assert route.call_count == 1
    assert sleeps.calls == []
    assert caught.value.retry_after == 120.0
    assert caught.value.body_excerpt == "Too Many Requests"


@respx.mock
def test_no_retry_when_the_backoff_does_not_fit_the_remaining_time() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(503, text="down", headers={"Retry-After": "5"}))
    sleeps = Sleeps()
    with pytest.raises(ProviderTransient):
        # 4 s left, 1 s kept in reserve: a 5 s wait cannot fit.
        _provider(sleeps).lookup(CNPJ, remaining_ms=lambda: 4000)
    assert route.call_count == 1
    assert sleeps.calls == []


@respx.mock
def test_no_call_at_all_when_the_invocation_is_about_to_end() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(200, json=fixture("brasilapi_19131243000197.json")))
    with pytest.raises(ProviderTransient, match="no time left"):
        _provider(Sleeps()).lookup(CNPJ, remaining_ms=lambda: 1100)
    assert route.call_count == 0


@respx.mock
def test_timeout_per_attempt_shrinks_to_the_remaining_budget() -> None:
    seen: list[dict[str, float | None]] = []

    def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=fixture("brasilapi_19131243000197.json"))

    respx.get(URL).mock(side_effect=capture)
    _provider(Sleeps(), connect_timeout=2.0, read_timeout=5.0).lookup(CNPJ, remaining_ms=lambda: 3000)
    assert seen[0]["connect"] == pytest.approx(2.0)
    assert seen[0]["read"] == pytest.approx(2.0)  # 3 s left minus the 1 s reserve
    _provider(Sleeps(), connect_timeout=2.0, read_timeout=5.0).lookup(CNPJ)
    assert seen[1]["read"] == pytest.approx(5.0)


@respx.mock
@pytest.mark.parametrize(
    "exc", [httpx.ConnectTimeout("slow"), httpx.ReadTimeout("slow"), httpx.ConnectError("refused")]
)
def test_timeouts_and_connection_errors_are_retried_then_transient(exc: Exception) -> None:
    route = respx.get(URL).mock(side_effect=exc)
    sleeps = Sleeps()
    with pytest.raises(ProviderTransient) as caught:
        _provider(sleeps, max_attempts=2).lookup(CNPJ)
    assert route.call_count == 2
    assert len(sleeps.calls) == 1
    assert caught.value.http_status is None


@respx.mock
def test_cloudflare_challenge_page_on_200_is_transient_and_not_retried() -> None:
    html = "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>challenge</body></html>"
    route = respx.get(URL).mock(return_value=httpx.Response(200, text=html, headers={"content-type": "text/html"}))
    with pytest.raises(ProviderTransient) as caught:
        _provider(Sleeps()).lookup(CNPJ)
    assert route.call_count == 1
    assert caught.value.http_status == 200
    assert "Just a moment" in caught.value.body_excerpt


@respx.mock
def test_unexpected_status_is_a_bad_response() -> None:
    respx.get(URL).mock(return_value=httpx.Response(401, json={"message": "Host não autorizado"}))
    with pytest.raises(ProviderBadResponse) as caught:
        _provider(Sleeps()).lookup(CNPJ)
    assert caught.value.outcome == "error"
    assert caught.value.http_status == 401


@respx.mock
def test_the_module_client_is_reused_across_lookups() -> None:
    respx.get(URL).mock(return_value=httpx.Response(200, json=fixture("brasilapi_19131243000197.json")))
    client = LazyClient()
    provider = BrasilApiProvider(base_url=BASE, client=client)
    provider.lookup(CNPJ)
    first = client.get()
    provider.lookup(CNPJ)
    assert client.get() is first
    client.close()
    assert client.get() is not first


def test_body_excerpt_is_bounded_and_masks_personal_patterns() -> None:
    excerpt = body_excerpt("erro   para 123.456.789-09 e fulano@example.com " + "x" * 2000)
    assert len(excerpt) <= BODY_EXCERPT_CHARS
    assert "123.456.789-09" not in excerpt and "fulano@example.com" not in excerpt
    assert excerpt.startswith("erro para [cpf] e [email]")


def test_parse_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@respx.mock
def test_prepare_builds_the_client_and_reads_the_token_so_the_lookup_after_the_slot_only_sends() -> None:
    """The chain prepares a provider before it takes its request slot: a client built or a secret read after the slot
    would send the request late. The lookup that follows uses what prepare read, and reads again the time after."""
    respx.get(URL).mock(return_value=httpx.Response(200, json=fixture("brasilapi_19131243000197.json")))
    reads: list[int] = []

    def token() -> str:
        reads.append(1)
        return "t"

    client = LazyClient()
    provider = BrasilApiProvider(base_url=BASE, client=client, token_source=token)
    provider.prepare()
    assert client._client is not None and reads == [1]
    provider.lookup(CNPJ)
    assert reads == [1]  # the prepared token, not a second read after the slot
    provider.lookup(CNPJ)
    assert reads == [1, 1]  # unprepared: read at call time, as before


@respx.mock
def test_a_token_failure_in_prepare_is_the_lookups_failure_and_no_request_is_sent() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(200, json=fixture("brasilapi_19131243000197.json")))

    def broken() -> str:
        raise ProviderBadResponse("provider tokens secret unreadable", provider="brasilapi")

    provider = BrasilApiProvider(base_url=BASE, client=LazyClient(), token_source=broken)
    provider.prepare()  # does not raise: the chain still asks the limiter, the lookup reports it
    with pytest.raises(ProviderBadResponse):
        provider.lookup(CNPJ)
    assert route.call_count == 0
