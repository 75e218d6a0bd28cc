"""Conformance of the provider clients with the sandbox, over real HTTP with the providers' limits on: each of the
six clients (radar.providers, configured from their *_BASE_URL variables) reads its provider's real records, errors,
refusals and faults as the typed errors the chain expects, and the six read one company the same."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from radar.checks.diff import diff_reports
from radar.cnpj import parse_cnpj
from radar.lookup.registry import DEFAULT_PROVIDER_ORDER, build_providers
from radar.normalize import normalize_cnpja, normalize_minhareceita, normalize_opencnpj
from radar.providers import (
    HttpProvider,
    ProviderBlocked,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from scripts.localcloud.services import SANDBOX_ENV
from tests.support.sandbox import configure, fixture_payload, numbered_cnpj, reset, serve_sandbox

_BASE_PATHS = SANDBOX_ENV  # the same paths the local cloud points the functions at


@pytest.fixture(scope="module")
def sandbox() -> Iterator[httpx.Client]:
    # Limits on at each provider's default; the scale only shortens the windows for the refusal tests.
    with serve_sandbox(rate_limits=True, seed=11, timeout_seconds=1.0, as_of="2026-10-01") as http:
        yield http


@pytest.fixture
def client(sandbox: httpx.Client) -> httpx.Client:
    return reset(sandbox)


@pytest.fixture
def providers(client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> dict[str, HttpProvider]:
    for variable, path in _BASE_PATHS.items():
        monkeypatch.setenv(variable, f"{client.base_url}".rstrip("/") + path)
    monkeypatch.setenv("PROVIDER_READ_TIMEOUT", "0.5")
    built = {}
    for provider in build_providers(DEFAULT_PROVIDER_ORDER):
        assert isinstance(provider, HttpProvider)
        provider._sleep = lambda _s: None  # retries happen, without wall-clock waits
        built[provider.name] = provider
    return built


def _stats(client: httpx.Client) -> dict[str, Any]:
    return dict(client.get("/_sandbox/stats").json())


def test_each_new_client_reads_its_providers_record_as_the_normalizer_does(
    providers: dict[str, HttpProvider],
) -> None:
    cases = [
        ("minhareceita", "19131243000197", normalize_minhareceita, "minhareceita_19131243000197.json"),
        ("opencnpj", "08942107000160", normalize_opencnpj, "opencnpj_08942107000160.json"),
        ("cnpja", "07526557011659", normalize_cnpja, "cnpja_07526557011659.json"),
    ]
    for name, cnpj, normalize, sample in cases:
        report = providers[name].lookup(parse_cnpj(cnpj))
        expected = normalize(fixture_payload(sample), expected_cnpj=cnpj)
        assert report.model_dump(exclude={"fetched_at"}) == expected.model_dump(exclude={"fetched_at"}), name


def test_the_six_clients_read_one_generated_company_the_same(
    providers: dict[str, HttpProvider], client: httpx.Client
) -> None:
    cnpj = parse_cnpj(numbered_cnpj(45678901))
    reports = {name: provider.lookup(cnpj).model_dump(mode="json") for name, provider in providers.items()}
    assert {r["source"] for r in reports.values()} == set(DEFAULT_PROVIDER_ORDER)
    for first in reports.values():
        for second in reports.values():
            assert diff_reports(first, second)["changed"] is False
    assert _stats(client)["violations"] == 0


def test_a_company_another_provider_holds_is_not_found_in_each_format(providers: dict[str, HttpProvider]) -> None:
    # 27865757000102 is a cnpj.ws/ReceitaWS record: the new providers answer their own not-found.
    for name in ("minhareceita", "opencnpj", "cnpja"):
        with pytest.raises(ProviderNotFound):
            providers[name].lookup(parse_cnpj("27865757000102"))


def test_cnpja_refuses_the_sixth_lookup_in_a_minute(providers: dict[str, HttpProvider], client: httpx.Client) -> None:
    cnpja = providers["cnpja"]
    for n in range(1, 6):
        cnpja.lookup(parse_cnpj(numbered_cnpj(n)))
    with pytest.raises(ProviderRateLimited) as caught:
        cnpja.lookup(parse_cnpj(numbered_cnpj(6)))
    assert caught.value.retry_after == 60.0  # no Retry-After from CNPJá: back off a minute, no retry
    assert _stats(client)["rate_limited"]["cnpja"] == 1


def test_minhareceita_past_its_window_is_rate_limited_and_not_hammered(
    providers: dict[str, HttpProvider], client: httpx.Client
) -> None:
    configure(client, limits_per_min={"minhareceita": 2})
    minhareceita = providers["minhareceita"]
    for n in (1, 2):
        minhareceita.lookup(parse_cnpj(numbered_cnpj(n)))
    with pytest.raises(ProviderRateLimited) as caught:
        minhareceita.lookup(parse_cnpj(numbered_cnpj(3)))
    assert caught.value.http_status == 429 and caught.value.retry_after is not None
    # Cloudflare's Retry-After (tens of seconds) is longer than a call waits: one refused request, not three.
    assert _stats(client)["rate_limited"]["minhareceita"] == 1


def test_opencnpj_challenge_is_a_blocked_provider(providers: dict[str, HttpProvider], client: httpx.Client) -> None:
    configure(client, limits_per_min={"opencnpj": 1000}, opencnpj_challenge_per_hour=2)
    opencnpj = providers["opencnpj"]
    for n in (1, 2):
        opencnpj.lookup(parse_cnpj(numbered_cnpj(n)))
    with pytest.raises(ProviderBlocked) as caught:
        opencnpj.lookup(parse_cnpj(numbered_cnpj(3)))
    assert caught.value.http_status == 403 and caught.value.retryable is False
    assert _stats(client)["violations_by_kind"]["opencnpj"] == {"challenge": 1}  # not retried


def test_receitaws_wait_a_minute_is_a_rate_limit(providers: dict[str, HttpProvider], client: httpx.Client) -> None:
    configure(client, receitaws_wait_share=1.0)
    receitaws = providers["receitaws"]
    for n in range(1, 4):
        receitaws.lookup(parse_cnpj(numbered_cnpj(n)))
    with pytest.raises(ProviderRateLimited) as caught:
        receitaws.lookup(parse_cnpj(numbered_cnpj(4)))
    assert caught.value.http_status == 200 and "Espere um minuto" in caught.value.body_excerpt
    assert _stats(client)["violations_by_kind"]["receitaws"] == {"wait_a_minute": 1}


@pytest.mark.parametrize(
    ("fault", "error_type"),
    [("5xx", ProviderTransient), ("html", ProviderBlocked), ("429", ProviderRateLimited)],
)
def test_faults_of_the_new_providers(
    providers: dict[str, HttpProvider], client: httpx.Client, fault: str, error_type: type[Exception]
) -> None:
    configure(client, fault_rate_by_provider={"minhareceita": 1.0, "opencnpj": 1.0, "cnpja": 1.0}, faults=[fault])
    for name in ("minhareceita", "opencnpj", "cnpja"):
        with pytest.raises(error_type):
            providers[name].lookup(parse_cnpj(numbered_cnpj(77)))


def test_a_minhareceita_outage_fails_brasilapi_too(providers: dict[str, HttpProvider], client: httpx.Client) -> None:
    configure(client, fault_rate_by_provider={"minhareceita": 1.0}, faults=["5xx"])
    for name in ("minhareceita", "brasilapi"):
        with pytest.raises(ProviderTransient):
            providers[name].lookup(parse_cnpj(numbered_cnpj(78)))
    providers["opencnpj"].lookup(parse_cnpj(numbered_cnpj(78)))  # an independent source still answers


def test_opencnpjs_captured_not_found_sample_is_a_not_found(providers: dict[str, HttpProvider]) -> None:
    with pytest.raises(ProviderNotFound) as caught:
        providers["opencnpj"].lookup(parse_cnpj("94580730000152"))
    assert caught.value.http_status == 404 and "not found" in caught.value.body_excerpt
