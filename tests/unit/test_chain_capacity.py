"""The chain against the capacity model (issue 12): a slot now first, else the earliest slot within the wait budget,
else "only waiting" with the capacity model's ETA; a provider's 429 pauses its schedule, not its breaker."""

from __future__ import annotations

import pytest

from radar.lookup import ProvidersUnavailable
from radar.lookup.chain import ProviderChain
from radar.providers.errors import ProviderRateLimited, ProviderTransient
from tests.unit.fakes import InlineSingleFlight, InMemoryBreaker, InMemoryCache, InMemoryLimiter, ScriptedProvider
from tests.unit.test_chain import GLOBO, cnpjws_report, outcomes, receitaws_report


def chain(limiter: InMemoryLimiter, *providers: ScriptedProvider, wait: float) -> tuple[ProviderChain, InMemoryBreaker]:
    breaker = InMemoryBreaker()
    connector = ProviderChain(
        providers=list(providers),
        cache=InMemoryCache(),
        single_flight=InlineSingleFlight(),
        limiter=limiter,
        breaker=breaker,
        allow_mock=False,
        capacity_wait_seconds=wait,
    )
    return connector, breaker


def test_with_no_slot_now_the_earliest_slot_within_the_budget_is_waited_for() -> None:
    cnpjws = ScriptedProvider("cnpjws", cnpjws_report())
    receitaws = ScriptedProvider("receitaws", receitaws_report())
    limiter = InMemoryLimiter({"cnpjws": 0, "receitaws": 0}, waits={"cnpjws": 4.0, "receitaws": 1.5})
    connector, _ = chain(limiter, cnpjws, receitaws, wait=3.0)
    result = connector.lookup(GLOBO)
    # Neither had a slot now; ReceitaWS's comes first (1.5 s, inside the 3 s budget): waited for, then asked.
    assert result.source == "receitaws" and receitaws.calls == [GLOBO.value] and cnpjws.calls == []
    assert limiter.waited[-1] == pytest.approx(1.5)
    assert outcomes(result.attempts) == [("cnpjws", "rate_limited"), ("receitaws", "rate_limited"), ("receitaws", "ok")]


def test_beyond_the_budget_the_lookup_only_waits_and_says_when() -> None:
    cnpjws = ScriptedProvider("cnpjws", cnpjws_report())
    limiter = InMemoryLimiter({"cnpjws": 0}, waits={"cnpjws": 12.0})
    connector, _ = chain(limiter, cnpjws, wait=3.0)
    with pytest.raises(ProvidersUnavailable) as caught:
        connector.lookup(GLOBO)
    assert caught.value.waiting_for_capacity is True
    assert 12.0 <= caught.value.eta_seconds <= 13.2  # the predicted slot, plus at most 10 % jitter
    assert caught.value.retry_after_seconds >= 12
    assert cnpjws.calls == []


def test_a_provider_fault_is_not_a_capacity_wait() -> None:
    cnpjws = ScriptedProvider("cnpjws", ProviderTransient("down", provider="cnpjws", status=503))
    connector, _ = chain(InMemoryLimiter(), cnpjws, wait=3.0)
    with pytest.raises(ProvidersUnavailable) as caught:
        connector.lookup(GLOBO)
    assert caught.value.waiting_for_capacity is False


def test_a_429_pauses_the_providers_schedule_for_its_retry_after_and_leaves_its_breaker_alone() -> None:
    cnpjws = ScriptedProvider("cnpjws", ProviderRateLimited("429", provider="cnpjws", status=429, retry_after=42.0))
    receitaws = ScriptedProvider("receitaws", receitaws_report())
    limiter = InMemoryLimiter()
    connector, breaker = chain(limiter, cnpjws, receitaws, wait=3.0)
    result = connector.lookup(GLOBO)
    assert result.source == "receitaws"
    assert limiter.paused == {"cnpjws": 42.0}
    assert breaker.failures.get("cnpjws", 0) == 0
