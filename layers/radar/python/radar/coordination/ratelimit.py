"""Global per-provider request schedules on DynamoDB (GCRA), shared by every worker and exact under concurrency."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from radar.aws import is_conditional_failure
from radar.coordination._dynamo import (
    Clock,
    attr_number,
    bucket_key,
    dynamodb_client,
    now_seconds,
    recall,
    remember,
    sdk_errors_as_domain,
)
from radar.coordination.models import Reservation

__all__ = ["SKEW_SECONDS", "WINDOW_SECONDS", "BucketSpec", "DynamoRateLimiter", "bucket_spec"]

WINDOW_SECONDS = 60.0
# Absolute seconds of skew between the instant a slot starts here and the request reaching the provider (network,
# scheduling). Not scaled by the time scale: a faster sandbox does not make the network faster.
SKEW_SECONDS = 1.0
# The share of the skew a request may spend between its slot and leaving this process (`acquire`): later than the
# whole skew, it can reach the provider within one window of the requests of the next slots, sent on time.
_LATE_SHARE = 1.0
# How old a bucket this thread read (or wrote) may be to start a reservation from, instead of reading it again.
_RECENT_SECONDS = 2.0


@dataclass(frozen=True)
class BucketSpec:
    """One provider's schedule: a request every `interval` seconds, `burst` of them back to back at most."""

    limit_per_window: float
    window_seconds: float
    interval: float
    burst: int

    @property
    def tolerance(self) -> float:
        """GCRA's tau: how far ahead of the theoretical arrival time a request may start."""
        return (self.burst - 1) * self.interval

    @property
    def per_minute(self) -> float:
        """Sustained requests per (real) minute this schedule allows."""
        return 60.0 / self.interval

    def max_in_window(self, seconds: float | None = None) -> int:
        """The most requests this schedule starts in any half-open interval of `seconds` (the provider's window)."""
        span = self.window_seconds if seconds is None else seconds
        return self.burst + max(0, math.ceil(span / self.interval - 1e-9) - 1)


def bucket_spec(
    per_minute: float, burst: float | None = None, *, time_scale: float = 1.0, skew_seconds: float = SKEW_SECONDS
) -> BucketSpec:
    """Size a schedule so that no sliding window of the provider ever sees more than `per_minute` requests.

    Providers (and the sandbox) refuse a request at t when N were admitted in (t - W, t], W = 60 s / time_scale.
    GCRA with emission interval T and burst B starts at most B + ceil(L / T) - 1 requests in any half-open
    interval of length L; a request may also reach the provider up to `skew_seconds` later than another. So
    (N - B + 1) * T >= W + skew keeps every window at N or fewer: T = (W + skew) / (N - B + 1). With B = 1
    (the default) the sustained rate is N / (W + skew): 3/min at real time with 1 s skew is 2.95/min; at time
    scale 10 (W = 6 s) with the same 1 s skew, 86 % of the limit.
    """
    if per_minute < 1:
        raise ValueError("per_minute must be at least 1")
    if time_scale <= 0 or skew_seconds < 0:
        raise ValueError("time_scale must be positive and skew_seconds not negative")
    limit = math.floor(per_minute)
    capacity = int(burst) if burst is not None else 1
    if not 1 <= capacity <= limit:
        raise ValueError("burst must be between 1 and per_minute")
    window = WINDOW_SECONDS / time_scale
    interval = (window + skew_seconds) / (limit - capacity + 1)
    return BucketSpec(limit_per_window=per_minute, window_seconds=window, interval=interval, burst=capacity)


