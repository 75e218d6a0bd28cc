"""Stripe's error bodies: `{"error": {"type", "code", "message", "param", ...}}` with the status Stripe uses."""

from __future__ import annotations

from typing import Any

__all__ = ["StripeApiError", "invalid", "missing_param", "no_such", "unknown_param"]


class StripeApiError(Exception):
    """An error answered in Stripe's wire format; the SDK maps the status to its exception classes (400/404
    InvalidRequestError, 401 AuthenticationError, 402 CardError, idempotency_error type IdempotencyError)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.headers = headers or {}
        self.extra = extra

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        if request_id is not None:
            error["request_log_url"] = f"https://dashboard.stripe.com/test/logs/{request_id}"
        error.update(self.extra)
        return {"error": error}


def missing_param(param: str) -> StripeApiError:
    return StripeApiError(400, f"Missing required param: {param}.", code="parameter_missing", param=param)


def unknown_param(param: str) -> StripeApiError:
    return StripeApiError(400, f"Received unknown parameter: {param}", code="parameter_unknown", param=param)


def invalid(param: str, message: str, code: str = "parameter_invalid") -> StripeApiError:
    return StripeApiError(400, message, code=code, param=param)


def no_such(kind: str, object_id: str, *, param: str | None = None) -> StripeApiError:
    """An unknown id: 404 when it is the resource in the path (param "id"), 400 when a parameter names it."""
    status = 404 if param is None else 400
    return StripeApiError(
        status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param or "id"
    )
