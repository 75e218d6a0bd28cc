"""Console figures, one `name: value` line each (for `make bench`):

- `console_js_gzip_kb`: the JavaScript the first page needs (the entry chunk and what it imports statically, from
  Vite's manifest; the companies list is in it), gzip -9, in KiB. Goal: at most 200.
- `console_first_render_ms`: the companies page on the local cloud, from the performance timeline: from the route's
  first render to the first paint of the list with its data (20 companies), on a first visit (cold query cache),
  median of RUNS browser contexts. Each run is a fresh context: sign-in, then the page.
- `console_health_p50_ms`: GET /health's p50 through the same local gateway in the same run, for scale.

The session is in memory only (no storage), so a cold document load of the companies page would be a sign-in
page; with the API's cookie mode (console/API_NEEDS.md 1) the measure can start at navigation instead.

Run: `.venv/bin/python -m scripts.console.bench [--api-url URL]` (a private local cloud is started without it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from scripts.bench.common import emit, percentile
from scripts.console.build import build
from scripts.console.server import start_console
from tests.support.browser import chromium
from tests.support.cloud import Tenant, signup, start_cloud, stop_cloud
from tests.support.cnpjs import random_cnpjs

__all__ = ["first_render_ms", "initial_js_gzip_kb", "main"]

RUNS = 7
TARGETS = 20
HEALTH_SAMPLES = 50


def initial_js_gzip_kb(dist: Path) -> tuple[float, list[str]]:
    """Gzipped KiB of the entry chunk and its static imports (what the first page loads before it can render)."""
    manifest: dict[str, dict[str, Any]] = json.loads((dist / ".vite" / "manifest.json").read_text())
    entry = next(key for key, chunk in manifest.items() if chunk.get("isEntry"))
    seen: list[str] = []
    stack = [entry]
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.append(key)
        stack.extend(manifest[key].get("imports", []))
    files = [manifest[key]["file"] for key in seen if manifest[key]["file"].endswith(".js")]
    total = sum(len(gzip.compress((dist / name).read_bytes(), compresslevel=9)) for name in files)
    return total / 1024, files


def _seed(api_url: str) -> Tenant:
    tenant = signup(api_url, plan_roles=())
    tenant.upgrade("business")  # 20 creations in a burst
    with tenant.client(bearer=True) as http:
        for cnpj in random_cnpjs(TARGETS, seed=int(time.time()) % 100_000):
            created = http.post("/targets", json={"cnpj": cnpj, "label": f"bench {cnpj[:4]}", "tags": ["bench"]})
            if created.status_code != 201:
                raise RuntimeError(f"target: {created.status_code} {created.text[:200]}")
    return tenant


def first_render_ms(console_url: str, tenant: Tenant, runs: int = RUNS) -> tuple[list[float], list[float]]:
    """(render samples, the page's GET /targets durations from resource timing), one of each per run."""
    samples: list[float] = []
    requests: list[float] = []
    with chromium() as browser:
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{console_url}/login")
            page.fill("#login-email", tenant.email)
            page.fill("#login-password", tenant.password)
            page.click("[data-testid=login-submit]")
            page.wait_for_selector(f"[data-testid=targets-table] tbody tr:nth-child({TARGETS})")
            page.wait_for_function("() => performance.getEntriesByName('radar:targets-rendered').length > 0")
            render, request = page.evaluate(
                "() => { const s = performance.getEntriesByName('radar:targets-start').at(-1);"
                " const r = performance.getEntriesByName('radar:targets-rendered').at(-1);"
                " const q = performance.getEntriesByType('resource')"
                ".filter(e => e.name.includes('/v1/targets?')).at(-1);"
                " return [r.startTime - s.startTime, q ? q.duration : NaN]; }"
            )
            samples.append(render)
            requests.append(request)
            context.close()
    return samples, requests


def health_p50_ms(api_url: str) -> float:
    latencies: list[float] = []
    with httpx.Client(base_url=api_url, timeout=30) as http:
        http.get("/health")
        for _ in range(HEALTH_SAMPLES):
            started = time.perf_counter()
            http.get("/health").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return percentile(latencies, 50)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scripts.console.bench", description=__doc__)
    parser.add_argument("--api-url", help="a running local cloud's API (else a private one is started)")
    args = parser.parse_args(argv)
    dist, _ = build()
    kb, files = initial_js_gzip_kb(dist)
    print(f"# initial JavaScript: {', '.join(files)}", flush=True)
    emit("console_js_gzip_kb", kb, "KiB")
    with ExitStack() as stack:
        api_url = args.api_url
        if not api_url:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="console-bench-")))
            cloud = start_cloud(directory)
            stack.callback(stop_cloud, cloud)
            api_url = cloud.api_url
        server, url = start_console(api_url, build_first=False)
        stack.callback(server.stop)
        tenant = _seed(api_url)
        samples, requests = first_render_ms(url, tenant)
        print(f"# the page's GET /targets (resource timing), median: {statistics.median(requests):.1f} ms", flush=True)
        emit("console_first_render_ms", statistics.median(samples), "ms")
        emit("console_health_p50_ms", health_p50_ms(api_url), "ms")


if __name__ == "__main__":
    main()
