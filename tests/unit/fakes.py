"""In-memory coordination ports, a scripted provider and fixture loading for the connector's unit tests."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from radar.cnpj import Cnpj
from radar.coordination import CacheEntry, Reservation
from radar.providers.errors import ProviderError
from radar.report import Report

__all__ = [
    "FIXTURES",
    "InMemoryBreaker",
    "InMemoryCache",
    "InMemoryLimiter",
    "InlineSingleFlight",
    "ScriptedProvider",
    "fixture",
    "fixture_names",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(os.environ.get("RADAR_SANDBOX_FIXTURES") or REPO_ROOT.parent / "shared" / "fixtures" / "providers")


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_names(prefix: str) -> list[str]:
    return sorted(p.name for p in FIXTURES.glob(f"{prefix}*.json"))


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class InMemoryCache:
    """ReportCache in a dict; `expires_at <= now` reads as a miss, like the DynamoDB one."""

    def __init__(self, ttl_seconds: int = 86400, negative_ttl_seconds: int = 900) -> None:
        self.entries: dict[str, CacheEntry] = {}
        self.ttl_seconds = ttl_seconds
        self.negative_ttl_seconds = negative_ttl_seconds
        self.writes: list[CacheEntry] = []
        self.now: Callable[[], float] = lambda: datetime.now(UTC).timestamp()

    def get(self, cnpj: str) -> CacheEntry | None:
        entry = self.entries.get(cnpj)
        if entry is None or entry.expires_at <= self.now():
            return None
        return entry

    def peek(self, cnpj: str) -> CacheEntry | None:
        return self.get(cnpj)

    def last_good(self, cnpj: str, max_age_seconds: float) -> CacheEntry | None:
        """Like the DynamoDB cache: the last report, fresh or not, if fetched at most `max_age_seconds` ago."""
        entry = self.entries.get(cnpj)
        if entry is None or entry.negative:
            return None
        age = self.now() - datetime.fromisoformat(entry.fetched_at.replace("Z", "+00:00")).timestamp()
        return entry if age <= max_age_seconds else None

    def put_report(self, cnpj: str, report: dict[str, Any], source: str) -> CacheEntry:
        return self._put(CacheEntry(cnpj, report, False, source, _now_iso(), int(self.now()) + self.ttl_seconds))

    def put_negative(self, cnpj: str) -> CacheEntry:
        return self._put(CacheEntry(cnpj, None, True, None, _now_iso(), int(self.now()) + self.negative_ttl_seconds))

    def _put(self, entry: CacheEntry) -> CacheEntry:
        # Round-trip through JSON, as the DynamoDB cache stores text: catches non-serializable reports.
        if entry.report is not None:
            entry = CacheEntry(
                entry.cnpj,
                json.loads(json.dumps(entry.report)),
                entry.negative,
                entry.source,
                entry.fetched_at,
                entry.expires_at,
            )
        self.entries[entry.cnpj] = entry
        self.writes.append(entry)
        return entry


class InlineSingleFlight:
    """SingleFlight for one process: the caller always wins, unless `winner` simulates another caller's result."""

    def __init__(self) -> None:
        self.runs = 0
        self.winner: Callable[[], CacheEntry | None] | None = None

    def run(self, key: str, compute: Callable[[], CacheEntry], lookup: Callable[[], CacheEntry | None]) -> CacheEntry:
        self.runs += 1
        if self.winner is not None:
            self.winner()
            found = lookup()
            if found is not None:
                return found
        return compute()


class InMemoryLimiter:
    """A token count per provider; providers without a count are unlimited. An empty provider's next slot is
    `waits[provider]` seconds away (default: never within a wait budget); `pause` records the pause asked for."""

    def __init__(self, tokens: dict[str, int] | None = None, waits: dict[str, float] | None = None) -> None:
        self.tokens = dict(tokens or {})
        self.waits = dict(waits or {})
        self.taken: list[str] = []
        self.paused: dict[str, float | None] = {}
        self.waited: list[float] = []

    def reserve(self, provider: str, max_wait: float = 0.0) -> float | None:
        if provider in self.tokens and self.tokens[provider] <= 0:
            wait = self.waits.get(provider, 1e9)
            if wait > max_wait:
                return None
            self.tokens[provider] += 1  # the refill it waited for
        else:
            wait = 0.0
        if provider in self.tokens:
            self.tokens[provider] -= 1
        self.taken.append(provider)
        return wait

    def acquire(self, provider: str, max_wait: float = 0.0) -> bool:
        return self.acquire_slot(provider, max_wait).granted

    def acquire_slot(self, provider: str, max_wait: float = 0.0) -> Reservation:
        """The reservation with the slots left after it (None for an unlimited provider), as DynamoRateLimiter."""
        wait = self.reserve(provider, max_wait)
        if wait is not None:
            self.waited.append(wait)
        left = float(max(0, self.tokens[provider])) if provider in self.tokens else None
        return Reservation(wait, left)

    def try_acquire(self, provider: str) -> bool:
        return self.reserve(provider, 0.0) is not None

    def seconds_until_available(self, provider: str) -> float:
        if provider in self.tokens and self.tokens[provider] <= 0:
            return self.waits.get(provider, 1e9)
        return 0.0

    def pause(self, provider: str, seconds: float | None) -> None:
        self.paused[provider] = seconds
        self.tokens[provider] = 0


class InMemoryBreaker:
    """Opens after `threshold` consecutive failures; `open` forces a provider open."""

    def __init__(self, threshold: int = 3, open_providers: Iterable[str] = ()) -> None:
        self.threshold = threshold
        self.failures: dict[str, int] = {}
        self.opened = set(open_providers)
        self.successes: list[str] = []

    def allow(self, provider: str) -> bool:
        return provider not in self.opened

    def record_success(self, provider: str) -> None:
        self.failures[provider] = 0
        self.successes.append(provider)

    def record_failure(self, provider: str) -> None:
        self.failures[provider] = self.failures.get(provider, 0) + 1
        if self.failures[provider] >= self.threshold:
            self.opened.add(provider)


class ScriptedProvider:
    """A Provider whose answers are given up front: a Report (or a builder) or a ProviderError to raise."""

    def __init__(self, name: str, *answers: Report | ProviderError | Exception | Callable[[Cnpj], Report]) -> None:
        self.name = name
        self.answers = list(answers)
        self.calls: list[str] = []

    def lookup(self, cnpj: Cnpj, *, remaining_ms: Callable[[], int] | None = None) -> Report:
        self.calls.append(cnpj.value)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, Report):
            return answer
        return answer(cnpj)
