"""Coordination state on the cache table: report cache, single-flight leases, token buckets, breakers.

The DynamoDB side of the lookup's ports (radar.lookup.ports), on the low-level client of radar.aws.
Imports: aws, errors, observability, timestamps.
"""

from __future__ import annotations

from radar.coordination.breaker import DynamoCircuitBreaker
from radar.coordination.cache import DynamoReportCache
from radar.coordination.errors import CoordinationUnavailable
from radar.coordination.models import CacheEntry, Reservation
from radar.coordination.ratelimit import DynamoRateLimiter, bucket_spec
from radar.coordination.singleflight import DynamoSingleFlight

__all__ = [
    "CacheEntry",
    "CoordinationUnavailable",
    "DynamoCircuitBreaker",
    "DynamoRateLimiter",
    "DynamoReportCache",
    "DynamoSingleFlight",
    "Reservation",
    "bucket_spec",
]
