"""The REST API: routes from infra_cdk/routes.py, the REQUEST authorizer, usage plans per tier, gateway responses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import cast

from aws_cdk import ArnFormat, Aws, CfnResource, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra_cdk.functions import LIVE_ALIAS, Functions, RadarFunction, log_retention
from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id
from infra_cdk.routes import PROTECTED, PUBLIC, ROUTES, Route
from infra_cdk.settings import Settings
from radar.http import SECURITY_HEADERS
from radar.tiers import CHECKOUT_ROUTE, PLANS_ROUTE, TiersConfig, load_tiers

__all__ = ["FUNCTION_METADATA_KEY", "GATEWAY_RESPONSES", "Api", "GatewayResponseSpec"]

# Every method carries the logical id of the function behind it (see _integration for why it is needed).
FUNCTION_METADATA_KEY = "cnpj-radar:function"
# Brute-force brakes on the public auth routes, below any tier's limits (per stage, all callers together).
PUBLIC_AUTH_THROTTLE = {"/auth/signup/POST": (2.0, 5), "/auth/login/POST": (10.0, 20), "/auth/refresh/POST": (10.0, 20)}
_CONTEXT_PLAN = "$context.authorizer.plan"


@dataclass(frozen=True)
class GatewayResponseSpec:
    response_type: apigateway.ResponseType
    status: str
    code: str
    message: str
    extra_details: str = ""  # JSON members added to details (already rendered)
    extra_headers: tuple[tuple[str, str], ...] = ()
    codes: tuple[str, ...] = ()  # the codes a templated `code` renders to (the API spec lists them)


def _gateway_responses(tiers: TiersConfig) -> tuple[GatewayResponseSpec, ...]:
    upgrade = tiers.upgrade_url
    # A gateway response cannot compute usage, so it names the limit, when it resets, where usage is, and every
    # plan's limits (the one that lifts it is among them), all from the tiers file.
    plans = ", ".join(
        f'"{name}": {{"requests_per_second": {tier.rate:g}, "burst": {tier.burst}, '
        f'"requests_per_{tier.quota_period.lower()}": {tier.quota}, '
        f'"price": "{tier.price.display() if tier.price else "free"}"}}'
        for name, tier in tiers.tiers.items()
    )
    plan_details = (f'"plan": "{_CONTEXT_PLAN}", "upgrade_plan": "$context.authorizer.upgrade_plan", '
                    f'"upgrade_offer": "$context.authorizer.upgrade_offer", "checkout": "{CHECKOUT_ROUTE}", '
                    f'"plans_url": "{PLANS_ROUTE}", "upgrade_url": "{upgrade}", "usage": "GET /usage", '
                    f'"plans": {{{plans}}}')
    periods = {tier.quota_period for tier in tiers.tiers.values()}
    resets = "at 00:00 UTC on the first day of the next month" if periods == {"MONTH"} else "at the next quota period"
    rt = apigateway.ResponseType
    return (
        GatewayResponseSpec(rt.UNAUTHORIZED, "401", "unauthorized",
                            "Missing or invalid credentials: send x-api-key or Authorization: Bearer <token>.",
                            extra_headers=(("WWW-Authenticate", "Bearer"),)),
        # The authorizer names the denial in its context: "forbidden", or "tenant_deleted" once the tenant is deleted
        # (only its deleting admin's GET /tenant/deletion and DELETE /tenant answer then).
        GatewayResponseSpec(rt.ACCESS_DENIED, "403", "$context.authorizer.denial",
                            "These credentials may not call this API (tenant_deleted: the tenant was deleted; only "
                            "the deleting admin's GET /tenant/deletion answers).",
                            codes=("forbidden", "tenant_deleted")),
        GatewayResponseSpec(rt.INVALID_API_KEY, "403", "invalid_api_key",
                            "This tenant's usage key is not active on any plan; contact support."),
        GatewayResponseSpec(rt.MISSING_AUTHENTICATION_TOKEN, "404", "route_not_found", "No such route."),
        GatewayResponseSpec(rt.AUTHORIZER_FAILURE, "500", "authorizer_failure",
                            "Authorization is temporarily unavailable; retry shortly."),
        GatewayResponseSpec(rt.AUTHORIZER_CONFIGURATION_ERROR, "500", "authorizer_failure",
                            "Authorization is temporarily unavailable; retry shortly."),
        GatewayResponseSpec(rt.THROTTLED, "429", "rate_limited",
                            f"Too many requests per second for the {_CONTEXT_PLAN} plan. Slow down, or "
                            f"upgrade: $context.authorizer.upgrade_offer",
                            extra_details=f'"limit": "requests_per_second", "resets": "continuously (retry after '
                                          f'1 s)", {plan_details}',
                            extra_headers=(("Retry-After", "1"),)),
        GatewayResponseSpec(rt.QUOTA_EXCEEDED, "429", "quota_exceeded",
                            f"The {_CONTEXT_PLAN} plan's request quota for this period is used up; it resets "
                            f"{resets}. Upgrade to keep going: $context.authorizer.upgrade_offer",
                            extra_details=f'"limit": "request_quota", "resets": "{resets}", {plan_details}'),
        GatewayResponseSpec(rt.DEFAULT_4_XX, "", "request_error", "The gateway rejected the request.",
                            extra_details='"reason": $context.error.messageString'),
        GatewayResponseSpec(rt.DEFAULT_5_XX, "", "gateway_error",
                            "The gateway could not complete the request; the request id identifies it."),
    )


GATEWAY_RESPONSES = _gateway_responses(load_tiers())


def error_template(spec: GatewayResponseSpec) -> str:
    """The API error format, filled by API Gateway's $context variables (no VTL logic, so emulators agree)."""
    details = '"request_id": "$context.requestId", "response_type": "$context.error.responseType"'
    if spec.extra_details:
        details = f"{details}, {spec.extra_details}"
    message = json.dumps(spec.message)
    return f'{{"error": {{"code": "{spec.code}", "message": {message}, "details": {{{details}}}}}}}'


