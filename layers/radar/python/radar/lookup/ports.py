"""What the provider chain needs from the shared coordination state: cache, single-flight, rate limits, breakers.

The chain depends only on these protocols; radar.coordination implements them on DynamoDB, and unit tests use
in-memory versions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from radar.coordination.models import CacheEntry

__all__ = ["CircuitBreaker", "RateLimiter", "ReportCache", "SingleFlight"]


class ReportCache(Protocol):
    def get(self, cnpj: str) -> CacheEntry | None:
        """The entry, or None when absent or expired (expires_at <= now counts as a miss)."""

    def put_report(self, cnpj: str, report: dict[str, Any], source: str) -> CacheEntry: ...

    def put_negative(self, cnpj: str) -> CacheEntry: ...


class SingleFlight(Protocol):
    def run(self, key: str, compute: Callable[[], CacheEntry], lookup: Callable[[], CacheEntry | None]) -> CacheEntry:
        """Run `compute` if this caller wins the lease for `key`; otherwise wait (bounded) for `lookup` to find the
        winner's result, and compute it itself if the wait times out. Records a wait metric."""


class RateLimiter(Protocol):
    def try_acquire(self, provider: str) -> bool:
        """Take one token from the provider's global bucket; False when empty (the chain moves on)."""


class CircuitBreaker(Protocol):
    def allow(self, provider: str) -> bool:
        """False while open; True when closed or when this caller may send the half-open probe."""

    def record_success(self, provider: str) -> None: ...

    def record_failure(self, provider: str) -> None: ...
