"""Sliding-window rate limits as the providers enforce them: at most N admitted requests in any 60 s window."""

from __future__ import annotations

import threading
from collections import defaultdict, deque

__all__ = ["SlidingWindowLimiter"]


class SlidingWindowLimiter:
    """A request at time t is admitted when fewer than `limit` requests were admitted in (t - window, t].

    Refused requests do not count (a client that keeps hammering is not locked out forever), which is the
    lenient reading of "3 requests per minute"; a client that never sees a 429 here cannot see one upstream.
    """

    def __init__(self, window_seconds: float = 60.0) -> None:
        self.window_seconds = window_seconds
        self._admitted: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def try_admit(self, key: str, limit: float, now: float) -> bool:
        with self._lock:
            admitted = self._admitted[key]
            while admitted and admitted[0] <= now - self.window_seconds:
                admitted.popleft()
            if len(admitted) >= limit:
                return False
            admitted.append(now)
            return True

    def retry_after(self, key: str, now: float) -> float:
        """Seconds until the oldest admitted request leaves the window."""
        with self._lock:
            admitted = self._admitted.get(key)
            return max(0.0, admitted[0] + self.window_seconds - now) if admitted else 0.0

    def reset(self) -> None:
        with self._lock:
            self._admitted.clear()
