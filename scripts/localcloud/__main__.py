"""`python -m scripts.localcloud up|invoke|synth|schedule`: the local cloud's command line."""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from scripts.localcloud.cloud import CloudConfig, LocalCloud
from scripts.localcloud.ports import PortTaken
from scripts.localcloud.services import SERVICES


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


def _kept_state_line(cloud: LocalCloud) -> str:
    """Whether the emulator's state was carried over from the last run (and that it will be kept for the next)."""
    restored = cloud.restored
    if not cloud.keeps_state:
        return f"  Saved state        none ({restored.get('reason', 'not kept')})"
    where = cloud.emulator_state_file
    if restored.get("restored"):
        counts = restored.get("counts") or {}
        what = ", ".join(f"{counts.get(k, 0)} {label}" for k, label in (
            ("tables", "tables"), ("items", "items"), ("secrets", "secrets"), ("api_keys", "API keys"),
            ("messages", "queued messages")))
        head = f"restored from the last run ({what}; saved {restored.get('saved_at')})"
    else:
        head = f"fresh ({restored.get('reason')})"
        if restored.get("set_aside"):
            head += f"; the unreadable file is kept as {restored['set_aside']}"
    return f"  Saved state        {head}\n                     kept in {where} on stop; `make clean` forgets it"


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
        *(f"  {service.title:<18} {cloud.service_url(service.key)}" if cloud.service_url(service.key)
          else (f"  {service.off_hint}" if service.off_hint else "") for service in SERVICES),
        f"  AWS emulator       {cloud.endpoint}   (AWS_ENDPOINT_URL)",
        f"  Functions          {', '.join(sorted(rt.spec.name for rt in cloud.runtimes.values()))}",
        f"  Resources          {_resource_counts(counts)}",
        "  Logs               .local/logs/<function>.log and CloudWatch Logs in the emulator",
        f"  State file         {cloud.config.state_file} (0600: it holds the demo credentials)",
        _kept_state_line(cloud),
        _guarantees_line(cloud.config),
        f"  Ready in           {cloud.timings['ready_s']:.2f} s (synth {'ran' if cloud.synth_ran else 'cached'})",
    ]
    print("\n".join(line for line in lines if line), flush=True)


def _previous_seed(state_file: Path) -> dict[str, Any] | None:
    try:
        seed = json.loads(state_file.read_text(encoding="utf-8")).get("seed")
    except (OSError, ValueError):
        return None
    return seed if isinstance(seed, dict) else None


def _seed(cloud: LocalCloud, previous: dict[str, Any] | None) -> None:
    try:
        from scripts.seed_demo import seed_demo
    except ImportError:
        return
    kept = previous.get("api_key") if previous and cloud.restored.get("restored") else None
    try:
        cloud.seed = seed_demo(cloud.api_url, keep_key=kept)
    except Exception as exc:  # the cloud is still useful without the demo tenant
        print(f"  Demo seed failed: {exc}", flush=True)
        return
    cloud.write_state()
    seed = cloud.seed or {}
    print(
        "\nDemo tenant (also in the state file):\n"
        f"  e-mail    {seed.get('email')}\n  password  {seed.get('password')}\n  API key   {seed.get('api_key')}"
        f"{'   (the one from the last run)' if seed.get('api_key') == kept else ''}\n"
        f"  try:      curl -H 'x-api-key: {seed.get('api_key')}' {cloud.api_url}/targets",
        flush=True,
    )
    if cloud.service_url("console"):
        print(f"  console:  {cloud.service_url('console')}/login  (sign in with the e-mail and password above)",
              flush=True)


def cmd_up(args: argparse.Namespace) -> int:
    config = CloudConfig()
    if args.port is not None:
        config.port = args.port
    previous = _previous_seed(config.state_file)
    cloud = LocalCloud(config)
    stop = threading.Event()

    def _handle(signum: int, frame: Any) -> None:
        if stop.is_set():
            print("\nstill stopping (saving the emulator's state); one moment", file=sys.stderr, flush=True)
            return
        stop.set()

    signal.signal(signal.SIGINT, _handle)
    signal.signal(signal.SIGTERM, _handle)
    try:
        try:
            cloud.start()
        except PortTaken as exc:
            print(f"make up: {exc}", file=sys.stderr, flush=True)
            return 1
        except Exception:
            if stop.is_set():  # Ctrl-C during the start (synth or a worker interrupted): no traceback for that
                print("make up: interrupted while starting", file=sys.stderr, flush=True)
                return 130
            raise
        if stop.is_set():
            return 130
        _print_banner(cloud)
        if config.seed:
            _seed(cloud, previous)
        print("\nPress Ctrl-C to stop.", flush=True)
        while not stop.is_set():
            stop.wait(2.0)
            cloud.write_state()
    finally:
        if cloud.keeps_state and cloud.moto is not None:
            print(f"\nstopping; saving the emulator's state to {cloud.emulator_state_file}", flush=True)
        cloud.stop()
        print("local cloud stopped", flush=True)
    return 0


