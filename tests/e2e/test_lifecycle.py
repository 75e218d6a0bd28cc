"""`make up` lifecycle: a second local cloud starts, answers /health, and leaves no process behind when stopped."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from tests.support.cloud import RunningCloud, start_cloud, stop_cloud


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def test_start_serve_and_stop_without_strays(
    tmp_path: Path, cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", cloud.endpoint)  # restored for the session cloud after this test
    second = start_cloud(tmp_path / "second", providers="real")
    try:
        assert httpx.get(f"{second.api_url}/health").status_code == 200
        httpx.get(f"{second.api_url}/health/ready")
        deadline = time.time() + 10  # the state file lists worker pids on its next refresh (every 2 s)
        pids: list[int] = []
        while not pids and time.time() < deadline:
            time.sleep(0.5)
            pids = [pid for pids in second.function_pids().values() for pid in pids]
        children = [
            int(p) for p in Path(f"/proc/{second.process.pid}/task/{second.process.pid}/children").read_text().split()
        ]
        assert pids and children
    finally:
        stop_cloud(second)
    assert second.process.returncode == 0
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(pid) for pid in pids + children):
        time.sleep(0.2)
    assert not [pid for pid in pids + children if _alive(pid)]
