"""Shared DynamoDB plumbing for the coordination items: a lazy, reused client and SDK-error translation."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from radar.errors import DependencyUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = [
    "Clock",
    "CoordinationUnavailable",
    "attr_number",
    "attr_string",
    "dynamodb_client",
    "is_conditional_failure",
    "iso_utc",
    "now_seconds",
    "sdk_errors_as_domain",
]

Clock = Callable[[], float]

_clients: dict[tuple[str, str], DynamoDBClient] = {}
_clients_lock = threading.Lock()


class CoordinationUnavailable(DependencyUnavailable):
    """The cache table could not be read or written (throttling, network, permissions)."""

    code = "coordination_unavailable"


def dynamodb_client() -> DynamoDBClient:
    """One low-level client per endpoint and region, created on first use (not at import: cold start)."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    key = (endpoint, region)
    client = _clients.get(key)
    if client is not None:
        return client
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            import boto3
            from botocore.config import Config

            # Short timeouts: coordination sits on the request path of every check.
            config = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"})
            client = boto3.client("dynamodb", region_name=region, config=config)
            _clients[key] = client
    return client


def is_conditional_failure(exc: BaseException) -> bool:
    response = getattr(exc, "response", None)
    return isinstance(response, dict) and response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


@contextmanager
def sdk_errors_as_domain(action: str) -> Iterator[None]:
    """Re-raise any SDK failure except a conditional-check failure as CoordinationUnavailable."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        if is_conditional_failure(exc):
            raise
        code = exc.response.get("Error", {}).get("Code", "unknown")
        raise CoordinationUnavailable(f"DynamoDB {action} failed: {code}") from exc
    except BotoCoreError as exc:
        raise CoordinationUnavailable(f"DynamoDB {action} failed: {type(exc).__name__}") from exc


def iso_utc(epoch_seconds: float) -> str:
    # Milliseconds: a forced refresh tells a result fetched after it started from one fetched just before.
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now_seconds(clock: Clock | None) -> float:
    return (clock or time.time)()


def attr_number(item: dict[str, Any], name: str, default: float = 0.0) -> float:
    value = item.get(name, {})
    return float(value["N"]) if isinstance(value, dict) and "N" in value else default


def attr_string(item: dict[str, Any], name: str, default: str = "") -> str:
    value = item.get(name, {})
    return str(value["S"]) if isinstance(value, dict) and "S" in value else default
