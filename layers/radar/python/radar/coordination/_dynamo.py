"""Shared DynamoDB plumbing for the coordination items: the shared client, SDK-error translation, attributes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from radar.aws import client, is_conditional_failure
from radar.coordination.errors import CoordinationUnavailable

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

__all__ = [
    "Clock",
    "attr_number",
    "attr_string",
    "dynamodb_client",
    "now_seconds",
    "sdk_errors_as_domain",
]

Clock = Callable[[], float]


def dynamodb_client() -> DynamoDBClient:
    """The shared DynamoDB client (radar.aws): coordination sits on the request path of every check."""
    found: DynamoDBClient = client("dynamodb")
    return found


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


def now_seconds(clock: Clock | None) -> float:
    return (clock or time.time)()


def attr_number(item: dict[str, Any], name: str, default: float = 0.0) -> float:
    value = item.get(name, {})
    return float(value["N"]) if isinstance(value, dict) and "N" in value else default


def attr_string(item: dict[str, Any], name: str, default: str = "") -> str:
    value = item.get(name, {})
    return str(value["S"]) if isinstance(value, dict) and "S" in value else default
