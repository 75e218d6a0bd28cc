"""Post-deploy smoke check against a deployed API (`python -m scripts.smoke --api-url URL [--api-key KEY]`).

Run by the deploy workflows right after `cdk deploy` (staging on main, prod on a release), and against the local
cloud by tests/e2e/test_smoke.py. Read-only: health, readiness, the gateway's error format for a request without
credentials and for an unknown route, and with `--api-key` (a smoke tenant's key) one authenticated list.
Exit 0 when every check passes, 1 otherwise; one line per check.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

import httpx

__all__ = ["CHECKS", "main", "run"]

Check = Callable[[httpx.Client, str | None], str | None]  # returns a failure message, or None


def _error_body(response: httpx.Response, status: int, code: str) -> str | None:
    if response.status_code != status:
        return f"expected {status}, got {response.status_code}: {response.text[:200]}"
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return f"not the API error format: {response.text[:200]}"
    if not isinstance(error, dict) or not isinstance(error.get("details"), dict):
        return f"not the API error format: {response.text[:200]}"
    if error.get("code") != code or not error["details"].get("request_id"):
        return f"expected code {code!r} with a request id, got {error}"
    return None


def health(http: httpx.Client, _key: str | None) -> str | None:
    response = http.get("/health")
    try:
        status = response.json().get("status")
    except (ValueError, AttributeError):
        status = None
    if response.status_code != 200 or status != "ok":
        return f"GET /health: {response.status_code} {response.text[:200]}"
    if "max-age=" not in response.headers.get("strict-transport-security", ""):
        return "GET /health: no Strict-Transport-Security header"
    return None


def ready(http: httpx.Client, _key: str | None) -> str | None:
    response = http.get("/health/ready")
    return None if response.status_code == 200 else f"GET /health/ready: {response.status_code} {response.text[:300]}"


def no_credentials(http: httpx.Client, _key: str | None) -> str | None:
    return _error_body(http.get("/targets"), 401, "unauthorized")


def unknown_route(http: httpx.Client, _key: str | None) -> str | None:
    return _error_body(http.get("/no-such-route-smoke"), 404, "route_not_found")


def authenticated(http: httpx.Client, key: str | None) -> str | None:
    if key is None:
        return None
    response = http.get("/targets", headers={"x-api-key": key}, params={"limit": 1})
    return None if response.status_code == 200 else f"GET /targets with the smoke key: {response.status_code}"


CHECKS: dict[str, Check] = {"health": health, "ready": ready, "no_credentials": no_credentials,
                            "unknown_route": unknown_route, "authenticated": authenticated}


def run(api_url: str, api_key: str | None = None, timeout: float = 30.0) -> dict[str, str | None]:
    with httpx.Client(base_url=api_url.rstrip("/"), timeout=timeout,
                      headers={"User-Agent": "cnpj-radar-smoke/1.0"}) as http:
        results: dict[str, str | None] = {}
        for name, check in CHECKS.items():
            try:
                results[name] = check(http, api_key)
            except httpx.HTTPError as exc:
                results[name] = f"{type(exc).__name__}: {exc}"
        return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.smoke", description=__doc__)
    parser.add_argument("--api-url", required=True, help="the stage's ApiUrl output (stage path included)")
    parser.add_argument("--api-key", default=os.environ.get("SMOKE_API_KEY") or None,
                        help="a smoke tenant's API key (default SMOKE_API_KEY; skipped when absent)")
    args = parser.parse_args(argv)
    results = run(args.api_url, args.api_key)
    for name, failure in results.items():
        skipped = name == "authenticated" and args.api_key is None
        print(f"{'SKIP' if skipped else 'FAIL' if failure else 'ok  '} {name}{': ' + failure if failure else ''}")
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
