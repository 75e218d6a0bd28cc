"""`make load` (issue 7 item 5): tenants on different plans hit the API concurrently for a fixed time; there must be
no 5xx, every throttled request must get the friendly 429, and p50/p99 latency is reported per route.

Run: `.venv/bin/python -m scripts.load [--seconds 90] [--seed 7]`. Exits 1 on any 5xx or unfriendly 429.
Only touches 127.0.0.1 (the local cloud it starts) and stops that cloud at the end.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from scripts.bench.cloudops import TargetBook, check_states, tenant_on_plan, timed_request, wait_until
from scripts.bench.workload import FINAL_STATES, LatencyTable, synthetic_cnpjs
from tests.support.cloud import start_cloud, stop_cloud

__all__ = ["PLANS", "friendly_429", "main"]

# (plan, client threads): the free tenant is meant to be throttled (2 req/s, burst 5), the others mostly not.
PLANS: tuple[tuple[str, int], ...] = (("free", 2), ("pro", 2), ("business", 2), ("enterprise", 2))
WARM_CNPJS = 12  # sync checks hit these (cached): uncached sync checks would wait on the public provider limits


def friendly_429(response: httpx.Response) -> bool:
    """The product's 429: JSON error with a code and a message that says what to do (slow down or upgrade)."""
    if response.status_code != 429:
        return False
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    message = str(error.get("message", ""))
    return bool(error.get("code")) and len(message) > 10 and ("upgrade" in message.lower() or "slow" in message.lower())


@dataclass
class Outcome:
    table: LatencyTable
    unfriendly_429: list[str]
    server_errors: list[str]
    transport_errors: int = 0
    by_plan: Counter[tuple[str, int]] = field(default_factory=Counter)  # (plan, status) -> requests


def _client_loop(http: httpx.Client, targets: list[str], warm: list[str], book: TargetBook, rng: random.Random,
                 until: float, outcome: Outcome, lock: threading.Lock) -> None:
    check_ids: list[str] = []
    fresh = synthetic_cnpjs(200, seed=rng.randrange(10**6))
    while time.monotonic() < until:
        roll = rng.random()
        if roll < 0.25:
            request: tuple[str, str, dict[str, Any]] = ("GET", "/targets?limit=20", {})
        elif roll < 0.40:
            request = ("GET", f"/targets/{rng.choice(targets)}", {})
        elif roll < 0.60:
            request = ("POST", f"/targets/{rng.choice(targets)}/checks", {})  # sync, cached CNPJ
        elif roll < 0.70 and fresh:
            cnpj = fresh.pop()
            try:
                target = book.target_id(http, cnpj, outcome.table)
            except RuntimeError as exc:  # throttled or over quota while creating: recorded by the table already
                if "429" not in str(exc) and "402" not in str(exc) and "403" not in str(exc):
                    with lock:
                        outcome.server_errors.append(str(exc)[:200])
                continue
            request = ("POST", f"/targets/{target}/checks?async=true", {})
        elif roll < 0.85 and check_ids:
            request = ("GET", f"/checks/{rng.choice(check_ids)}", {})
        elif roll < 0.95:
            request = ("GET", "/usage", {})
        else:
            request = ("GET", "/health", {})
        method, path, kwargs = request
        try:
            response = timed_request(http, outcome.table, method, path, **kwargs)
        except httpx.HTTPError:
            with lock:
                outcome.transport_errors += 1
            continue
        with lock:
            outcome.by_plan[(threading.current_thread().name.removeprefix("load-"), response.status_code)] += 1
        if response.status_code in (201, 202) and "/checks" in path:
            check_ids.append(str(response.json()["id"]))
        if response.status_code >= 500:
            with lock:
                outcome.server_errors.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
        elif response.status_code == 429:
            if not friendly_429(response):
                with lock:
                    outcome.unfriendly_429.append(f"{method} {path}: {response.text[:200]}")
            time.sleep(float(response.headers.get("Retry-After", "0.5") or 0.5) if rng.random() < 0.5 else 0.05)


def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    started = time.perf_counter()
    outcome = Outcome(table=LatencyTable(), unfriendly_429=[], server_errors=[])
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="radar-load-") as tmp:
        cloud = start_cloud(Path(tmp), providers="sandbox")
        try:
            cloud.sandbox(latency_ms=50, latency_jitter_ms=20)
            main_table = str(cloud.state["resources"]["MainTable"]["ref"])
            warm = synthetic_cnpjs(WARM_CNPJS, seed=args.seed)
            tenants = []
            for plan, clients in PLANS:
                tenant, admin = tenant_on_plan(cloud, plan)
                # Warm the cache for this tenant's sync checks through a batch (the worker waits on provider limits).
                batch = admin.post("/checks/batch", json={"cnpjs": warm})
                if batch.status_code != 202:
                    raise RuntimeError(f"warm-up batch ({plan}): {batch.status_code} {batch.text[:200]}")
                refs = batch.json()["checks"]
                target_ids = [ref["target_id"] for ref in refs]
                tenants.append((plan, clients, tenant, target_ids, [ref["check_id"] for ref in refs]))
                admin.close()
            all_ids = [check_id for *_, ids in tenants for check_id in ids]
            warmed = wait_until(
                lambda: all(check_states(main_table).get(c) in FINAL_STATES for c in all_ids),
                timeout=180, interval=2,
            )
            print(f"cache warm-up ({WARM_CNPJS} CNPJs x {len(tenants)} tenants): {'done' if warmed else 'TIMED OUT'}",
                  flush=True)

            until = time.monotonic() + args.seconds
            threads = []
            for plan, clients, tenant, targets, _ in tenants:
                book = TargetBook()
                for _ in range(clients):
                    http = tenant.client(timeout=60)
                    thread = threading.Thread(
                        target=_client_loop,
                        args=(http, targets, warm, book, random.Random(rng.random()), until, outcome, lock),
                        name=f"load-{plan}",
                    )
                    thread.start()
                    threads.append(thread)
            for thread in threads:
                thread.join(timeout=args.seconds + 120)
            per_plan = Counter({plan: clients for plan, clients, *_ in tenants})
        finally:
            stop_cloud(cloud)

    statuses = outcome.table.all_statuses()
    total = sum(statuses.values())
    print(f"load: {args.seconds:.0f} s, tenants by plan (client threads) {dict(per_plan)}, {total} requests, "
          f"{total / args.seconds:.1f} req/s")
    print(f"{'route':40} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for route, count, p50, p99 in outcome.table.rows():
        codes = ", ".join(f"{code}:{n}" for code, n in sorted(outcome.table.statuses[route].items()))
        print(f"{route:40} {count:>8} {p50:>8.1f} {p99:>8.1f}  {codes}")
    for plan, _ in PLANS:
        codes = ", ".join(f"{code}:{n}" for (p, code), n in sorted(outcome.by_plan.items()) if p == plan)
        print(f"plan {plan:10} {codes}")
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    throttled = statuses.get(429, 0)
    print(f"5xx: {server_errors}")
    print(f"429: {throttled} ({throttled - len(outcome.unfriendly_429)} friendly, "
          f"{len(outcome.unfriendly_429)} not)")
    print(f"transport errors: {outcome.transport_errors}")
    for line in (outcome.server_errors + outcome.unfriendly_429)[:10]:
        print(f"  {line}")
    ok = server_errors == 0 and not outcome.unfriendly_429 and outcome.transport_errors == 0
    print(f"load: {'PASS' if ok else 'FAIL'} in {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=90.0, help="how long the tenants send requests")
    parser.add_argument("--seed", type=int, default=7)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
