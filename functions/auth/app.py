"""Auth function: signup, login, token refresh and logout, API keys, users, the tenant and its plan."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field, field_validator

from radar.http import ID_PATTERN, MAX_BODY_BYTES, SECURITY_HEADERS, build_resolver, tenant
from radar.observability import logger, metrics, tracer
from radar.tenancy.schemas import (
    ApiKeyCreated,
    ApiKeyCreateRequest,
    ApiKeyList,
    LoginRequest,
    LogoutRequest,
    PlanChangeRequest,
    RefreshRequest,
    SignupRequest,
    SignupResponse,
    TenantView,
    TokenResponse,
    UserInviteRequest,
    UserList,
    UserView,
)

if TYPE_CHECKING:
    from radar.tenancy.service import TenancyService

__all__ = ["AuthSettings", "app", "lambda_handler", "service", "settings"]

app = build_resolver()

# radar.http answers every error with the shared Error body (scripts/openapi.py adds its schema to the spec).
_ERROR_BODY: dict[str, Any] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_ERRORS: dict[int, OpenAPIResponse] = {
    400: {"description": "malformed JSON", "content": _ERROR_BODY},
    422: {"description": "invalid body", "content": _ERROR_BODY},
}
_AUTHED: dict[int, OpenAPIResponse] = {
    401: {"description": "missing or invalid credentials", "content": _ERROR_BODY},
    403: {"description": "role too low", "content": _ERROR_BODY},
}


class AuthSettings(BaseModel):
    MAIN_TABLE: str = Field(min_length=1)
    SIGNING_KEY_SECRET_ARN: str = Field(min_length=1)
    PUBLIC_KEYS_SECRET_ARN: str = Field(min_length=1)
    USAGE_PLAN_IDS: dict[str, str]

    @field_validator("USAGE_PLAN_IDS", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


@lru_cache(maxsize=1)
def settings() -> AuthSettings:
    """Validated at cold start (first invocation): a missing variable fails loudly, not on a later request."""
    return AuthSettings.model_validate(dict(os.environ))


@lru_cache(maxsize=1)
def service() -> TenancyService:
    from radar.auth.tokens import SigningKeyStore
    from radar.tables import bind_main_table
    from radar.tenancy.service import TenancyService
    from radar.tenancy.usage_keys import UsageKeys

    config = settings()
    bind_main_table(config.MAIN_TABLE)
    return TenancyService(
        signing_keys=SigningKeyStore(config.SIGNING_KEY_SECRET_ARN, config.PUBLIC_KEYS_SECRET_ARN),
        usage_keys=UsageKeys(config.USAGE_PLAN_IDS),
    )


def _event() -> dict[str, Any]:
    return app.current_event.raw_event


@app.post(
    "/auth/signup",
    summary="Create a tenant on the free plan, its admin user and its usage key",
    tags=["auth"],
    responses={
        201: {"description": "tenant, admin user and tokens"},
        409: {"description": "e-mail taken", "content": _ERROR_BODY},
        **_ERRORS,
    },
)
def signup(body: Annotated[SignupRequest, Body()]) -> tuple[SignupResponse, int]:
    result = service().signup(body.tenant_name, body.email, body.password, _event())
    metrics.add_metric(name="Signups", unit=MetricUnit.Count, value=1)
    return result, 201


@app.post(
    "/auth/login",
    summary="Exchange e-mail and password for an access token and a refresh token",
    tags=["auth"],
    responses={
        200: {"description": "token pair"},
        401: {"description": "invalid e-mail or password", "content": _ERROR_BODY},
        **_ERRORS,
    },
)
def login(body: Annotated[LoginRequest, Body()]) -> TokenResponse:
    return service().login(body.email, body.password, _event())


@app.post(
    "/auth/refresh",
    summary="Rotate a refresh token into a new token pair (reusing an old one revokes its family)",
    tags=["auth"],
    responses={
        200: {"description": "new token pair"},
        401: {"description": "invalid refresh token", "content": _ERROR_BODY},
        **_ERRORS,
    },
)
def refresh(body: Annotated[RefreshRequest, Body()]) -> TokenResponse:
    return service().refresh(body.refresh_token, _event())


@app.post(
    "/auth/logout",
    summary="Revoke a refresh token and every token rotated from it",
    tags=["auth"],
    responses={204: {"description": "revoked (or already unknown)", "content": {}}, **_AUTHED, **_ERRORS},
)
def logout(body: Annotated[LogoutRequest, Body()]) -> Response[None]:
    service().logout(tenant(app), body.refresh_token, _event())
    return Response(status_code=204)


@app.get(
    "/api-keys",
    summary="List the tenant's API keys (masked)",
    tags=["api-keys"],
    responses={200: {"description": "keys, prefix only"}, **_AUTHED},
)
def list_api_keys() -> ApiKeyList:
    return ApiKeyList(items=service().list_api_keys(tenant(app)))


@app.post(
    "/api-keys",
    summary="Create an API key for a machine; the key is shown once",
    tags=["api-keys"],
    responses={201: {"description": "the new key, shown once"}, **_AUTHED, **_ERRORS},
)
def create_api_key(body: Annotated[ApiKeyCreateRequest, Body()]) -> tuple[ApiKeyCreated, int]:
    created = service().create_api_key(tenant(app), body.name, body.role, _event())
    metrics.add_metric(name="ApiKeysCreated", unit=MetricUnit.Count, value=1)
    return created, 201


@app.delete(
    "/api-keys/<key_id>",
    summary="Revoke an API key (it stops working within the authorizer cache TTL, at most 60 s)",
    tags=["api-keys"],
    responses={
        204: {"description": "revoked", "content": {}},
        404: {"description": "no such key", "content": _ERROR_BODY},
        **_AUTHED,
    },
)
def revoke_api_key(key_id: Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]) -> Response[None]:
    service().revoke_api_key(tenant(app), key_id, _event())
    return Response(status_code=204)


@app.get(
    "/users",
    summary="List the tenant's users",
    tags=["users"],
    responses={200: {"description": "users"}, **_AUTHED},
)
def list_users() -> UserList:
    return UserList(items=service().list_users(tenant(app)))


@app.post(
    "/users",
    summary="Invite a user with a role and an initial password",
    tags=["users"],
    responses={
        201: {"description": "the user"},
        409: {"description": "e-mail taken", "content": _ERROR_BODY},
        **_AUTHED,
        **_ERRORS,
    },
)
def invite_user(body: Annotated[UserInviteRequest, Body()]) -> tuple[UserView, int]:
    return service().invite_user(tenant(app), body.email, body.role, body.password, _event()), 201


@app.get(
    "/tenant",
    summary="The tenant, its plan and the plan's limits",
    tags=["tenant"],
    responses={200: {"description": "tenant"}, **_AUTHED},
)
def get_tenant() -> TenantView:
    return service().get_tenant(tenant(app))


@app.put(
    "/tenant/plan",
    summary="Move the tenant to another plan (its usage key moves to that plan's usage plan)",
    tags=["tenant"],
    responses={200: {"description": "tenant on the new plan"}, **_AUTHED, **_ERRORS},
)
def change_plan(body: Annotated[PlanChangeRequest, Body()]) -> TenantView:
    return service().change_plan(tenant(app), body.plan, _event())


@app.delete(
    "/tenant",
    summary="Delete the tenant and purge everything it owns",
    tags=["tenant"],
    responses={204: {"description": "purged", "content": {}}, **_AUTHED},
)
def delete_tenant() -> Response[None]:
    service().delete_tenant(tenant(app), _event())
    metrics.add_metric(name="TenantsDeleted", unit=MetricUnit.Count, value=1)
    return Response(status_code=204)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    settings()
    # Local workaround (reported): Powertools runs request validation before radar.http's middleware, so an
    # oversized body would be parsed first and validation errors would miss the security headers.
    if len((event.get("body") or "").encode("utf-8", "ignore")) > MAX_BODY_BYTES:
        return _with_security_headers(_too_large())
    return _with_security_headers(app.resolve(event, context))


def _too_large() -> dict[str, Any]:
    body = {"error": {"code": "payload_too_large", "message": f"the body exceeds {MAX_BODY_BYTES} bytes"}}
    return {"statusCode": 413, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def _with_security_headers(response: dict[str, Any]) -> dict[str, Any]:
    multi = response.get("multiValueHeaders") or {}
    headers = response.setdefault("headers", {}) if not multi else None
    for name, value in SECURITY_HEADERS.items():
        if multi:
            multi.setdefault(name, [value])
        elif headers is not None:
            headers.setdefault(name, value)
    return response
