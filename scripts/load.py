"""`make load`: tenants on different plans hit the API concurrently for a fixed time; there must be no 5xx, every
throttled request must get the friendly 429, and p50/p99 latency is reported per route (live while it runs: a table
under the bars on a terminal, the rows every few seconds in a log).

Run: `.venv/bin/python -m scripts.load [--seconds 90] [--seed 7]`: a private local cloud on 127.0.0.1, stopped at the
end. `--api-url URL` loads the API already serving URL instead (only over HTTP: tenants are signed up through the API
and the cache warm-up is followed with GET /checks/{id}). Exits 1 on any 5xx or unfriendly 429.
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

from scripts.bench.cloudops import TargetBook, tenant_on_plan, timed_request
from scripts.bench.progress import Progress
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


def _route_rows(table: LatencyTable) -> list[tuple[str, int, float, float, str]]:
    return [(route, count, p50, p99, ", ".join(f"{code}:{n}" for code, n in sorted(table.statuses[route].items())))
            for route, count, p50, p99 in table.rows()]


def _live_table(outcome: Outcome, lock: threading.Lock) -> Any:
    from rich.table import Table

    table = Table(title="per route (live)", title_justify="left", expand=False)
    for column in ("route", "requests", "p50 ms", "p99 ms", "statuses"):
        table.add_column(column, justify="left" if column in ("route", "statuses") else "right")
    with lock:
        rows = _route_rows(outcome.table)
    for route, count, p50, p99, codes in rows:
        table.add_row(route, str(count), f"{p50:.1f}", f"{p99:.1f}", codes)
    return table


def _live_lines(outcome: Outcome, lock: threading.Lock) -> list[str]:
    with lock:
        rows = _route_rows(outcome.table)
    return [f"  {route}: {count} req, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {codes}"
            for route, count, p50, p99, codes in rows]


def _warm_up(api_url: str, warm: list[str], progress: Progress) -> list[tuple[str, int, Any, list[str]]]:
    """A tenant per plan, each with the warm CNPJs checked once through a batch (so the sync checks are cached);
    the batches are followed over the API (one GET /checks/batch/{id} per tenant and poll: the free plan has room)."""
    tenants: list[tuple[str, int, Any, list[str]]] = []
    batches: list[tuple[Any, str]] = []
    for plan, clients in PLANS:
        tenant, admin = tenant_on_plan(api_url, plan)
        batch = admin.post("/checks/batch", json={"cnpjs": warm})
        if batch.status_code != 202:
            raise RuntimeError(f"warm-up batch ({plan}): {batch.status_code} {batch.text[:200]}")
        body = batch.json()
        tenants.append((plan, clients, tenant, []))  # its target ids, once the fan-out made them
        batches.append((admin, str(body["batch_id"])))
    warming = progress.stage("cache warm-up", total=WARM_CNPJS * len(tenants))
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            final = 0
            for admin, batch_id in batches:
                response = admin.get(f"/checks/batch/{batch_id}")
                counts = response.json().get("counts", {}) if response.status_code == 200 else {}
                final += sum(int(counts.get(state, 0)) for state in FINAL_STATES)
            warming.update(completed=final)
            if final == warming.total:
                break
            time.sleep(2)
        for (_, _, _, target_ids), (admin, batch_id) in zip(tenants, batches, strict=True):
            cursor = None
            while True:  # the batch's checks name the targets the fan-out made
                params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
                page = admin.get(f"/checks/batch/{batch_id}/checks", params=params).json()
                target_ids.extend(str(c["target_id"]) for c in page.get("items", []))
                if not (cursor := page.get("next_cursor")):
                    break
    finally:
        for admin, _ in batches:
            admin.close()
    warming.done(f"{WARM_CNPJS} CNPJs x {len(tenants)} tenants" if warming.completed == warming.total else "TIMED OUT")
    return tenants


def _load(api_url: str, args: argparse.Namespace, rng: random.Random, progress: Progress, outcome: Outcome,
          lock: threading.Lock) -> Counter[str]:
    warm = synthetic_cnpjs(WARM_CNPJS, seed=args.seed)
    tenants = _warm_up(api_url, warm, progress)
    progress.table(lambda: _live_table(outcome, lock), lambda: _live_lines(outcome, lock))
    loading = progress.stage("load", total=args.seconds)
    until = time.monotonic() + args.seconds
    threads = []
    for plan, clients, tenant, targets in tenants:
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
    while any(thread.is_alive() for thread in threads):
        elapsed = args.seconds - max(0.0, until - time.monotonic())
        with lock:
            statuses = outcome.table.all_statuses()
        total = sum(statuses.values())
        loading.update(completed=min(elapsed, args.seconds), status=(
            f"{total} requests, {total / max(elapsed, 1e-3):.1f} req/s, "
            f"5xx {sum(n for code, n in statuses.items() if code >= 500)}, 429 {statuses.get(429, 0)}"))
        for thread in threads:
            thread.join(timeout=1.0)
    loading.done()
    return Counter({plan: clients for plan, clients, *_ in tenants})


def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    started = time.perf_counter()
    outcome = Outcome(table=LatencyTable(), unfriendly_429=[], server_errors=[])
    lock = threading.Lock()
    with Progress() as progress:
        if args.api_url:
            progress.note(f"loading {args.api_url} (over HTTP only; provider latency is whatever that cloud has)")
            per_plan = _load(args.api_url, args, rng, progress, outcome, lock)
        else:
            with tempfile.TemporaryDirectory(prefix="radar-load-") as tmp:
                starting = progress.stage("local cloud", status="starting a private one")
                cloud = start_cloud(Path(tmp), providers="sandbox")
                starting.done(cloud.api_url)
                try:
                    cloud.sandbox(latency_ms=50, latency_jitter_ms=20)
                    per_plan = _load(cloud.api_url, args, rng, progress, outcome, lock)
                finally:
                    stop_cloud(cloud)

    statuses = outcome.table.all_statuses()
    total = sum(statuses.values())
    print(f"load: {args.seconds:.0f} s, tenants by plan (client threads) {dict(per_plan)}, {total} requests, "
          f"{total / args.seconds:.1f} req/s")
    print(f"{'route':40} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for route, count, p50, p99, codes in _route_rows(outcome.table):
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
    parser.add_argument("--api-url", help="load this running API instead of a private local cloud")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
