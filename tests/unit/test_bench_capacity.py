"""`provider_capacity_per_min` sums every registered provider's default limit, whatever the environment says."""

from __future__ import annotations

from typing import Any

import pytest

from radar.lookup.registry import PROVIDERS
from scripts.bench.capacity import provider_capacity_per_min, provider_limits_per_min


def test_capacity_is_the_sum_of_every_registered_providers_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_CNPJWS_PER_MIN", "1000")  # a deployment's override is not the default
    limits = provider_limits_per_min()
    assert set(limits) == {entry.name for entry in PROVIDERS}
    # 3 + 60 + 3 (the first three: 66) + minha-receita 30 + OpenCNPJ 60 + CNPJá 5
    assert limits == {"cnpjws": 3, "brasilapi": 60, "receitaws": 3, "minhareceita": 30, "opencnpj": 60, "cnpja": 5}
    assert provider_capacity_per_min() == 161.0


def test_unused_slot_time_is_the_slots_left_times_the_providers_interval() -> None:
    from scripts.bench.capacity import unused_slot_seconds

    assert unused_slot_seconds(used=375, allowed=534, per_window=60, window_seconds=60) == pytest.approx(159.0)
    assert unused_slot_seconds(used=24, allowed=27, per_window=3, window_seconds=60) == pytest.approx(60.0)
    assert unused_slot_seconds(used=30, allowed=27, per_window=3, window_seconds=60) == 0.0  # never negative


def test_the_timeline_counts_requests_per_step_from_cumulative_samples() -> None:
    from scripts.bench.capacity import timeline

    samples = [(0.0, 100), (10.0, 110), (29.0, 130), (31.0, 135), (61.0, 200), (65.0, 201)]
    # [0, 30): 30 requests; [30, 60): 5 (the sample at 61 s is after 60 s, so its requests count in the next step)
    assert timeline(samples, 30) == [30, 5, 66]
    assert timeline(samples[:1], 30) == []


def test_the_worker_log_summary_reads_invocations_waits_and_skips(tmp_path: Any) -> None:
    from scripts.bench.capacity import worker_log_summary

    (tmp_path / "stack-worker.log").write_text(
        "REPORT RequestId: a\tDuration: 1000.00 ms\tBilled Duration: 1001 ms\tMemory Size: 512 MB\n"
        "REPORT RequestId: b\tDuration: 3000.00 ms\tBilled Duration: 3001 ms\tMemory Size: 512 MB\n"
        '{"message": "no provider capacity yet; check comes back later", "delay_seconds": 4}\n'
        '{"message": "provider attempt", "provider": "cnpjws", "outcome": "rate_limited"}\n'
        '{"message": "provider attempt", "provider": "brasilapi", "outcome": "ok"}\n'
    )
    (tmp_path / "stack-checks.log").write_text("REPORT RequestId: c\tDuration: 9.00 ms\n")  # not the worker's
    summary = worker_log_summary(tmp_path)
    assert summary == {"invocations": 2, "mean_ms": 2000.0, "p90_ms": 1000.0, "capacity_waits": 1, "slot_skips": 1}
