"""Start and stop the whole local cloud: emulator, resources from the template, functions, pollers, gateway."""

from __future__ import annotations

import json
import os
import socket
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
from scripts.localcloud.esm import SqsPoller, mapping_specs
from scripts.localcloud.gateway import Gateway, GatewayServer, Request, Response
from scripts.localcloud.logs import LogSink
from scripts.localcloud.provision import Provisioned, provision
from scripts.localcloud.runtime import FunctionRuntime, function_specs
from scripts.localcloud.synth import synth
from scripts.localcloud.template import Template

__all__ = ["CloudConfig", "LocalCloud"]

REPO = Path(__file__).resolve().parents[2]
SANDBOX_ENV = {
    "CNPJWS_BASE_URL": "/cnpjws",
    "CNPJWS_COMMERCIAL_BASE_URL": "/cnpjws",
    "BRASILAPI_BASE_URL": "/brasilapi/api/cnpj/v1",
    "RECEITAWS_BASE_URL": "/receitaws/v1",
    "MINHARECEITA_BASE_URL": "/minhareceita",
    "OPENCNPJ_BASE_URL": "/opencnpj",
    "CNPJA_BASE_URL": "/cnpja",
}


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(name: str, default: str) -> Callable[[], str]:
    return lambda: os.environ.get(name, default)


def _env_int(name: str, default: int) -> Callable[[], int]:
    return lambda: int(os.environ.get(name, str(default)))


def _env_float(name: str, default: float) -> Callable[[], float]:
    return lambda: float(os.environ.get(name, str(default)))