class DynamoRateLimiter:
    """RateLimiter with item `BUCKET#<provider>` (tat, paused_until, version): the generic cell rate algorithm.

    `tat` is the theoretical arrival time of the next request. A caller reserves the earliest slot
    `max(tat - tolerance, now, paused_until)` with a write conditioned on the version it read (a lost race re-reads),
    then waits until that slot and sends. Every HTTP attempt (retries included) takes a slot, so the provider's
    window holds for every request. A provider's 429 pauses its schedule (`pause`). Providers absent from
    `per_minute` are not limited.
    """

    def __init__(
        self,
        table_name: str,
        per_minute: dict[str, float],
        burst: dict[str, float] | None = None,
        *,
        time_scale: float = 1.0,
        skew_seconds: float = SKEW_SECONDS,
        clock: Clock | None = None,
        max_attempts: int = 25,
        sleep: Callable[[float], None] = time.sleep,
        late_seconds: float | None = None,
    ) -> None:
        self.table_name = table_name
        # How late after its slot a request may still go out (the skew the schedule's spacing allows for).
        self.late_seconds = skew_seconds * _LATE_SHARE if late_seconds is None else late_seconds
        self.time_scale = time_scale
        self.specs = {
            provider: bucket_spec(limit, (burst or {}).get(provider), time_scale=time_scale, skew_seconds=skew_seconds)
            for provider, limit in per_minute.items()
        }
        self._clock = clock
        self._max_attempts = max_attempts
        self._sleep = sleep

    # --- taking slots ---
    def reserve(self, provider: str, max_wait: float = 0.0) -> float | None:
        """Reserve the provider's earliest slot if it starts within `max_wait` seconds; return the seconds until it
        (0 = now), or None (nothing reserved) when the earliest slot is later."""
        return self.reserve_slot(provider, max_wait).wait

    def reserve_slot(self, provider: str, max_wait: float = 0.0) -> Reservation:
        """`reserve`, with the slots the schedule had left right after this attempt, from the item it read and wrote
        (the chain's ProviderSlotsFree gauge, at no extra read): a value of this call, not state of the limiter."""
        if provider not in self.specs:
            return Reservation(0.0)
        taken = self._reserve(provider, max_wait)
        if taken is None:
            return Reservation(None, 0.0)
        slot, _written, free = taken
        return Reservation(max(0.0, slot - now_seconds(self._clock)), free)

    def acquire(self, provider: str, max_wait: float = 0.0) -> bool:
        """Reserve a slot within `max_wait` and wait for it; False (nothing reserved) when none is that close."""
        return self.acquire_slot(provider, max_wait).granted

    def acquire_slot(self, provider: str, max_wait: float = 0.0) -> Reservation:
        """`acquire`, answering the reservation it waited for (or the refusal), with the slots left after it.

        A slot is only good while it is fresh: the schedule spaces requests by their slots, so a request sent more than
        `late_seconds` after its slot started (a slow conditional write, an oversleep on a busy host) would reach the
        provider too close to the requests of the next slots. Such a slot is moved to now when nobody reserved after
        it (the schedule shifts by the delay: a conditional write on the version this caller wrote), else left unused
        and the next one reserved, within what is left of `max_wait`."""
        spec = self.specs.get(provider)
        if spec is None:
            return Reservation(0.0)
        deadline = now_seconds(self._clock) + max_wait
        while True:
            taken = self._reserve(provider, max(0.0, deadline - now_seconds(self._clock)))
            if taken is None:
                return Reservation(None, 0.0)
            slot, written, free = taken
            wait = slot - now_seconds(self._clock)
            if wait > 0:
                self._sleep(wait)
            late = now_seconds(self._clock) - slot
            if late <= self.late_seconds:
                return Reservation(max(0.0, wait), free)
            # Shift the schedule by the delay: the next slot starts an interval after this request really leaves.
            moved_to = now_seconds(self._clock)
            if self._write(provider, written, tat=written.tat + late) and (
                now_seconds(self._clock) - moved_to <= self.late_seconds
            ):
                return Reservation(max(0.0, wait), free)
            from radar.observability import logger

            logger.warning("request slot missed; reserving the next one", extra={"provider": provider, "late_s": late})

    def _reserve(self, provider: str, max_wait: float) -> tuple[float, _State, float] | None:
        """(the epoch second the reserved slot starts, the bucket as this reservation wrote it, the slots it left),
        or None (nothing reserved)."""
        spec = self.specs[provider]
        for attempt in range(self._max_attempts):
            # The first attempt may start from the bucket as this thread just saw it (read with the breaker): the
            # write is conditioned on its version, so a stale one only loses the race and reads again.
            state = self._read(provider, recent=attempt == 0)
            now = now_seconds(self._clock)
            slot = self._earliest(spec, state, now)
            if slot - now > max_wait + 1e-6:  # epoch seconds carry ~1e-7 of float error
                return None
            tat = max(state.tat, slot) + spec.interval
            if self._write(provider, state, tat=tat):
                after = _State(tat, state.paused_until, state.version + 1)
                return slot, after, round(self._free(spec, after, now), 3)  # epoch floats: ~1e-7 of noise
            # Lost a race: back off a little (randomized so contenders spread out) and re-read.
            self._sleep(random.uniform(0, 0.005 * (attempt + 1)))
        # Extreme contention: answering "no slot" is the safe side (the chain moves on or waits for capacity).
        return None

    def try_acquire(self, provider: str) -> bool:
        """A slot now, or False (the chain moves on)."""
        return self.reserve(provider, 0.0) is not None

    def pause(self, provider: str, seconds: float | None) -> None:
        """The provider refused us (429, "wait a minute"): no slot starts before `seconds` from now (its Retry-After,
        already in the provider's time; one window when it gave none)."""
        spec = self.specs.get(provider)
        if spec is None:
            return
        until = now_seconds(self._clock) + (seconds if seconds and seconds > 0 else spec.window_seconds)
        for _ in range(self._max_attempts):
            state = self._read(provider)
            if state.paused_until >= until:
                return
            if self._write(provider, state, tat=state.tat, paused_until=until):
                from radar.observability import logger

                logger.warning("provider refused a request; schedule paused", extra={"provider": provider})
                return

    # --- reading the schedule ---
    def seconds_until_available(self, provider: str) -> float:
        """How long until the provider's next free slot (0 = now)."""
        spec = self.specs.get(provider)
        if spec is None:
            return 0.0
        now = now_seconds(self._clock)
        # Asked right after a refused reservation: the bucket that reservation read says it.
        return max(0.0, self._earliest(spec, self._read(provider, recent=True), now) - now)

    def tokens(self, provider: str) -> float:
        """Slots free now (no write): how many requests could start at once; infinity for an unlimited provider."""
        spec = self.specs.get(provider)
        if spec is None:
            return math.inf
        return self._free(spec, self._read(provider), now_seconds(self._clock))

    def per_minute(self, provider: str) -> float:
        """The sustained requests per real minute this limiter lets through for `provider` (inf: unlimited)."""
        spec = self.specs.get(provider)
        return math.inf if spec is None else spec.per_minute

    # --- storage ---
    @staticmethod
    def _free(spec: BucketSpec, state: _State, now: float) -> float:
        if state.paused_until > now:
            return 0.0
        return max(0.0, min(float(spec.burst), (now + spec.tolerance - state.tat) / spec.interval + 1))

    @staticmethod
    def _earliest(spec: BucketSpec, state: _State, now: float) -> float:
        return max(state.tat - spec.tolerance, now, state.paused_until)

    def _read(self, provider: str, *, recent: bool = False) -> _State:
        item = recall(self.table_name, _key(provider), _RECENT_SECONDS) if recent else None
        if item is None:
            with sdk_errors_as_domain("GetItem"):
                item = (
                    dynamodb_client()
                    .get_item(TableName=self.table_name, Key={"pk": {"S": _key(provider)}}, ConsistentRead=True)
                    .get("Item", {})
                )
            remember(self.table_name, _key(provider), item)
        return _State(
            tat=attr_number(item, "tat"),
            paused_until=attr_number(item, "paused_until"),
            version=int(attr_number(item, "version")),
        )

    def _write(self, provider: str, state: _State, *, tat: float, paused_until: float | None = None) -> bool:
        item = {
            "pk": {"S": _key(provider)},
            "tat": {"N": repr(tat)},
            "paused_until": {"N": repr(state.paused_until if paused_until is None else paused_until)},
            "version": {"N": str(state.version + 1)},
        }
        kwargs: dict[str, Any] = (
            {"ConditionExpression": "attribute_not_exists(pk)"}
            if state.version == 0
            else {
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": {":version": {"N": str(state.version)}},
            }
        )
        try:
            with sdk_errors_as_domain("PutItem"):
                dynamodb_client().put_item(TableName=self.table_name, Item=item, **kwargs)
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise
        remember(self.table_name, _key(provider), item)  # what the bucket holds now, as far as this thread knows
        return True


@dataclass(frozen=True)
class _State:
    tat: float
    paused_until: float
    version: int


def _key(provider: str) -> str:
    return bucket_key(provider)
