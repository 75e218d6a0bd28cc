"""Helpers for tests that talk to the provider sandbox: numbered CNPJs, the shared payloads, lookup paths, a client
that starts from a reset sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from radar.cnpj import check_digits
from scripts.sandbox import start_sandbox
from scripts.sandbox.fixtures import default_fixtures_dir

__all__ = ["LOOKUP_PATHS", "configure", "fixture_payload", "lookup", "numbered_cnpj", "reset", "serve_sandbox"]

# Each provider's lookup path under the sandbox's base URL.
LOOKUP_PATHS = {
    "cnpjws": "/cnpjws/cnpj/{}",
    "brasilapi": "/brasilapi/api/cnpj/v1/{}",
    "receitaws": "/receitaws/v1/cnpj/{}",
    "minhareceita": "/minhareceita/{}",
    "opencnpj": "/opencnpj/{}",
    "cnpja": "/cnpja/office/{}",
}


def numbered_cnpj(n: int, branch: str = "0001") -> str:
    """A valid CNPJ with root n: distinct n, distinct (generated) companies."""
    body = f"{n:08d}{branch}"
    return body + check_digits(body)


def fixture_payload(name: str) -> Any:
    return json.loads((Path(default_fixtures_dir()) / name).read_text(encoding="utf-8"))


@contextmanager
def serve_sandbox(fixtures_dir: Path | None = None, **config: Any) -> Iterator[httpx.Client]:
    """An in-process sandbox (settings as in POST /_sandbox/config) and one client of it, for a test or a module
    (a client is costly to create on a busy machine; reuse it and `reset` between tests)."""
    server, url = start_sandbox(fixtures_dir=fixtures_dir, **config)
    try:
        with httpx.Client(base_url=url, timeout=5.0) as http:
            yield http
    finally:
        server.stop()


def reset(client: httpx.Client) -> httpx.Client:
    """Counters, limit windows and config back to the sandbox's startup state."""
    client.post("/_sandbox/reset").raise_for_status()
    return client


def configure(client: httpx.Client, **changes: Any) -> None:
    client.post("/_sandbox/config", json=changes).raise_for_status()


def lookup(client: httpx.Client, provider: str, cnpj: str, **kwargs: Any) -> httpx.Response:
    return client.get(LOOKUP_PATHS[provider].format(cnpj), **kwargs)
