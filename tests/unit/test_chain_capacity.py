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


def test_with_the_first_bucket_empty_and_the_second_breaker_open_the_next_provider_with_a_slot_answers_now() -> None:
    """Capacity routing (issue 15): an empty schedule and an open circuit are both passed over in the first pass; the
    lookup neither waits for cnpj.ws's next slot nor calls BrasilAPI."""
    cnpjws = ScriptedProvider("cnpjws", cnpjws_report())
    brasilapi = ScriptedProvider("brasilapi", cnpjws_report())
    receitaws = ScriptedProvider("receitaws", receitaws_report())
    limiter = InMemoryLimiter({"cnpjws": 0}, waits={"cnpjws": 2.0})
    connector, breaker = chain(limiter, cnpjws, brasilapi, receitaws, wait=5.0)
    breaker.opened.add("minhareceita")  # BrasilAPI proxies minha-receita: one outage group, one breaker
    result = connector.lookup(GLOBO)
    assert result.source == "receitaws" and cnpjws.calls == [] and brasilapi.calls == []
    assert set(limiter.waited) == {0.0}  # nothing waited for: a provider had a slot now
    assert outcomes(result.attempts) == [
        ("cnpjws", "rate_limited"), ("brasilapi", "circuit_open"), ("receitaws", "ok"),
    ]


def test_failures_of_brasilapi_open_the_breaker_minhareceita_shares_so_its_outage_is_not_called_twice() -> None:
    brasilapi = ScriptedProvider("brasilapi", ProviderTransient("down", provider="brasilapi", status=502))
    minhareceita = ScriptedProvider("minhareceita", ProviderTransient("down", provider="minhareceita", status=502))
    receitaws = ScriptedProvider("receitaws", receitaws_report())
    connector, breaker = chain(InMemoryLimiter(), brasilapi, minhareceita, receitaws, wait=0.0)
    breaker.threshold = 2
    first = connector.lookup(GLOBO)
    # Both failed once, into the one breaker of their outage group: two failures open it.
    assert outcomes(first.attempts)[:2] == [("brasilapi", "transient"), ("minhareceita", "transient")]
    assert "minhareceita" in breaker.opened and "brasilapi" not in breaker.failures
    second = connector.lookup(GLOBO, force_refresh=True)  # a second lookup that goes to the providers again
    assert outcomes(second.attempts) == [
        ("brasilapi", "circuit_open"), ("minhareceita", "circuit_open"), ("receitaws", "ok"),
    ]
    assert len(brasilapi.calls) == len(minhareceita.calls) == 1


def test_a_provider_is_prepared_before_its_slot_is_taken() -> None:
    """Whatever a call needs besides sending (client, token) happens before the reservation, so the request leaves
    when its slot starts rather than after a secret read pushed it into the next slots' window."""
    limiter = InMemoryLimiter({"cnpjws": 1})
    seen: list[list[str]] = []

    class Prepared(ScriptedProvider):
        def prepare(self) -> None:
            seen.append(list(limiter.taken))

    cnpjws = Prepared("cnpjws", cnpjws_report())
    connector, _ = chain(limiter, cnpjws, wait=0.0)
    assert connector.lookup(GLOBO).source == "cnpjws"
    assert seen == [[]] and limiter.taken == ["cnpjws"]
