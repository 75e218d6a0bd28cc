"""Start and stop the whole local cloud: emulator, resources from the template, functions, pollers, gateway,
and the local services alongside (services.py)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.localcloud.apispec import load_api_spec
from scripts.localcloud.aws import emulator_env
from scripts.localcloud.emulator import EXIT_PORT_TAKEN, write_private
from scripts.localcloud.esm import SqsPoller, mapping_concurrency, mapping_specs
from scripts.localcloud.gateway import Gateway, GatewayServer, Request, Response
from scripts.localcloud.logs import LogSink
from scripts.localcloud.ports import PortTaken, any_free_port, check_port
from scripts.localcloud.provision import Provisioned, provision
from scripts.localcloud.runtime import FunctionRuntime, function_specs
from scripts.localcloud.schedules import CONTROL_PATH as SCHEDULES_PATH
from scripts.localcloud.schedules import Scheduler, schedule_specs
from scripts.localcloud.services import SANDBOX_ENV, SERVICES, LocalService, RunningService
from scripts.localcloud.synth import synth
from scripts.localcloud.template import Template

__all__ = ["SANDBOX_ENV", "CloudConfig", "LocalCloud"]

REPO = Path(__file__).resolve().parents[2]


def _env(name: str, default: str) -> Callable[[], str]:
    return lambda: os.environ.get(name, default)


def _env_int(name: str, default: int) -> Callable[[], int]:
    return lambda: int(os.environ.get(name, str(default)))


def _env_float(name: str, default: float) -> Callable[[], float]:
    return lambda: float(os.environ.get(name, str(default)))


@dataclass
class CloudConfig:
    """Every setting of the local cloud; each default is read from its environment variable when the config is made."""

    port: int = field(default_factory=_env_int("RADAR_PORT", 3000))  # 0 = any free port, for every port setting
    moto_port: int = field(default_factory=_env_int("RADAR_MOTO_PORT", 4566))
    # Ports of the local services (services.py) by key, over their own settings (RADAR_OPS_PORT, RADAR_SANDBOX_PORT).
    service_ports: dict[str, int] = field(default_factory=dict)
    providers: str = field(default_factory=_env("RADAR_PROVIDERS", "real"))
    # `sandbox`: the billing sandbox stands in for Stripe (services.py); anything else: Stripe's own API.
    billing: str = field(default_factory=_env("RADAR_BILLING", "sandbox"))
    endpoint: str | None = field(default_factory=lambda: os.environ.get("AWS_ENDPOINT_URL"))
    state_file: Path = field(
        default_factory=lambda: Path(os.environ.get("RADAR_STATE_FILE", str(REPO / ".local" / "state.json")))
    )
    out_dir: Path = field(default_factory=lambda: Path(os.environ.get("RADAR_CDK_OUT", str(REPO / "cdk.out"))))
    seed: bool = field(default_factory=lambda: os.environ.get("RADAR_SEED", "1") != "0")
    # The tenant console (services.py): built when its sources changed, served with /v1/* forwarded to the gateway.
    console: bool = field(default_factory=lambda: os.environ.get("RADAR_CONSOLE", "1") != "0")
    # Keep the emulator's state (tables, secrets, API keys, usage plans, queues) across restarts, under the state
    # file's folder. Only for the cloud's own emulator; `make clean` forgets it.
    persist: bool = field(default_factory=lambda: os.environ.get("RADAR_PERSIST", "1") != "0")
    template: Path | None = None  # run this template instead of synthesizing the CDK app (tests)
    # Extra function environment, like deploy-time parameters (e.g. provider rate limits for a load test).
    env_overrides: dict[str, str] = field(
        default_factory=lambda: json.loads(os.environ.get("RADAR_FUNCTION_ENV", "{}"))
    )
    # AWS's weaker guarantees, on demand (moto hides them): the share of SQS messages delivered twice, and how long
    # a write takes to reach the DynamoDB global secondary indexes.
    sqs_duplicate_rate: float = field(default_factory=_env_float("RADAR_SQS_DUPLICATE_RATE", 0.0))
    gsi_lag_ms: float = field(default_factory=_env_float("RADAR_GSI_LAG_MS", 0.0))

    def __post_init__(self) -> None:
        if not 0.0 <= self.sqs_duplicate_rate <= 1.0:
            raise ValueError(f"RADAR_SQS_DUPLICATE_RATE must be between 0 and 1, got {self.sqs_duplicate_rate}")
        if self.gsi_lag_ms < 0:
            raise ValueError(f"RADAR_GSI_LAG_MS cannot be negative, got {self.gsi_lag_ms}")

    def weaker_guarantees(self) -> dict[str, float]:
        """The AWS behaviours injected into this cloud (empty when it is as consistent as moto)."""
        found: dict[str, float] = {}
        if self.sqs_duplicate_rate:
            found["sqs_duplicate_rate"] = self.sqs_duplicate_rate
        if self.gsi_lag_ms:
            found["gsi_lag_ms"] = self.gsi_lag_ms
        return found


class LocalCloud:
    def __init__(self, config: CloudConfig | None = None) -> None:
        self.config = config or CloudConfig()
        self.moto: subprocess.Popen[bytes] | None = None
        self.endpoint = ""
        self.template: Template | None = None
        self.provisioned: Provisioned | None = None
        self.runtimes: dict[str, FunctionRuntime] = {}
        self.pollers: list[SqsPoller] = []
        self.scheduler: Scheduler | None = None
        self.gateway: Gateway | None = None
        self.server: GatewayServer | None = None
        self.services: dict[str, RunningService] = {}
        self.planned_urls: dict[str, str] = {}  # services started after the functions: their URL, known before
        self.log_sink: LogSink | None = None
        self.timings: dict[str, float] = {}
        self.seed: dict[str, Any] | None = None
        self.synth_ran = False
        self.restored: dict[str, Any] = {"restored": False, "reason": "not started"}
        self.stopped = threading.Event()
        self.extra_routes: dict[str, Callable[[Request], Response]] = {}

    # -- where things live ------------------------------------------------------------------------------------
    @property
    def state_dir(self) -> Path:
        """The folder of the state file: logs, the saved emulator state and the gateway's quota counts."""
        return self.config.state_file.parent

    @property
    def emulator_state_file(self) -> Path:
        return self.state_dir / "emulator-state.pickle"

    @property
    def quota_file(self) -> Path:
        return self.state_dir / "gateway-quotas.json"

    @property
    def keeps_state(self) -> bool:
        return self.config.persist and not self.config.endpoint

    def enabled_services(self) -> list[LocalService]:
        return [service for service in SERVICES if service.enabled(self.config)]

    # -- lifecycle ------------------------------------------------------------------------------------------
    def start(self) -> LocalCloud:
        started = time.perf_counter()
        self.check_ports()  # before the slow parts: a taken port fails at once, naming its setting
        if self.config.template is not None:
            template_path = self.config.template
        else:
            template_path, self.synth_ran = synth(self.config.out_dir)
        self.timings["synth_s"] = time.perf_counter() - started
        self._start_emulator()
        self.timings["emulator_s"] = time.perf_counter() - started
        self.template = Template.load(template_path)
        self.provisioned = provision(self.template)
        self.timings["provision_s"] = time.perf_counter() - started
        self._start_services(after_gateway=False)
        self._plan_late_services()
        self._start_functions()
        self._start_gateway()
        for service in self.enabled_services():
            if service.gateway_ready is not None and service.key in self.services:
                service.gateway_ready(self, self.services[service.key])
        self._start_services(after_gateway=True)
        self.timings["ready_s"] = time.perf_counter() - started
        self.write_state()
        return self

    def check_ports(self) -> None:
        """Every port this cloud will listen on is free (or 0), and no two settings name the same one."""
        wanted: list[tuple[int, str]] = [(self.config.port, "RADAR_PORT")]
        if not self.config.endpoint:
            wanted.append((self.config.moto_port, "RADAR_MOTO_PORT"))
        wanted += [(service.port(self.config), service.port_setting) for service in self.enabled_services()]
        seen: dict[int, str] = {}
        for port, setting in wanted:
            if port and port in seen:
                raise PortTaken(port, f"{setting}, the same port as {seen[port]}")
            seen[port] = setting
            check_port(port, setting)

    def _start_emulator(self) -> None:
        if self.config.endpoint:
            self.endpoint = self.config.endpoint
            self.restored = {"restored": False, "reason": f"an outside emulator ({self.endpoint}) keeps its own"}
            if self.config.gsi_lag_ms:
                print(f"note: RADAR_GSI_LAG_MS applies to the local cloud's own emulator, not to {self.endpoint}",
                      file=sys.stderr, flush=True)
            os.environ.update(emulator_env(self.endpoint))
            return
        port = self.config.moto_port or any_free_port()
        report = self.state_dir / "emulator-restore.json"
        command = [sys.executable, "-m", "scripts.localcloud.emulator", "--port", str(port),
                   "--gsi-lag-ms", str(self.config.gsi_lag_ms), "--report", str(report)]
        if self.keeps_state:
            command += ["--state", str(self.emulator_state_file)]
        logs_dir = self.state_dir / "logs"
        logs_dir.mkdir(parents=True, exist_ok=True)
        with open(logs_dir / "emulator.log", "ab") as log:
            self.moto = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        self.endpoint = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1)
                break
            except OSError:
                code = self.moto.poll()
                if code == EXIT_PORT_TAKEN:
                    raise PortTaken(port, "RADAR_MOTO_PORT") from None
                if time.time() > deadline or code is not None:
                    raise RuntimeError(f"the emulator did not start (see {logs_dir / 'emulator.log'})") from None
                time.sleep(0.05)
        with contextlib.suppress(OSError, ValueError):
            self.restored = json.loads(report.read_text(encoding="utf-8"))
        os.environ.update(emulator_env(self.endpoint))

    def _start_services(self, *, after_gateway: bool) -> None:
        for service in self.enabled_services():
            if service.after_gateway == after_gateway:
                self.services[service.key] = service.start(self, service.port(self.config))

    def _plan_late_services(self) -> None:
        """The URL of each service that starts after the gateway but tells the functions something (the console:
        where Stripe sends the customer back): its port is fixed now, a free one when its setting is 0."""
        for service in self.enabled_services():
            if service.after_gateway and service.function_env is not None:
                port = service.port(self.config) or any_free_port()
                self.config.service_ports[service.key] = port
                self.planned_urls[service.key] = f"http://127.0.0.1:{port}"

    def _function_env_overrides(self, env: dict[str, str]) -> dict[str, str]:
        overrides = dict(self.config.env_overrides)
        for service in self.enabled_services():
            running = self.services.get(service.key)
            url = self.planned_urls.get(service.key) if service.after_gateway else running and running.url
            if url and service.function_env is not None:
                # An explicit override (RADAR_FUNCTION_ENV) wins over what a service suggests.
                suggested = service.function_env(url, env)
                overrides.update({k: v for k, v in suggested.items() if k not in self.config.env_overrides})
        return overrides

    def _start_functions(self) -> None:
        assert self.template is not None
        specs = function_specs(self.template)
        logs_dir = self.state_dir / "logs"  # beside the state file: one folder per local cloud
        self.log_sink = LogSink({s.name: s.log_group for s in specs.values()}, logs_dir)
        if self.provisioned is not None:
            self.log_sink.add_metric_filters(self.provisioned.metric_filters)
        base_env = emulator_env(self.endpoint) | {"AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000"}
        mappings = mapping_specs(self.template)
        # Every lane of a function gets the pollers its MaximumConcurrency asks for: the lanes must not share the
        # few warm workers of the local default (the worker's two lanes would then cap each other).
        lanes = mapping_concurrency(mappings, duplicate_rate=self.config.sqs_duplicate_rate)
        for logical_id, spec in specs.items():
            spec.environment.update(self._function_env_overrides(spec.environment))
            if not spec.reserved:
                spec.concurrency = max(spec.concurrency, lanes.get(logical_id, 0))
            self.runtimes[logical_id] = FunctionRuntime(spec, base_env, self.log_sink)
        for mapping in mappings:
            runtime = self.runtimes.get(mapping.function_logical_id)
            if runtime is not None and mapping.queue_url:
                poller = SqsPoller(mapping, runtime, duplicate_rate=self.config.sqs_duplicate_rate)
                poller.start()
                self.pollers.append(poller)
        # EventBridge schedules: fired at their rate, and on demand (POST /_localcloud/schedules/<rule>).
        self.scheduler = Scheduler(schedule_specs(self.template), self.runtimes)
        self.extra_routes[SCHEDULES_PATH] = self.scheduler.route
        self.scheduler.start()

    def _start_gateway(self) -> None:
        assert self.template is not None
        api = load_api_spec(self.template)
        if api is None:
            return
        from scripts.localcloud.docs import docs_routes

        self.extra_routes.update(docs_routes(api.stage, lambda: self.config.port))  # type: ignore[arg-type]
        access_log = self.log_sink.write_to_group if self.log_sink is not None else None
        self.gateway = Gateway(api, self.runtimes, self.extra_routes, access_log=access_log)
        if self.keeps_state and self.restored.get("restored"):
            self.gateway.quotas.load(self.quota_file)  # the usage-plan and key ids they count are the restored ones
        try:
            self.server = GatewayServer(("127.0.0.1", self.config.port), self.gateway)
        except OSError:
            raise PortTaken(self.config.port, "RADAR_PORT") from None
        self.config.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name="gateway", daemon=True).start()

    def stop(self) -> None:
        """Stop in dependency order: no new work (pollers, gateway), then the services and the functions, then the
        log sink's last flush into the emulator, then the emulator itself (which saves its state as it goes)."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        for poller in self.pollers:
            poller.stop_event.set()
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        for poller in self.pollers:  # a batch in flight may finish (bounded: the workers are stopped next)
            poller.stop(timeout=10.0)
        for key in reversed(list(self.services)):
            with contextlib.suppress(Exception):  # one service failing to stop must not keep the others running
                self.services[key].stop()
        for runtime in self.runtimes.values():
            runtime.shutdown()
        if self.log_sink is not None:
            self.log_sink.close()
        if self.gateway is not None and self.keeps_state and self.moto is not None:
            self.gateway.quotas.save(self.quota_file)
        if self.moto is not None:
            self.moto.terminate()  # the emulator saves its state, then exits
            try:
                self.moto.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.moto.kill()
                self.moto.wait()

    # -- reporting ------------------------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.config.port}"

    def service_url(self, key: str) -> str | None:
        running = self.services.get(key)
        return running.url if running else None

    @property
    def ops_url(self) -> str | None:
        return self.service_url("ops")

    @property
    def sandbox_url(self) -> str | None:
        return self.service_url("sandbox")

    def resources(self) -> dict[str, Any]:
        assert self.template is not None
        return {
            logical_id: {
                "type": self.template.resources[logical_id]["Type"],
                "ref": self.template.refs.get(logical_id),
                **self.template.attrs.get(logical_id, {}),
            }
            for logical_id in self.template.resources
            if logical_id in self.template.refs
        }

    def state(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "api_url": self.api_url,
            **{f"{service.key}_url": self.service_url(service.key) for service in SERVICES},
            "endpoint": self.endpoint,
            "stage": self.gateway.spec.stage if self.gateway else None,
            "template": str(self.template.path) if self.template else None,
            "functions": {
                logical_id: {
                    "name": rt.spec.name,
                    "handler": rt.spec.handler,
                    "log_group": rt.spec.log_group,
                    "environment": rt.spec.environment,
                    "code_paths": rt.spec.code_paths,
                    "worker_pids": rt.worker_pids(),
                }
                for logical_id, rt in self.runtimes.items()
            },
            "resources": self.resources(),
            "dashboards": self.template.physical_ids("AWS::CloudWatch::Dashboard") if self.template else [],
            "timings": self.timings,
            "synth_ran": self.synth_ran,
            "weaker_guarantees": self.config.weaker_guarantees(),
            "restored": self.restored,
            "seed": self.seed,
        }

    def write_state(self) -> None:
        """state.json, 0600: it holds the demo tenant's password, API key and token."""
        write_private(self.config.state_file, json.dumps(self.state(), indent=2, default=str).encode())
