"""Auth function: signup, login, token refresh and logout, API keys, users, the tenant and its plan, billing."""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.accounts.schemas import MeView, RoleChangeRequest, UserInviteRequest, UserList, UserView
from radar.apikeys.schemas import ApiKeyCreated, ApiKeyCreateRequest, ApiKeyList
from radar.billing.schemas import CheckoutOut, CheckoutRequest, PlanList, PortalOut, WebhookOut
from radar.errors import ValidationFailed
from radar.http import ID_PATTERN, build_resolver, error_responses, tenant
from radar.observability import logger, metrics, tracer
from radar.sessions.schemas import LoginRequest, LogoutRequest, RefreshRequest, TokenResponse
from radar.tables import bind_main_table
from radar.tenants.schemas import DeletionJobView, PlanChangeRequest, SignupRequest, SignupResponse, TenantView
from radar.tenants.settings import AuthEnv

if TYPE_CHECKING:
    from radar.tenants.wiring import AuthServices

__all__ = ["app", "lambda_handler", "services"]

ENV = AuthEnv.from_environ()  # cold start: a missing variable fails the init, not a request
bind_main_table(ENV.main_table)  # the table of every main-table model this function uses (radar.store)
app = build_resolver(ENV)

_ERRORS = error_responses({400: "malformed JSON", 422: "invalid body"})
_AUTHED = error_responses({401: "missing or invalid credentials", 403: "role too low"})


@lru_cache(maxsize=1)
def services() -> AuthServices:
    from radar.tenants.wiring import build_auth_services

    return build_auth_services(ENV)


def _event() -> dict[str, Any]:
    return app.current_event.raw_event


# Browsers send `X-Radar-Session: cookie`: the refresh token then travels in an httpOnly cookie, never in the body.
# Powertools cannot see this header or the cookie: scripts/openapi.py declares them (COOKIE_MODE_ROUTES) on signup,
# login, refresh and logout, which turns the console's cookie mode on (FEATURES.cookieSession);
# tests/integration/test_openapi_cookie_mode.py holds the spec to what these handlers read and set.
def _session_mode() -> str | None:
    """None (JSON mode) without the header, "cookie" with `X-Radar-Session: cookie`; any other value is refused
    (422 naming the header), as the spec's enum says, instead of quietly falling back to JSON mode."""
    from radar.sessions.cookies import COOKIE_MODE, MODE_HEADER

    value = app.current_event.get_header_value(MODE_HEADER, case_sensitive=False)
    if value is None:
        return None
    if value.strip().lower() == COOKIE_MODE:
        return COOKIE_MODE
    raise ValidationFailed(
        f"{MODE_HEADER} must be {COOKIE_MODE!r} (or absent, for the JSON mode)",
        details=[{"field": MODE_HEADER, "reason": "invalid_value", "message": f"expected {COOKIE_MODE!r}"}],
    )


def _tokens(tokens: TokenResponse, mode: str | None, status: int = 200) -> Response[TokenResponse]:
    if mode != "cookie" or tokens.refresh_token is None:
        return Response(status, "application/json", tokens)
    from radar.sessions.cookies import for_cookie_mode, refresh_cookie

    body = for_cookie_mode(tokens)
    return Response(status, "application/json", body, cookies=[refresh_cookie(tokens.refresh_token)])


def _refresh_token(given: str | None, mode: str | None) -> str | None:
    """The body's token, or in cookie mode the cookie's (read only then: the header is the CSRF guard)."""
    if given or mode != "cookie":
        return given
    from radar.sessions.cookies import cookie_token

    return cookie_token(_event())


def _missing_refresh_token() -> ValidationFailed:
    return ValidationFailed(
        "refresh_token is required (or send X-Radar-Session: cookie with the radar_refresh cookie)",
        details=[{"field": "refresh_token", "reason": "missing", "message": "required in JSON mode"}],
    )


