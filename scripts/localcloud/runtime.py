"""Local Lambda execution environments: each function runs in warm worker processes with the template's settings."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.localcloud.bootstrap import DRAINED
from scripts.localcloud.template import Template

__all__ = ["FunctionRuntime", "FunctionSpec", "InvokeResult", "function_specs"]

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CONCURRENCY = int(os.environ.get("RADAR_FUNCTION_CONCURRENCY", "4"))

LogCallback = Callable[[str, str, str], None]  # (function name, log stream, line)


@dataclass
class FunctionSpec:
    logical_id: str
    name: str
    arn: str
    handler: str
    runtime: str
    timeout: float
    memory_mb: int
    environment: dict[str, str]
    code_paths: list[str]  # sys.path entries: function code first, then each layer's python/ folder
    log_group: str
    concurrency: int
    tracing: bool
    # The template's ReservedConcurrentExecutions: a hard ceiling, as in Lambda (else the account's pool).
    reserved: bool = False


def _asset_dir(template: Template, resource: dict[str, Any]) -> Path:
    """The cdk.out folder of a function's or layer's asset, from the asset metadata or the S3 key hash."""
    cdk_out = template.path.parent
    metadata_path = resource.get("Metadata", {}).get("aws:asset:path")
    if metadata_path:
        return cdk_out / metadata_path
    props = resource.get("Properties", {})
    code = props.get("Code") or props.get("Content") or {}
    key = template.resolve(code.get("S3Key", ""))
    asset_hash = str(key).split("/")[-1].removesuffix(".zip")
    return cdk_out / f"asset.{asset_hash}"


def function_specs(template: Template) -> dict[str, FunctionSpec]:
    specs: dict[str, FunctionSpec] = {}
    for logical_id, resource in template.of_type("AWS::Lambda::Function"):
        props = resource.get("Properties", {})
        if "Handler" not in props or not str(props.get("Runtime", "")).startswith("python"):
            continue  # CDK's own helper functions (e.g. log retention) are not part of the product
        paths = [str(_asset_dir(template, resource))]
        for layer_ref in props.get("Layers", []):
            layer_id = layer_ref.get("Ref") if isinstance(layer_ref, dict) else None
            if layer_id and layer_id in template.resources:
                layer_dir = _asset_dir(template, template.resources[layer_id])
                paths.append(str(layer_dir / "python"))
        env = {k: str(v) for k, v in template.resolve(props.get("Environment", {}).get("Variables", {})).items()}
        log_group = (
            template.resolve(props.get("LoggingConfig", {}).get("LogGroup"))
            if props.get("LoggingConfig", {}).get("LogGroup")
            else None
        )
        name = template.refs.get(logical_id) or template.physical_name(logical_id, 64)
        specs[logical_id] = FunctionSpec(
            logical_id=logical_id,
            name=name,
            arn=template.attrs.get(logical_id, {}).get("Arn", name),
            handler=props["Handler"],
            runtime=props["Runtime"],
            timeout=float(props.get("Timeout", 3)),
            memory_mb=int(props.get("MemorySize", 128)),
            environment=env,
            code_paths=paths,
            log_group=log_group or f"/aws/lambda/{name}",
            concurrency=int(props.get("ReservedConcurrentExecutions") or DEFAULT_CONCURRENCY),
            tracing=props.get("TracingConfig", {}).get("Mode") == "Active",
            reserved=bool(props.get("ReservedConcurrentExecutions")),
        )
    return specs


@dataclass
class InvokeResult:
    ok: bool
    payload: Any = None
    error: dict[str, Any] | None = None
    crashed: bool = False  # the worker died or timed out: the caller answers 502
    duration_ms: float = 0.0
    init_ms: float | None = None
    request_id: str = ""


class _Worker:
    """One warm execution environment (a child process)."""

    def __init__(self, spec: FunctionSpec, base_env: dict[str, str], on_log: LogCallback) -> None:
        self.spec = spec
        self.stream = f"{time.strftime('%Y/%m/%d')}/[$LATEST]{uuid.uuid4().hex}"
        read_fd, write_fd = os.pipe()
        env = {
            "PATH": os.environ.get("PATH", ""),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            **base_env,
            **spec.environment,
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
            "AWS_LAMBDA_LOG_STREAM_NAME": self.stream,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "LAMBDA_TASK_ROOT": spec.code_paths[0],
            "_HANDLER": spec.handler,
            "_RADAR_FUNCTION_ARN": spec.arn,
            "_RADAR_RESULT_FD": str(write_fd),
            "_RADAR_SYS_PATH": json.dumps(spec.code_paths),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.localcloud.bootstrap"],
            cwd=str(REPO),
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(write_fd,),
            text=True,
            bufsize=1,
        )
        os.close(write_fd)
        self.results = os.fdopen(read_fd, "r", buffering=1)
        self.init_ms: float | None = None
        self.init_error: dict[str, Any] | None = None
        self.fresh = True
        self._drained: dict[str, str] = {}  # pipe -> request id whose output it has passed on entirely
        self._drain = threading.Condition()
        for name, pipe in (("stdout", self.process.stdout), ("stderr", self.process.stderr)):
            threading.Thread(target=self._pump, args=(name, pipe, on_log), daemon=True).start()

    def _pump(self, name: str, pipe: Any, on_log: LogCallback) -> None:
        for line in pipe:
            if line.startswith(DRAINED):
                with self._drain:
                    self._drained[name] = line[len(DRAINED) :].strip()
                    self._drain.notify_all()
                continue
            on_log(self.spec.name, self.stream, line.rstrip("\n"))

    def wait_drained(self, request_id: str, timeout: float) -> None:
        """Until both output pipes have passed on everything the invocation printed (bounded by `timeout`)."""
        with self._drain:
            self._drain.wait_for(
                lambda: all(self._drained.get(name) == request_id for name in ("stdout", "stderr")), timeout
            )

    def _read_line(self, deadline: float) -> dict[str, Any] | None:
        while True:
            remaining = deadline - time.time()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.results], [], [], min(remaining, 0.5))
            if ready:
                line = self.results.readline()
                if not line.endswith("\n"):
                    raise EOFError("worker exited")  # killed before (or while) writing its answer
                try:
                    return dict(json.loads(line))
                except ValueError as exc:
                    raise EOFError(f"unreadable answer from the worker: {exc}") from exc
            if self.process.poll() is not None:
                raise EOFError("worker exited")

    def wait_ready(self, deadline: float) -> None:
        message = self._read_line(deadline)
        if message is None:
            raise TimeoutError("init timed out")
        if message["type"] == "init_error":
            self.init_error = message
        self.init_ms = message.get("init_ms")

    def invoke(self, event: Any, request_id: str, timeout: float, trace_id: str) -> dict[str, Any] | None:
        deadline = time.time() + timeout
        assert self.process.stdin is not None
        self.process.stdin.write(
            json.dumps({"event": event, "request_id": request_id, "deadline": deadline, "trace_id": trace_id}) + "\n"
        )
        self.process.stdin.flush()
        return self._read_line(deadline + 0.05)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.results.close()


@dataclass
class FunctionRuntime:
    """A function's pool of warm workers, bounded by its concurrency."""

    spec: FunctionSpec
    base_env: dict[str, str]
    on_log: LogCallback
    idle: queue.LifoQueue[_Worker] = field(default_factory=queue.LifoQueue)
    all_workers: list[_Worker] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    slots: threading.Semaphore = field(init=False)
    invocations: int = 0
    crashes: int = 0
    cold_starts: int = 0

    def __post_init__(self) -> None:
        self.slots = threading.Semaphore(self.spec.concurrency)

    def _take_worker(self) -> _Worker:
        while True:
            try:
                worker = self.idle.get_nowait()
            except queue.Empty:
                worker = _Worker(self.spec, self.base_env, self.on_log)
                with self.lock:
                    self.all_workers.append(worker)
                    self.cold_starts += 1
                return worker
            if worker.alive():
                return worker
            self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self.lock:
            if worker in self.all_workers:
                self.all_workers.remove(worker)

    def invoke(self, event: Any, *, timeout: float | None = None, wait_for_slot: float | None = None) -> InvokeResult:
        """Run one invocation on a warm worker (cold-starting one if none is idle), like Lambda's Invoke."""
        timeout = timeout or self.spec.timeout
        if not self.slots.acquire(timeout=wait_for_slot if wait_for_slot is not None else timeout):
            return InvokeResult(
                ok=False,
                error={"errorType": "TooManyRequestsException", "errorMessage": "Rate Exceeded."},
                crashed=True,
            )
        request_id = str(uuid.uuid4())
        trace_id = f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Parent={uuid.uuid4().hex[:16]};Sampled=1"
        started = time.perf_counter()
        worker: _Worker | None = None
        try:
            worker = self._take_worker()
            init_ms = None
            if worker.fresh:
                worker.wait_ready(time.time() + max(timeout, 10.0))
                worker.fresh = False
                init_ms = worker.init_ms
            self.on_log(self.spec.name, worker.stream, f"START RequestId: {request_id} Version: $LATEST")
            if worker.init_error:
                error = {
                    "errorType": "Runtime.ImportModuleError",
                    "errorMessage": str(worker.init_error.get("errorMessage", "")),
                }
                self._discard(worker)
                worker = None
                return InvokeResult(ok=False, error=error, crashed=True, request_id=request_id)
            message = worker.invoke(event, request_id, timeout, trace_id)
            duration = (time.perf_counter() - started) * 1000
            self.invocations += 1
            if message is not None:
                worker.wait_drained(request_id, timeout=1.0)
            self._report(worker, request_id, duration, init_ms)
            if message is None:
                self.on_log(
                    self.spec.name,
                    worker.stream,
                    f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {request_id} Task timed out after {timeout:.2f} seconds",
                )
                self._discard(worker)
                worker = None
                self.crashes += 1
                return InvokeResult(
                    ok=False,
                    error={
                        "errorType": "Sandbox.Timedout",
                        "errorMessage": f"Task timed out after {timeout:.2f} seconds",
                    },
                    crashed=True,
                    duration_ms=duration,
                    request_id=request_id,
                )
            if message["ok"]:
                return InvokeResult(
                    ok=True, payload=message["result"], duration_ms=duration, init_ms=init_ms, request_id=request_id
                )
            return InvokeResult(
                ok=False, error=message["error"], duration_ms=duration, init_ms=init_ms, request_id=request_id
            )
        except (EOFError, BrokenPipeError, TimeoutError, OSError, ValueError) as exc:
            self.crashes += 1
            if worker is not None:
                self.on_log(
                    self.spec.name,
                    worker.stream,
                    f"RequestId: {request_id} Error: Runtime exited ({type(exc).__name__})",
                )
                self._discard(worker)
                worker = None
            return InvokeResult(
                ok=False,
                error={"errorType": "Runtime.ExitError", "errorMessage": str(exc)},
                crashed=True,
                duration_ms=(time.perf_counter() - started) * 1000,
                request_id=request_id,
            )
        finally:
            if worker is not None:
                self.idle.put(worker)
            self.slots.release()

    def _report(self, worker: _Worker, request_id: str, duration: float, init_ms: float | None) -> None:
        self.on_log(self.spec.name, worker.stream, f"END RequestId: {request_id}")
        init = f"\tInit Duration: {init_ms:.2f} ms" if init_ms is not None else ""
        self.on_log(
            self.spec.name,
            worker.stream,
            f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\tBilled Duration: {int(duration) + 1} ms\t"
            f"Memory Size: {self.spec.memory_mb} MB{init}",
        )

    def worker_pids(self) -> list[int]:
        with self.lock:
            return [w.process.pid for w in self.all_workers if w.alive()]

    def shutdown(self) -> None:
        with self.lock:
            workers = list(self.all_workers)
            self.all_workers.clear()
        for worker in workers:
            worker.kill()
