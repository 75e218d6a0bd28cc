"""`make chaos`: 500 async checks while the sandbox fails 30 % of provider calls and worker processes are killed at
random, at the providers' real limits (time-scaled, `--time-scale 10`) with 30 % duplicate SQS delivery; at the end
every accepted check is in exactly one final state (succeeded, or failed for a stated reason), the queues and the DLQ
account for every message, and the sandbox counted 0 limit violations.
Shows its counts as it goes (bars on a terminal, a line every few seconds in a log); prints the totals; exits 1 when
the books do not balance.

Run: `.venv/bin/python -m scripts.chaos [--checks 500] [--fault-rate 0.3] [--kills 6] [--seed 7]
[--duplicate-rate 0.3] [--time-scale 10] [--lift-limits]`: a private local cloud on 127.0.0.1 (delivering that share
of SQS messages twice, its sandbox and schedules at that time scale), stopped at the end. `--api-url URL` runs it on
the local cloud already serving URL instead (found through its state file, `--state`, default .local/state.json; it
needs RADAR_PROVIDERS=sandbox): a tenant is signed up through the API, its faults and queue settings are put back
afterwards, and the cloud is left running.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from scripts.bench.cloudops import (
    LIFTED_PROVIDER_LIMITS,
    check_items,
    check_states,
    dlq_check_ids,
    limits_lifted,
    local_cloud,
    queue_counts,
    set_visibility_timeout,
    submit_batches,
    tenant_on_plan,
)
from scripts.bench.progress import Progress
from scripts.bench.workload import FINAL_STATES, account_states, synthetic_cnpjs
from tests.support.cloud import RunningCloud

__all__ = ["main"]

# Above the worker's 60 s timeout (as AWS requires of an event source queue), far below the template's 360 s, so a
# batch whose worker was killed comes back within the run.
CHAOS_VISIBILITY_TIMEOUT_S = 65
SETTLE_TIMEOUT_S = 480


def _worker_pids(cloud: RunningCloud) -> list[int]:
    return [pid for lid, pids in cloud.function_pids().items() if lid.startswith("Worker") for pid in pids]


def _killer(cloud: RunningCloud, kills: int, window_s: float, rng: random.Random, stop: threading.Event,
            killed: list[int]) -> None:
    """SIGKILL a random worker process of the cloud we started, `kills` times spread over `window_s` seconds."""
    for _ in range(kills):
        if stop.wait(rng.uniform(0.5, 1.5) * window_s / max(kills, 1)):
            return
        pids = _worker_pids(cloud)
        if not pids:
            continue
        victim = rng.choice(pids)
        try:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        except ProcessLookupError:
            continue


def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="radar-chaos-") as tmp, Progress() as progress:
        starting = progress.stage("local cloud", status=args.api_url or "starting a private one")
        extra_env = {"RADAR_SQS_DUPLICATE_RATE": str(args.duplicate_rate),
                     "RADAR_SANDBOX_TIME_SCALE": str(args.time_scale)}
        if args.lift_limits:
            extra_env["RADAR_FUNCTION_ENV"] = json.dumps(LIFTED_PROVIDER_LIMITS)
        with local_cloud(args.api_url, args.state, Path(tmp), providers="sandbox", extra_env=extra_env) as cloud:
            starting.done(cloud.api_url)
            duplicates = cloud.state.get("weaker_guarantees", {}).get("sqs_duplicate_rate", 0)
            progress.note(f"duplicate SQS delivery: {float(duplicates):.0%} of messages"
                          + (" (the running cloud's RADAR_SQS_DUPLICATE_RATE)" if args.api_url else ""))
            if not cloud.state.get("sandbox_url"):
                progress.note(f"{cloud.api_url} runs with the real providers: chaos needs RADAR_PROVIDERS=sandbox")
                return 2
            if not limits_lifted(cloud):
                progress.note("the provider token buckets are the cloud's own (not lifted): checks wait for capacity")
            return _chaos(cloud, args, rng, progress, started)
    return 1  # unreachable: the cloud block returns


def failure_reasons(main_table: str, check_ids: list[str]) -> dict[str, str]:
    """check id -> failure_reason ("" when a failed check has none) of the failed checks among `check_ids`."""
    wanted = set(check_ids)
    return {
        str(item["sk"]).removeprefix("CHECK#"): str(item.get("failure_reason") or "")
        for item in check_items(main_table)
        if item.get("status") == "failed" and str(item["sk"]).removeprefix("CHECK#") in wanted
    }


def _chaos(cloud: RunningCloud, args: argparse.Namespace, rng: random.Random, progress: Progress,
           started: float) -> int:
    resources = cloud.state["resources"]
    # Single checks and batch items have a lane each (docs/architecture.md): both are accounted.
    queue_urls = [str(resources[name]["ref"]) for name in ("ChecksQueue", "BatchQueue") if name in resources]
    dlq_url = str(resources["ChecksDlq"]["ref"])
    main_table = str(resources["MainTable"]["ref"])
    previous = {url: set_visibility_timeout(url, CHAOS_VISIBILITY_TIMEOUT_S) for url in queue_urls}
    progress.note(f"queues' VisibilityTimeout lowered at run time: {set(previous.values())} s -> "
                  f"{CHAOS_VISIBILITY_TIMEOUT_S} s (maxReceiveCount stays the template's)")
    before = cloud.sandbox_stats()
    real_limits = not limits_lifted(cloud)
    cloud.sandbox(fault_rate=args.fault_rate, faults=["5xx", "timeout", "html", "truncated", "429"],
                  rate_limits=real_limits, timeout_seconds=6, seed=args.seed)
    progress.note(f"sandbox: {args.fault_rate:.0%} of provider calls fail (5xx, timeout, html, truncated, 429); "
                  + (f"real provider limits at time scale {before.get('time_scale')}" if real_limits
                     else f"provider buckets lifted for the run: {LIFTED_PROVIDER_LIMITS}"))

    def queue_totals() -> tuple[int, int]:
        counts = [queue_counts(url) for url in queue_urls]
        return sum(v for v, _ in counts), sum(f for _, f in counts)

    stop = threading.Event()
    killed: list[int] = []
    try:
        _, http = tenant_on_plan(cloud.api_url, "enterprise")
        killer = threading.Thread(target=_killer, args=(cloud, args.kills, args.kill_window, rng, stop, killed))
        killer.start()
        cnpjs = synthetic_cnpjs(args.checks, seed=args.seed)
        submitting = progress.stage("submit", total=len(cnpjs))
        try:
            accepted, batch_ids = submit_batches(http, cnpjs, args.batch_size, on_batch=submitting.advance)
        except RuntimeError as exc:
            progress.note(str(exc))
            stop.set()
            return 1
        submitting.done(f"{len(accepted)} checks in {len(batch_ids)} batches")

        settling = progress.stage("settle", total=len(accepted))
        deadline = time.monotonic() + args.settle_timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            states = check_states(main_table)
            by_state = Counter(states.get(c, "missing") for c in accepted)
            final = sum(by_state[s] for s in FINAL_STATES)
            visible, in_flight = queue_totals()
            settling.update(completed=final, status=(
                f"{by_state['succeeded']} succeeded, {by_state['failed']} failed, {by_state['queued']} queued, "
                f"{by_state['running']} running · queue {visible} visible {in_flight} in flight · "
                f"{len(killed)} workers killed"))
            if final == len(accepted) and visible == 0 and in_flight == 0:
                break
            time.sleep(5)
        settling.done()
        stop.set()
        killer.join(timeout=30)
        time.sleep(2)  # let a last delete reach SQS
        states = check_states(main_table)
        visible, in_flight = queue_totals()
        dlq_ids = dlq_check_ids(dlq_url)
        account = account_states(accepted, states, queue_visible=visible, queue_in_flight=in_flight,
                                 dlq_check_ids=dlq_ids)
        counters: Counter[str] = Counter()
        batches_done = True
        for batch_id in batch_ids:
            batch = http.get(f"/checks/batch/{batch_id}").json()
            counters.update({k: int(v) for k, v in (batch.get("counts") or {}).items()})
            batches_done = batches_done and bool(batch.get("done"))
        stats = cloud.sandbox_stats()
        http.close()
    finally:
        stop.set()
        if cloud.process is None:  # someone else's cloud: put back what the run changed
            for url, timeout in previous.items():
                set_visibility_timeout(url, timeout)
            cloud.sandbox(fault_rate=0.0, rate_limits=True)

    calls = {p: int(n) - int(before["requests"].get(p, 0)) for p, n in stats["requests"].items()}
    print(f"upstream calls: {sum(calls.values())} by provider {calls}, injected faults {stats.get('faults')}")
    violations = int(stats.get("violations", 0)) - int(before.get("violations", 0))
    reasons = Counter(r for r in failure_reasons(main_table, accepted).values())
    print(f"provider limit violations (429s that were not injected faults): {violations}")
    print(f"failed by reason: {dict(reasons)}")
    print(f"worker processes killed: {len(killed)}")
    print(f"accepted: {account.accepted}")
    for state in ("queued", "running", *FINAL_STATES):
        print(f"{state}: {account.by_status.get(state, 0)}")
    print(f"missing: {account.missing}")
    print(f"final: {account.final} of {account.accepted}")
    print(f"lost: {account.lost} (no item, stranded with the queues empty, or in the DLQ without a failed check)")
    print(f"batch counters: {dict(counters)} all done={batches_done}")
    print(f"queues (checks + batch lanes): visible {account.queue_visible}, in flight {account.queue_in_flight}")
    print(f"dlq: {account.dlq_messages} messages, {account.dlq_unfailed} without a failed check")
    counters_agree = (counters.get("succeeded") == account.by_status.get("succeeded", 0)
                      and counters.get("failed") == account.by_status.get("failed", 0))
    print(f"batch counters agree with check states: {counters_agree}")
    stated = sum(reasons.values()) == account.by_status.get("failed", 0) and "" not in reasons
    print(f"every failed check states its reason: {stated}")
    ok = account.consistent and counters_agree and stated and (violations == 0 or not real_limits)
    print(f"chaos: {'PASS' if ok else 'FAIL'} in {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checks", type=int, default=500)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument("--kills", type=int, default=6, help="worker processes to SIGKILL during the run")
    parser.add_argument("--kill-window", type=float, default=90.0, help="seconds over which the kills are spread")
    parser.add_argument("--batch-size", type=int, default=100, help="CNPJs per POST /checks/batch (at most 10,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--settle-timeout", type=float, default=SETTLE_TIMEOUT_S,
                        help=f"seconds to wait for every check to be final (default {SETTLE_TIMEOUT_S})")
    parser.add_argument("--time-scale", type=float, default=10.0,
                        help="the private cloud's sandbox and provider schedules run this much faster (real limits)")
    parser.add_argument("--lift-limits", action="store_true", help="lift the provider limits (the old chaos run)")
    parser.add_argument("--duplicate-rate", type=float, default=0.3,
                        help="share of SQS messages the private cloud delivers twice (RADAR_SQS_DUPLICATE_RATE)")
    parser.add_argument("--api-url", help="run on the local cloud serving this URL instead of a private one")
    parser.add_argument("--state", type=Path, default=None, help="that cloud's state file (default .local/)")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
