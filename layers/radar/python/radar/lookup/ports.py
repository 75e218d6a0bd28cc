"""What the provider chain needs from the shared coordination state: cache, single-flight, rate limits, breakers.

The chain depends only on these protocols; radar.coordination implements them on DynamoDB, and unit tests use
in-memory versions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from radar.coordination.models import CacheEntry, Reservation

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
    def reserve(self, provider: str, max_wait: float = 0.0) -> float | None:
        """Reserve the provider's earliest request slot if it starts within `max_wait` seconds: the seconds until it
        (the caller waits that long before sending), or None when nothing was reserved."""

    def acquire(self, provider: str, max_wait: float = 0.0) -> bool:
        """Reserve a slot within `max_wait` and wait for it; False when none is that close."""

    def acquire_slot(self, provider: str, max_wait: float = 0.0) -> Reservation:
        """`acquire`, answering this call's own reservation: whether it was granted and the slots the schedule had
        left right after it (None when the limiter does not know). Per call, never shared between callers."""

    def seconds_until_available(self, provider: str) -> float:
        """How long until the provider's next free slot."""

    def pause(self, provider: str, seconds: float | None) -> None:
        """The provider refused a request (429): start no request before `seconds` from now."""


class CircuitBreaker(Protocol):
    def allow(self, provider: str) -> bool:
        """False while open; True when closed or when this caller may send the half-open probe."""

    def record_success(self, provider: str) -> None: ...

    def record_failure(self, provider: str) -> None: ...
