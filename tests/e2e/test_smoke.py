"""The post-deploy smoke check (scripts/smoke.py) passes against the local cloud, and fails against an API that
answers wrongly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.smoke import run
from tests.support.cloud import RunningCloud, Tenant

REPO = Path(__file__).resolve().parents[2]


def test_smoke_passes_against_the_running_cloud(cloud: RunningCloud, tenant: Tenant) -> None:
    done = subprocess.run([sys.executable, "-m", "scripts.smoke", "--api-url", cloud.api_url, "--api-key",
                           tenant.api_key], cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok ") == 5


def test_smoke_fails_on_a_wrong_answer(cloud: RunningCloud) -> None:
    # The sandbox is an HTTP server that is not this API: every check must fail.
    results = run(cloud.sandbox_url, "not-a-key", timeout=10)
    assert all(results.values()), results