def _quoted(value: str) -> str:
    # API Gateway reads static header values between the outer single quotes; inner quotes (CSP) stay as is.
    return f"'{value}'"


class Api(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, functions: Functions, settings: Settings) -> None:
        super().__init__(scope, construct_id)
        self._settings = settings
        stack = Stack.of(self)
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            log_group_name=f"/aws/apigateway/{stack.stack_name}-access",
            retention=log_retention(settings.log_retention_days),
            removal_policy=RemovalPolicy.DESTROY,
        )
        pin_logical_id(self.access_logs, "ApiAccessLogGroup")
        origins = list(settings.cors_allowed_origins)
        self.rest_api = apigateway.RestApi(
            self,
            "RestApi",
            rest_api_name=stack.stack_name,
            description="cnpj-radar API v1: due diligence on Brazilian companies (CNPJ)",
            # The authorizer returns the tenant's own usage key (usageIdentifierKey): quotas are per tenant.
            api_key_source_type=apigateway.ApiKeySourceType.AUTHORIZER,
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            # DESIGN DECISION: the account-wide API Gateway logging role (one per account and region) lives in the
            # account stack (infra_cdk/account.py), not here: two stages in one account would overwrite each
            # other's, and deleting either stack would break the other's execution logs.
            cloud_watch_role=False,
            deploy_options=apigateway.StageOptions(
                stage_name=settings.stage_name,
                # Usage plans are best effort; the stage limit protects the account whatever the plans say.
                throttling_rate_limit=settings.stage_rate_limit,
                throttling_burst_limit=settings.stage_burst_limit,
                method_options={
                    path: apigateway.MethodDeploymentOptions(throttling_rate_limit=rate, throttling_burst_limit=burst)
                    for path, (rate, burst) in PUBLIC_AUTH_THROTTLE.items()
                },
                tracing_enabled=True,
                # API-level metrics (ApiName) are free and feed the alarms; per-method metrics bill per metric.
                metrics_enabled=False,
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                # Request and response bodies carry personal data: never in execution logs.
                data_trace_enabled=False,
                access_log_destination=apigateway.LogGroupLogDestination(self.access_logs),
                access_log_format=apigateway.AccessLogFormat.custom(json.dumps(_ACCESS_LOG_FIELDS)),
            ),
            default_cors_preflight_options=apigateway.CorsOptions(
                allow_origins=origins,
                allow_methods=apigateway.Cors.ALL_METHODS,
                allow_headers=["Content-Type", "Authorization", "x-api-key", "Idempotency-Key"],
                max_age=Duration.hours(1),
            ) if origins else None,
        )
        pin_logical_id(self.rest_api, "RestApi")
        self.stage = self.rest_api.deployment_stage
        pin_logical_id(self.stage, "ApiStage")

        # DESIGN DECISION: API Gateway calls a *cached* REQUEST authorizer only when every identity source is
        # present, and callers send either `x-api-key` or `Authorization: Bearer`, never both. So the gateway
        # result cache is off (TTL 0, no identity sources) and the authorizer function keeps its own 60-second
        # decision cache (AUTH_CACHE_TTL_SECONDS). Its policy is a wildcard over this API's methods, so a
        # cached decision stays valid for the tenant's next route.
        self.authorizer = apigateway.RequestAuthorizer(
            self,
            "Authorizer",
            authorizer_name=f"{stack.stack_name}-authorizer",
            handler=functions.authorizer.alias,
            identity_sources=[],
            results_cache_ttl=Duration.seconds(0),
        )
        # With no identity sources CDK still writes IdentitySource: ""; leave the property out instead.
        pin_logical_id(self.authorizer, "ApiAuthorizer").add_property_deletion_override("IdentitySource")

        self._permitted: set[str] = set()
        for route in ROUTES:
            self._add_route(route, functions.http[route.function])
        self._add_gateway_responses()
        self.usage_plans = self._add_usage_plans()
        self._wire_auth_function(functions.auth, functions.purge)
        self._acknowledge_findings()

    @property
    def url(self) -> str:
        return self.rest_api.url

    def _integration(self, target: RadarFunction) -> apigateway.Integration:
        # The method points at the function's `live` alias by its fixed name, not by a reference: the auth
        # function's environment names the usage plans, the plans name the stage, the stage's deployment needs
        # every method, so a reference here would close a dependency cycle CloudFormation refuses.
        stack = Stack.of(self)
        alias_arn = stack.format_arn(
            service="lambda", resource="function", resource_name=f"{target.function_name}:{LIVE_ALIAS}",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        if target.spec.name not in self._permitted:
            self._permitted.add(target.spec.name)
            target.alias.add_permission(
                "InvokeFromApi",
                principal=iam.ServicePrincipal("apigateway.amazonaws.com"),
                source_arn=self.rest_api.arn_for_execute_api(stage=self._settings.stage_name),
            )
        return apigateway.Integration(
            type=apigateway.IntegrationType.AWS_PROXY,
            integration_http_method="POST",
            uri=f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}:lambda:path/2015-03-31/functions/{alias_arn}"
            "/invocations",
        )

    def _add_route(self, route: Route, target: RadarFunction) -> None:
        resource = self.rest_api.root.resource_for_path(route.path.lstrip("/"))
        public = route.access == PUBLIC
        method = resource.add_method(
            route.method,
            self._integration(target),
            authorization_type=apigateway.AuthorizationType.NONE if public else apigateway.AuthorizationType.CUSTOM,
            authorizer=None if public else self.authorizer,
            api_key_required=route.access == PROTECTED,
        )
        cast(CfnResource, method.node.default_child).add_metadata(FUNCTION_METADATA_KEY, target.spec.logical_id)
        if public:
            reason = f"{route.method} {route.path} is public by design (docs/shared design: API v1 table)"
            acknowledge(method, "AwsSolutions-APIG4", reason)
            acknowledge(method, "AwsSolutions-COG4", reason)
        else:
            acknowledge(method, "AwsSolutions-COG4",
                        "tenants authenticate with API keys or our own Ed25519 tokens through the REQUEST "
                        "Lambda authorizer; there is no Cognito user pool")

    def _add_gateway_responses(self) -> None:
        headers = {name: _quoted(value) for name, value in SECURITY_HEADERS.items()}
        origins = self._settings.cors_allowed_origins
        if origins:
            # A gateway response cannot echo a matched origin, so it names the primary one (as radar.http does).
            headers["Access-Control-Allow-Origin"] = _quoted(origins[0])
            headers["Vary"] = _quoted("Origin")
        # The stage's prices (its planPrices on top of the tiers file): the 429s name them.
        for spec in _gateway_responses(self._settings.tiers()):
            logical_id = "GatewayResponse" + spec.response_type.response_type.title().replace("_", "")
            response = self.rest_api.add_gateway_response(
                logical_id,
                type=spec.response_type,
                status_code=spec.status or None,
                response_headers={**headers, **{k: _quoted(v) for k, v in spec.extra_headers}},
                templates={"application/json": error_template(spec)},
            )
            pin_logical_id(response, logical_id)

    def _add_usage_plans(self) -> dict[str, apigateway.UsagePlan]:
        plans: dict[str, apigateway.UsagePlan] = {}
        stack_name = Stack.of(self).stack_name
        for plan_name, tier in load_tiers().tiers.items():
            plan = self.rest_api.add_usage_plan(
                f"UsagePlan{plan_name.capitalize()}",
                name=f"{stack_name}-{plan_name}",
                description=f"cnpj-radar {tier.display_name} plan (from radar/tiers.json)",
                throttle=apigateway.ThrottleSettings(rate_limit=tier.rate, burst_limit=tier.burst),
                quota=apigateway.QuotaSettings(limit=tier.quota, period=apigateway.Period[tier.quota_period]),
                api_stages=[apigateway.UsagePlanPerApiStage(api=self.rest_api, stage=self.stage)],
            )
            pin_logical_id(plan, f"UsagePlan{plan_name.capitalize()}")
            plans[plan_name] = plan
        return plans

    def _wire_auth_function(self, auth: RadarFunction, purge: RadarFunction) -> None:
        stack = Stack.of(self)
        for function in (auth, purge):
            function.add_environment(
                "USAGE_PLAN_IDS", stack.to_json_string({name: p.usage_plan_id for name, p in self.usage_plans.items()})
            )

        def apigw_arn(path: str) -> str:
            return f"arn:{Aws.PARTITION}:apigateway:{Aws.REGION}::{path}"

        # One API key per tenant (its usage key), moved between plans on a plan change.
        auth.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["apigateway:POST"], resources=[apigw_arn("/apikeys")],
        ))
        auth.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["apigateway:GET", "apigateway:PATCH", "apigateway:DELETE"], resources=[apigw_arn("/apikeys/*")],
        ))
        plan_keys = [apigw_arn(f"/usageplans/{p.usage_plan_id}/keys") for p in self.usage_plans.values()]
        plan_key = [apigw_arn(f"/usageplans/{p.usage_plan_id}/keys/*") for p in self.usage_plans.values()]
        auth.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["apigateway:GET", "apigateway:POST"], resources=plan_keys,
        ))
        auth.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["apigateway:GET", "apigateway:DELETE"], resources=plan_key,
        ))
        # The purge removes a deleted tenant's usage key, last (API Gateway drops it from its usage plan too).
        purge.role.add_to_principal_policy(iam.PolicyStatement(
            actions=["apigateway:DELETE"], resources=[apigw_arn("/apikeys/*")],
        ))
        generated_ids = "API key ids are generated when a tenant signs up, so the key ARNs cannot be listed here"
        acknowledge(purge.role, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::"
                    "/apikeys/*]", generated_ids)
        acknowledge(auth.role, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*]",
                    generated_ids)
        for plan_name in self.usage_plans:
            acknowledge(
                auth.role,
                f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/usageplans/"
                f"<UsagePlan{plan_name.capitalize()}>/keys/*]",
                f"usage plan keys of the {plan_name} plan only; {generated_ids}",
            )

    def _acknowledge_findings(self) -> None:
        acknowledge(self.rest_api, "AwsSolutions-APIG2",
                    "request bodies are validated by each function's pydantic models, which answer 422 with "
                    "field-level details in the API error format; gateway validation would answer differently")


# Access log fields: who called what and how it went. No bodies, no headers, no query strings.
_ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integration.latency",
    "sourceIp": "$context.identity.sourceIp",
    "tenantId": "$context.authorizer.tenant_id",
    "principalType": "$context.authorizer.principal_type",
    "plan": "$context.authorizer.plan",
    "errorType": "$context.error.responseType",
    "xrayTraceId": "$context.xrayTraceId",
}