@dataclass
class CloudConfig:
    """Every setting of the local cloud; each default is read from its environment variable when the config is made."""

    port: int = field(default_factory=_env_int("RADAR_PORT", 3000))
    ops_port: int = field(default_factory=_env_int("RADAR_OPS_PORT", 3001))
    moto_port: int = field(default_factory=_env_int("RADAR_MOTO_PORT", 4566))
    sandbox_port: int = field(default_factory=_env_int("RADAR_SANDBOX_PORT", 3002))
    providers: str = field(default_factory=_env("RADAR_PROVIDERS", "real"))
    endpoint: str | None = field(default_factory=lambda: os.environ.get("AWS_ENDPOINT_URL"))
    state_file: Path = field(
        default_factory=lambda: Path(os.environ.get("RADAR_STATE_FILE", str(REPO / ".local" / "state.json")))
    )
    out_dir: Path = field(default_factory=lambda: Path(os.environ.get("RADAR_CDK_OUT", str(REPO / "cdk.out"))))
    seed: bool = field(default_factory=lambda: os.environ.get("RADAR_SEED", "1") != "0")
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
        self.gateway: Gateway | None = None
        self.server: GatewayServer | None = None
        self.ops_server: Any = None
        self.sandbox: Any = None
        self.sandbox_url: str | None = None
        self.log_sink: LogSink | None = None
        self.timings: dict[str, float] = {}
        self.seed: dict[str, Any] | None = None
        self.synth_ran = False
        self.stopped = threading.Event()
        self.extra_routes: dict[str, Callable[[Request], Response]] = {}

    # -- lifecycle ------------------------------------------------------------------------------------------
    def start(self) -> LocalCloud:
        started = time.perf_counter()
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
        self._start_sandbox()
        self._start_functions()
        self._start_gateway()
        self._start_ops()
        self.timings["ready_s"] = time.perf_counter() - started
        self.write_state()
        return self

    def _start_emulator(self) -> None:
        if self.config.endpoint:
            self.endpoint = self.config.endpoint
            if self.config.gsi_lag_ms:
                print(f"note: RADAR_GSI_LAG_MS applies to the local cloud's own emulator, not to {self.endpoint}",
                      file=sys.stderr, flush=True)
        else:
            port = self.config.moto_port if _port_free(self.config.moto_port) else _free_port()
            self.moto = subprocess.Popen(
                [sys.executable, "-c", _MOTO_BOOT, str(port), str(self.config.gsi_lag_ms)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.endpoint = f"http://127.0.0.1:{port}"
            deadline = time.time() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1)
                    break
                except OSError:
                    if time.time() > deadline or self.moto.poll() is not None:
                        raise RuntimeError("moto server did not start") from None
                    time.sleep(0.05)
        os.environ.update(emulator_env(self.endpoint))

    def _start_sandbox(self) -> None:
        if self.config.providers != "sandbox":
            return
        from scripts.sandbox import start_sandbox

        port = self.config.sandbox_port if _port_free(self.config.sandbox_port) else 0
        self.sandbox, self.sandbox_url = start_sandbox(port=port)

    def _function_env_overrides(self, env: dict[str, str]) -> dict[str, str]:
        overrides = dict(self.config.env_overrides)
        if self.sandbox_url:
            for name, suffix in SANDBOX_ENV.items():
                if name in env:
                    overrides[name] = self.sandbox_url.rstrip("/") + suffix
        return overrides

    def _start_functions(self) -> None:
        assert self.template is not None
        specs = function_specs(self.template)
        logs_dir = self.config.state_file.parent / "logs"  # beside the state file: one folder per local cloud
        self.log_sink = LogSink({s.name: s.log_group for s in specs.values()}, logs_dir)
        if self.provisioned is not None:
            self.log_sink.add_metric_filters(self.provisioned.metric_filters)
        base_env = emulator_env(self.endpoint) | {"AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000"}
        for logical_id, spec in specs.items():
            spec.environment.update(self._function_env_overrides(spec.environment))
            self.runtimes[logical_id] = FunctionRuntime(spec, base_env, self.log_sink)
        for mapping in mapping_specs(self.template):
            runtime = self.runtimes.get(mapping.function_logical_id)
            if runtime is not None and mapping.queue_url:
                poller = SqsPoller(mapping, runtime, duplicate_rate=self.config.sqs_duplicate_rate)
                poller.start()
                self.pollers.append(poller)

    def _start_gateway(self) -> None:
        assert self.template is not None
        api = load_api_spec(self.template)
        if api is None:
            return
        from scripts.localcloud.docs import docs_routes

        self.extra_routes.update(docs_routes())  # type: ignore[arg-type]
        access_log = self.log_sink.write_to_group if self.log_sink is not None else None
        self.gateway = Gateway(api, self.runtimes, self.extra_routes, access_log=access_log)
        port = self.config.port
        self.server = GatewayServer(("127.0.0.1", port), self.gateway)
        self.config.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name="gateway", daemon=True).start()

    def _start_ops(self) -> None:
        try:
            from scripts.localcloud.ops import start_ops_server
        except ImportError:
            return
        self.ops_server, self.config.ops_port = start_ops_server(self, self.config.ops_port)

    def stop(self) -> None:
        if self.stopped.is_set():
            return
        self.stopped.set()
        for poller in self.pollers:
            poller.stop()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.ops_server is not None:
            self.ops_server.shutdown()
            self.ops_server.server_close()
        for runtime in self.runtimes.values():
            runtime.shutdown()
        if self.sandbox is not None:
            self.sandbox.shutdown()
        if self.log_sink is not None:
            self.log_sink.close()
        if self.moto is not None:
            self.moto.terminate()
            try:
                self.moto.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.moto.kill()

    # -- reporting ------------------------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.config.port}"

    @property
    def ops_url(self) -> str:
        return f"http://127.0.0.1:{self.config.ops_port}"

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
            "ops_url": self.ops_url if self.ops_server else None,
            "endpoint": self.endpoint,
            "sandbox_url": self.sandbox_url,
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
            "timings": self.timings,
            "synth_ran": self.synth_ran,
            "weaker_guarantees": self.config.weaker_guarantees(),
            "seed": self.seed,
        }

    def write_state(self) -> None:
        self.config.state_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.config.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state(), indent=2, default=str))
        tmp.replace(self.config.state_file)


# moto in its own process (its own GIL), quiet, on loopback only.
_MOTO_BOOT = """
import logging, sys
logging.getLogger("werkzeug").setLevel(logging.ERROR)
try:
    import ctypes, signal
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)
except Exception:
    pass
from scripts.localcloud.moto_atomic import make_dynamodb_writes_atomic
from scripts.localcloud.moto_gsi import make_gsi_reads_lag
make_dynamodb_writes_atomic()
make_gsi_reads_lag(float(sys.argv[2]))
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
server.start()
import threading
threading.Event().wait()
"""
