"""The one place that maps domain errors to HTTP, plus the headers every response carries."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import CORSConfig
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from radar.context import TenantContext, tenant_context_from_event
from radar.errors import RadarError
from radar.observability import logger, metrics
from radar.settings import HttpSettings

__all__ = [
    "ERROR_BODY",
    "ID_PATTERN",
    "SECURITY_HEADERS",
    "RadarResolver",
    "build_resolver",
    "error_response",
    "error_responses",
    "tenant",
]


# Path ids are opaque ASCII tokens (the gateway hands path parameters over still percent-encoded).
ID_PATTERN = r"^[A-Za-z0-9_-]+$"

SECURITY_HEADERS: dict[str, str] = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# Every error answer is the shared Error body; scripts/openapi.py adds its schema to the spec.
ERROR_BODY: dict[str, Any] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def error_responses(descriptions: Mapping[int, str]) -> dict[int, OpenAPIResponse]:
    """OpenAPI responses of a route's error statuses, each answered with the shared Error body."""
    return {status: {"description": description, "content": ERROR_BODY} for status, description in descriptions.items()}


# Request headers a browser may send cross-origin: the API key, idempotency keys, the auth routes' cookie mode.
_ALLOWED_HEADERS = ["x-api-key", "Idempotency-Key", "X-Radar-Session"]

# A dependency that failed (a table, a secret, a queue) is a 503 the client may retry after this many seconds.
RETRY_AFTER_SECONDS = 2