@app.post(
    "/auth/signup",
    summary="Create a tenant on the free plan, its admin user and its usage key",
    tags=["auth"],
    responses={
        201: {"description": "tenant, admin user and tokens"},
        **error_responses({409: "e-mail taken"}),
        **_ERRORS,
    },
)
def signup(body: Annotated[SignupRequest, Body()]) -> Response[SignupResponse]:
    mode = _session_mode()
    result = services().tenants.signup(body.tenant_name, body.email, body.password, _event())
    metrics.add_metric(name="Signups", unit=MetricUnit.Count, value=1)
    if mode != "cookie" or result.tokens.refresh_token is None:
        return Response(201, "application/json", result)
    from radar.sessions.cookies import for_cookie_mode, refresh_cookie

    browser = result.model_copy(update={"tokens": for_cookie_mode(result.tokens)})
    cookie = refresh_cookie(result.tokens.refresh_token)
    return Response(201, "application/json", browser, cookies=[cookie])


@app.post(
    "/auth/login",
    summary="Exchange e-mail and password for an access token and a refresh token",
    tags=["auth"],
    responses={
        200: {"description": "token pair"},
        **error_responses({401: "invalid e-mail or password", 403: "the organization was deleted (tenant_deleted)"}),
        **_ERRORS,
    },
)
def login(body: Annotated[LoginRequest, Body()]) -> Response[TokenResponse]:
    mode = _session_mode()  # a bad header is refused before anything happens
    return _tokens(services().sessions.login(body.email, body.password, _event()), mode)


@app.post(
    "/auth/refresh",
    summary="Rotate a refresh token into a new token pair (reusing an old one revokes its family)",
    tags=["auth"],
    responses={
        200: {"description": "new token pair"},
        **error_responses({401: "invalid refresh token", 403: "the organization was deleted (tenant_deleted)"}),
        **_ERRORS,
    },
)
def refresh(body: Annotated[RefreshRequest, Body()]) -> Response[TokenResponse]:
    mode = _session_mode()
    from radar.sessions.errors import InvalidToken

    token = _refresh_token(body.refresh_token, mode)
    try:
        if token is None:
            if mode != "cookie":
                raise _missing_refresh_token()
            raise InvalidToken()
        return _tokens(services().sessions.refresh(token, _event()), mode)
    except InvalidToken as exc:
        if mode == "cookie":
            from radar.sessions.cookies import cleared_cookie

            exc.cookies = (cleared_cookie(),)  # radar.http sets them: the browser drops a dead cookie
        raise


@app.post(
    "/auth/logout",
    summary="Revoke a refresh token and every token rotated from it",
    tags=["auth"],
    responses={204: {"description": "revoked (or already unknown)", "content": {}}, **_AUTHED, **_ERRORS},
)
def logout(body: Annotated[LogoutRequest, Body()]) -> Response[None]:
    mode = _session_mode()
    ctx = tenant(app)
    token = _refresh_token(body.refresh_token, mode)
    if token is None and mode != "cookie":
        raise _missing_refresh_token()
    if token is not None:
        services().sessions.logout(ctx, token, _event())
    if mode != "cookie":
        return Response(status_code=204)
    from radar.sessions.cookies import cleared_cookie

    return Response(status_code=204, cookies=[cleared_cookie()])


@app.get(
    "/api-keys",
    summary="List the tenant's API keys (masked)",
    tags=["api-keys"],
    responses={200: {"description": "keys, prefix only"}, **_AUTHED},
)
def list_api_keys() -> ApiKeyList:
    return ApiKeyList(items=services().api_keys.list(tenant(app)))


@app.post(
    "/api-keys",
    summary="Create an API key for a machine; the key is shown once",
    tags=["api-keys"],
    responses={201: {"description": "the new key, shown once"}, **_AUTHED, **_ERRORS},
)
def create_api_key(body: Annotated[ApiKeyCreateRequest, Body()]) -> tuple[ApiKeyCreated, int]:
    created = services().api_keys.create(tenant(app), body.name, body.role, _event())
    metrics.add_metric(name="ApiKeysCreated", unit=MetricUnit.Count, value=1)
    return created, 201


