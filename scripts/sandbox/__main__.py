"""`python -m scripts.sandbox --port 3002`: run the provider sandbox in the foreground."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scripts.sandbox.config import SandboxConfig
from scripts.sandbox.fixtures import FixtureStore
from scripts.sandbox.server import SandboxServer, SandboxState

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.sandbox", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("RADAR_SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("RADAR_SANDBOX_PORT", "3002")))
    parser.add_argument("--fixtures", type=Path, default=None, help="fixture dir (env RADAR_SANDBOX_FIXTURES)")
    parser.add_argument("--latency-ms", type=float, help="added to every provider answer")
    parser.add_argument("--latency-jitter-ms", type=float)
    parser.add_argument("--fault-rate", type=float, help="0..1, share of answers replaced by a fault")
    parser.add_argument("--faults", help="comma list of 5xx,timeout,html,truncated,429")
    parser.add_argument("--rate-limits", choices=("on", "off"))
    parser.add_argument("--timeout-seconds", type=float, help="how long a timeout fault hangs")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--time-scale", type=float, help="10 = limit windows and Retry-After last 1/10 as long")
    args = parser.parse_args(argv)

    flags = {
        "latency_ms": args.latency_ms,
        "latency_jitter_ms": args.latency_jitter_ms,
        "fault_rate": args.fault_rate,
        "faults": args.faults,
        "rate_limits": args.rate_limits,
        "timeout_seconds": args.timeout_seconds,
        "seed": args.seed,
        "time_scale": args.time_scale,
    }
    try:
        config = SandboxConfig.from_env().updated({k: v for k, v in flags.items() if v is not None})
    except ValueError as exc:
        parser.error(str(exc))
    store = FixtureStore(args.fixtures)
    server = SandboxServer((args.host, args.port), SandboxState(config, store))
    print(f"provider sandbox on {server.url} (fixtures: {store.directory})", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
