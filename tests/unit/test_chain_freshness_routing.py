"""Freshness routing (issue 15 points 2 and 3): a lookup with a max_age tries the providers whose declared data lag
meets it before those that cannot, among those with a slot now and a closed breaker; without one the order stands.
Each provider state the chain reads is a metric for the ops dashboard (no personal data, no tenant)."""

from __future__ import annotations

from typing import Any

import pytest

from radar.lookup.chain import ProviderChain
from radar.lookup.registry import DAY, PROVIDERS
from radar.lookup.settings import LookupSettings
from tests.unit.fakes import InlineSingleFlight, InMemoryBreaker, InMemoryCache, InMemoryLimiter, ScriptedProvider
from tests.unit.test_chain import GLOBO, cnpjws_report, emf_lines, outcomes, receitaws_report

# The registry's lags: cnpj.ws and ReceitaWS live, BrasilAPI/minha-receita/CNPJá 45 days, OpenCNPJ 35 days.
LAGS = {entry.name: entry.data_lag for entry in PROVIDERS}


def chain(
    *providers: ScriptedProvider,
    limiter: InMemoryLimiter | None = None,
    breaker: InMemoryBreaker | None = None,
    wait: float = 0.0,
    lags: dict[str, float] | None = None,
) -> ProviderChain:
    return ProviderChain(
        providers=list(providers),
        cache=InMemoryCache(),
        single_flight=InlineSingleFlight(),
        limiter=limiter or InMemoryLimiter(),
        breaker=breaker or InMemoryBreaker(),
        allow_mock=False,
        capacity_wait_seconds=wait,
        data_lag_seconds=LAGS if lags is None else lags,
    )


def providers() -> dict[str, ScriptedProvider]:
    """cnpj.ws, BrasilAPI, ReceitaWS, minha-receita in the registry's order, each able to answer."""
    return {
        "cnpjws": ScriptedProvider("cnpjws", cnpjws_report()),
        "brasilapi": ScriptedProvider("brasilapi", cnpjws_report()),
        "receitaws": ScriptedProvider("receitaws", receitaws_report()),
        "minhareceita": ScriptedProvider("minhareceita", cnpjws_report()),
    }


def test_the_registry_declares_dump_based_sources_as_lagging_and_live_lookups_as_not() -> None:
    assert LAGS == {"cnpjws": 0, "brasilapi": 45 * DAY, "receitaws": 0, "minhareceita": 45 * DAY,
                    "opencnpj": 35 * DAY, "cnpja": 45 * DAY}


def test_a_lag_is_overridable_per_provider_in_seconds_or_as_a_duration() -> None:
    settings = LookupSettings.from_environ(
        {"CACHE_TABLE": "t", "DATA_LAG_OPENCNPJ": "7d", "DATA_LAG_CNPJWS": "3600", "DATA_LAG_CNPJA": ""}
    )
    assert settings.data_lag_seconds["opencnpj"] == 7 * DAY
    assert settings.data_lag_seconds["cnpjws"] == 3600
    assert settings.data_lag_seconds["cnpja"] == 45 * DAY  # empty = unset: the registry's figure
    assert settings.data_lag_seconds["brasilapi"] == 45 * DAY


def test_a_lag_that_is_not_a_duration_fails_the_settings_naming_the_variable() -> None:
    with pytest.raises(ValueError, match="DATA_LAG_MINHARECEITA"):
        LookupSettings.from_environ({"CACHE_TABLE": "t", "DATA_LAG_MINHARECEITA": "a month"})


def test_with_max_age_one_day_a_live_provider_with_a_slot_goes_before_a_dump_based_one_earlier_in_the_order() -> None:
    chained = providers()
    limiter = InMemoryLimiter({"cnpjws": 0})  # cnpj.ws, first, has no slot now
    result = chain(*chained.values(), limiter=limiter).lookup(GLOBO, max_age=DAY)
    # BrasilAPI comes before ReceitaWS in the order, but its data can be 45 days old: ReceitaWS answers.
    assert chained["receitaws"].calls == [GLOBO.value] and chained["brasilapi"].calls == []
    assert outcomes(result.attempts) == [("cnpjws", "rate_limited"), ("receitaws", "ok")]


def test_without_max_age_the_order_of_preference_stands() -> None:
    chained = providers()
    result = chain(*chained.values(), limiter=InMemoryLimiter({"cnpjws": 0})).lookup(GLOBO)
    assert outcomes(result.attempts) == [("cnpjws", "rate_limited"), ("brasilapi", "ok")]
    assert chained["receitaws"].calls == []


def test_a_max_age_every_provider_meets_changes_nothing() -> None:
    chained = providers()
    result = chain(*chained.values(), limiter=InMemoryLimiter({"cnpjws": 0})).lookup(GLOBO, max_age=60 * DAY)
    assert outcomes(result.attempts) == [("cnpjws", "rate_limited"), ("brasilapi", "ok")]


def test_a_refresh_asks_for_the_freshest_data_like_max_age_zero() -> None:
    for kwargs in ({"force_refresh": True}, {"max_age": 0}):
        chained = providers()
        result = chain(*chained.values(), limiter=InMemoryLimiter({"cnpjws": 0})).lookup(GLOBO, **kwargs)
        assert outcomes(result.attempts)[-1] == ("receitaws", "ok"), kwargs


