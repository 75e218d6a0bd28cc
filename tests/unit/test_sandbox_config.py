"""Sandbox settings: partial updates, validation, environment, and the sliding-window limiter's semantics."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scripts.sandbox.config import SandboxConfig
from scripts.sandbox.limits import ArrivalCounter, SlidingWindowLimiter


def test_defaults_are_the_real_public_limits_or_stated_conservative_ones() -> None:
    config = SandboxConfig()
    assert config.limits_per_min == {
        "cnpjws": 3.0,  # documented
        "brasilapi": 60.0,  # none documented
        "receitaws": 3.0,  # documented (community)
        "minhareceita": 30.0,  # "no limit": a conservative choice
        "opencnpj": 60.0,  # no fixed quota, sustained volume refused: conservative
        "cnpja": 5.0,  # documented
    }
    assert config.rate_limits is True and config.fault_rate == 0.0 and config.timeout_seconds == 10.0
    assert config.opencnpj_challenge_per_hour == 5000.0 and config.receitaws_wait_share == 0.5
    assert "404" not in config.faults  # a bare fault_rate never turns existing companies into missing ones


def test_partial_updates_merge_maps() -> None:
    config = SandboxConfig().updated({"fault_rate": 0.3, "limits_per_min": {"brasilapi": 10}})
    assert config.fault_rate == 0.3
    assert config.limits_per_min == {**SandboxConfig().limits_per_min, "brasilapi": 10.0}
    assert config.updated({"faults": "5xx,html,404"}).faults == ("5xx", "html", "404")
    merged = config.updated({"fault_rate_by_provider": {"minhareceita": 1}}).updated(
        {"fault_rate_by_provider": {"cnpja": 0.5}}
    )
    assert merged.fault_rate_by_provider == {"minhareceita": 1.0, "cnpja": 0.5}


def test_dump_dates_follow_as_of_unless_set() -> None:
    config = SandboxConfig().updated({"as_of": "2026-12-01"})
    assert config.dataset_date("minhareceita") == "2026-11-06"
    assert config.dataset_date("opencnpj") == "2026-11-15T00:54:12Z"
    pinned = config.updated({"dataset_dates": {"minhareceita": "2026-09-30"}})
    assert pinned.dataset_date("minhareceita") == "2026-09-30"
    assert pinned.to_dict()["dataset_dates"] == {"minhareceita": "2026-09-30", "opencnpj": "2026-11-15T00:54:12Z"}
    assert SandboxConfig().as_of == datetime.now(UTC).date().isoformat()


@pytest.mark.parametrize(
    "changes",
    [
        {"fault_rate": 1.5},
        {"faults": ["meteor"]},
        {"latency_ms": -1},
        {"rate_limits": "maybe"},
        {"nope": 1},
        {"time_scale": 0},
        {"time_scale": "fast"},
        {"limits_per_min": {"cnpj.ws": 3}},
        {"fault_rate_by_provider": {"minha-receita": 1}},
        {"receitaws_wait_share": 2},
        {"opencnpj_challenge_per_hour": 0},
        {"as_of": "yesterday"},
        {"dataset_dates": {"cnpjws": "2026-01-01"}},
        {"dataset_dates": {"opencnpj": "soon"}},
    ],
)
def test_bad_settings_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SandboxConfig().updated(changes)


def test_environment() -> None:
    config = SandboxConfig.from_env(
        {
            "RADAR_SANDBOX_LATENCY_MS": "25",
            "RADAR_SANDBOX_FAULT_RATE": "0.1",
            "RADAR_SANDBOX_RATE_LIMITS": "off",
            "RADAR_SANDBOX_LIMIT_BRASILAPI_PER_MIN": "30",
            "RADAR_SANDBOX_TIME_SCALE": "10",
            "RADAR_SANDBOX_LIMIT_MINHARECEITA_PER_MIN": "12",
            "RADAR_SANDBOX_RECEITAWS_WAIT_SHARE": "0",
            "RADAR_SANDBOX_OPENCNPJ_CHALLENGE_PER_HOUR": "100",
            "RADAR_SANDBOX_AS_OF": "2026-10-01",
        }
    )
    assert config.limits_per_min["minhareceita"] == 12.0 and config.receitaws_wait_share == 0.0
    assert config.opencnpj_challenge_per_hour == 100.0 and config.as_of == "2026-10-01"
    assert (config.latency_ms, config.fault_rate, config.rate_limits) == (25.0, 0.1, False)
    assert config.limits_per_min["brasilapi"] == 30.0
    assert config.time_scale == 10.0


def test_time_scale_shortens_the_window_and_every_modelled_time() -> None:
    assert SandboxConfig().window_seconds == 60.0 and SandboxConfig().time_scale == 1.0
    fast = SandboxConfig().updated({"time_scale": 10})
    assert fast.window_seconds == pytest.approx(6.0)
    assert fast.scaled(120.0) == pytest.approx(12.0)
    assert fast.to_dict()["window_seconds"] == pytest.approx(6.0)
    assert fast.limits_per_min == SandboxConfig().limits_per_min  # the same N, in a shorter window


def test_window_admits_n_per_sixty_seconds_sliding() -> None:
    limiter = SlidingWindowLimiter(60.0)
    assert [limiter.try_admit("k", 3, t) for t in (0.0, 10.0, 20.0, 30.0)] == [True, True, True, False]
    assert limiter.retry_after("k", 30.0) == pytest.approx(30.0)
    assert limiter.try_admit("k", 3, 59.9) is False
    assert limiter.try_admit("k", 3, 60.0) is True  # the request at t=0 has left (t - 60, t]
    assert limiter.try_admit("other", 3, 60.0) is True


def test_the_window_can_be_given_per_call() -> None:
    limiter = SlidingWindowLimiter(60.0)
    assert [limiter.try_admit("k", 3, t, window=6.0) for t in (0.0, 1.0, 2.0, 3.0)] == [True, True, True, False]
    assert limiter.retry_after("k", 3.0, window=6.0) == pytest.approx(3.0)
    assert limiter.try_admit("k", 3, 5.9, window=6.0) is False
    assert limiter.try_admit("k", 3, 6.0, window=6.0) is True


def test_arrivals_count_every_request_in_the_window() -> None:
    counter = ArrivalCounter()
    assert [counter.arrive("k", t, 10.0) for t in (0.0, 1.0, 2.0)] == [1, 2, 3]
    assert counter.arrive("k", 10.5, 10.0) == 3  # the one at t=0 has left (0.5, 10.5]
    assert counter.arrive("other", 10.5, 10.0) == 1


def test_refused_requests_do_not_extend_the_lockout() -> None:
    limiter = SlidingWindowLimiter(60.0)
    for t in (0.0, 1.0, 2.0):
        limiter.try_admit("k", 3, t)
    assert not any(limiter.try_admit("k", 3, t) for t in (10.0, 20.0, 59.0))
    assert limiter.try_admit("k", 3, 60.5) is True
