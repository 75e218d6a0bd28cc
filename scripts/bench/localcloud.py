"""Local cloud figures: `make up` to first /health 200 (cold and warm synth cache), /health latency through
the gateway vs the handler in-process, and resident memory of the whole local cloud.

Run: `.venv/bin/python -m scripts.bench.localcloud` (prints `name: value` lines).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import httpx

from scripts.bench.common import REPO, BenchContext, emit, load_event, load_handler, percentile, tree_rss_mb
from tests.support.cloud import start_cloud, stop_cloud

REQUESTS = 500


def startup(label: str, directory: Path, cold: bool) -> float:
    if cold:
        shutil.rmtree(REPO / "cdk.out", ignore_errors=True)
    cloud = start_cloud(directory / label, providers="real")
    seconds = cloud.first_health_s
    stop_cloud(cloud)
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        emit("make_up_to_first_health_200_cold_synth_s", startup("cold", directory, cold=True), "s")
        emit("make_up_to_first_health_200_warm_synth_s", startup("warm", directory, cold=False), "s")

        cloud = start_cloud(directory / "latency", providers="real")
        try:
            url = f"{cloud.api_url}/health"
            with httpx.Client() as http:
                for _ in range(20):
                    http.get(url)  # warm every worker path
                gateway = []
                for _ in range(REQUESTS):
                    started = time.perf_counter()
                    assert http.get(url).status_code == 200
                    gateway.append((time.perf_counter() - started) * 1000)
            checks = next(f for f in cloud.refresh_state()["functions"].values() if f["name"].endswith("checks"))
            module = load_handler("checks", checks["environment"] | {"POWERTOOLS_TRACE_DISABLED": "1",
                                                                   "POWERTOOLS_METRICS_DISABLED": "1"})
            event = load_event("checks/get_health.json")
            in_process = []
            for _ in range(20):
                module.lambda_handler(event, BenchContext(10_000))
            for _ in range(REQUESTS):
                started = time.perf_counter()
                assert module.lambda_handler(event, BenchContext(10_000))["statusCode"] == 200
                in_process.append((time.perf_counter() - started) * 1000)
            emit("health_gateway_p50_ms", percentile(gateway, 50), "ms")
            emit("health_gateway_p99_ms", percentile(gateway, 99), "ms")
            emit("health_in_process_p50_ms", percentile(in_process, 50), "ms")
            emit("health_in_process_p99_ms", percentile(in_process, 99), "ms")
            emit("health_gateway_over_in_process_p50_ratio", percentile(gateway, 50) / percentile(in_process, 50))
            # Memory with every function warm: touch each route family once.
            tenant = cloud.signup(plan_roles=("admin",))
            httpx.get(f"{cloud.api_url}/targets", headers=tenant.key(), timeout=30)
            httpx.get(f"{cloud.api_url}/usage", headers=tenant.key(), timeout=30)
            assert cloud.process is not None  # started here
            emit("local_cloud_rss_mb", tree_rss_mb(cloud.process.pid), "MiB")
        finally:
            stop_cloud(cloud)


if __name__ == "__main__":
    main()
