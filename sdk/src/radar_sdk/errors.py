"""What the SDK raises: one exception per kind of answer, each carrying the API's error code, message and fields."""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "ApiError",
    "AuthenticationError",
    "ConflictError",
    "NotFoundError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RadarSdkError",
    "RateLimitedError",
    "ServiceUnavailableError",
    "TransportError",
    "ValidationError",
    "WaitTimeout",
    "error_from_response",
]


class RadarSdkError(Exception):
    """Base of everything the SDK raises."""


class TransportError(RadarSdkError):
    """The API could not be reached (connection refused, timeout) after the retries."""


class WaitTimeout(RadarSdkError):
    """A wait helper ran out of time before the check or batch was done; `.last` is what it saw last."""

    def __init__(self, message: str, last: Any = None) -> None:
        super().__init__(message)
        self.last = last


class ApiError(RadarSdkError):
    """An error answer of the API: `{"error": {"code", "message", "details"}}`."""

    def __init__(
        self, status: int, code: str, message: str, details: Any = None, *, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retry_after = retry_after

    @property
    def fields(self) -> list[dict[str, Any]]:
        """The fields at fault (validation errors): `[{"field", "reason", "message"}]`."""
        if isinstance(self.details, list):
            return [d for d in self.details if isinstance(d, dict) and "field" in d]
        return []

    @property
    def field(self) -> str | None:
        """The first field at fault, if the API named one."""
        fields = self.fields
        return str(fields[0]["field"]) if fields else None

    def detail(self, name: str) -> Any:
        """One member of `details` when it is an object (e.g. `plan`, `upgrade_url`, `existing_id`)."""
        return self.details.get(name) if isinstance(self.details, dict) else None


class AuthenticationError(ApiError):
    """401: missing, invalid or expired credentials (after a refresh was tried, for a session)."""


class PermissionDeniedError(ApiError):
    """403: the role may not do this, or the tenant's usage key is not active."""


class NotFoundError(ApiError):
    """404: no such resource (also what another tenant's ids look like)."""


class ConflictError(ApiError):
    """409: e.g. `target_exists` (details.existing_id), `email_taken`, `idempotency_conflict`."""


class ValidationError(ApiError):
    """400, 413, 415 or 422: the request was rejected and changed nothing; `.fields` names what was wrong."""


class RateLimitedError(ApiError):
    """429 `rate_limited`: too many requests per second for the plan (retried by the client before it raises)."""

    @property
    def plan(self) -> str | None:
        plan = self.detail("plan")
        return str(plan) if plan else None

    @property
    def upgrade_url(self) -> str | None:
        url = self.detail("upgrade_url")
        return str(url) if url else None


class QuotaExceededError(RateLimitedError):
    """429 `quota_exceeded` or `allowance_exceeded`: the plan's quota or monthly checks are used up (not retried)."""

    @property
    def upgrade_plan(self) -> str | None:
        plan = self.detail("upgrade_plan")
        return str(plan) if plan else None


class ServiceUnavailableError(ApiError):
    """5xx: a dependency or the providers are unavailable (retried where that is safe before it raises)."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: ValidationError,
    415: ValidationError,
    422: ValidationError,
}
QUOTA_CODES = frozenset({"quota_exceeded", "allowance_exceeded"})


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds (a number of seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from datetime import UTC, datetime
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            return None


def error_from_response(response: httpx.Response) -> ApiError:
    """The exception for an error answer, from its Error body (or a plain one when the body is not the API's)."""
    code, message, details = f"http_{response.status_code}", response.reason_phrase or "error", None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        code = str(error.get("code") or code)
        message = str(error.get("message") or message)
        details = error.get("details")
    elif isinstance(body, dict) and "message" in body:
        message = str(body["message"])
    status = response.status_code
    if status == 429:
        cls: type[ApiError] = QuotaExceededError if code in QUOTA_CODES else RateLimitedError
    elif status >= 500:
        cls = ServiceUnavailableError
    else:
        cls = _BY_STATUS.get(status, ApiError)
    return cls(status, code, message, details, retry_after=retry_after_seconds(response))
