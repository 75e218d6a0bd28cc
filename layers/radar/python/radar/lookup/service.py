"""The lookup's one entry: `default_lookup()`, the provider chain of this execution environment, built once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from radar.cnpj import Cnpj
    from radar.coordination import DynamoRateLimiter
    from radar.lookup.chain import ProviderChain, RemainingMsArg
    from radar.lookup.schemas import LookupResult, ProviderStatus
    from radar.lookup.settings import LookupSettings

__all__ = ["Lookup", "LookupFactory", "build_lookup", "default_lookup", "provider_status", "reset_lookup"]


class Lookup(Protocol):
    """What callers rely on (the provider chain, or a test's stand-in): a report for a CNPJ, or a lookup error."""

    def lookup(
        self,
        cnpj: Cnpj,
        *,
        remaining_ms: RemainingMsArg = None,
        force_refresh: bool = False,
        max_age: float | None = None,
        max_stale: float | None = None,
    ) -> LookupResult: ...


LookupFactory = Callable[[], Lookup]

_DEFAULT: ProviderChain | None = None


def build_lookup(settings: LookupSettings) -> ProviderChain:
    """The provider chain for `settings`, its coordination state on the cache table."""
    from radar.coordination import DynamoCircuitBreaker, DynamoReportCache, DynamoSingleFlight
    from radar.lookup.chain import ProviderChain
    from radar.lookup.registry import build_providers

    table = settings.cache_table
    return ProviderChain(
        providers=build_providers(settings.provider_order),
        cache=DynamoReportCache(
            table,
            ttl_seconds=settings.cache_ttl_seconds,
            negative_ttl_seconds=settings.negative_cache_ttl_seconds,
            keep_seconds=settings.max_stale_seconds,
        ),
        single_flight=DynamoSingleFlight(table),
        limiter=_limiter(settings),
        breaker=DynamoCircuitBreaker(table),
        allow_mock=settings.allow_mock_fallback,
        capacity_wait_seconds=settings.capacity_wait_seconds,
        max_stale_seconds=settings.max_stale_seconds,
        data_lag_seconds=settings.data_lag_seconds,
    )


def _limiter(settings: LookupSettings) -> DynamoRateLimiter:
    """The providers' request schedules on the cache table, as `settings` configure them (one place for both the
    chain and the status read)."""
    from radar.coordination import DynamoRateLimiter

    return DynamoRateLimiter(
        settings.cache_table,
        per_minute=settings.rate_limits_per_minute,
        burst=settings.rate_limit_bursts,
        time_scale=settings.rate_limit_time_scale,
        skew_seconds=settings.rate_limit_skew_seconds,
    )


def provider_status(settings: LookupSettings) -> list[ProviderStatus]:
    """Each provider of the order with its capacity now: sustained rate, free slots, next slot, breaker state, and
    its declared data lag (read in parallel from the same items the chain uses; no slot is taken, nothing is
    written)."""
    import math
    from concurrent.futures import ThreadPoolExecutor

    from radar.coordination import DynamoCircuitBreaker
    from radar.lookup.registry import outage_group
    from radar.lookup.schemas import ProviderStatus

    limiter = _limiter(settings)
    breaker = DynamoCircuitBreaker(settings.cache_table)

    def one(name: str) -> ProviderStatus:
        per_minute, slots = limiter.per_minute(name), limiter.tokens(name)
        return ProviderStatus(
            name=name,
            per_minute=None if math.isinf(per_minute) else round(per_minute, 2),
            slots_now=None if math.isinf(slots) else round(slots, 2),
            next_slot_seconds=round(limiter.seconds_until_available(name), 2),
            breaker=breaker.state(outage_group(name)),
            outage_group=outage_group(name),
            data_lag_seconds=settings.data_lag_seconds.get(name, 0.0),
        )

    with ThreadPoolExecutor(max_workers=max(1, len(settings.provider_order))) as pool:
        return list(pool.map(one, settings.provider_order))


def default_lookup(settings: LookupSettings | None = None) -> ProviderChain:
    """The provider chain of this execution environment, built on first use and reused by warm invocations.

    Built from `settings` (a function passes the ones it validated at cold start), else from the environment.
    """
    global _DEFAULT
    if _DEFAULT is None:
        from radar.lookup.settings import LookupSettings

        _DEFAULT = build_lookup(settings or LookupSettings.from_environ())
    return _DEFAULT


def reset_lookup() -> None:
    """Forget the built chain (tests, or after an environment change)."""
    global _DEFAULT
    _DEFAULT = None
