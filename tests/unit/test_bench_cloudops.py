"""Pointing chaos, load and bench at a running local cloud: finding it by its state file, reading its limits."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from scripts.bench.cloudops import LIFTED_PROVIDER_LIMITS, limits_lifted
from tests.support.cloud import RunningCloud, attach_cloud


def _cloud(environment: dict[str, str]) -> RunningCloud:
    state = {"functions": {"WorkerFunction": {"environment": environment}, "AuthFunction": {"environment": {}}}}
    return RunningCloud(process=None, state_file=Path("state.json"), log_file=None, started_at=time.perf_counter(),
                        state=state)


def test_limits_are_lifted_only_when_every_provider_bucket_is() -> None:
    assert limits_lifted(_cloud(dict(LIFTED_PROVIDER_LIMITS)))
    assert not limits_lifted(_cloud({"RATE_LIMIT_CNPJWS_PER_MIN": "3", "RATE_LIMIT_BRASILAPI_PER_MIN": "60"}))
    partly = dict(LIFTED_PROVIDER_LIMITS) | {"RATE_LIMIT_RECEITAWS_PER_MIN": "3"}
    assert not limits_lifted(_cloud(partly))
    assert not limits_lifted(_cloud({}))  # no provider settings at all: nothing says they are lifted


def test_attach_needs_the_state_of_the_cloud_serving_that_url(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="not found"):
        attach_cloud("http://127.0.0.1:9", tmp_path / "missing.json")
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"api_url": "http://127.0.0.1:3000", "endpoint": "http://127.0.0.1:4566"}))
    with pytest.raises(RuntimeError, match=re.escape("serves http://127.0.0.1:3000, not http://127.0.0.1:9")):
        attach_cloud("http://127.0.0.1:9", state)
    state.write_text(json.dumps({"api_url": "http://127.0.0.1:9", "endpoint": "http://127.0.0.1:4566"}))
    with pytest.raises(RuntimeError, match="does not answer 200"):
        attach_cloud("http://127.0.0.1:9/", state)  # nothing listens on port 9 (discard)


def test_every_registered_provider_is_lifted() -> None:
    from radar.lookup.registry import PROVIDERS

    assert set(LIFTED_PROVIDER_LIMITS) == {f"RATE_LIMIT_{entry.name.upper()}_PER_MIN" for entry in PROVIDERS}
    assert len(LIFTED_PROVIDER_LIMITS) == 6
