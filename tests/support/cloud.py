"""Run the real local cloud (`python -m scripts.localcloud up`) as a child process for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.aws import free_port

__all__ = ["RunningCloud", "Tenant", "attach_cloud", "signup", "start_cloud", "stop_cloud"]

REPO = Path(__file__).resolve().parents[2]
JSON = {"Content-Type": "application/json"}
# The state file of each local cloud this process started or attached to, by API URL (operator actions need it).
_STATE_FILES: dict[str, Path] = {}


@dataclass
class Tenant:
    """A tenant signed up over HTTP, with its admin's tokens and an admin API key."""

    tenant_id: str
    email: str
    password: str
    access_token: str
    refresh_token: str
    api_key: str
    api_url: str
    keys: dict[str, str] = field(default_factory=dict)  # role -> API key
    state_file: Path | None = None  # the local cloud's (operator actions); None: RADAR_STATE_FILE or .local/state.json

    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    def key(self, role: str = "admin") -> dict[str, str]:
        return {"x-api-key": self.keys.get(role, self.api_key)}

    def client(self, *, role: str = "admin", bearer: bool = False, timeout: float = 30.0) -> httpx.Client:
        headers = self.bearer() if bearer else self.key(role)
        return httpx.Client(base_url=self.api_url, headers=headers | JSON, timeout=timeout)

    def upgrade(self, plan: str, *, settle_s: float = 1.5) -> None:
        """Put the tenant on `plan` as an operator does (scripts/grant_plan.py, AWS credentials on the local cloud's
        emulator: a tenant cannot upgrade itself without paying), then wait `settle_s` for the gateway to apply the
        new usage plan (the local gateway re-reads usage plans every second)."""
        from scripts.grant_plan import grant_plan

        result = grant_plan(self.tenant_id, plan, "test setup", state_file=self.state_file)
        assert result["plan"] == plan, result
        time.sleep(settle_s)


@dataclass
class RunningCloud:
    process: subprocess.Popen[bytes] | None  # None: a cloud someone else started (attach_cloud), left running
    state_file: Path
    log_file: Path | None
    started_at: float
    first_health_s: float = 0.0
    state: dict[str, Any] = field(default_factory=dict)
    saved_env: dict[str, str | None] | None = None  # the SDK environment before start_cloud pointed it here

    @property
    def api_url(self) -> str:
        return str(self.state["api_url"])

    @property
    def sandbox_url(self) -> str:
        return str(self.state["sandbox_url"])

    @property
    def billing_url(self) -> str:
        return str(self.state["billing_url"])

    @property
    def endpoint(self) -> str:
        return str(self.state["endpoint"])

    def refresh_state(self) -> dict[str, Any]:
        self.state = json.loads(self.state_file.read_text())
        return self.state

    def resource(self, logical_prefix: str) -> dict[str, Any]:
        """The resource with this logical id, or the one whose id starts with it (CDK adds a hash to nested ids)."""
        if logical_prefix in self.state["resources"]:
            return dict(self.state["resources"][logical_prefix])
        matches = [v for k, v in self.state["resources"].items() if k.startswith(logical_prefix)]
        assert len(matches) == 1, f"{logical_prefix}: {len(matches)} matches"
        return dict(matches[0])

    def function_pids(self) -> dict[str, list[int]]:
        return {lid: f["worker_pids"] for lid, f in self.refresh_state()["functions"].items()}

    def sandbox(self, **config: Any) -> dict[str, Any]:
        """Reconfigure the provider sandbox (latency, faults, limits); returns its config."""
        response = httpx.post(f"{self.sandbox_url}/_sandbox/config", json=config, timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def sandbox_stats(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.sandbox_url}/_sandbox/stats", timeout=10).json())

    def signup(self, *, plan_roles: tuple[str, ...] = ("admin", "analyst", "viewer")) -> Tenant:
        return signup(self.api_url, plan_roles=plan_roles)


def signup(api_url: str, *, plan_roles: tuple[str, ...] = ("admin", "analyst", "viewer")) -> Tenant:
    """A new tenant on the free plan, signed up over HTTP, with one API key per role in `plan_roles`."""
    suffix = uuid.uuid4().hex[:10]
    email, password = f"owner-{suffix}@example.com", f"Correct-Horse-{suffix}!"
    with httpx.Client(base_url=api_url, timeout=30) as http:
        response = http.post(
            "/auth/signup", json={"tenant_name": f"Tenant {suffix}", "email": email, "password": password}
        )
        assert response.status_code == 201, response.text
        body = response.json()
        tokens = body["tokens"]
        keys: dict[str, str] = {}
        for role in plan_roles:
            created = http.post(
                "/api-keys",
                json={"name": f"{role}-key", "role": role},
                headers={"Authorization": f"Bearer {tokens['access_token']}"},
            )
            assert created.status_code == 201, created.text
            keys[role] = created.json()["key"]
    return Tenant(
        tenant_id=body["tenant"]["tenant_id"],
        email=email,
        password=password,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        api_key=keys.get("admin", ""),
        api_url=api_url,
        keys=keys,
        state_file=_STATE_FILES.get(api_url.rstrip("/")),
    )


def start_cloud(
    directory: Path,
    *,
    providers: str = "sandbox",
    extra_env: dict[str, str] | None = None,
    timeout: float = 240.0,
    persist: bool = False,
    own_session: bool = False,
) -> RunningCloud:
    """`python -m scripts.localcloud up` on free ports, its state file (and logs) in `directory`. A throwaway cloud
    keeps nothing unless `persist`: then a second start on the same directory finds what the first one left.
    `own_session` puts it in a process group of its own, as a terminal would (so a test can send the group Ctrl-C)."""
    directory.mkdir(parents=True, exist_ok=True)
    state_file = directory / "state.json"
    log_file = directory / "localcloud.log"
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env.update(
        {
            "RADAR_PORT": str(free_port()),
            "RADAR_OPS_PORT": str(free_port()),
            "RADAR_MOTO_PORT": str(free_port()),
            "RADAR_SANDBOX_PORT": str(free_port()),
            "RADAR_CONSOLE_PORT": str(free_port()),
            "RADAR_BILLING_SANDBOX_PORT": str(free_port()),
            "RADAR_PROVIDERS": providers,
            "RADAR_SEED": "0",
            "RADAR_PERSIST": "1" if persist else "0",
            "RADAR_STATE_FILE": str(state_file),
            **(extra_env or {}),
        }
    )
    started = time.perf_counter()
    with open(log_file, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "scripts.localcloud", "up"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=own_session,
        )
    cloud = RunningCloud(process=process, state_file=state_file, log_file=log_file, started_at=started)
    deadline = time.time() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"local cloud exited early:\n{log_file.read_text()[-4000:]}")
        if state_file.exists():
            cloud.refresh_state()
            try:
                if httpx.get(f"{cloud.api_url}/health", timeout=10).status_code == 200:
                    cloud.first_health_s = time.perf_counter() - started
                    break
            except httpx.HTTPError:
                pass
        if time.time() > deadline:
            process.kill()
            raise RuntimeError(f"local cloud not ready in {timeout} s:\n{log_file.read_text()[-4000:]}")
        time.sleep(0.2)
    cloud.saved_env = {name: os.environ.get(name) for name in _EMULATOR_ENV}
    _point_at_emulator(cloud.endpoint)
    _STATE_FILES[cloud.api_url.rstrip("/")] = state_file
    return cloud


