"""`python -m scripts.localcloud up|invoke|synth`: the local cloud's command line."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from scripts.localcloud.cloud import CloudConfig, LocalCloud


def _resource_counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {t.split('::')[-1]}" for t, n in sorted(counts.items()))


def _guarantees_line(config: CloudConfig) -> str:
    """What of AWS's weaker guarantees this cloud injects (empty when none)."""
    parts = []
    if config.sqs_duplicate_rate:
        parts.append(f"{config.sqs_duplicate_rate:.0%} of SQS messages delivered twice (RADAR_SQS_DUPLICATE_RATE)")
    if config.gsi_lag_ms:
        parts.append(f"GSI reads {config.gsi_lag_ms:.0f} ms behind writes (RADAR_GSI_LAG_MS)")
    return "  AWS guarantees     " + "; ".join(parts) if parts else ""


def _print_banner(cloud: LocalCloud) -> None:
    assert cloud.provisioned is not None
    counts = cloud.provisioned.summary()
    lines = [
        "",
        "cnpj-radar local cloud is up",
        f"  API (gateway)      {cloud.api_url}   (stage path /{cloud.gateway.spec.stage} optional)"
        if cloud.gateway
        else "",
        f"  API docs           {cloud.api_url}/docs" if "/docs" in cloud.extra_routes else "",
        f"  Ops dashboard      {cloud.ops_url}" if cloud.ops_server else "",
        f"  AWS emulator       {cloud.endpoint}   (AWS_ENDPOINT_URL)",
        f"  Provider sandbox   {cloud.sandbox_url}"
        if cloud.sandbox_url
        else "  Providers          real (set RADAR_PROVIDERS=sandbox for the offline sandbox)",
        f"  Functions          {', '.join(sorted(rt.spec.name for rt in cloud.runtimes.values()))}",
        f"  Resources          {_resource_counts(counts)}",
        "  Logs               .local/logs/<function>.log and CloudWatch Logs in the emulator",
        f"  State              {cloud.config.state_file}",
        _guarantees_line(cloud.config),
        f"  Ready in           {cloud.timings['ready_s']:.2f} s (synth {'ran' if cloud.synth_ran else 'cached'})",
    ]
    print("\n".join(line for line in lines if line), flush=True)


def _seed(cloud: LocalCloud) -> None:
    try:
        from scripts.seed_demo import seed_demo
    except ImportError:
        return
    try:
        cloud.seed = seed_demo(cloud.api_url)
    except Exception as exc:  # the cloud is still useful without the demo tenant
        print(f"  Demo seed failed: {exc}", flush=True)
        return
    cloud.write_state()
    seed = cloud.seed or {}
    print(
        "\nDemo tenant (shown once; also in the state file):\n"
        f"  e-mail    {seed.get('email')}\n  password  {seed.get('password')}\n  API key   {seed.get('api_key')}\n"
        f"  try:      curl -H 'x-api-key: {seed.get('api_key')}' {cloud.api_url}/targets",
        flush=True,
    )


def cmd_up(args: argparse.Namespace) -> int:
    config = CloudConfig()
    if args.port is not None:
        config.port = args.port
    cloud = LocalCloud(config)
    stop = threading.Event()

    def _handle(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _handle)
    signal.signal(signal.SIGTERM, _handle)
    try:
        cloud.start()
        _print_banner(cloud)
        if config.seed:
            _seed(cloud)
        print("\nPress Ctrl-C to stop.", flush=True)
        while not stop.is_set():
            stop.wait(2.0)
            cloud.write_state()
    finally:
        cloud.stop()
        print("local cloud stopped", flush=True)
    return 0


def cmd_invoke(args: argparse.Namespace) -> int:
    """Run one function's handler once with one event, in a fresh execution environment (like `sam local invoke`)."""
    config = CloudConfig()
    config.port = 0
    config.ops_port = 0
    config.seed = False
    cloud = LocalCloud(config)
    cloud.config.state_file = Path(cloud.config.state_file).with_name("invoke-state.json")
    try:
        cloud.start()
        wanted = args.function.lower()  # a function folder name (checks), a logical id or a function name
        matches = [
            rt
            for lid, rt in cloud.runtimes.items()
            if wanted in (lid.lower(), rt.spec.name.lower())
            or lid.lower() == f"{wanted}function"
            or rt.spec.name.lower().endswith(f"-{wanted}")
        ]
        if len(matches) != 1:
            print(f"no single function matches {args.function!r}: {sorted(cloud.runtimes)}", file=sys.stderr)
            return 2
        event = json.loads(Path(args.event).read_text(encoding="utf-8"))
        result = matches[0].invoke(event)
        time.sleep(0.6)  # let the log sink flush the function's output
        print(json.dumps(result.payload if result.ok else {"error": result.error}, indent=2, default=str))
        return 0 if result.ok else 1
    finally:
        cloud.stop()


def cmd_synth(args: argparse.Namespace) -> int:
    from scripts.localcloud.synth import synth

    started = time.perf_counter()
    path, ran = synth(force=args.force)
    print(f"{path} ({'synthesized' if ran else 'cached'} in {time.perf_counter() - started:.2f} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.localcloud")
    sub = parser.add_subparsers(dest="command")
    up = sub.add_parser("up", help="start the whole local cloud and run until Ctrl-C")
    up.add_argument("--port", type=int, default=None)
    invoke = sub.add_parser("invoke", help="run one function with one event")
    invoke.add_argument("function", help="function folder name or logical id, e.g. checks")
    invoke.add_argument("event", help="path to an event JSON file, e.g. events/checks/get_health.json")
    synth_cmd = sub.add_parser("synth", help="synthesize the CDK app (cached by a hash of the sources)")
    synth_cmd.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    handlers = {"up": cmd_up, "invoke": cmd_invoke, "synth": cmd_synth}
    return handlers.get(args.command or "up", cmd_up)(args)


if __name__ == "__main__":
    sys.exit(main())
