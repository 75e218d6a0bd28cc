"""Serve the built console with `/v1/*` forwarded to the API: the same origin as CloudFront gives it in AWS.

Static files get the security headers the CloudFront response-headers policy will carry (strict CSP, HSTS,
nosniff, frame denial, referrer and permissions policies); hashed assets are cached for a year, index.html is
revalidated; any other path without a file answers index.html (the single-page app's routes). Requests under
/v1/ go to the API unchanged (method, path, query, body, headers, cookies), and so do the API's answers.
"""

from __future__ import annotations

import gzip
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from scripts.console.build import DIST_DIR, build

__all__ = ["API_PREFIX", "HEADERS_FILE", "SECURITY_HEADERS", "ConsoleServer", "start_console"]

API_PREFIX = "/v1/"
# One list of headers for both origins: console/security-headers.json is also the CloudFront response-headers policy
# (infra_cdk/console.py).
HEADERS_FILE = Path(__file__).resolve().parents[2] / "console" / "security-headers.json"
SECURITY_HEADERS: dict[str, str] = {
    name: str(value) for name, value in json.loads(HEADERS_FILE.read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
CSP = SECURITY_HEADERS["Content-Security-Policy"]
# Hop-by-hop headers (RFC 9110 7.6.1) and those the proxy recomputes are not forwarded.
_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
     "content-length", "accept-encoding"}
)
_COMPRESSIBLE = (".js", ".css", ".html", ".svg", ".json", ".txt", ".map")


class ConsoleServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], dist: Path, api_url: str) -> None:
        super().__init__(address, _Handler)
        self.dist = dist.resolve()
        self.api_url = api_url.rstrip("/")
        self.upstream = httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0), follow_redirects=False)
        self._gzipped: dict[tuple[Path, int, int], bytes] = {}
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[0], self.server_address[1]
        return f"http://{host!s}:{port}"

    def gzipped(self, path: Path) -> bytes:
        """Compressed once per version of the file (a rebuild replaces index.html under the running server)."""
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key not in self._gzipped:
                self._gzipped = {k: v for k, v in self._gzipped.items() if k[0] != path}
                self._gzipped[key] = gzip.compress(path.read_bytes(), compresslevel=9)
            return self._gzipped[key]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.upstream.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ConsoleServer

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the API's own access log has the requests that matter

    def _proxy(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP]
        client = self.client_address[0]
        headers += [
            ("X-Forwarded-For", client),
            ("X-Forwarded-Proto", "http"),
            ("X-Forwarded-Host", self.headers.get("Host", "")),
        ]
        try:
            upstream = self.server.upstream.request(
                self.command, self.server.api_url + self.path, headers=headers, content=body
            )
        except httpx.HTTPError as exc:
            self._send(502, b'{"error": {"code": "gateway_unreachable", "message": "the API did not answer"}}',
                       [("Content-Type", "application/json")])
            self.log_error("proxy: %s", type(exc).__name__)
            return
        passed = [(k, v) for k, v in upstream.headers.multi_items() if k.lower() not in _HOP | {"content-encoding"}]
        self._send(upstream.status_code, upstream.content, passed)

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _static(self) -> None:
        path = urlsplit(self.path).path
        dist = self.server.dist
        candidate = (dist / path.lstrip("/")).resolve()
        inside = candidate == dist or dist in candidate.parents
        if not inside:
            self._send(404, b"not found", [("Content-Type", "text/plain")])
            return
        if not candidate.is_file():
            if path.startswith("/assets/") or Path(path).suffix:
                self._send(404, b"not found", [("Content-Type", "text/plain"), *SECURITY_HEADERS.items()])
                return
            candidate = dist / "index.html"  # a route of the single-page app
        content_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or candidate.suffix in (".js", ".json", ".svg"):
            content_type += "; charset=utf-8"
        cache = "public, max-age=31536000, immutable" if path.startswith("/assets/") else "no-cache"
        headers = [("Content-Type", content_type), ("Cache-Control", cache), *SECURITY_HEADERS.items()]
        accepts_gzip = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if accepts_gzip and candidate.suffix in _COMPRESSIBLE:
            body = self.server.gzipped(candidate)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        else:
            body = candidate.read_bytes()
        self._send(200, body, headers)

    def _route(self) -> None:
        if self.path.startswith(API_PREFIX) or self.path == API_PREFIX.rstrip("/"):
            self._proxy()
        elif self.command in ("GET", "HEAD"):
            self._static()
        else:
            self._send(405, b"method not allowed", [("Content-Type", "text/plain"), ("Allow", "GET, HEAD")])

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _route


def start_console(
    api_url: str, port: int = 0, host: str = "127.0.0.1", *, dist: Path | None = None, build_first: bool = True
) -> tuple[ConsoleServer, str]:
    """Build when the sources changed (unless `build_first` is False), serve in a daemon thread, return the server
    (call `.stop()`) and its URL. `api_url` is the gateway's base URL; `/v1/...` is forwarded to `api_url/v1/...`."""
    if build_first:
        dist, _ = build()
    server = ConsoleServer((host, port), dist or DIST_DIR, api_url)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="console", daemon=True).start()
    return server, server.url
