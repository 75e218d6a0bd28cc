"""Global per-provider token buckets on DynamoDB, shared by every worker and exact under concurrency."""

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
    dynamodb_client,
    now_seconds,
    sdk_errors_as_domain,
)

__all__ = ["BucketSpec", "DynamoRateLimiter", "bucket_spec"]

WINDOW_SECONDS = 60.0
# Slack for clock and network jitter between taking a token here and the request reaching the provider.
JITTER_SECONDS = 3.0


@dataclass(frozen=True)
class BucketSpec:
    """capacity tokens, refilled continuously at refill_per_second."""

    limit_per_window: float
    capacity: float
    refill_per_second: float

    def max_in_window(self, seconds: float = WINDOW_SECONDS) -> int:
        """The most tokens this bucket can hand out in any interval of `seconds` (closed at both ends)."""
        return int(self.capacity + math.floor(self.refill_per_second * seconds + 1e-9))


def bucket_spec(per_minute: float, burst: float | None = None) -> BucketSpec:
    """Size a bucket so that no 60-second sliding window ever sees more than `per_minute` requests.

    Providers (and the sandbox) count admitted requests in a sliding window: a request at t is refused when
    `per_minute` requests were admitted in (t - 60, t]. A full bucket of capacity B refilled at r tokens/s
    hands out at most B + floor(r * L) tokens in any interval of length L. With L = 60 that must stay <= N,
    so r < (N - B + 1) / 60; we use r = (N - B + 1) / (60 + JITTER_SECONDS). For 3/min: B = 1, one token
    every 21 s (about 2.9/min), and even a request delayed by up to 3 s cannot make a fourth in a window.
    Default burst: 1 for small limits, N // 10 for larger ones (BrasilAPI 60/min -> 6).
    """
    if per_minute < 1:
        raise ValueError("per_minute must be at least 1")
    capacity = float(burst) if burst is not None else float(max(1, int(per_minute // 10)))
    if not 1 <= capacity <= per_minute:
        raise ValueError("burst must be between 1 and per_minute")
    refill = (math.floor(per_minute) - capacity + 1) / (WINDOW_SECONDS + JITTER_SECONDS)
    return BucketSpec(limit_per_window=per_minute, capacity=capacity, refill_per_second=refill)


class DynamoRateLimiter:
    """RateLimiter with item `BUCKET#<provider>` (tokens, updated_at, version).

    Each take reads the bucket, refills it for the elapsed time and writes it back conditioned on the version
    it read; a ConditionalCheckFailed means another worker took a token in between, so it re-reads and
    retries. No token is ever handed out twice. Providers absent from `per_minute` are not limited.
    """

    def __init__(
        self,
        table_name: str,
        per_minute: dict[str, float],
        burst: dict[str, float] | None = None,
        *,
        clock: Clock | None = None,
        max_attempts: int = 25,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.table_name = table_name
        self.specs = {
            provider: bucket_spec(limit, (burst or {}).get(provider)) for provider, limit in per_minute.items()
        }
        self._clock = clock
        self._max_attempts = max_attempts
        self._sleep = sleep

    def try_acquire(self, provider: str) -> bool:
        spec = self.specs.get(provider)
        if spec is None:
            return True
        for attempt in range(self._max_attempts):
            tokens, stamp, version = self._refilled(provider, spec)
            if tokens < 1 - 1e-9:
                return False
            if self._write(provider, tokens - 1, stamp, version):
                return True
            # Lost a race: back off a little (randomized so contenders spread out) and re-read.
            self._sleep(random.uniform(0, 0.005 * (attempt + 1)))
        # Extreme contention: answering "empty" is the safe side (the chain moves on or retries later).
        return False

    def tokens(self, provider: str) -> float:
        """Tokens available now (no write); infinity for an unlimited provider."""
        spec = self.specs.get(provider)
        return math.inf if spec is None else self._refilled(provider, spec)[0]

    def seconds_until_available(self, provider: str) -> float:
        """How long until the next token, e.g. to pick a message's visibility delay."""
        spec = self.specs.get(provider)
        if spec is None:
            return 0.0
        tokens = self._refilled(provider, spec)[0]
        return 0.0 if tokens >= 1 else (1 - tokens) / spec.refill_per_second

    def _refilled(self, provider: str, spec: BucketSpec) -> tuple[float, float, int]:
        with sdk_errors_as_domain("GetItem"):
            item: dict[str, Any] = (
                dynamodb_client()
                .get_item(TableName=self.table_name, Key={"pk": {"S": _key(provider)}}, ConsistentRead=True)
                .get("Item", {})
            )
        now = now_seconds(self._clock)
        if not item:
            return spec.capacity, now, 0
        updated_at = attr_number(item, "updated_at")
        # A worker whose clock runs behind must not rewind the bucket: elapsed time is never negative.
        elapsed = max(0.0, now - updated_at)
        tokens = min(spec.capacity, attr_number(item, "tokens") + elapsed * spec.refill_per_second)
        return tokens, max(now, updated_at), int(attr_number(item, "version"))

    def _write(self, provider: str, tokens: float, stamp: float, version: int) -> bool:
        item = {
            "pk": {"S": _key(provider)},
            "tokens": {"N": repr(max(tokens, 0.0))},
            "updated_at": {"N": repr(stamp)},
            "version": {"N": str(version + 1)},
        }
        kwargs: dict[str, Any] = (
            {"ConditionExpression": "attribute_not_exists(pk)"}
            if version == 0
            else {
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": {":version": {"N": str(version)}},
            }
        )
        try:
            with sdk_errors_as_domain("PutItem"):
                dynamodb_client().put_item(TableName=self.table_name, Item=item, **kwargs)
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True


def _key(provider: str) -> str:
    return f"BUCKET#{provider}"