@app.delete(
    "/api-keys/<key_id>",
    summary="Revoke an API key (it stops working within the authorizer cache TTL, at most 60 s)",
    tags=["api-keys"],
    responses={
        204: {"description": "revoked", "content": {}},
        **error_responses({404: "no such key"}),
        **_AUTHED,
    },
)
def revoke_api_key(key_id: Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]) -> Response[None]:
    services().api_keys.revoke(tenant(app), key_id, _event())
    return Response(status_code=204)


@app.get(
    "/users",
    summary="List the tenant's users",
    tags=["users"],
    responses={200: {"description": "users"}, **_AUTHED},
)
def list_users() -> UserList:
    return UserList(items=services().users.list(tenant(app)))


@app.post(
    "/users",
    summary="Invite a user with a role and an initial password",
    tags=["users"],
    responses={
        201: {"description": "the user"},
        **error_responses({409: "e-mail taken"}),
        **_AUTHED,
        **_ERRORS,
    },
)
def invite_user(body: Annotated[UserInviteRequest, Body()]) -> tuple[UserView, int]:
    return services().users.invite(tenant(app), body.email, body.role, body.password, _event()), 201


_UserId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]
_USER_ERRORS = error_responses({404: "no such user", 409: "the last admin cannot be removed or demoted"})


@app.patch(
    "/users/<user_id>",
    summary="Change a user's role (the last admin cannot be demoted; nobody raises their own role)",
    tags=["users"],
    responses={200: {"description": "the user"}, **_USER_ERRORS, **_AUTHED, **_ERRORS},
)
def change_user_role(user_id: _UserId, body: Annotated[RoleChangeRequest, Body()]) -> UserView:
    return services().users.change_role(tenant(app), user_id, body.role, _event())


@app.delete(
    "/users/<user_id>",
    summary="Disable a user: sign-in refused, every session ended, the API keys they created revoked",
    tags=["users"],
    responses={204: {"description": "disabled", "content": {}}, **_USER_ERRORS, **_AUTHED},
)
def disable_user(user_id: _UserId) -> Response[None]:
    services().users.disable(tenant(app), user_id, _event())
    return Response(status_code=204)


@app.post(
    "/users/<user_id>/sessions/revoke",
    summary="Sign a user out everywhere (an admin for anyone, a user for themselves)",
    tags=["users"],
    responses={204: {"description": "every session ended", "content": {}}, **_USER_ERRORS, **_AUTHED},
)
def revoke_user_sessions(user_id: _UserId) -> Response[None]:
    services().users.end_sessions(tenant(app), user_id, _event())
    return Response(status_code=204)


@app.get(
    "/me",
    summary="Who the caller is: user, role, tenant and plan (any role)",
    tags=["users"],
    responses={200: {"description": "the caller"}, **_AUTHED},
)
def get_me() -> MeView:
    return services().users.me(tenant(app))


@app.get(
    "/tenant",
    summary="The tenant, its plan and the plan's limits",
    tags=["tenant"],
    responses={200: {"description": "tenant"}, **_AUTHED},
)
def get_tenant() -> TenantView:
    return services().tenants.get_tenant(tenant(app))


@app.put(
    "/tenant/plan",
    summary="Move the tenant down to a cheaper plan: a paid plan stays until its paid period ends, anything not paid "
    "for changes at once; moving up is paid for at POST /billing/checkout (402)",
    tags=["tenant"],
    responses={
        200: {"description": "the tenant, with pending_plan/pending_at when the downgrade waits for the period end"},
        **error_responses({402: "an upgrade: pay for it at POST /billing/checkout"}),
        **_AUTHED,
        **_ERRORS,
    },
)
def change_plan(body: Annotated[PlanChangeRequest, Body()]) -> TenantView:
    return services().tenants.change_plan(tenant(app), body.plan, _event())


