"""Login backoff as data: a failure score that decays with time, and the lock it earns (per account, per source IP)."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["LockoutPolicy", "decayed_score"]

_TOLERANCE = 0.4


@dataclass(frozen=True)
class LockoutPolicy:
    """A failure adds 1 to a score that halves every `half_life_seconds`; from `lock_after` on, the account (or, from
    `ip_lock_after`, the source IP) is locked for `base_lock_seconds`, doubling per further point up to
    `max_lock_seconds`. Refusals while locked do not count. With a 10-minute half-life, one wrong password every 15
    minutes holds the score near 1.5: it never locks, and no slow trickle keeps an account locked for good."""

    lock_after: int = 5
    ip_lock_after: int = 20
    half_life_seconds: float = 600.0
    base_lock_seconds: int = 30
    max_lock_seconds: int = 900

    def lock_seconds(self, score: float, threshold: int) -> int:
        """How long a score locks for (0: not locked). `threshold` failures within a few minutes count as that many
        (they decay a little meanwhile: 5 failures over two minutes score about 4.7)."""
        points = score - threshold + _TOLERANCE
        if points < 0:
            return 0
        return int(min(self.base_lock_seconds * 2 ** math.floor(points), self.max_lock_seconds))


def decayed_score(score: float | None, at: float | None, now: float, half_life_seconds: float) -> float:
    """The score `score` recorded at `at`, as it stands at `now`."""
    if not score or at is None:
        return 0.0
    return float(score) * 0.5 ** (max(0.0, now - float(at)) / half_life_seconds)
