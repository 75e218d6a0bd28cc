"""Pure workload helpers for chaos, load and bench: CNPJs, Zipf draws, latency tables, final-state accounting."""

from __future__ import annotations

import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from radar.cnpj import check_digits
from scripts.bench.common import percentile

__all__ = [
    "FINAL_STATES",
    "LatencyTable",
    "StateAccount",
    "account_states",
    "drain_limit_per_s",
    "route_template",
    "synthetic_cnpjs",
    "zipf_draws",
]

FINAL_STATES = ("succeeded", "failed")
_ID_SEGMENT = re.compile(r"^(tgt|chk|bat|key|usr)_[0-9a-z]+$")


def synthetic_cnpjs(count: int, *, seed: int) -> list[str]:
    """`count` distinct valid numeric CNPJs (headquarters branch 0001), reproducible for a seed."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        body = f"{rng.randrange(10**8):08d}0001"
        found[body + check_digits(body)] = None
    return list(found)


def zipf_draws(items: list[str], draws: int, *, exponent: float = 1.1, seed: int) -> list[str]:
    """`draws` picks from `items` with Zipf weights 1/rank^s; every item is drawn at least once (needs draws >= len)."""
    if draws < len(items):
        raise ValueError("draws must be at least the number of items so that every item appears")
    rng = random.Random(seed)
    weights = [1 / (rank**exponent) for rank in range(1, len(items) + 1)]
    picks = list(items) + rng.choices(items, weights=weights, k=draws - len(items))
    rng.shuffle(picks)
    return picks


def route_template(method: str, path: str) -> str:
    """`POST /targets/tgt_ab12/checks?async=true` -> `POST /targets/{id}/checks` (one latency row per route)."""
    bare = path.split("?", 1)[0]
    parts = ["{id}" if _ID_SEGMENT.match(part) else part for part in bare.split("/")]
    return f"{method.upper()} {'/'.join(parts)}"


@dataclass
class LatencyTable:
    """Latencies (ms) and status codes per route template."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, method: str, path: str, status: int, elapsed_ms: float) -> None:
        route = route_template(method, path)
        self.latencies[route].append(elapsed_ms)
        self.statuses[route][status] += 1

    def all_statuses(self) -> Counter[int]:
        total: Counter[int] = Counter()
        for counter in self.statuses.values():
            total.update(counter)
        return total

    def rows(self) -> list[tuple[str, int, float, float]]:
        """(route, requests, p50 ms, p99 ms), busiest route first."""
        return sorted(
            ((route, len(values), percentile(values, 50), percentile(values, 99))
             for route, values in self.latencies.items()),
            key=lambda row: -row[1],
        )


@dataclass(frozen=True)
class StateAccount:
    """Where every accepted check ended up, and whether the queue and DLQ agree with that."""

    by_status: dict[str, int]
    accepted: int
    missing: int  # accepted but no check item found
    queue_visible: int
    queue_in_flight: int
    dlq_messages: int
    dlq_unfailed: int  # DLQ messages whose check is not `failed` (a lost outcome)

    @property
    def final(self) -> int:
        return sum(self.by_status.get(state, 0) for state in FINAL_STATES)

    @property
    def lost(self) -> int:
        """Accepted checks nothing will finish: no item, a DLQ message whose check did not fail, or not final while
        both queues are empty (no message left that could move it). 0 in a sound run."""
        unfinished = self.accepted - self.final - self.missing
        stranded = unfinished if self.queue_visible == 0 and self.queue_in_flight == 0 else 0
        return self.missing + self.dlq_unfailed + stranded

    @property
    def consistent(self) -> bool:
        """Every accepted check final, none missing, queue empty, every DLQ message matches a failed check."""
        return (
            self.final == self.accepted
            and self.missing == 0
            and self.queue_visible == 0
            and self.queue_in_flight == 0
            and self.dlq_unfailed == 0
        )


def account_states(
    accepted_ids: Iterable[str],
    status_by_id: Mapping[str, str],
    *,
    queue_visible: int,
    queue_in_flight: int,
    dlq_check_ids: Iterable[str],
) -> StateAccount:
    accepted = list(dict.fromkeys(accepted_ids))
    by_status: Counter[str] = Counter()
    missing = 0
    for check_id in accepted:
        status = status_by_id.get(check_id)
        if status is None:
            missing += 1
        else:
            by_status[status] += 1
    dlq_ids = list(dlq_check_ids)
    dlq_unfailed = sum(1 for check_id in dlq_ids if status_by_id.get(check_id) != "failed")
    return StateAccount(
        by_status=dict(by_status),
        accepted=len(accepted),
        missing=missing,
        queue_visible=queue_visible,
        queue_in_flight=queue_in_flight,
        dlq_messages=len(dlq_ids),
        dlq_unfailed=dlq_unfailed,
    )


def drain_limit_per_s(
    *, concurrency: int, batch_size: int, seconds_per_check: float, record_concurrency: int = 1
) -> float:
    """Upper bound on async checks/s: `concurrency` batches at once, each running its records `record_concurrency`
    at a time (the worker's WORKER_RECORD_CONCURRENCY threads).

    A batch of b records takes at least ceil(b / min(b, r)) * seconds_per_check, so the limit is
    concurrency * b / (ceil(b / r) * seconds_per_check); with r = 1 (records one after another) that is
    concurrency / seconds_per_check.
    """
    if concurrency <= 0 or batch_size <= 0 or seconds_per_check <= 0 or record_concurrency <= 0:
        raise ValueError("concurrency, batch_size, seconds_per_check and record_concurrency must be positive")
    rounds = math.ceil(batch_size / min(batch_size, record_concurrency))
    return concurrency * batch_size / (rounds * seconds_per_check)