@app.delete(
    "/tenant",
    summary="Delete the tenant: every credential stops at once, and a job purges everything it owns",
    description="Answers 202 with the deletion job (Location: /tenant/deletion); a repeated DELETE answers the "
                "same job. From now on only the deleting admin's GET /tenant/deletion (and DELETE /tenant) are "
                "answered; everything else is 403 tenant_deleted.",
    tags=["tenant"],
    responses={202: {"description": "the deletion job"}, **_AUTHED},
)
def delete_tenant() -> Response[DeletionJobView]:
    job = services().tenants.delete_tenant(tenant(app), _event())
    metrics.add_metric(name="TenantDeletionsRequested", unit=MetricUnit.Count, value=1)
    return Response(202, "application/json", job, headers={"Location": "/tenant/deletion"})


@app.get(
    "/tenant/deletion",
    summary="The tenant's deletion job: status, items removed per kind, start and finish times",
    tags=["tenant"],
    responses={200: {"description": "the deletion job"}, **error_responses({404: "no deletion job"}), **_AUTHED},
)
def get_tenant_deletion() -> DeletionJobView:
    return services().tenants.deletion_status(tenant(app))


@app.get(
    "/billing/plans",
    summary="Every plan with its price (BRL) and limits (public)",
    tags=["billing"],
    responses={200: {"description": "plans, cheapest first"}},
)
def list_plans() -> PlanList:
    return services().billing.plans()


@app.post(
    "/billing/checkout",
    summary="Start paying for a higher plan: a hosted checkout page, or for a paying tenant its subscription moved to "
    "the higher price; the plan changes when the provider confirms it",
    description="A tenant without a subscription gets a Checkout Session (201, kind checkout). A tenant with an active "
                "subscription keeps that one subscription: its price changes to the higher plan's, the prorated "
                "difference for the rest of the period is invoiced at once (200, kind subscription_update). Either "
                "way the plan moves when the verified webhook (customer.subscription.updated) says so.",
    tags=["billing"],
    responses={
        201: {"description": "the checkout session and its URL"},
        200: {"description": "the tenant's subscription moved to the higher price", "content": {
            "application/json": {"model": CheckoutOut}}},
        **error_responses({409: "not an upgrade, or the subscription has an unpaid invoice (use the portal)",
                           503: "billing unavailable"}),
        **_AUTHED,
        **_ERRORS,
    },
)
def create_checkout(body: Annotated[CheckoutRequest, Body()]) -> tuple[CheckoutOut, int]:
    answer = services().billing.checkout(tenant(app), body.plan, _event())
    return answer, 201 if answer.kind == "checkout" else 200


@app.post(
    "/billing/portal",
    summary="The billing provider's customer portal: card, cancellation, invoices",
    tags=["billing"],
    responses={
        200: {"description": "the portal URL"},
        **error_responses({409: "no billing account yet", 503: "billing unavailable"}),
        **_AUTHED,
    },
)
def create_portal_session() -> PortalOut:
    return services().billing.portal(tenant(app), _event())


@app.post(
    "/billing/webhook",
    summary="The billing provider's events (public; only a verified Stripe-Signature is accepted)",
    tags=["billing"],
    responses={
        200: {"description": "processed, a duplicate, or ignored"},
        **error_responses({400: "signature missing, wrong or too old", 503: "billing unavailable"}),
    },
)
def receive_webhook() -> WebhookOut:
    raw = _event()
    body = raw.get("body") or ""
    payload = base64.b64decode(body) if raw.get("isBase64Encoded") else body.encode("utf-8")
    headers = {str(k).lower(): str(v) for k, v in (raw.get("headers") or {}).items()}
    return services().billing.handle_webhook(payload, headers.get("stripe-signature", ""), raw)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
