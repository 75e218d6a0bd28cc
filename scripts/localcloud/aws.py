"""boto3 clients for the emulator (or whatever AWS_ENDPOINT_URL points at), created once per thread."""

from __future__ import annotations

import os
import threading
from typing import Any

from botocore.config import Config

__all__ = ["client", "emulator_env"]

_local = threading.local()


def client(service: str) -> Any:
    import boto3

    cache: dict[tuple[str, str | None, str], Any] = getattr(_local, "clients", None) or {}
    _local.clients = cache
    # Keyed by endpoint too: one process may talk to several emulators in turn (the bench starts two clouds).
    endpoint, region = os.environ.get("AWS_ENDPOINT_URL"), os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    key = (service, endpoint, region)
    if key not in cache:
        session: Any = boto3.session.Session()  # a session per thread: boto3 sessions are not thread-safe
        cache[key] = session.client(
            service,
            endpoint_url=endpoint,
            region_name=region,
            config=Config(retries={"max_attempts": 2, "mode": "standard"}, max_pool_connections=32),
        )
    return cache[key]


def emulator_env(endpoint: str) -> dict[str, str]:
    """The environment every local process needs to reach the emulator and nothing else."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        "AWS_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
    }
