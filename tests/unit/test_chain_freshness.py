"""Freshness per request (issue 15): max_age decides whether a cached report may answer; stale if error serves the
last good report, flagged, within max_stale, only when the providers fail (not while they are merely busy)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from radar.coordination.models import CacheEntry
from radar.lookup import ProvidersUnavailable
from radar.lookup.chain import ProviderChain
from radar.providers.errors import ProviderTransient
from radar.timestamps import parse_duration
from tests.unit.fakes import InlineSingleFlight, InMemoryBreaker, InMemoryCache, InMemoryLimiter, ScriptedProvider
from tests.unit.test_chain import GLOBO, cnpjws_report, outcomes, receitaws_report

HOUR, DAY = 3600, 86400


def chain(*providers: ScriptedProvider, max_stale: float = 30 * DAY, limiter: InMemoryLimiter | None = None
          ) -> tuple[ProviderChain, InMemoryCache]:
    cache = InMemoryCache()
    connector = ProviderChain(
        providers=list(providers),
        cache=cache,
        single_flight=InlineSingleFlight(),
        limiter=limiter or InMemoryLimiter(),
        breaker=InMemoryBreaker(),
        allow_mock=False,
        max_stale_seconds=max_stale,
    )
    return connector, cache


def cached(cache: InMemoryCache, *, age: float, fresh: bool) -> None:
    """The CNPJ's report fetched `age` seconds ago, still fresh or only kept for stale-if-error."""
    fetched = datetime.now(UTC) - timedelta(seconds=age)
    expires_at = int(cache.now()) + (HOUR if fresh else -1)
    report = receitaws_report().model_dump(mode="json")
    cache.entries[GLOBO.value] = CacheEntry(
        GLOBO.value, report, False, "receitaws", fetched.isoformat().replace("+00:00", "Z"), expires_at
    )


def down(name: str = "cnpjws") -> ScriptedProvider:
    return ScriptedProvider(name, ProviderTransient("down", provider=name, status=503))


def test_max_age_refuses_an_older_cached_report_and_takes_a_younger_one() -> None:
    provider = ScriptedProvider("cnpjws", cnpjws_report())
    connector, cache = chain(provider)
    cached(cache, age=2 * HOUR, fresh=True)
    young_enough = connector.lookup(GLOBO, max_age=3 * HOUR)
    assert (young_enough.cached, young_enough.source, provider.calls) == (True, "receitaws", [])
    too_old = connector.lookup(GLOBO, max_age=HOUR)
    assert (too_old.cached, too_old.source, provider.calls) == (False, "cnpjws", [GLOBO.value])


def test_max_age_zero_is_a_refresh() -> None:
    provider = ScriptedProvider("cnpjws", cnpjws_report())
    connector, cache = chain(provider)
    cached(cache, age=1, fresh=True)
    assert connector.lookup(GLOBO, max_age=0).source == "cnpjws" and provider.calls == [GLOBO.value]


def test_with_every_provider_down_the_last_good_report_is_served_stale_within_max_stale() -> None:
    connector, cache = chain(down("cnpjws"), down("receitaws"))
    cached(cache, age=2 * DAY, fresh=False)  # past its freshness: kept only for this
    result = connector.lookup(GLOBO)
    assert result.stale is True and result.cached is True and result.source == "receitaws"
    assert outcomes(result.attempts) == [("cnpjws", "transient"), ("receitaws", "transient")]
    assert connector.lookup(GLOBO, max_stale=3 * DAY).stale is True
    with pytest.raises(ProvidersUnavailable):
        connector.lookup(GLOBO, max_stale=DAY)  # older than the caller accepts
    with pytest.raises(ProvidersUnavailable):
        connector.lookup(GLOBO, max_stale=0)  # off
    assert GLOBO.value in cache.entries and not cache.writes  # a stale answer is never written back as fresh


def test_a_request_cannot_stretch_max_stale_past_the_deployment_ceiling() -> None:
    connector, cache = chain(down(), max_stale=DAY)
    cached(cache, age=2 * DAY, fresh=False)
    with pytest.raises(ProvidersUnavailable):
        connector.lookup(GLOBO, max_stale=10 * DAY)


def test_a_lookup_only_waiting_for_capacity_is_not_answered_stale() -> None:
    busy = InMemoryLimiter({"cnpjws": 0}, waits={"cnpjws": 60.0})
    connector, cache = chain(ScriptedProvider("cnpjws", cnpjws_report()), limiter=busy)
    cached(cache, age=2 * DAY, fresh=False)
    with pytest.raises(ProvidersUnavailable) as caught:
        connector.lookup(GLOBO)
    assert caught.value.waiting_for_capacity is True  # it will be answered fresh when the slot comes


def test_without_a_last_good_report_every_provider_down_is_still_unavailable() -> None:
    connector, _ = chain(down())
    with pytest.raises(ProvidersUnavailable):
        connector.lookup(GLOBO)


@pytest.mark.parametrize(("text", "seconds"), [("0", 0), ("90", 90), ("45s", 45), ("30m", 1800), ("12h", 43200),
                                               ("7d", 604800), (" 7D ", 604800)])
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "d", "-5", "1.5h", "7w", "1h30m", "٣"])
def test_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)
