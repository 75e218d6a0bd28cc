"""Token buckets and quota counters, the way API Gateway applies stage and usage-plan limits."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["QuotaCounter", "TokenBucket", "period_bounds"]


@dataclass
class TokenBucket:
    """`burst` tokens at most, refilled at `rate` per second; one request takes one token."""

    rate: float
    burst: int
    tokens: float = field(init=False)
    updated: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.tokens = float(max(self.burst, 1))

    def take(self) -> bool:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(float(max(self.burst, 1)), self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False


def period_bounds(period: str, offset: int = 0, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the quota period containing `now`: DAY, WEEK (from Monday) or MONTH, plus offset days."""
    now = now or datetime.now(UTC)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "DAY":
        return day, day + timedelta(days=1)
    if period == "WEEK":
        start = day - timedelta(days=day.weekday()) + timedelta(days=offset)
        if start > now:
            start -= timedelta(days=7)
        return start, start + timedelta(days=7)
    start = day.replace(day=1) + timedelta(days=offset)
    if start > now:
        start = (start - timedelta(days=28)).replace(day=1) + timedelta(days=offset)
    following = (start.replace(day=1) + timedelta(days=32)).replace(day=1) + timedelta(days=offset)
    return start, following


@dataclass
class QuotaCounter:
    """Requests per (usage plan, key) within the current quota period."""

    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, plan_id: str, key_id: str, limit: int, period: str, offset: int = 0) -> tuple[bool, int, datetime]:
        start, end = period_bounds(period, offset)
        slot = (plan_id, key_id, start.isoformat())
        with self.lock:
            used = self.counts.get(slot, 0)
            if used >= limit:
                return False, used, end
            self.counts[slot] = used + 1
            return True, used + 1, end

    def used(self, plan_id: str, key_id: str, period: str, offset: int = 0) -> int:
        start, _ = period_bounds(period, offset)
        return self.counts.get((plan_id, key_id, start.isoformat()), 0)

    def save(self, path: Path) -> None:
        """Keep the counts of the current periods across a restart (API Gateway keeps a key's quota usage)."""
        from scripts.localcloud.emulator import write_private

        with self.lock:
            rows = [[plan, key, start, used] for (plan, key, start), used in self.counts.items()]
        write_private(path, json.dumps({"counts": rows}).encode())

    def load(self, path: Path) -> None:
        """Counts saved by `save`; periods that have ended are dropped as they are read."""
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))["counts"]
        except (OSError, ValueError, KeyError, TypeError):
            return
        oldest = datetime.now(UTC) - timedelta(days=32)
        with self.lock:
            for plan, key, start, used in rows:
                if datetime.fromisoformat(start) >= oldest:
                    self.counts[(str(plan), str(key), str(start))] = int(used)
