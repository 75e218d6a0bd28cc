"""scripts.console's server: the built console with the security headers CloudFront will carry, the single-page
app's routes, and /v1/* forwarded to the real local gateway unchanged (status, body, headers)."""

from __future__ import annotations

import json
import socket

import httpx

from scripts.console import build, source_hash
from scripts.console.build import SOURCE_GLOBS
from scripts.console.server import SECURITY_HEADERS
from tests.support.cloud import RunningCloud


def test_the_local_cloud_serves_the_console_from_its_state_file(cloud: RunningCloud) -> None:
    """`make up` runs the console as one of its services: its URL in state.json and the banner, index.html there,
    and /v1/* forwarded to this cloud's gateway."""
    state = json.loads(cloud.state_file.read_text(encoding="utf-8"))
    url = state["console_url"]
    assert url and url != cloud.api_url
    with httpx.Client(base_url=url, timeout=30) as http:
        index = http.get("/")
        assert index.status_code == 200 and '<div id="root">' in index.text
        assert http.get("/admin/keys").text == index.text  # an app route
        health = http.get("/v1/health")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert cloud.log_file is not None
    banner = cloud.log_file.read_text(encoding="utf-8", errors="replace")
    assert f"{'Console':<18} {url}" in banner


def test_static_files_routes_and_headers(console: str) -> None:
    with httpx.Client(base_url=console, timeout=30) as http:
        index = http.get("/", headers={"Accept-Encoding": "identity"})
        assert index.status_code == 200 and '<div id="root">' in index.text
        for name, value in SECURITY_HEADERS.items():
            assert index.headers[name] == value
        assert "script-src 'self'" in index.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in index.headers["Content-Security-Policy"]
        assert index.headers["Cache-Control"] == "no-cache"

        route = http.get("/targets/tgt_abc/whatever?x=1")  # an app route: index.html
        assert route.status_code == 200 and route.text == index.text

        script = next(part.split('"')[0] for part in index.text.split('src="')[1:] if part.startswith("/assets/"))
        asset = http.get(script, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200
        assert asset.headers["Content-Type"].startswith("text/javascript")
        assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert asset.headers["Content-Encoding"] == "gzip"
        assert len(asset.content) > 1000  # httpx decoded it

        assert http.get("/assets/missing-123.js").status_code == 404  # never index.html for a missing asset
        assert http.get("/%2e%2e/%2e%2e/pyproject.toml").status_code == 404
        assert http.post("/targets").status_code == 405
    # A raw request line that climbs out of dist/ (clients normalise it away, so a socket sends it).
    host, port = console.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(b"GET /../../pyproject.toml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 404") and b"cnpj-radar" not in answer


def test_api_forwarded_unchanged(console: str, cloud: RunningCloud) -> None:
    with httpx.Client(base_url=console, timeout=30) as http:
        health = http.get("/v1/health")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        refused = http.post("/v1/auth/login", json={"email": "nobody@example.com", "password": "wrong-password-1"})
        direct = httpx.post(f"{cloud.api_url}/v1/auth/login", json={"email": "nobody@example.com",
                                                                   "password": "wrong-password-1"}, timeout=30)
        assert refused.status_code == direct.status_code == 401
        assert refused.json()["error"]["code"] == direct.json()["error"]["code"]
        assert refused.headers["Content-Security-Policy"] == direct.headers["Content-Security-Policy"]  # the API's own
        bad = http.post("/v1/targets", content=b"{not json", headers={"Content-Type": "application/json"})
        assert bad.status_code == 401  # the authorizer answers first, through the proxy, body and all
        assert bad.json()["error"]["code"] == "unauthorized"


def test_build_is_cached_by_a_hash_of_the_sources(console: str) -> None:
    before = source_hash()
    dist, ran = build()
    assert not ran  # built once for this session already: nothing changed since
    assert (dist / ".source-hash").read_text() == before
    assert "layers/radar/python/radar/tiers.json" in SOURCE_GLOBS  # bundled by the plan page, so it counts
