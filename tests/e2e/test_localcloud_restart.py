"""The local cloud never surprises: what a user made survives a restart; a taken port is an error naming it."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from scripts.bench.common import child_pids
from tests.support.cloud import RunningCloud, start_cloud, stop_cloud

REPO = Path(__file__).resolve().parents[2]
CNPJS = ("11.222.333/0001-81", "19131243000197")


def test_a_restart_keeps_the_tenant_its_targets_and_a_working_api_key(
    tmp_path: Path, cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", cloud.endpoint)  # the session cloud's again after this test
    first = start_cloud(tmp_path, persist=True)
    try:
        tenant = first.signup(plan_roles=("admin",))
        with tenant.client() as api:
            created = sorted(api.post("/targets", json={"cnpj": cnpj, "label": "kept"}).json()["id"] for cnpj in CNPJS)
        assert stat.S_IMODE(first.state_file.stat().st_mode) == 0o600
    finally:
        stop_cloud(first, timeout=150)
    assert first.process.returncode == 0, first.log_file.read_text()[-3000:]
    saved = tmp_path / "emulator-state.pickle"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600

    second = start_cloud(tmp_path, persist=True)
    try:
        assert second.state["restored"]["restored"] is True, second.state["restored"]
        with tenant.client() as api:  # the API key made before the restart: still the tenant's, same plan
            api.base_url = httpx.URL(second.api_url)
            listed = api.get("/targets")
            assert listed.status_code == 200, listed.text
            assert sorted(t["id"] for t in listed.json()["items"]) == created
            assert api.get("/usage").status_code == 200
        old_bearer = httpx.get(f"{second.api_url}/tenant", headers=tenant.bearer(), timeout=30)
        assert old_bearer.status_code == 200, old_bearer.text  # tokens signed before: the signing key was kept
        login = httpx.post(f"{second.api_url}/auth/login", json={"email": tenant.email, "password": tenant.password},
                           timeout=30)
        assert login.status_code == 200, login.text
        assert "restored from the last run" in second.log_file.read_text()
    finally:
        stop_cloud(second, timeout=150)


def test_a_taken_moto_port_fails_make_up_naming_it(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
        env |= {"RADAR_MOTO_PORT": str(port), "RADAR_PORT": "0", "RADAR_OPS_PORT": "0", "RADAR_SEED": "0",
                "RADAR_STATE_FILE": str(tmp_path / "state.json")}
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "scripts.localcloud", "up"], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"port {port} (RADAR_MOTO_PORT) is already in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 60  # checked before the synth and the emulator, not after
    assert not (tmp_path / "state.json").exists()  # nothing started, nothing to clean up


def test_repeated_ctrl_c_stops_in_order_without_a_traceback(
    tmp_path: Path, cloud: RunningCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C reaches the whole process group (the emulator and the workers too); pressed twice, the cloud still
    stops in order: logs flushed into a live emulator, the emulator last, nobody printing a traceback."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", cloud.endpoint)
    running = start_cloud(tmp_path, persist=True, own_session=True)
    assert running.process is not None and running.log_file is not None
    try:
        assert httpx.get(f"{running.api_url}/health", timeout=30).status_code == 200  # a worker is up
        children = child_pids(running.process.pid)
        assert len(children) >= 2  # the emulator and at least one function worker
        group = os.getpgid(running.process.pid)
        stopping = time.monotonic()
        os.killpg(group, signal.SIGINT)
        time.sleep(0.3)
        os.killpg(group, signal.SIGINT)
        assert running.process.wait(timeout=150) == 0
        assert time.monotonic() - stopping < 60  # not held up by anything waiting for a timeout
    finally:
        stop_cloud(running)
    output = running.log_file.read_text()
    assert "Traceback" not in output, output[-3000:]
    assert "still stopping" in output and output.rstrip().endswith("local cloud stopped")
    emulator_log = (tmp_path / "logs" / "emulator.log").read_text()
    assert "state saved" in emulator_log  # the emulator outlived the Ctrl-C and saved on its way out
    time.sleep(0.5)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()
                and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
