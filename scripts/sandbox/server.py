"""The sandbox HTTP server: provider routes, control endpoints under /_sandbox/, and start_sandbox() for tests."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter, defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scripts.sandbox.answers import Answer, truncate
from scripts.sandbox.config import SandboxConfig
from scripts.sandbox.fixtures import PROVIDERS, FixtureStore
from scripts.sandbox.limits import ArrivalCounter, SlidingWindowLimiter
from scripts.sandbox.providers import PROVIDER_CLASSES, Call, Provider, Route, World

__all__ = ["SandboxServer", "SandboxState", "start_sandbox"]

HOUR_SECONDS = 3600.0
_VIOLATION_LOG = 20


class SandboxState:
    """Config, fixtures, limiter windows and counters shared by the request threads."""

    def __init__(self, config: SandboxConfig, fixtures: FixtureStore) -> None:
        self.initial_config = config
        self.config = config
        self.fixtures = fixtures
        self.providers: dict[str, Provider] = {cls.name: cls() for cls in PROVIDER_CLASSES}
        self.limiter = SlidingWindowLimiter()
        self.arrivals = ArrivalCounter()
        self._lock = threading.Lock()
        self._rng = random.Random(config.seed)
        self._reset_counters()

    def _reset_counters(self) -> None:
        self.requests: Counter[str] = Counter({p: 0 for p in PROVIDERS})
        self.by_status: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_route: dict[str, Counter[str]] = defaultdict(Counter)
        self.rate_limited: Counter[str] = Counter({p: 0 for p in PROVIDERS})
        self.violations_by_kind: dict[str, Counter[str]] = defaultdict(Counter)
        self.faults: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_cnpj: Counter[str] = Counter()
        # The last refusals for a full window: which provider, and the window it met (ages of its admitted requests).
        self.violation_log: deque[dict[str, Any]] = deque(maxlen=_VIOLATION_LOG)

    def reset(self) -> None:
        """Counters, limiter windows and config back to how the server started."""
        with self._lock:
            self._reset_counters()
            self.config = self.initial_config
            self._rng = random.Random(self.config.seed)
        self.limiter.reset()
        self.arrivals.reset()

    def configure(self, changes: dict[str, Any]) -> SandboxConfig:
        with self._lock:
            self.config = self.config.updated(changes)
            if "seed" in changes:
                self._rng = random.Random(self.config.seed)
            return self.config

    def record(
        self, provider: str, route: str, status: int, cnpj: str | None, fault: str | None, violation: str | None
    ) -> None:
        with self._lock:
            self.requests[provider] += 1
            self.by_status[provider][str(status)] += 1
            self.by_route[provider][route] += 1
            if cnpj:
                self.by_cnpj[cnpj] += 1
            if fault:
                self.faults[provider][fault] += 1
            if violation:
                self.rate_limited[provider] += 1
                self.violations_by_kind[provider][violation] += 1

    def note_violation(self, detail: dict[str, Any]) -> None:
        with self._lock:
            self.violation_log.append(detail)

    def pick_fault(self, provider: str) -> str | None:
        config = self.config
        return self._draw(config.fault_rate_by_provider.get(provider, config.fault_rate))

    def pick_upstream_fault(self, upstream: str) -> str | None:
        """Only an explicit per-provider rate reaches through a proxy (the global fault_rate already applies to the
        proxy's own answer; counting it twice would fail BrasilAPI twice as often as the others)."""
        return self._draw(self.config.fault_rate_by_provider.get(upstream, 0.0))

    def _draw(self, rate: float) -> str | None:
        faults = self.config.faults
        with self._lock:
            if not faults or rate <= 0 or self._rng.random() >= rate:
                return None
            return self._rng.choice(faults)

    def latency_seconds(self) -> float:
        config = self.config
        with self._lock:
            jitter = self._rng.uniform(0, config.latency_jitter_ms) if config.latency_jitter_ms else 0.0
        return (config.latency_ms + jitter) / 1000.0

    def world(self) -> World:
        return World(self.fixtures.current(), self.config, self._rng)

    def stats(self) -> dict[str, Any]:
        config = self.config
        with self._lock:
            return {
                "time_scale": config.time_scale,
                "window_seconds": config.window_seconds,
                # Requests refused because the provider's window was full (or, for OpenCNPJ, its volume rule
                # challenged them): a client that respects every limit has 0.
                "violations": sum(self.rate_limited.values()),
                "rate_limited": dict(self.rate_limited),
                "violations_by_kind": {p: dict(c) for p, c in self.violations_by_kind.items()},
                "requests": dict(self.requests),
                "by_status": {p: dict(c) for p, c in self.by_status.items()},
                "by_route": {p: dict(c) for p, c in self.by_route.items()},
                "faults": {p: dict(c) for p, c in self.faults.items()},
                "by_cnpj": dict(self.by_cnpj),
                "violation_log": list(self.violation_log),
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

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        body = self._read_body()
        if parts.path.startswith("/_sandbox/"):
            self._control(parts.path, body)
            return
        for provider in self.server.state.providers.values():
            if parts.path == provider.base or parts.path.startswith(provider.base + "/"):
                call = Call(self.command, parts.path[len(provider.base) :], parse_qs(parts.query), self.headers)
                route = provider.route(call)
                if route is not None:
                    self._provider_request(provider, call, route)
                    return
        self._send(Answer.json(404, {"error": "no such route", "path": parts.path}))

    # Every method reaches the provider, which answers it as the real one does (405, a preflight...).
    do_GET = do_POST = do_HEAD = do_OPTIONS = do_PUT = do_DELETE = do_PATCH = _dispatch

    def _control(self, path: str, body: bytes) -> None:
        state = self.server.state
        if self.command == "GET" and path == "/_sandbox/health":
            self._send(Answer.json(200, {"status": "ok", "providers": list(PROVIDERS)}))
        elif self.command == "GET" and path == "/_sandbox/stats":
            self._send(Answer.json(200, state.stats()))
        elif self.command == "GET" and path == "/_sandbox/config":
            self._send(Answer.json(200, state.config.to_dict()))
        elif self.command == "POST" and path == "/_sandbox/reset":
            state.reset()
            self._send(Answer.json(200, {"status": "reset"}))
        elif self.command == "POST" and path == "/_sandbox/config":
            try:
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("config must be a JSON object")
                config = state.configure(changes)
            except ValueError as exc:
                self._send(Answer.json(400, {"error": str(exc)}))
                return
            self._send(Answer.json(200, config.to_dict()))
        elif path in ("/_sandbox/health", "/_sandbox/stats", "/_sandbox/config", "/_sandbox/reset"):
            self._send(Answer.json(405, {"error": "method not allowed"}))
        else:
            self._send(Answer.json(404, {"error": "no such route", "path": path}))

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _provider_request(self, provider: Provider, call: Call, route: Route) -> None:
        state = self.server.state
        name = provider.name
        if route.answer is not None:  # a fixed answer: a 405, a preflight, a redirect
            state.record(name, route.label, route.answer.status, None, None, None)
            self._send(route.answer)
            return
        world = state.world()
        config = world.config
        delay = state.latency_seconds()
        if delay:
            time.sleep(delay)
        # A provider's limiter (its edge) counts a request when it arrives, before the origin renders an answer.
        arrived = time.monotonic()
        if route.kind == "lookup":
            answer, cnpj = provider.lookup(route, call, world)
        else:
            answer, cnpj = provider.meta(route.name, call, world), None
        limit = config.limits_per_min.get(name)
        # Paid tiers (cnpj.ws token, ReceitaWS Bearer) are not held to the public per-minute limit.
        if config.rate_limits and limit and not route.commercial:
            key = f"{name}:{self.client_address[0]}"
            now = arrived
            refusal: tuple[Answer, str] | None = None
            if provider.challenged(state.arrivals.arrive(key, now, config.scaled(HOUR_SECONDS)), world):
                refusal = provider.challenge(), "challenge"
            elif not state.limiter.try_admit(key, limit, now, config.window_seconds):
                retry_after = state.limiter.retry_after(key, now, config.window_seconds)
                refusal = provider.refuse(limit, retry_after, world)
            if refusal is not None:
                state.note_violation(
                    {
                        "provider": name,
                        "kind": refusal[1],
                        "limit": limit,
                        "window_seconds": config.window_seconds,
                        "admitted_ages": state.limiter.admitted_ages(key, now, config.window_seconds),
                    }
                )
                state.record(name, route.label, refusal[0].status, cnpj, None, refusal[1])
                self._send(refusal[0])
                return
        fault = state.pick_fault(name)
        if fault == "404" and route.kind != "lookup":
            fault = None  # "not found" is about a company; /updated, /info answer as usual
        if fault is None and route.kind == "lookup" and provider.upstream:
            # A proxy (BrasilAPI) fails when its upstream (minha-receita) does: an outage of one is one of both.
            upstream_fault = state.pick_upstream_fault(provider.upstream)
            if upstream_fault is not None:
                answer = provider.upstream_failure(upstream_fault, answer, route.raw, world)
                fault = f"upstream_{upstream_fault}"
        elif fault is not None:
            answer = self._fault_answer(provider, fault, answer, route, world)
        state.record(name, route.label, answer.status, cnpj, fault, None)
        if answer.delay:
            time.sleep(answer.delay)
        self._send(answer)

    @staticmethod
    def _fault_answer(provider: Provider, fault: str, answer: Answer, route: Route, world: World) -> Answer:
        config = world.config
        if fault == "429":
            return provider.rate_limited(config.limits_per_min.get(provider.name, 3), config.window_seconds, world)
        if fault == "5xx":
            return provider.server_error(route.raw, world)
        if fault == "html":
            return provider.challenge()
        if fault == "truncated":
            return truncate(answer)
        if fault == "404":
            return provider.outage_not_found(route.raw, world)
        # "timeout": the same answer, after longer than a client's read timeout.
        return Answer(answer.status, answer.body, dict(answer.headers), config.timeout_seconds)

    def _send(self, answer: Answer) -> None:
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its read timeout fired during a timeout fault)


def start_sandbox(
    port: int = 0, fixtures_dir: str | Path | None = None, host: str = "127.0.0.1", **config: Any
) -> tuple[SandboxServer, str]:
    """Serve in a daemon thread; returns the server (call `.stop()`) and its base URL. Settings start from the
    RADAR_SANDBOX_* environment; `config` (as in POST /_sandbox/config) wins, e.g. start_sandbox(rate_limits=False,
    fault_rate=0.2, faults=["5xx"], time_scale=10)."""
    settings = SandboxConfig.from_env().updated(config)
    server = SandboxServer((host, port), SandboxState(settings, FixtureStore(fixtures_dir)))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="provider-sandbox", daemon=True
    )
    thread.start()
    return server, server.url
