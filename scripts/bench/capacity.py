"""`provider_capacity_per_min`: the lookups a minute the providers admit together, the sum of every registered
provider's configured default limit (radar.lookup.registry, the RATE_LIMIT_<NAME>_PER_MIN defaults)."""

from __future__ import annotations

from pathlib import Path

from radar.lookup.settings import LookupSettings

__all__ = [
    "provider_capacity_per_min",
    "provider_limits_per_min",
    "timeline",
    "unused_slot_seconds",
    "worker_log_summary",
]


def provider_limits_per_min() -> dict[str, float]:
    """Each registered provider's default limit, as LookupSettings gives it with no override in the environment."""
    return dict(LookupSettings.from_environ({"CACHE_TABLE": "bench"}).rate_limits_per_minute)


def provider_capacity_per_min() -> float:
    return float(sum(provider_limits_per_min().values()))


def unused_slot_seconds(used: int, allowed: float, per_window: float, window_seconds: float) -> float:
    """Seconds of a provider's schedule that passed with no request in them: its unused slots times its interval."""
    return max(0.0, allowed - used) * window_seconds / per_window


def timeline(samples: list[tuple[float, int]], step: float) -> list[int]:
    """Requests in each `step` seconds from the first sample, from (seconds, cumulative requests) samples (the last
    partial step included)."""
    if len(samples) < 2:
        return []
    start, base = samples[0]
    counts: list[int] = []
    edge, last = start + step, base
    for at, total in samples[1:]:
        while at > edge:
            counts.append(last - base)
            base, edge = last, edge + step
        last = total
    counts.append(last - base)
    return counts


def worker_log_summary(log_dir: Path) -> dict[str, float]:
    """What the worker's own log says about a run: invocations and their mean/p90 duration, record outcomes of
    note (capacity waits: deferred with a delayed message; providers skipped for lack of a slot)."""
    durations: list[float] = []
    waits = skips = 0
    for path in log_dir.glob("*worker*.log"):
        with path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.startswith("REPORT RequestId:"):
                    durations.append(float(line.split("Duration: ", 1)[1].split(" ms", 1)[0]))
                elif "no provider capacity yet" in line:
                    waits += 1
                elif '"rate_limited"' in line and "provider attempt" in line:
                    skips += 1
    durations.sort()
    return {
        "invocations": len(durations),
        "mean_ms": sum(durations) / len(durations) if durations else 0.0,
        "p90_ms": durations[int(0.9 * (len(durations) - 1))] if durations else 0.0,
        "capacity_waits": waits,
        "slot_skips": skips,
    }
