"""The local cloud's emulator process: a moto server on loopback, with DynamoDB writes atomic, GSI reads lagging on
demand, and the state a user would miss kept across restarts.

`python -m scripts.localcloud.emulator --port P [--gsi-lag-ms N] [--state FILE --report FILE]`

State: moto keeps everything in memory. With --state, the backends a user would miss (DynamoDB tables and items,
Secrets Manager secrets, API Gateway APIs, keys, usage plans and their keys, SQS queues with every message, in flight
and delayed ones too, SNS topics) are restored from FILE before the server answers, and saved to it when the process
is told to stop (SIGTERM, which the cloud sends last, and which the kernel sends if the cloud dies). CloudWatch
metrics, alarms' history and log events are not kept (function logs stay in .local/logs/). The file is a pickle of
moto's own objects, readable only by its owner (0600); a file written by another moto or Python version is set aside,
not loaded. The outcome of the restore goes to --report as JSON, for the cloud to print.

The terminal's Ctrl-C is for the cloud, not for this process: it is ignored here, so the cloud can flush logs and
metrics into the emulator before stopping it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import pickle
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["PERSISTED_SERVICES", "load_state", "main", "save_state", "write_private"]

PERSISTED_SERVICES = ("dynamodb", "secretsmanager", "apigateway", "sqs", "sns")
FORMAT = 1
EXIT_PORT_TAKEN = 98  # errno EADDRINUSE


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, readable and writable by the owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the mode of open() applies only when the file is new
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
    finally:
        if fd != -1:
            os.close(fd)
    tmp.replace(path)


def _versions() -> dict[str, str]:
    import moto

    return {"moto": moto.__version__, "python": f"{sys.version_info.major}.{sys.version_info.minor}"}


class _Pickler(pickle.Pickler):
    """moto's objects, with their locks and conditions replaced by fresh ones (a lock has no state worth keeping)."""

    _LOCK, _RLOCK = type(threading.Lock()), type(threading.RLock())

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, self._RLOCK):
            return (threading.RLock, ())
        if isinstance(obj, self._LOCK):
            return (threading.Lock, ())
        if isinstance(obj, threading.Condition):
            return (threading.Condition, ())
        if isinstance(obj, threading.Event):
            return (threading.Event, ())
        return NotImplemented


def _backends() -> dict[str, Any]:
    from moto.backends import get_backend

    return {name: get_backend(name) for name in PERSISTED_SERVICES}  # type: ignore[call-overload]


def _counts(backends: dict[str, dict[str, dict[str, Any]]]) -> dict[str, int]:
    """What a person would recognise in a snapshot: tables, items, secrets, API keys, queued messages."""
    counts = {"tables": 0, "items": 0, "secrets": 0, "api_keys": 0, "messages": 0}
    for accounts in backends.get("dynamodb", {}).values():
        for backend in accounts.values():
            counts["tables"] += len(backend.tables)
            counts["items"] += sum(len(table) for table in backend.tables.values())
    for accounts in backends.get("secretsmanager", {}).values():
        counts["secrets"] += sum(len(list(backend.secrets.values())) for backend in accounts.values())
    for accounts in backends.get("apigateway", {}).values():
        counts["api_keys"] += sum(len(backend.keys) for backend in accounts.values())
    for accounts in backends.get("sqs", {}).values():
        for backend in accounts.values():
            counts["messages"] += sum(len(queue._messages) for queue in backend.queues.values())
    return counts


def save_state(path: Path) -> dict[str, int]:
    """Pickle the persisted backends (every account and region in use) to `path`; returns what was saved."""
    from scripts.localcloud.moto_atomic import _lock

    with _lock:  # no DynamoDB write half-done while we read
        snapshot: dict[str, dict[str, dict[str, Any]]] = {}
        for name, backend_dict in _backends().items():
            snapshot[name] = {account: dict(regions.items()) for account, regions in backend_dict.items()}
        for accounts in snapshot["dynamodb"].values():
            for backend in accounts.values():
                for table in backend.tables.values():
                    # GSI lag bookkeeping is on a monotonic clock of this process: meaningless in the next one.
                    table.__dict__.pop("_radar_gsi_history", None)
        buffer = io.BytesIO()
        counts = _counts(snapshot)
        header = {"format": FORMAT, **_versions(), "saved_at": datetime.now(UTC).isoformat(), "counts": counts}
        pickle.dump(header, buffer)
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(snapshot)
    write_private(path, buffer.getvalue())
    return counts


def load_state(path: Path) -> dict[str, Any]:
    """Restore the backends saved in `path` (before the server answers). Returns a report for the cloud to print."""
    if not path.exists():
        return {"restored": False, "reason": "nothing saved yet"}
    try:
        with path.open("rb") as handle:
            header = pickle.load(handle)  # noqa: S301 - our own 0600 file, written by save_state
            expected = {"format": FORMAT, **_versions()}
            found = {key: header.get(key) for key in expected}
            if found != expected:
                raise ValueError(f"saved by {found}, this emulator is {expected}")
            snapshot = pickle.load(handle)  # noqa: S301
    except Exception as exc:  # unreadable or from another version: set aside, never silently half-loaded
        aside = path.with_name(path.name + ".unloaded")
        path.replace(aside)
        return {"restored": False, "reason": f"{type(exc).__name__}: {exc}", "set_aside": str(aside)}
    backends = _backends()
    for name, accounts in snapshot.items():
        if name not in backends:
            continue
        for account, regions in accounts.items():
            for region, backend in regions.items():
                backends[name][account][region] = backend
    return {"restored": True, "saved_at": header.get("saved_at"), "counts": header.get("counts", {})}


def _serve(port: int) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, name="moto", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.localcloud.emulator", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--gsi-lag-ms", type=float, default=0.0)
    parser.add_argument("--state", type=Path, default=None, help="restore from and save to this file")
    parser.add_argument("--report", type=Path, default=None, help="write the restore outcome here (JSON)")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    with contextlib.suppress(Exception):  # Linux: stop (and save) when the cloud dies, whatever killed it
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from scripts.localcloud.moto_atomic import make_dynamodb_writes_atomic
    from scripts.localcloud.moto_gsi import make_gsi_reads_lag

    make_dynamodb_writes_atomic()
    make_gsi_reads_lag(args.gsi_lag_ms)
    report = load_state(args.state) if args.state else {"restored": False, "reason": "not kept (RADAR_PERSIST=0)"}
    if args.report:
        write_private(args.report, json.dumps(report).encode())
    try:
        _serve(args.port)
    except OSError as exc:
        print(f"emulator: cannot listen on 127.0.0.1:{args.port}: {exc}", file=sys.stderr, flush=True)
        return EXIT_PORT_TAKEN
    while not stop.wait(1.0):
        pass
    if args.state:
        started = time.perf_counter()
        counts = save_state(args.state)
        print(f"emulator: state saved to {args.state} in {time.perf_counter() - started:.2f} s: {counts}",
              file=sys.stderr, flush=True)
    # Exit at once: a graceful server shutdown would wait for every keep-alive connection the (still running) cloud
    # holds open, and there is nothing left to clean up here.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
