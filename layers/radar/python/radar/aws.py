"""AWS SDK plumbing every capability shares: one cached boto3 client per service, and reading DynamoDB refusals.

Clients are created on first use (never at import: cold start), once per service, endpoint and region, and reused
by warm invocations. They fail fast like the table models do (radar.store): short timeouts, standard retries.
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import Field

from radar.settings import EnvSettings

__all__ = [
    "CONNECT_TIMEOUT_SECONDS",
    "MAX_RETRY_ATTEMPTS",
    "READ_TIMEOUT_SECONDS",
    "AwsSettings",
    "client",
    "is_conditional_failure",
]

# Lambda timeouts are short: fail fast and let the caller map the failure to a 503.
CONNECT_TIMEOUT_SECONDS = 2
READ_TIMEOUT_SECONDS = 5
MAX_RETRY_ATTEMPTS = 3

_clients: dict[tuple[str, str, str], Any] = {}
_clients_lock = threading.Lock()


class AwsSettings(EnvSettings):
    """Where the SDK sends its calls (Lambda sets AWS_REGION; an emulator sets AWS_ENDPOINT_URL)."""

    aws_region: str | None = Field(default=None, alias="AWS_REGION")
    aws_default_region: str = Field(default="us-east-1", alias="AWS_DEFAULT_REGION")
    endpoint_url: str = Field(default="", alias="AWS_ENDPOINT_URL")

    @property
    def region(self) -> str:
        return self.aws_region or self.aws_default_region


def client(service: str) -> Any:
    """The boto3 client for `service` in this environment's region and endpoint, created once and then reused."""
    aws = AwsSettings.from_environ()
    key = (service, aws.endpoint_url, aws.region)
    found = _clients.get(key)
    if found is not None:
        return found
    with _clients_lock:  # boto3's default session is not safe for concurrent client creation
        found = _clients.get(key)
        if found is None:
            import boto3
            from botocore.config import Config

            config = Config(
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                read_timeout=READ_TIMEOUT_SECONDS,
                retries={"max_attempts": MAX_RETRY_ATTEMPTS, "mode": "standard"},
            )
            found = boto3.client(service, region_name=aws.region, config=config)  # type: ignore[call-overload]
            _clients[key] = found
    return found


def is_conditional_failure(exc: BaseException) -> bool:
    """True when DynamoDB refused a write because its condition did not hold (a lost race, not an outage).

    Reads botocore's ClientError, pynamodb's errors (their cause) and cancelled transactions (their reasons).
    """
    code = getattr(exc, "cause_response_code", None)
    response = getattr(exc, "response", None)
    if code is None and isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    reasons = getattr(exc, "cancellation_reasons", None) or []
    return any(getattr(reason, "code", None) == "ConditionalCheckFailed" for reason in reasons if reason is not None)
