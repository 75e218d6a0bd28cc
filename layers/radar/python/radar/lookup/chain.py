"""The provider chain: cache, single-flight, then each provider in order behind its rate limit and breaker, the
providers whose data is too old for the request's max_age after those whose data is young enough."""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from radar.cnpj import Cnpj
from radar.coordination.models import CacheEntry
from radar.lookup.errors import CnpjNotFound, ProvidersUnavailable
from radar.lookup.ports import CircuitBreaker, RateLimiter, ReportCache, SingleFlight
from radar.lookup.registry import outage_group
from radar.lookup.schemas import LookupResult, ProviderAttempt
from radar.observability import logger, tracer
from radar.providers.base import Provider
from radar.providers.errors import Outcome, ProviderError
from radar.report import Report
from radar.timestamps import parse_iso

if TYPE_CHECKING:
    from aws_lambda_powertools import Metrics

__all__ = ["ProviderChain", "RemainingMsArg"]

# Outcomes that are evidence the CNPJ does not exist, and outcomes that mean "we could not hear the provider".
_ABSENCE_EVIDENCE = frozenset({"not_found", "invalid"})
_UNHEARD = frozenset({"transient", "rate_limited", "circuit_open", "error"})
# Without a provider hint, how long a client should wait before asking again (a token refills in ~21 s).
_DEFAULT_RETRY_AFTER_SECONDS = 30
# Below this much remaining time a provider call is not started (the provider keeps its own reserve too).
_MIN_REMAINING_MS_FOR_CALL = 1500

RemainingMsArg = Callable[[], int] | int | None


def _remaining_callable(remaining_ms: RemainingMsArg) -> Callable[[], int] | None:
    """Accept Lambda's `context.get_remaining_time_in_millis` or a plain number of milliseconds left now."""
    if remaining_ms is None or callable(remaining_ms):
        return remaining_ms
    deadline = time.monotonic() + int(remaining_ms) / 1000.0
    return lambda: int((deadline - time.monotonic()) * 1000)


def _fetched_at(entry: CacheEntry) -> datetime | None:
    try:
        return parse_iso(entry.fetched_at)
    except (AttributeError, ValueError):
        return None


@dataclass
class _Walk:
    """What one compute() did, for the caller that ran it."""

    attempts: list[ProviderAttempt] = field(default_factory=list)
    computed: bool = False
    mock_entry: CacheEntry | None = None
    mock_report: Report | None = None
    retry_after: float | None = None
    called: bool = False  # some provider was actually asked (else the lookup only waited for capacity)
    max_age: float | None = None  # the request's freshness demand (0 for a refresh): routes by the providers' data lag


