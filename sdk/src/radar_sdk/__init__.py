"""cnpj-radar's Python SDK: `Client` (API key or session, retries, pages, waits) on the contract's models."""

from radar_sdk import models
from radar_sdk.client import DEFAULT_API_URL, FINAL_STATUSES, Client, RetryPolicy, Tokens
from radar_sdk.errors import (
    ApiError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RadarSdkError,
    RateLimitedError,
    ServiceUnavailableError,
    TransportError,
    ValidationError,
    WaitTimeout,
)

__all__ = [
    "DEFAULT_API_URL",
    "FINAL_STATUSES",
    "ApiError",
    "AuthenticationError",
    "Client",
    "ConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RadarSdkError",
    "RateLimitedError",
    "RetryPolicy",
    "ServiceUnavailableError",
    "Tokens",
    "TransportError",
    "ValidationError",
    "WaitTimeout",
    "models",
]
