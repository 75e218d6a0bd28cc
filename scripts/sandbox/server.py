"""The sandbox HTTP server: provider routes, control endpoints under /_sandbox/, and start_sandbox() for tests."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from scripts.sandbox.answers import (
    Answer,
    answer_lookup,
    challenge_page,
    rate_limited,
    server_error,
    truncate,
)
from scripts.sandbox.config import SandboxConfig
from scripts.sandbox.fixtures import PROVIDERS, FixtureStore
from scripts.sandbox.limits import SlidingWindowLimiter

__all__ = ["SandboxServer", "SandboxState", "start_sandbox"]

_PREFIXES = (
    ("cnpjws", "/cnpjws/cnpj/"),
    ("brasilapi", "/brasilapi/api/cnpj/v1/"),
    ("receitaws", "/receitaws/v1/cnpj/"),
)


class SandboxState:
    """Config, fixtures, limiter windows and counters shared by the request threads."""

    def __init__(self, config: SandboxConfig, fixtures: FixtureStore) -> None:
        self.initial_config = config
        self.config = config
        self.fixtures = fixtures
        self.limiter = SlidingWindowLimiter(60.0)
        self._lock = threading.Lock()
        self._rng = random.Random(config.seed)
        self._reset_counters()

    def _reset_counters(self) -> None:
        self.requests: Counter[str] = Counter({p: 0 for p in PROVIDERS})
        self.by_status: dict[str, Counter[str]] = defaultdict(Counter)
        self.rate_limited: Counter[str] = Counter({p: 0 for p in PROVIDERS})
        self.faults: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_cnpj: Counter[str] = Counter()

    def reset(self) -> None:
        """Counters, limiter windows and config back to how the server started."""
        with self._lock:
            self._reset_counters()
            self.config = self.initial_config
            self._rng = random.Random(self.config.seed)
        self.limiter.reset()

    def configure(self, changes: dict[str, Any]) -> SandboxConfig:
        with self._lock:
            self.config = self.config.updated(changes)
            if "seed" in changes:
                self._rng = random.Random(self.config.seed)
            return self.config

    def record(self, provider: str, status: int, cnpj: str | None, fault: str | None, limited: bool) -> None:
        with self._lock:
            self.requests[provider] += 1
            self.by_status[provider][str(status)] += 1
            if cnpj:
                self.by_cnpj[cnpj] += 1
            if fault:
                self.faults[provider][fault] += 1
            if limited:
                self.rate_limited[provider] += 1

    def pick_fault(self, provider: str) -> str | None:
        config = self.config
        rate = config.fault_rate_by_provider.get(provider, config.fault_rate)
        with self._lock:
            if not config.faults or rate <= 0 or self._rng.random() >= rate:
                return None
            return self._rng.choice(config.faults)

    def latency_seconds(self) -> float:
        config = self.config
        with self._lock:
            jitter = self._rng.uniform(0, config.latency_jitter_ms) if config.latency_jitter_ms else 0.0
        return (config.latency_ms + jitter) / 1000.0

    def random(self) -> random.Random:
        return self._rng

    def stats(self) -> dict[str, Any]:
        config = self.config
        with self._lock:
            return {
                "time_scale": config.time_scale,
                "window_seconds": config.window_seconds,
                # Requests refused because the provider's window was full: a client that respects the limits has 0.
                "violations": sum(self.rate_limited.values()),
                "requests": dict(self.requests),
                "by_status": {p: dict(c) for p, c in self.by_status.items()},
                "rate_limited": dict(self.rate_limited),
                "faults": {p: dict(c) for p, c in self.faults.items()},
                "by_cnpj": dict(self.by_cnpj),
            }


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: SandboxState) -> None:
        super().__init__(address, _Handler)
        self.state = state

    @property
    def url(self) -> str:
        host, port = self.server_address[0], self.server_address[1]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real providers
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server_version = "cnpj-radar-sandbox"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version

    server: SandboxServer

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: tests and benchmarks read /_sandbox/stats instead

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/_sandbox/health":
            self._send(Answer.json(200, {"status": "ok", "providers": list(PROVIDERS)}))
        elif path == "/_sandbox/stats":
            self._send(Answer.json(200, self.server.state.stats()))
        elif path == "/_sandbox/config":
            self._send(Answer.json(200, self.server.state.config.to_dict()))
        elif not self._provider_request():
            self._send(Answer.json(404, {"error": "no such route", "path": path}))

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._read_body()
        if path == "/_sandbox/reset":
            self.server.state.reset()
            self._send(Answer.json(200, {"status": "reset"}))
        elif path == "/_sandbox/config":
            try:
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("config must be a JSON object")
                config = self.server.state.configure(changes)
            except ValueError as exc:
                self._send(Answer.json(400, {"error": str(exc)}))
                return
            self._send(Answer.json(200, config.to_dict()))
        else:
            self._send(Answer.json(405, {"error": "method not allowed"}))

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _route(self) -> tuple[str, str, bool] | None:
        """(provider, raw CNPJ, commercial) for a provider lookup path."""
        parts = urlsplit(self.path)
        for provider, prefix in _PREFIXES:
            if not parts.path.startswith(prefix):
                continue
            rest = unquote(parts.path[len(prefix) :])
            commercial = False
            if provider == "cnpjws":
                commercial = bool(parse_qs(parts.query).get("token"))
            elif provider == "receitaws" and "/days/" in rest:
                rest, _, days = rest.partition("/days/")
                if not days.isdigit():
                    return None
                commercial = (self.headers.get("Authorization") or "").startswith("Bearer ")
            return provider, rest, commercial
        return None

    def _provider_request(self) -> bool:
        route = self._route()
        if route is None:
            return False
        provider, raw, commercial = route
        state = self.server.state
        config = state.config
        delay = state.latency_seconds()
        if delay:
            time.sleep(delay)
        fixtures = state.fixtures.current()
        answer, cnpj = answer_lookup(provider, raw, fixtures)
        limit = config.limits_per_min.get(provider)
        # Paid tiers (cnpj.ws token, ReceitaWS Bearer) are not held to the public per-minute limit.
        if config.rate_limits and limit and not commercial:
            key = f"{provider}:{self.client_address[0]}"
            window = config.window_seconds
            if not state.limiter.try_admit(key, limit, time.monotonic(), window):
                retry_after = state.limiter.retry_after(key, time.monotonic(), window)
                answer = rate_limited(provider, limit, retry_after)
                state.record(provider, answer.status, cnpj, None, limited=True)
                self._send(answer)
                return True
        fault = state.pick_fault(provider)
        if fault == "429":
            answer = rate_limited(provider, limit or 3, config.window_seconds)
        elif fault == "5xx":
            answer = server_error(provider, raw, fixtures, state.random(), config.scaled(120.0))
        elif fault == "html":
            answer = challenge_page()
        elif fault == "truncated":
            answer = truncate(answer)
        elif fault == "timeout":
            time.sleep(config.timeout_seconds)
        state.record(provider, answer.status, cnpj, fault, limited=False)
        self._send(answer)
        return True

    def _send(self, answer: Answer) -> None:
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its read timeout fired during a timeout fault)


def start_sandbox(
    port: int = 0, fixtures_dir: str | Path | None = None, host: str = "127.0.0.1", **config: Any
) -> tuple[SandboxServer, str]:
    """Serve in a daemon thread; returns the server (call `.stop()`) and its base URL. Settings start from the
    RADAR_SANDBOX_* environment; `config` (as in POST /_sandbox/config) wins, e.g. start_sandbox(rate_limits=False,
    fault_rate=0.2, faults=["5xx"])."""
    settings = SandboxConfig.from_env().updated(config)
    server = SandboxServer((host, port), SandboxState(settings, FixtureStore(fixtures_dir)))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="provider-sandbox", daemon=True
    )
    thread.start()
    return server, server.url