class ProviderChain:
    """Looks a CNPJ up: shared cache first, then one caller per CNPJ walks the providers in order.

    Decisions:
    - A provider's not-found is final only when no provider was unheard (transient, rate-limited, circuit
      open, unexpected error): BrasilAPI 404s during outages and new companies reach providers at
      different times, so the walk continues past a not-found.
    - A provider calling a locally valid CNPJ "invalid" is treated as not-found evidence: the CNPJ is
      well-formed by RFB rules, so that provider simply has no such record (e.g. no alphanumeric support yet).
    - The mock runs only when every real provider failed to answer and `allow_mock` is on; its report says
      source "mock" and is never written to the cache.
    - Breakers are per outage group (registry.outage_group): BrasilAPI proxies minha-receita, so their failures
      feed one breaker and an outage of either skips both instead of spending a failed call on the second.
    - The first pass takes, in the order of preference, the first provider whose breaker allows it and that has a
      request slot now: an empty schedule is never waited on while another provider could answer at once.
    - Freshness routing: a lookup with a max_age (a refresh is max_age 0) walks the providers whose declared data lag
      is at most max_age first, then the others, each group in the order of preference; without one the order
      stands. The second pass likewise waits for a slot of a provider that meets max_age before one that does not,
      within the wait budget. A provider that cannot meet it still answers when none that can does (its report's
      source_updated_at says how old it is): an older answer beats none.
    - An answer from a provider whose lag is over max_age counts FreshnessUnmet (dimension `provider`).
    - Each provider's state read on the way is a metric (ProviderBreakerOpen 0/1, ProviderSlotsFree after the
      reservation, dimension `provider`): the ops dashboard's capacity panels, at no extra read.
    """

    def __init__(
        self,
        providers: Sequence[Provider],
        cache: ReportCache,
        single_flight: SingleFlight,
        limiter: RateLimiter,
        breaker: CircuitBreaker,
        allow_mock: bool,
        metrics: Metrics | None = None,
        mock: Provider | None = None,
        capacity_wait_seconds: float = 0.0,
        max_stale_seconds: float = 0.0,
        data_lag_seconds: Mapping[str, float] | None = None,
    ) -> None:
        from radar.observability import metrics as shared_metrics

        self.providers = list(providers)
        self.allow_mock = allow_mock
        self._cache = cache
        self._single_flight = single_flight
        self._limiter = limiter
        self._breaker = breaker
        self._metrics = metrics or shared_metrics
        self._mock = mock
        # How long one lookup may wait for a provider's next slot before it gives up for now (bounded by the
        # invocation's remaining time): slots a few seconds away are waited for, later ones deferred by the caller.
        self.capacity_wait_seconds = capacity_wait_seconds
        # Stale if error: the default (and the ceiling) of a lookup's max_stale; 0 = never serve a stale report.
        self.max_stale_seconds = max_stale_seconds
        # How old each provider's answers can be (radar.lookup.registry, DATA_LAG_<NAME>); unknown = 0 (live).
        self.data_lag_seconds = dict(data_lag_seconds or {})
        self._ahead = threading.local()  # this thread's read-ahead cache miss and lease item (`lease_ahead`)
        for provider in self.providers:
            if hasattr(provider, "attempt_gate"):
                # Every HTTP attempt takes a slot, retries included.
                provider.attempt_gate = self._gate_for(provider.name)

    def _gate_for(self, name: str) -> Callable[[float | None], bool]:
        def gate(budget_seconds: float | None) -> bool:
            wait = (
                self.capacity_wait_seconds
                if budget_seconds is None
                else min(self.capacity_wait_seconds, max(0.0, budget_seconds))
            )
            return self._limiter.acquire(name, wait)

        return gate

    # --- public ---
    def cached(self, cnpj: Cnpj, *, max_age: float | None = None) -> LookupResult | None:
        """The cache's report for `cnpj` alone (one read, no provider, no lease), counted as a hit, if it is at most
        `max_age` seconds old (default: any fresh one; 0: none); None on a miss, a cached not-found or an unreadable
        entry (the caller then runs the full lookup, which decides those)."""
        if max_age == 0:
            return None
        entry = self._peek(cnpj.value)
        if entry is None:
            ahead = getattr(self._cache, "read_ahead", None)
            if callable(ahead):
                ahead(cnpj.value, None)  # the full lookup that follows starts from this miss, not from a read
            return None
        young = self._young_enough(entry, max_age)
        if young is None or young.negative:
            return None
        result = self._result_from_entry(cnpj, young, cached=True, attempts=[])
        if result is not None:
            self._count("CacheHit")
        return result

    def read_ahead_keys(self, cnpj: Cnpj) -> list[tuple[str, dict[str, Any]]]:
        """(table, key) of what a lookup of `cnpj` reads first: its cache entry, its single-flight lease, and every
        provider's breaker and schedule. A caller that reads them in its own first round trip hands them over with
        `read_ahead`."""
        keys: list[tuple[str, dict[str, Any]]] = []
        entry_key = getattr(self._cache, "item_key", None)
        if callable(entry_key):
            keys.append(entry_key(cnpj.value))
        lease_key = getattr(self._single_flight, "lease_item_key", None)
        if callable(entry_key) and callable(lease_key):
            keys.append(lease_key(cnpj.value))
        state_keys = getattr(self._breaker, "state_keys", None)
        if callable(state_keys):
            keys.extend(state_keys(*self._state_names()))
        return keys

    def read_ahead(self, cnpj: Cnpj, items: Sequence[dict[str, Any] | None]) -> None:
        """The items of `read_ahead_keys` as the caller just read them (consistently; None = absent), in that order:
        the lookup that follows starts from them instead of reading them again."""
        rest = list(items)
        self._ahead.seen = None
        if callable(getattr(self._cache, "item_key", None)) and rest:
            entry = rest.pop(0)
            self._cache.read_ahead(cnpj.value, entry)  # type: ignore[attr-defined]
            if callable(getattr(self._single_flight, "lease_item_key", None)) and rest:
                lease = rest.pop(0)
                # The lease may be taken ahead only for a miss (a hit needs none), from the item read with it; the
                # time is just after the read (the single-flight allows for skew).
                if not entry:
                    self._ahead.seen = (cnpj.value, lease, time.time())
        states = getattr(self._breaker, "read_ahead", None)
        if callable(states) and rest:
            states(*self._state_names(), rest)

    def lease_ahead(self, cnpj: Cnpj) -> dict[str, Any] | None:
        """After a `read_ahead` that found no cache entry: a TransactWriteItems entry taking the CNPJ's single-flight
        lease, for the caller to commit with its own write (the worker's claim), then to report with `lease_taken`;
        None when there is nothing to take ahead (a hit, the lease held, no such single-flight)."""
        seen = getattr(self._ahead, "seen", None)
        take = getattr(self._single_flight, "take_ahead", None)
        if seen is None or seen[0] != cnpj.value or not callable(take):
            return None
        taken = take(cnpj.value, seen[1], seen[2])
        return None if taken is None else dict(taken[0])

    def lease_taken(self, cnpj: Cnpj, landed: bool) -> None:
        """Whether the caller's write with the `lease_ahead` entry committed (this thread then holds the lease)."""
        self._ahead.seen = None
        taken = getattr(self._single_flight, "taken_ahead", None)
        if callable(taken):
            taken(cnpj.value, landed)

    def release_lease_ahead(self, cnpj: Cnpj) -> None:
        """Free a lease taken ahead that no lookup used (the caller's check never reached it)."""
        release = getattr(self._single_flight, "release_ahead", None)
        if callable(release):
            release(cnpj.value)

    def _state_names(self) -> tuple[list[str], list[str]]:
        """(breakers, schedules) the walk consults: one breaker per outage group, one schedule per provider."""
        groups = list(dict.fromkeys(outage_group(provider.name) for provider in self.providers))
        return groups, [provider.name for provider in self.providers]

    def lookup(
        self,
        cnpj: Cnpj,
        *,
        remaining_ms: RemainingMsArg = None,
        force_refresh: bool = False,
        max_age: float | None = None,
        max_stale: float | None = None,
    ) -> LookupResult:
        """The report of `cnpj`: from the cache when it holds one at most `max_age` seconds old (default: any fresh
        one; 0 = `force_refresh`), else from the providers. When no provider can answer (faults, not a wait for
        capacity), the last good report at most `max_stale` seconds old (default and ceiling: the chain's
        max_stale_seconds; 0 = off) is the answer, flagged stale."""
        try:
            return self._lookup(cnpj, remaining_ms, force_refresh or max_age == 0, max_age)
        except ProvidersUnavailable as exc:
            stale = None if exc.waiting_for_capacity else self._stale_answer(cnpj, exc, max_stale)
            if stale is None:
                raise
            return stale

    def _stale_answer(self, cnpj: Cnpj, exc: ProvidersUnavailable, max_stale: float | None) -> LookupResult | None:
        limit = self.max_stale_seconds if max_stale is None else min(max_stale, self.max_stale_seconds)
        last_good = getattr(self._cache, "last_good", None)
        if limit <= 0 or not callable(last_good):
            return None
        entry = last_good(cnpj.value, limit)
        if entry is None:
            return None
        try:
            report = Report.model_validate(entry.report)
        except ValidationError:
            return None
        self._count("StaleServed")
        logger.warning("no provider answered; serving the last good report", extra={"fetched_at": entry.fetched_at})
        return LookupResult(report=report, source=report.source, cached=True, attempts=exc.attempts, stale=True)

    def _lookup(
        self, cnpj: Cnpj, remaining_ms: RemainingMsArg, force_refresh: bool, max_age: float | None
    ) -> LookupResult:
        remaining = _remaining_callable(remaining_ms)
        if not force_refresh:
            # The chain counts CacheHit/CacheMiss (one per lookup), so read without the cache's own counting.
            entry = self._young_enough(self._peek(cnpj.value), max_age)
            self._count("CacheHit" if entry is not None else "CacheMiss")
            if entry is not None:
                cached = self._result_from_entry(cnpj, entry, cached=True, attempts=[])
                if cached is not None:
                    return cached
        started = datetime.now(UTC)  # full precision: the cache stamps fetched_at to the millisecond
        demand = 0.0 if force_refresh else max_age
        walk = _Walk(max_age=demand)

        def compute() -> CacheEntry:
            walk.computed = True
            return self._walk(cnpj, remaining, walk)

        def winner_result() -> CacheEntry | None:
            entry = self._peek(cnpj.value)
            if entry is None or not force_refresh:
                return self._young_enough(entry, max_age)
            # A forced refresh only accepts a result fetched after it started.
            fetched = _fetched_at(entry)
            return entry if fetched is not None and fetched >= started else None

        entry = self._single_flight.run(cnpj.value, compute, winner_result)
        if walk.mock_report is not None and entry is walk.mock_entry:
            return LookupResult(report=walk.mock_report, source="mock", cached=False, attempts=walk.attempts)
        result = self._result_from_entry(cnpj, entry, cached=not walk.computed, attempts=walk.attempts)
        if result is None:
            # Another caller's result was unreadable: compute here rather than fail the check.
            walk = _Walk(computed=True, max_age=demand)
            entry = self._walk(cnpj, remaining, walk)
            if walk.mock_report is not None:
                return LookupResult(report=walk.mock_report, source="mock", cached=False, attempts=walk.attempts)
            result = self._result_from_entry(cnpj, entry, cached=False, attempts=walk.attempts)
            if result is None:  # pragma: no cover - our own write is always readable
                raise ProvidersUnavailable(walk.attempts, _DEFAULT_RETRY_AFTER_SECONDS)
        return result

    # --- the walk ---
    def _walk(self, cnpj: Cnpj, remaining: Callable[[], int] | None, walk: _Walk) -> CacheEntry:
        # First pass: in order (those fresh enough first), each provider whose circuit allows it and that has a slot.
        prefetch = getattr(self._breaker, "prefetch", None)
        if callable(prefetch):
            prefetch(*self._state_names())  # every breaker and schedule in one round trip, not one each
        waits: dict[str, float] = {}
        for provider in self.preference(walk.max_age):
            report = self._try_provider(provider, cnpj, remaining, walk, waits=waits)
            if report is not None:
                return self._answered(cnpj, provider.name, report, walk)
        # Second pass: none had a slot now; wait for the earliest predicted slot if it comes within the budget.
        by_name = {provider.name: provider for provider in self.providers}
        while waits:
            budget = self._wait_budget(remaining)
            within = [key for key in waits if waits[key] <= budget]
            if not within:
                break
            # A fresh-enough provider's slot before a stale one's, then the earliest.
            name = min(within, key=lambda key: (not self.meets(key, walk.max_age), waits[key]))
            del waits[name]
            report = self._try_provider(by_name[name], cnpj, remaining, walk, max_wait=budget, breaker_passed=True)
            if report is not None:
                return self._answered(cnpj, name, report, walk)
        outcomes = {a.outcome for a in walk.attempts}
        if outcomes & _ABSENCE_EVIDENCE and not outcomes & _UNHEARD:
            return self._cache.put_negative(cnpj.value)
        if self.allow_mock:
            return self._mock_entry(cnpj, walk)
        called = walk.called
        if waits and not called:
            # Only waiting: until the earliest slot starts (with jitter, so deferred checks do not return at once).
            eta = min(waits.values())
            eta = eta + random.uniform(0, min(1.0, eta * 0.1))
            retry_after = max(1, math.ceil(eta))
        else:
            eta = walk.retry_after or float(_DEFAULT_RETRY_AFTER_SECONDS)
            retry_after = max(1, int(eta))
        logger.warning(
            "no provider answered",
            extra={"outcomes": {a.provider: a.outcome for a in walk.attempts}, "retry_after_s": retry_after},
        )
        raise ProvidersUnavailable(walk.attempts, retry_after, waiting_for_capacity=not called, eta_seconds=eta)

    def _answered(self, cnpj: Cnpj, name: str, report: Report, walk: _Walk) -> CacheEntry:
        """Cache a provider's report; count it as FreshnessUnmet when its declared lag is over the lookup's max_age
        (no provider that meets it could answer: the older answer is served)."""
        if not self.meets(name, walk.max_age):
            self._emit("FreshnessUnmet", "Count", 1, {"provider": name})
        return self._cache.put_report(cnpj.value, report.model_dump(mode="json"), report.source)

    def meets(self, name: str, max_age: float | None) -> bool:
        """Whether provider `name`'s declared data lag fits a request's `max_age` (None: no demand, every one fits)."""
        return max_age is None or self.data_lag_seconds.get(name, 0.0) <= max_age

    def preference(self, max_age: float | None) -> list[Provider]:
        """The providers in the order a lookup with `max_age` tries them: those whose data lag meets it, then the
        others, each in the order of preference (stable); the order itself without a demand."""
        if max_age is None:
            return list(self.providers)
        return sorted(self.providers, key=lambda provider: not self.meets(provider.name, max_age))

    def _wait_budget(self, remaining: Callable[[], int] | None) -> float:
        budget = self.capacity_wait_seconds
        if remaining is not None:
            budget = min(budget, remaining() / 1000.0 - _MIN_REMAINING_MS_FOR_CALL / 1000.0 - 1.0)
        return max(0.0, budget)

    def _try_provider(
        self,
        provider: Provider,
        cnpj: Cnpj,
        remaining: Callable[[], int] | None,
        walk: _Walk,
        *,
        waits: dict[str, float] | None = None,
        max_wait: float = 0.0,
        breaker_passed: bool = False,
    ) -> Report | None:
        name = provider.name
        if remaining is not None and remaining() < _MIN_REMAINING_MS_FOR_CALL:
            self._record(walk, name, "transient", None, "skipped: not enough time left in this invocation", 0.0)
            return None
        if not breaker_passed:
            allowed = self._breaker.allow(outage_group(name))
            self._emit("ProviderBreakerOpen", "Count", 0 if allowed else 1, {"provider": name})
            if not allowed:
                self._record(walk, name, "circuit_open", None, "skipped: circuit open after repeated failures", 0.0)
                return None
        prepare = getattr(provider, "prepare", None)
        if callable(prepare):
            prepare()  # its client and token before its slot: the request leaves as soon as the slot starts
        reservation = self._limiter.acquire_slot(name, max_wait)
        if reservation.slots_free is not None:
            self._emit("ProviderSlotsFree", "Count", reservation.slots_free, {"provider": name})
        if not reservation.granted:
            self._emit("RateLimitedByProvider", "Count", 1, {"provider": name})
            if waits is not None:
                # The second pass may still wait for it.
                waits[name] = wait = self._limiter.seconds_until_available(name)
                self._record(walk, name, "rate_limited", None, f"skipped: next request slot in {wait:.1f} s", 0.0)
            else:
                self._record(walk, name, "rate_limited", None, "skipped: no request slot within the wait budget", 0.0)
            return None
        started = time.perf_counter()
        walk.called = True
        try:
            with tracer.provider.in_subsegment(f"## provider {name}") as subsegment:
                subsegment.put_annotation("provider", name)
                report = provider.lookup(cnpj, remaining_ms=remaining)
        except ProviderError as error:
            duration = (time.perf_counter() - started) * 1000
            if error.outcome in _ABSENCE_EVIDENCE:
                # The provider answered: it is healthy even though it has no record.
                self._breaker.record_success(outage_group(name))
            elif error.outcome == "rate_limited":
                # The provider's own limit spoke (429, "wait a minute"): pause its schedule, not its circuit.
                self._limiter.pause(name, error.retry_after)
            else:
                self._breaker.record_failure(outage_group(name))
            if error.retry_after is not None:
                walk.retry_after = max(walk.retry_after or 0.0, error.retry_after)
            self._record(walk, name, error.outcome, error.http_status, error.message, duration, called=True)
            return None
        except Exception as error:
            # A bug in one provider's mapping must not take the whole chain down; the next provider may answer.
            duration = (time.perf_counter() - started) * 1000
            self._breaker.record_failure(outage_group(name))
            logger.error("provider raised unexpectedly", extra={"provider": name, "error_type": type(error).__name__})
            self._record(walk, name, "error", None, f"unexpected {type(error).__name__}", duration, called=True)
            return None
        duration = (time.perf_counter() - started) * 1000
        self._breaker.record_success(outage_group(name))
        self._record(walk, name, "ok", 200, "", duration, called=True)
        return report

    def _mock_entry(self, cnpj: Cnpj, walk: _Walk) -> CacheEntry:
        from radar.providers.mock import MockProvider

        mock = self._mock or MockProvider()
        report = mock.lookup(cnpj)
        walk.mock_report = report
        self._record(walk, mock.name, "ok", None, "synthetic report: real providers unavailable", 0.0)
        # Never cached: an entry that exists only for this caller (expired from birth).
        walk.mock_entry = CacheEntry(
            cnpj=cnpj.value,
            report=report.model_dump(mode="json"),
            negative=False,
            source="mock",
            fetched_at=report.fetched_at.isoformat(),
            expires_at=0,
        )
        return walk.mock_entry

    def from_cache(self, cnpj: Cnpj) -> LookupResult | None:
        """The shared cache's answer, or None when it has none; never calls a provider (a batch's cached CNPJs are
        answered at once with it). A cached "no such CNPJ" raises CnpjNotFound, as lookup() does."""
        entry = self._peek(cnpj.value)
        if entry is None:
            return None  # not counted as a miss: the lookup that follows counts it
        self._count("CacheHit")
        return None if entry is None else self._result_from_entry(cnpj, entry, cached=True, attempts=[])

    # --- helpers ---
    @staticmethod
    def _young_enough(entry: CacheEntry | None, max_age: float | None) -> CacheEntry | None:
        """The entry unless it was fetched more than `max_age` seconds ago."""
        if entry is None or max_age is None:
            return entry
        fetched = _fetched_at(entry)
        if fetched is None or (datetime.now(UTC) - fetched).total_seconds() > max_age:
            return None
        return entry

    def _peek(self, cnpj: str) -> CacheEntry | None:
        # Polling reads should not count as misses; use the cache's metric-free read when it has one.
        peek = getattr(self._cache, "peek", None)
        return peek(cnpj) if callable(peek) else self._cache.get(cnpj)

    def _result_from_entry(
        self, cnpj: Cnpj, entry: CacheEntry, *, cached: bool, attempts: list[ProviderAttempt]
    ) -> LookupResult | None:
        if entry.negative:
            raise CnpjNotFound(cnpj, attempts)
        try:
            report = Report.model_validate(entry.report)
        except ValidationError:
            # Written by an older report schema: treat as a miss and fetch again.
            logger.warning("cached report unreadable, refetching", extra={"source": entry.source})
            return None
        return LookupResult(report=report, source=report.source, cached=cached, attempts=attempts)

    def _record(
        self,
        walk: _Walk,
        provider: str,
        outcome: Outcome,
        status: int | None,
        message: str,
        duration_ms: float,
        *,
        called: bool = False,
    ) -> None:
        walk.attempts.append(
            ProviderAttempt(
                provider=provider, outcome=outcome, status=status, message=message, duration_ms=round(duration_ms, 1)
            )
        )
        dims = {"provider": provider, "outcome": outcome}
        if called:
            self._emit("ProviderLatency", "Milliseconds", duration_ms, dims)
        # An empty local bucket is counted as RateLimitedByProvider instead: the provider was never asked.
        skipped_by_bucket = outcome == "rate_limited" and not called
        if outcome != "ok" and not skipped_by_bucket:
            self._emit("ProviderErrors", "Count", 1, dims)
        logger.info(
            "provider attempt",
            extra={"provider": provider, "outcome": outcome, "status": status, "duration_ms": round(duration_ms, 1)},
        )

    def _count(self, name: str) -> None:
        from aws_lambda_powertools.metrics import MetricUnit

        self._metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)

    def _emit(self, name: str, unit: str, value: float, dimensions: Mapping[str, str]) -> None:
        """A metric with its own dimensions (one EMF line), so provider/outcome never leak onto other metrics."""
        from aws_lambda_powertools.metrics import MetricUnit, single_metric

        with single_metric(name=name, unit=MetricUnit(unit), value=value, namespace=self._metrics.namespace) as metric:
            for key, dim in dimensions.items():
                metric.add_dimension(name=key, value=dim)
