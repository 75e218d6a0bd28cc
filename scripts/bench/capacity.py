"""`provider_capacity_per_min`: the lookups a minute the providers admit together, the sum of every registered
provider's configured default limit (radar.lookup.registry, the RATE_LIMIT_<NAME>_PER_MIN defaults)."""

from __future__ import annotations

from radar.lookup.settings import LookupSettings

__all__ = ["provider_capacity_per_min", "provider_limits_per_min"]


def provider_limits_per_min() -> dict[str, float]:
    """Each registered provider's default limit, as LookupSettings gives it with no override in the environment."""
    return dict(LookupSettings.from_environ({"CACHE_TABLE": "bench"}).rate_limits_per_minute)


def provider_capacity_per_min() -> float:
    return float(sum(provider_limits_per_min().values()))