_EMULATOR_ENV = ("AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def _point_at_emulator(endpoint: str) -> None:
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
    )


def attach_cloud(api_url: str, state_file: Path | None = None) -> RunningCloud:
    """The running local cloud (`make up`) that serves `api_url`, from its state file (RADAR_STATE_FILE, default
    .local/state.json): its emulator, sandbox, resources and workers, for commands that look beyond the API."""
    state_file = state_file or Path(os.environ.get("RADAR_STATE_FILE", str(REPO / ".local" / "state.json")))
    if not state_file.exists():
        raise RuntimeError(f"{state_file} not found: is the local cloud at {api_url} running? (make up, or --state)")
    state = json.loads(state_file.read_text(encoding="utf-8"))
    if str(state.get("api_url", "")).rstrip("/") != api_url.rstrip("/"):
        raise RuntimeError(f"the local cloud of {state_file} serves {state.get('api_url')}, not {api_url} "
                           "(give its state file with --state)")
    try:
        healthy = httpx.get(f"{api_url.rstrip('/')}/health", timeout=10).status_code == 200
    except httpx.HTTPError:
        healthy = False
    if not healthy:
        raise RuntimeError(f"{api_url}/health does not answer 200: is the local cloud running?")
    _point_at_emulator(str(state["endpoint"]))
    _STATE_FILES[api_url.rstrip("/")] = state_file
    return RunningCloud(process=None, state_file=state_file, log_file=None, started_at=time.perf_counter(),
                        state=state)


@contextmanager
def running_cloud(directory: Path, **start: Any) -> Iterator[RunningCloud]:
    """A private local cloud (`start_cloud(directory, **start)`) for the block, stopped after it, with this process's
    SDK environment put back (a module's own cloud, a bench stage)."""
    cloud = start_cloud(directory, **start)
    try:
        yield cloud
    finally:
        stop_cloud(cloud)


def stop_cloud(cloud: RunningCloud, timeout: float = 30.0) -> None:
    """Stop a cloud this process started (an attached one is left running), and point this process's SDK back where
    it pointed before the cloud started: a module's private cloud must not leave the session's tests on a dead one."""
    for name, value in (cloud.saved_env or {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    if cloud.process is not None and cloud.process.poll() is None:
        cloud.process.send_signal(signal.SIGINT)
        try:
            cloud.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            cloud.process.kill()
            cloud.process.wait()