def error_response(status: int, code: str, message: str, details: Any = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return Response(
        status_code=status, content_type="application/json", body=json.dumps({"error": body}, default=str),
        headers=headers,
    )


def _dependency_failure(exc: BaseException) -> bool:
    """Whether an unmapped exception is an AWS dependency failing (a timeout, a refused connection, a throttle, a
    5xx), read from its class and cause chain so this module imports no SDK at cold start. A 4xx the SDK reports
    for our own request (a malformed call) is a bug, not a dependency, and stays a 500."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        modules = {cls.__module__.split(".")[0] for cls in type(seen).__mro__}
        if "botocore" in modules:
            response = getattr(seen, "response", None)
            if not isinstance(response, dict):
                return True  # BotoCoreError: connect/read timeouts, connection errors
            status = int((response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0)
            code = str((response.get("Error") or {}).get("Code") or "")
            return status >= 500 or "Throttl" in code or code in _RETRYABLE_CODES
        seen = seen.__cause__ or seen.__context__
    return False


_RETRYABLE_CODES = frozenset(
    {"ProvisionedThroughputExceededException", "RequestLimitExceeded", "InternalServerError", "ServiceUnavailable"}
)


def _validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    details = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        details.append({"field": ".".join(loc) or "body", "reason": err.get("type"), "message": err.get("msg")})
    return details


def _proxy_error(status: int, code: str, message: str, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {
        "statusCode": status,
        "multiValueHeaders": {"Content-Type": ["application/json"]},
        "body": json.dumps({"error": body}),
        "isBase64Encoded": False,
    }


_CSV_MEDIA = ("text/csv", "application/csv")


def _reject_before_routing(
    event: Mapping[str, Any], max_body_bytes: int, bulk_paths: Mapping[str, int] | None = None
) -> dict[str, Any] | None:
    """Checks that must run before Powertools parses and validates the body (it validates before any middleware).
    A path of `bulk_paths` takes bodies up to its own limit and a text/csv body too."""
    body = event.get("body") or ""
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    content_type = headers.get("content-type", "")
    path = str(event.get("resource") or event.get("path") or "")
    max_body_bytes = (bulk_paths or {}).get(path, max_body_bytes)
    if len(body.encode("utf-8", "ignore")) > max_body_bytes:
        return _proxy_error(
            413,
            "payload_too_large",
            f"the body exceeds {max_body_bytes} bytes",
            [{"field": "body", "reason": "too_large", "message": f"max {max_body_bytes} bytes"}],
        )
    if path in (bulk_paths or {}) and content_type.split(";", 1)[0].strip().lower() in _CSV_MEDIA:
        return None
    if body and content_type and "json" not in content_type.lower():
        return _proxy_error(
            415,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
            [{"field": "Content-Type", "reason": "unsupported_media_type", "message": content_type}],
        )
    return None


class RadarResolver(APIGatewayRestResolver):
    """The REST resolver every function uses: early body checks, then routing, then the headers every answer carries."""

    max_body_bytes = HttpSettings.model_fields["max_body_bytes"].default
    bulk_paths: dict[str, int]  # routes that take a text/csv body too, with their own body limit (accept_bulk)

    def accept_bulk(self, path: str, *, max_body_bytes: int) -> None:
        """Let `path` take a `text/csv` body (its handler reads the raw body) up to `max_body_bytes`; every other route
        stays JSON only, under MAX_BODY_BYTES."""
        self.bulk_paths = {**getattr(self, "bulk_paths", {}), path: max_body_bytes}

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        early = _reject_before_routing(event, self.max_body_bytes, getattr(self, "bulk_paths", None))
        result = early or super().resolve(event, context)
        headers = result.setdefault("multiValueHeaders", {}) or {}
        present = {name.lower() for name in headers} | {name.lower() for name in (result.get("headers") or {})}
        for name, value in SECURITY_HEADERS.items():
            if name.lower() not in present:
                headers[name] = [value]
        result["multiValueHeaders"] = headers
        return result


def build_resolver(settings: HttpSettings) -> RadarResolver:
    """A validated REST resolver with CORS limited to the configured origins and domain errors mapped once.

    `settings` is the function's own model (it subclasses HttpSettings), validated at its cold start."""
    origins = settings.origins()
    cors = (
        CORSConfig(allow_origin=origins[0], extra_origins=origins[1:], allow_headers=_ALLOWED_HEADERS)
        if origins
        else None
    )
    app = RadarResolver(enable_validation=True, cors=cors)
    app.max_body_bytes = settings.max_body_bytes

    @app.exception_handler(RadarError)
    def _domain_error(exc: RadarError) -> Response:
        if exc.status >= 500:
            logger.exception("domain error", extra={"error_code": exc.code})
        if exc.status == 429:  # the gateway's own 429s never reach a function; these are the allowance's
            from aws_lambda_powertools.metrics import MetricUnit

            metrics.add_metric(name="ThrottledRequests", unit=MetricUnit.Count, value=1)
        answer = error_response(exc.status, exc.code, exc.message, exc.details)
        answer.cookies.extend(getattr(exc, "cookies", ()))  # e.g. the auth routes clearing a dead session cookie
        retry_after = getattr(exc, "retry_after_seconds", None)
        if exc.status == 503 and retry_after:  # providers busy or down: when asking again makes sense
            answer.headers["Retry-After"] = str(max(1, int(retry_after)))
        return answer

    @app.exception_handler(RequestValidationError)
    def _validation_error(exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        if any(err.get("type") == "json_invalid" for err in errors):
            return error_response(
                400,
                "malformed_json",
                "the request body is not valid JSON",
                [{"field": "body", "reason": "json_invalid", "message": "not valid JSON"}],
            )
        return error_response(422, "validation_error", "the request is not valid", _validation_details(errors))

    @app.exception_handler(json.JSONDecodeError)
    def _bad_json(exc: json.JSONDecodeError) -> Response:
        return error_response(400, "malformed_json", "the request body is not valid JSON")

    @app.exception_handler(UnicodeDecodeError)
    def _bad_encoding(exc: UnicodeDecodeError) -> Response:
        # The gateway base64-encodes a body that is not UTF-8; Powertools' decode raises this.
        return error_response(400, "malformed_json", "the request body is not valid UTF-8 JSON")

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported_type(exc: RequestUnsupportedContentType) -> Response:
        return error_response(
            415,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
            [{"field": "Content-Type", "reason": "unsupported_media_type", "message": str(exc)}],
        )

    @app.not_found
    def _not_found(exc: NotFoundError) -> Response:
        return error_response(404, "route_not_found", "no such route")

    @app.exception_handler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if _dependency_failure(exc):
            logger.exception("dependency failure")
            message = "a service this request needs is unavailable, try again"
            return error_response(503, "dependency_unavailable", message)
        logger.exception("unhandled error")
        return error_response(500, "internal_error", "something went wrong; the request id identifies it")

    return app


def tenant(app: APIGatewayRestResolver) -> TenantContext:
    return tenant_context_from_event(app.current_event.raw_event)
