"""Sliding-window rate limits as the providers enforce them: at most N admitted requests in any window (60 s at
real time, 60 s / time_scale in an accelerated sandbox), and a counter of every arrival for volume rules."""

from __future__ import annotations

import threading
from collections import defaultdict, deque

__all__ = ["ArrivalCounter", "SlidingWindowLimiter"]


def _expire(stamps: deque[float], now: float, window: float) -> None:
    while stamps and stamps[0] <= now - window:
        stamps.popleft()


class SlidingWindowLimiter:
    """A request at time t is admitted when fewer than `limit` requests were admitted in (t - window, t].

    Refused requests do not count (a client that keeps hammering is not locked out forever), which is the
    lenient reading of "3 requests per minute"; a client that never sees a 429 here cannot see one upstream.
    `window` defaults to the limiter's own; the sandbox passes the time-scaled one so a change of scale applies at
    once.
    """

    def __init__(self, window_seconds: float = 60.0) -> None:
        self.window_seconds = window_seconds
        self._admitted: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def try_admit(self, key: str, limit: float, now: float, window: float | None = None) -> bool:
        with self._lock:
            admitted = self._admitted[key]
            _expire(admitted, now, self.window_seconds if window is None else window)
            if len(admitted) >= limit:
                return False
            admitted.append(now)
            return True

    def retry_after(self, key: str, now: float, window: float | None = None) -> float:
        """Seconds until the oldest admitted request leaves the window."""
        span = self.window_seconds if window is None else window
        with self._lock:
            admitted = self._admitted.get(key)
            return max(0.0, admitted[0] + span - now) if admitted else 0.0

    def admitted_ages(self, key: str, now: float, window: float | None = None) -> list[float]:
        """Seconds since each request admitted in (now - window, now], oldest first: the window a refusal met."""
        span = self.window_seconds if window is None else window
        with self._lock:
            return [round(now - stamp, 3) for stamp in self._admitted.get(key, ()) if stamp > now - span]

    def reset(self) -> None:
        with self._lock:
            self._admitted.clear()


class ArrivalCounter:
    """Every request counts, refused or not: what a volume rule (a Cloudflare challenge for "sustained high volume")
    sees. `arrive` records one request and returns how many arrived in (now - window, now]."""

    def __init__(self) -> None:
        self._arrivals: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def arrive(self, key: str, now: float, window: float) -> int:
        with self._lock:
            arrivals = self._arrivals[key]
            _expire(arrivals, now, window)
            arrivals.append(now)
            return len(arrivals)

    def reset(self) -> None:
        with self._lock:
            self._arrivals.clear()