# API-key placeholders in the sample events (events/*.json): filled in with a real key by `make invoke`.
_KEY_PLACEHOLDER = re.compile(r"rdr_REPLACE_WITH_[A-Z0-9_]+")


def _fill_placeholders(event_text: str, cloud: LocalCloud) -> str:
    """A sample event's API-key placeholder becomes a working key of a demo tenant seeded in this private cloud."""
    if not _KEY_PLACEHOLDER.search(event_text):
        return event_text
    from scripts.seed_demo import seed_demo

    key = str(seed_demo(cloud.api_url)["api_key"])
    print(f"(the event's API-key placeholder is filled with a demo tenant's key: {key[:8]}...)", file=sys.stderr)
    return _KEY_PLACEHOLDER.sub(key, event_text)


def cmd_invoke(args: argparse.Namespace) -> int:
    """Run one function's handler once with one event, in a fresh execution environment, printing its logs and then
    its result (like `sam local invoke`). The cloud is private: any free ports, its own emulator, nothing kept."""
    config = CloudConfig(port=0, moto_port=0, service_ports={service.key: 0 for service in SERVICES},
                         seed=False, persist=False, console=False)
    config.state_file = config.state_file.parent / "invoke" / "state.json"  # its own logs, apart from make up's
    cloud = LocalCloud(config)
    try:
        cloud.start()
        wanted = args.function.lower()  # a function folder name (checks), a logical id or a function name
        matches = [
            rt
            for lid, rt in cloud.runtimes.items()
            if wanted in (lid.lower(), rt.spec.name.lower(), f"{wanted}function")
            or rt.spec.name.lower().endswith(f"-{wanted}")
        ]
        if len(matches) != 1:
            print(f"no single function matches {args.function!r}: {sorted(cloud.runtimes)}", file=sys.stderr)
            return 2
        runtime = matches[0]
        event = json.loads(_fill_placeholders(Path(args.event).read_text(encoding="utf-8"), cloud))
        runtime.shutdown()  # a fresh execution environment, whatever the seeding above ran on it
        assert cloud.log_sink is not None
        reported = threading.Event()

        def show(function_name: str, stream: str, line: str) -> None:
            if function_name == runtime.spec.name:
                print(line, file=sys.stderr, flush=True)
                if line.startswith("REPORT RequestId"):
                    reported.set()

        print(f"Invoking {runtime.spec.handler} ({runtime.spec.runtime}) as {runtime.spec.name}", file=sys.stderr)
        cloud.log_sink.taps.append(show)
        result = runtime.invoke(event)
        reported.wait(5.0)
        cloud.log_sink.taps.remove(show)
        print(json.dumps(result.payload if result.ok else {"error": result.error}, indent=2, default=str))
        return 0 if result.ok else 1
    except PortTaken as exc:
        print(f"make invoke: {exc}", file=sys.stderr)
        return 1
    finally:
        cloud.stop()


def cmd_synth(args: argparse.Namespace) -> int:
    from scripts.localcloud.synth import synth

    started = time.perf_counter()
    path, ran = synth(force=args.force)
    print(f"{path} ({'synthesized' if ran else 'cached'} in {time.perf_counter() - started:.2f} s)")
    return 0


def cmd_schedule(args: argparse.Namespace) -> int:
    """Fire one EventBridge schedule of the running local cloud now (or list them), through its gateway's local-only
    control (scripts/localcloud/schedules.py); prints the targets' results."""
    import urllib.error
    import urllib.request

    from scripts.localcloud.schedules import CONTROL_PATH

    state_file = Path(args.state) if args.state else CloudConfig().state_file
    try:
        api_url = json.loads(state_file.read_text(encoding="utf-8"))["api_url"]
    except (OSError, ValueError, KeyError):
        print(f"no running local cloud ({state_file} unreadable): start it with `make up`", file=sys.stderr)
        return 1
    url = f"{api_url}{CONTROL_PATH}" + (f"/{args.rule}" if args.rule else "")
    request = urllib.request.Request(url, method="POST" if args.rule else "GET")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    except OSError as exc:
        print(f"the local cloud at {api_url} does not answer ({exc}): is `make up` running?", file=sys.stderr)
        return 1
    print(json.dumps(json.loads(body), indent=2))
    return 0 if status == 200 else 1


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
    schedule = sub.add_parser("schedule", help="on the running local cloud: fire an EventBridge schedule now")
    schedule.add_argument("rule", nargs="?", help="logical id or name, e.g. BillingSweepSchedule (none: list them)")
    schedule.add_argument("--state", default=None, help="the local cloud's state file (default .local/state.json)")
    args = parser.parse_args(argv)
    handlers = {"up": cmd_up, "invoke": cmd_invoke, "synth": cmd_synth, "schedule": cmd_schedule}
    if args.command is None:
        args = parser.parse_args(["up", *(argv or [])])
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
