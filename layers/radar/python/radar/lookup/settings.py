"""The lookup's environment (docs/architecture.md): cache table and TTLs, provider order, rate limits, mock."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from radar.lookup.registry import DEFAULT_PROVIDER_ORDER, PROVIDERS
from radar.settings import EnvSettings

__all__ = ["LookupSettings"]


def _lag_seconds(name: str, value: Any) -> int:
    from radar.timestamps import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ValueError(f"DATA_LAG_{name.upper()}: {exc}") from None


class LookupSettings(EnvSettings):
    cache_table: str = Field(min_length=1, alias="CACHE_TABLE")
    provider_order: list[str] = Field(default_factory=lambda: list(DEFAULT_PROVIDER_ORDER), alias="PROVIDER_ORDER")
    allow_mock_fallback: bool = Field(default=False, alias="ALLOW_MOCK_FALLBACK")
    cache_ttl_seconds: int = Field(default=86400, gt=0, alias="CACHE_TTL_SECONDS")
    negative_cache_ttl_seconds: int = Field(default=900, gt=0, alias="NEGATIVE_CACHE_TTL_SECONDS")
    # Stale if error: when no provider can answer, a report fetched at most this long ago is served flagged stale
    # (a request's max_stale can lower it; 0 turns it off). Reports stay in the cache this long for it.
    max_stale_seconds: int = Field(default=30 * 86400, ge=0, alias="MAX_STALE_SECONDS")
    # Per provider, from RATE_LIMIT_<NAME>_PER_MIN; the registry's figure when unset.
    rate_limits_per_minute: dict[str, float] = Field(
        default_factory=lambda: {entry.name: entry.per_minute for entry in PROVIDERS}
    )
    # Per provider, from RATE_LIMIT_<NAME>_BURST (requests back to back; 1 = evenly spaced, the most per window).
    rate_limit_bursts: dict[str, float] = Field(default_factory=dict)
    # Every provider window lasts 60 s / scale (the local cloud sets it from RADAR_SANDBOX_TIME_SCALE); 1 = real.
    rate_limit_time_scale: float = Field(default=1.0, gt=0, alias="RATE_LIMIT_TIME_SCALE")
    # Absolute seconds of network and scheduling skew between a slot and the request reaching the provider.
    rate_limit_skew_seconds: float = Field(default=1.0, ge=0, alias="RATE_LIMIT_SKEW_SECONDS")
    # Per provider, from DATA_LAG_<NAME> (seconds or a duration like 35d): how old its answers can be (the
    # registry's figure when unset). A request's max_age tighter than a provider's lag puts it after those that meet it.
    data_lag_seconds: dict[str, float] = Field(
        default_factory=lambda: {entry.name: entry.data_lag for entry in PROVIDERS}
    )
    # How long one lookup waits for a provider's next slot before the check is deferred (sync: then a 202).
    capacity_wait_seconds: float = Field(default=8.0, ge=0, alias="CAPACITY_WAIT_SECONDS")

    @model_validator(mode="before")
    @classmethod
    def _rate_limits_from_variables(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "rate_limits_per_minute" in data:
            return data
        limits, bursts, lags = {}, {}, {}
        for entry in PROVIDERS:
            limits[entry.name] = data.get(f"RATE_LIMIT_{entry.name.upper()}_PER_MIN", entry.per_minute)
            burst = data.get(f"RATE_LIMIT_{entry.name.upper()}_BURST")
            if burst not in (None, ""):
                bursts[entry.name] = burst
            lag = data.get(f"DATA_LAG_{entry.name.upper()}")
            lags[entry.name] = entry.data_lag if lag in (None, "") else _lag_seconds(entry.name, lag)
        if "data_lag_seconds" not in data:
            data = {**data, "data_lag_seconds": lags}
        return {**data, "rate_limits_per_minute": limits, "rate_limit_bursts": bursts}

    def capacity_per_minute(self) -> float:
        """Sustained lookups per real minute the providers of the order allow together, as the buckets schedule them
        (what batch ETAs and the dispatcher plan with)."""
        from radar.coordination.ratelimit import bucket_spec

        return sum(
            bucket_spec(
                self.rate_limits_per_minute[name],
                self.rate_limit_bursts.get(name),
                time_scale=self.rate_limit_time_scale,
                skew_seconds=self.rate_limit_skew_seconds,
            ).per_minute
            for name in self.provider_order
            if name in self.rate_limits_per_minute
        )

    @field_validator("provider_order", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return [name.strip().lower() for name in value.split(",") if name.strip()] if isinstance(value, str) else value

    @field_validator("provider_order")
    @classmethod
    def _known_providers(cls, order: list[str]) -> list[str]:
        unknown = [name for name in order if name not in DEFAULT_PROVIDER_ORDER]
        if unknown:
            raise ValueError(f"unknown providers in PROVIDER_ORDER: {unknown}; known: {list(DEFAULT_PROVIDER_ORDER)}")
        if not order:
            raise ValueError("PROVIDER_ORDER names no provider")
        return list(dict.fromkeys(order))