def test_an_empty_bucket_or_an_open_breaker_still_skips_a_provider_that_meets_max_age() -> None:
    chained = providers()
    breaker = InMemoryBreaker(open_providers=["receitaws"])
    result = chain(*chained.values(), limiter=InMemoryLimiter({"cnpjws": 0}), breaker=breaker).lookup(
        GLOBO, max_age=DAY
    )
    # Neither fresh provider can answer now: the dump-based ones still do, in their order (an older answer beats none).
    assert outcomes(result.attempts) == [("cnpjws", "rate_limited"), ("receitaws", "circuit_open"), ("brasilapi", "ok")]
    assert chained["receitaws"].calls == [] and chained["cnpjws"].calls == []


def test_the_second_pass_waits_for_a_fresh_providers_slot_before_an_earlier_stale_one_within_the_budget() -> None:
    cnpjws = ScriptedProvider("cnpjws", cnpjws_report())
    brasilapi = ScriptedProvider("brasilapi", cnpjws_report())
    limiter = InMemoryLimiter({"cnpjws": 0, "brasilapi": 0}, waits={"cnpjws": 3.0, "brasilapi": 1.0})
    fresh = chain(cnpjws, brasilapi, limiter=limiter, wait=5.0).lookup(GLOBO, max_age=DAY)
    assert fresh.source == "cnpjws" and brasilapi.calls == [] and limiter.waited[-1] == pytest.approx(3.0)
    # Without a demand the earliest slot is taken, as before.
    limiter = InMemoryLimiter({"cnpjws": 0, "brasilapi": 0}, waits={"cnpjws": 3.0, "brasilapi": 1.0})
    any_age = chain(ScriptedProvider("cnpjws", cnpjws_report()), brasilapi, limiter=limiter, wait=5.0).lookup(GLOBO)
    assert outcomes(any_age.attempts)[-1] == ("brasilapi", "ok") and limiter.waited[-1] == pytest.approx(1.0)


def test_a_fresh_providers_slot_beyond_the_budget_is_not_waited_for_when_a_stale_one_is_within_it() -> None:
    limiter = InMemoryLimiter({"cnpjws": 0, "brasilapi": 0}, waits={"cnpjws": 30.0, "brasilapi": 1.0})
    result = chain(ScriptedProvider("cnpjws", cnpjws_report()), ScriptedProvider("brasilapi", cnpjws_report()),
                   limiter=limiter, wait=5.0).lookup(GLOBO, max_age=DAY)
    assert outcomes(result.attempts)[-1] == ("brasilapi", "ok")


def test_providers_without_a_declared_lag_count_as_live() -> None:
    connector = chain(*providers().values(), lags={})
    assert [p.name for p in connector.preference(0)] == ["cnpjws", "brasilapi", "receitaws", "minhareceita"]
    assert [p.name for p in chain(*providers().values()).preference(DAY)] == [
        "cnpjws", "receitaws", "brasilapi", "minhareceita"
    ]


def gauges(lines: list[dict[str, Any]], name: str) -> list[tuple[str, float]]:
    return [(line["provider"], *line[name]) for line in lines if name in line]


def test_each_provider_state_read_is_a_gauge_with_only_the_provider_as_dimension(
    capsys: pytest.CaptureFixture[str],
) -> None:
    chained = providers()
    limiter = InMemoryLimiter({"cnpjws": 0, "receitaws": 3})
    breaker = InMemoryBreaker(open_providers=["minhareceita"])  # BrasilAPI's outage group
    capsys.readouterr()
    chain(*chained.values(), limiter=limiter, breaker=breaker).lookup(GLOBO)
    lines = emf_lines(capsys.readouterr().out)
    assert gauges(lines, "ProviderBreakerOpen") == [("cnpjws", 0), ("brasilapi", 1), ("receitaws", 0)]
    # cnpj.ws had no slot (0 free); ReceitaWS had 3 and took one. BrasilAPI's bucket was never read.
    assert gauges(lines, "ProviderSlotsFree") == [("cnpjws", 0.0), ("receitaws", 2.0)]
    for line in lines:
        if "ProviderBreakerOpen" in line or "ProviderSlotsFree" in line:
            [directive] = line["_aws"]["CloudWatchMetrics"]
            assert set(directive["Dimensions"][0]) <= {"provider", "service"}
            assert GLOBO.value not in str(line) and "tenant_id" not in line


def test_an_answer_older_than_max_age_allows_is_counted_as_freshness_unmet(capsys: pytest.CaptureFixture[str]) -> None:
    limiter = InMemoryLimiter({"cnpjws": 0, "receitaws": 0})  # both live providers busy
    capsys.readouterr()
    chain(*providers().values(), limiter=limiter).lookup(GLOBO, max_age=DAY)
    assert gauges(emf_lines(capsys.readouterr().out), "FreshnessUnmet") == [("brasilapi", 1.0)]
    # A live provider's answer, or one without a demand, is not counted.
    chain(*providers().values()).lookup(GLOBO, max_age=DAY)
    limiter = InMemoryLimiter({"cnpjws": 0, "receitaws": 0})
    chain(*providers().values(), limiter=limiter).lookup(GLOBO)
    assert gauges(emf_lines(capsys.readouterr().out), "FreshnessUnmet") == []
