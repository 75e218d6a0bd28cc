"""Domain errors. Each carries the HTTP status and code it maps to; `radar.http` turns them into responses."""

from __future__ import annotations

from typing import Any

__all__ = [
    "AllowanceExceeded",
    "BadRequest",
    "Conflict",
    "DependencyUnavailable",
    "Forbidden",
    "InvalidCnpj",
    "NotFound",
    "PayloadTooLarge",
    "RadarError",
    "Unauthorized",
    "ValidationFailed",
]


class RadarError(Exception):
    """Base domain error: status, machine-readable code, human message, optional details."""

    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return {"error": body}


class ValidationFailed(RadarError):
    status = 422
    code = "validation_error"


class InvalidCnpj(ValidationFailed):
    code = "invalid_cnpj"

    def __init__(self, message: str, *, reason: str, field: str = "cnpj") -> None:
        super().__init__(message, details=[{"field": field, "reason": reason, "message": message}])
        self.reason = reason
        self.field = field


class BadRequest(RadarError):
    status = 400
    code = "bad_request"


class PayloadTooLarge(RadarError):
    status = 413
    code = "payload_too_large"


class Unauthorized(RadarError):
    status = 401
    code = "unauthorized"


class Forbidden(RadarError):
    status = 403
    code = "forbidden"


class NotFound(RadarError):
    status = 404
    code = "not_found"


class Conflict(RadarError):
    status = 409
    code = "conflict"


class AllowanceExceeded(RadarError):
    status = 429
    code = "allowance_exceeded"


class DependencyUnavailable(RadarError):
    status = 503
    code = "dependency_unavailable"
