"""A local API Gateway (REST) data plane for the template's API: authorizer, API keys, usage plans, gateway responses.

Requests are turned into real-shaped REST proxy events and run on the function runtimes; what API Gateway itself
answers (403 missing key, 401/403 from the authorizer, 429 throttled/quota) comes from the template's gateway responses.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from botocore.exceptions import ClientError

from scripts.localcloud.apispec import ApiSpec, AuthorizerSpec, MethodSpec
from scripts.localcloud.aws import client
from scripts.localcloud.runtime import FunctionRuntime
from scripts.localcloud.template import ACCOUNT_ID, REGION
from scripts.localcloud.throttling import QuotaCounter, TokenBucket

__all__ = ["Gateway", "GatewayServer", "Request", "Response"]

INTEGRATION_TIMEOUT = 29.0
MAX_PAYLOAD = 10 * 1024 * 1024

# API Gateway's own defaults for the response types this gateway can produce.
_DEFAULT_RESPONSES: dict[str, tuple[int, str]] = {
    "MISSING_AUTHENTICATION_TOKEN": (403, "Missing Authentication Token"),
    "UNAUTHORIZED": (401, "Unauthorized"),
    "ACCESS_DENIED": (403, "User is not authorized to access this resource with an explicit deny"),
    "INVALID_API_KEY": (403, "Forbidden"),
    "THROTTLED": (429, "Too Many Requests"),
    "QUOTA_EXCEEDED": (429, "Limit Exceeded"),
    "AUTHORIZER_FAILURE": (500, "Authorizer Failure"),
    "AUTHORIZER_CONFIGURATION_ERROR": (500, "Internal server error"),
    "API_CONFIGURATION_ERROR": (500, "Internal server error"),
    "INTEGRATION_FAILURE": (502, "Internal server error"),
    "INTEGRATION_TIMEOUT": (504, "Endpoint request timed out"),
    "REQUEST_TOO_LARGE": (413, "Request Too Large"),
}


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    received_at: float = field(default_factory=time.time)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        found = [v for k, v in self.headers if k.lower() == lowered]
        return found[-1] if found else None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    multi_headers: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _KeyInfo:
    key_id: str
    enabled: bool
    plan_ids: list[str]


@dataclass
class _AuthResult:
    allowed: bool
    policy: dict[str, Any]
    principal_id: str
    context: dict[str, Any]
    usage_key: str | None


class _AuthorizerError(Exception):
    def __init__(self, response_type: str, message: str | None = None) -> None:
        super().__init__(response_type)
        self.response_type = response_type
        self.message = message


class Gateway:
    def __init__(
        self,
        spec: ApiSpec,
        runtimes: dict[str, FunctionRuntime],
        extra_routes: dict[str, Callable[[Request], Response]] | None = None,
        key_refresh_seconds: float = 1.0,
        access_log: Callable[[str, str, str], None] | None = None,
    ) -> None:
        self.spec = spec
        self.access_log = access_log  # (log group, stream, line), when the stage has an access log
        self.runtimes = runtimes
        self.extra_routes = extra_routes or {}
        self.key_refresh_seconds = key_refresh_seconds
        self.stage_bucket = TokenBucket(*spec.stage_throttle) if spec.stage_throttle else None
        self.plan_buckets: dict[tuple[str, str], TokenBucket] = {}
        self.quotas = QuotaCounter()
        self.auth_cache: dict[tuple[str, tuple[str, ...]], tuple[float, _AuthResult]] = {}
        self.keys: dict[str, _KeyInfo] = {}
        self.keys_loaded_at = 0.0
        self.plans: dict[str, tuple[float, dict[str, Any]]] = {}
        self.lock = threading.Lock()
        self.stats: dict[str, int] = {}

    # -- entry point ----------------------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        for prefix, route in self.extra_routes.items():
            if request.path == prefix or request.path.startswith(prefix.rstrip("/") + "/"):
                return route(request)
        path = request.path
        stage_prefix = f"/{self.spec.stage}"
        if path == stage_prefix or path.startswith(stage_prefix + "/"):
            path = path[len(stage_prefix) :] or "/"
        started = time.perf_counter()
        ctx: dict[str, Any] = {"requestId": request.request_id, "path": path, "httpMethod": request.method}
        response = self._handle_api(request, path, ctx)
        response.headers.setdefault("x-amzn-RequestId", request.request_id)
        response.headers.setdefault("x-amz-apigw-id", request.request_id[:16])
        self._count(response.status)
        self._write_access_log(request, response, ctx, (time.perf_counter() - started) * 1000)
        return response

    def _write_access_log(self, request: Request, response: Response, ctx: dict[str, Any], latency_ms: float) -> None:
        if self.access_log is None or self.spec.access_log is None:
            return
        group, line_format = self.spec.access_log
        values = {
            "requestId": request.request_id,
            "extendedRequestId": request.request_id[:16],
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(request.received_at)),
            "requestTimeEpoch": str(int(request.received_at * 1000)),
            "httpMethod": request.method,
            "resourcePath": str(ctx.get("resourcePath", "")),
            "path": str(ctx.get("path", "")),
            "stage": self.spec.stage,
            "apiId": self.spec.api_id,
            "status": str(response.status),
            "responseLatency": str(int(latency_ms)),
            "responseLength": str(len(response.body)),
            "identity.sourceIp": request.source_ip,
            "identity.userAgent": request.header("User-Agent") or "",
            "identity.apiKeyId": str((ctx.get("identity") or {}).get("apiKeyId", "")),
            "error.responseType": str(ctx.get("errorResponseType", "")),
            "error.message": str(ctx.get("errorMessage", "")),
            "integration.latency": str(ctx.get("integrationLatency", "")),
            "integration.status": str(ctx.get("integrationStatus", "")),
            "xrayTraceId": request.header("X-Amzn-Trace-Id") or "",
        }
        for key, value in (ctx.get("authorizer") or {}).items():
            values[f"authorizer.{key}"] = str(value)
        # As API Gateway does: a variable without a value is written as "-".
        self.access_log(group, f"{self.spec.stage}-access", _render(line_format, values, {}, missing="-"))

    def _count(self, status: int) -> None:
        with self.lock:
            key = f"{status // 100}xx"
            self.stats[key] = self.stats.get(key, 0) + 1

    def _handle_api(self, request: Request, path: str, ctx: dict[str, Any]) -> Response:
        if len(request.body) > MAX_PAYLOAD:
            return self.gateway_response("REQUEST_TOO_LARGE", request, ctx)
        matched = self.spec.match(path)
        method = None
        if matched:
            resource_path, path_params = matched
            method = self.spec.methods.get((resource_path, request.method)) or self.spec.methods.get(
                (resource_path, "ANY")
            )
        if method is None:
            return self.gateway_response("MISSING_AUTHENTICATION_TOKEN", request, ctx)
        ctx["resourcePath"] = method.resource_path
        if self.stage_bucket is not None and not self.stage_bucket.take():
            return self.gateway_response("THROTTLED", request, ctx)

        auth: _AuthResult | None = None
        if method.authorization == "CUSTOM" and method.authorizer:
            try:
                auth = self._authorize(self.spec.authorizers[method.authorizer], method, request, path, path_params)
            except _AuthorizerError as exc:
                return self.gateway_response(exc.response_type, request, ctx, message=exc.message)
            ctx["authorizer"] = {**auth.context, "principalId": auth.principal_id}
            if not auth.allowed:
                return self.gateway_response("ACCESS_DENIED", request, ctx)

        api_key: tuple[str, str] | None = None
        if method.api_key_required:
            value = auth.usage_key if self.spec.api_key_source == "AUTHORIZER" and auth else request.header("x-api-key")
            limited = self._apply_usage_plan(value, request, ctx)
            if isinstance(limited, Response):
                return limited
            api_key = limited

        if method.integration_type == "MOCK":
            return self._mock(method, request)
        return self._invoke(method, request, path, path_params, auth, api_key, ctx)

    # -- authorizer -----------------------------------------------------------------------------------------
    def _identity(self, source: str, request: Request) -> str | None:
        if source.startswith("method.request.header."):
            return request.header(source.removeprefix("method.request.header."))
        if source.startswith("method.request.querystring."):
            name = source.removeprefix("method.request.querystring.")
            values = [v for k, v in request.query if k == name]
            return values[-1] if values else None
        if source.startswith("stageVariables."):
            return self.spec.stage_variables.get(source.removeprefix("stageVariables."))
        if source.startswith("context."):
            return {"httpMethod": request.method, "resourcePath": request.path}.get(source.removeprefix("context."))
        return None

    def _method_arn(self, method: MethodSpec, path: str) -> str:
        return (
            f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{self.spec.api_id}/{self.spec.stage}/{method.http_method}{path}"
        )

    def _authorize(
        self, authorizer: AuthorizerSpec, method: MethodSpec, request: Request, path: str, path_params: dict[str, str]
    ) -> _AuthResult:
        identities = tuple(self._identity(s, request) or "" for s in authorizer.identity_sources)
        # API Gateway does not call a cached (or TOKEN) authorizer when an identity source is missing.
        cached_kind = authorizer.kind == "TOKEN" or authorizer.ttl_seconds > 0
        if cached_kind and (not identities or any(not v for v in identities)):
            raise _AuthorizerError("UNAUTHORIZED")
        method_arn = self._method_arn(method, path)
        cache_key = (authorizer.logical_id, identities)
        if authorizer.ttl_seconds > 0:
            with self.lock:
                cached = self.auth_cache.get(cache_key)
            if cached and cached[0] > time.monotonic():
                return self._evaluate(cached[1], method_arn)
        event = self._authorizer_event(authorizer, method, request, path, path_params, method_arn, identities)
        result = self.runtimes[authorizer.function_logical_id].invoke(event, timeout=30.0)
        if not result.ok:
            message = str((result.error or {}).get("errorMessage", ""))
            if message == "Unauthorized":
                raise _AuthorizerError("UNAUTHORIZED")
            raise _AuthorizerError("AUTHORIZER_CONFIGURATION_ERROR")
        payload = result.payload if isinstance(result.payload, dict) else {}
        if "policyDocument" not in payload or "principalId" not in payload:
            raise _AuthorizerError("AUTHORIZER_CONFIGURATION_ERROR")
        context = {k: v for k, v in (payload.get("context") or {}).items() if isinstance(v, str | int | float | bool)}
        outcome = _AuthResult(
            allowed=False,
            policy=payload["policyDocument"],
            principal_id=str(payload["principalId"]),
            context=context,
            usage_key=payload.get("usageIdentifierKey"),
        )
        if authorizer.ttl_seconds > 0:
            with self.lock:
                self.auth_cache[cache_key] = (time.monotonic() + authorizer.ttl_seconds, outcome)
        return self._evaluate(outcome, method_arn)

    @staticmethod
    def _evaluate(outcome: _AuthResult, method_arn: str) -> _AuthResult:
        """Allow only if some Allow statement covers the method ARN and no Deny does (explicit deny wins)."""
        allowed = False
        for statement in outcome.policy.get("Statement", []):
            resources = statement.get("Resource", [])
            resources = [resources] if isinstance(resources, str) else resources
            actions = statement.get("Action", [])
            actions = [actions] if isinstance(actions, str) else actions
            if not any(fnmatch.fnmatchcase("execute-api:Invoke", a) for a in actions):
                continue
            if any(fnmatch.fnmatchcase(method_arn, r) for r in resources):
                if statement.get("Effect") == "Deny":
                    return _AuthResult(False, outcome.policy, outcome.principal_id, outcome.context, outcome.usage_key)
                allowed = True
        return _AuthResult(allowed, outcome.policy, outcome.principal_id, outcome.context, outcome.usage_key)

    def _authorizer_event(
        self,
        authorizer: AuthorizerSpec,
        method: MethodSpec,
        request: Request,
        path: str,
        path_params: dict[str, str],
        method_arn: str,
        identities: tuple[str, ...],
    ) -> dict[str, Any]:
        if authorizer.kind == "TOKEN":
            return {"type": "TOKEN", "authorizationToken": identities[0], "methodArn": method_arn}
        proxy = self._proxy_event(method, request, path, path_params, None, None)
        return {
            "type": "REQUEST",
            "methodArn": method_arn,
            **{
                k: proxy[k]
                for k in (
                    "resource",
                    "path",
                    "httpMethod",
                    "headers",
                    "multiValueHeaders",
                    "queryStringParameters",
                    "multiValueQueryStringParameters",
                    "pathParameters",
                    "stageVariables",
                    "requestContext",
                )
            },
        }

    # -- usage plans ----------------------------------------------------------------------------------------
    def _key_info(self, value: str) -> _KeyInfo | None:
        with self.lock:
            info = self.keys.get(value)
            fresh = time.monotonic() - self.keys_loaded_at < self.key_refresh_seconds
        if info is not None and fresh:
            return info
        self._reload_keys()
        with self.lock:
            return self.keys.get(value)

    def _reload_keys(self) -> None:
        apigw = client("apigateway")
        keys: dict[str, _KeyInfo] = {}
        position = None
        while True:
            page = apigw.get_api_keys(includeValues=True, limit=500, **({"position": position} if position else {}))
            for item in page.get("items", []):
                keys[item["value"]] = _KeyInfo(item["id"], bool(item.get("enabled")), [])
            position = page.get("position")
            if not position:
                break
        for _plan_id, plan in self._all_plans().items():
            for key in apigw.get_usage_plan_keys(usagePlanId=plan["id"]).get("items", []):
                for info in keys.values():
                    if info.key_id == key["id"]:
                        info.plan_ids.append(plan["id"])
        with self.lock:
            self.keys = keys
            self.keys_loaded_at = time.monotonic()

    def _all_plans(self) -> dict[str, dict[str, Any]]:
        plans = client("apigateway").get_usage_plans(limit=500).get("items", [])
        now = time.monotonic()
        with self.lock:
            for plan in plans:
                self.plans[plan["id"]] = (now, plan)
        return {p["id"]: p for p in plans}

    def _apply_usage_plan(self, value: str | None, request: Request, ctx: dict[str, Any]) -> Response | tuple[str, str]:
        info = self._key_info(value) if value else None
        if info is None or not info.enabled:
            return self.gateway_response("INVALID_API_KEY", request, ctx)
        plan = None
        for plan_id in info.plan_ids:
            candidate = self.plans.get(plan_id, (0.0, {}))[1]
            if any(
                s.get("apiId") == self.spec.api_id and s.get("stage") == self.spec.stage
                for s in candidate.get("apiStages", [])
            ):
                plan = candidate
                break
        if plan is None:
            return self.gateway_response("INVALID_API_KEY", request, ctx)
        throttle = plan.get("throttle") or {}
        if throttle.get("rateLimit") is not None:
            bucket_key = (plan["id"], info.key_id)
            with self.lock:
                bucket = self.plan_buckets.get(bucket_key)
                if bucket is None or (bucket.rate, bucket.burst) != (
                    float(throttle["rateLimit"]),
                    int(throttle.get("burstLimit", 0)),
                ):
                    bucket = TokenBucket(float(throttle["rateLimit"]), int(throttle.get("burstLimit", 0)))
                    self.plan_buckets[bucket_key] = bucket
            if not bucket.take():
                return self.gateway_response("THROTTLED", request, ctx)
        quota = plan.get("quota") or {}
        if quota.get("limit") is not None:
            ok, _used, _resets = self.quotas.take(
                plan["id"], info.key_id, int(quota["limit"]), quota.get("period", "MONTH"), int(quota.get("offset", 0))
            )
            if not ok:
                return self.gateway_response("QUOTA_EXCEEDED", request, ctx)
        ctx.setdefault("identity", {})["apiKeyId"] = info.key_id
        return (value or "", info.key_id)

    # -- integration ----------------------------------------------------------------------------------------
    def _proxy_event(
        self,
        method: MethodSpec,
        request: Request,
        path: str,
        path_params: dict[str, str],
        auth: _AuthResult | None,
        api_key: tuple[str, str] | None,
    ) -> dict[str, Any]:
        headers: dict[str, str] = {}
        multi_headers: dict[str, list[str]] = {}
        for name, value in request.headers:
            headers[name] = value
            multi_headers.setdefault(name, []).append(value)
        query: dict[str, str] = {}
        multi_query: dict[str, list[str]] = {}
        for name, value in request.query:
            query[name] = value
            multi_query.setdefault(name, []).append(value)
        try:
            body: str | None = request.body.decode("utf-8") if request.body else None
            is_b64 = False
        except UnicodeDecodeError:
            body, is_b64 = base64.b64encode(request.body).decode(), True
        now = datetime.fromtimestamp(request.received_at, tz=UTC)
        authorizer_ctx = None
        if auth is not None:
            authorizer_ctx = {
                **{k: v for k, v in auth.context.items()},
                "principalId": auth.principal_id,
                "integrationLatency": 0,
            }
        return {
            "resource": method.resource_path,
            "path": path,
            "httpMethod": request.method,
            "headers": headers or None,
            "multiValueHeaders": multi_headers or None,
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_params or None,
            "stageVariables": self.spec.stage_variables or None,
            "requestContext": {
                "resourceId": uuid.uuid5(uuid.NAMESPACE_URL, method.resource_path).hex[:6],
                "resourcePath": method.resource_path,
                "httpMethod": request.method,
                "extendedRequestId": request.request_id[:16],
                "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                "path": f"/{self.spec.stage}{path}",
                "accountId": ACCOUNT_ID,
                "protocol": "HTTP/1.1",
                "stage": self.spec.stage,
                "domainPrefix": "localhost",
                "requestTimeEpoch": int(request.received_at * 1000),
                "requestId": request.request_id,
                "identity": {
                    "cognitoIdentityPoolId": None,
                    "accountId": None,
                    "cognitoIdentityId": None,
                    "caller": None,
                    "sourceIp": request.source_ip,
                    "principalOrgId": None,
                    "accessKey": None,
                    "cognitoAuthenticationType": None,
                    "cognitoAuthenticationProvider": None,
                    "userArn": None,
                    "userAgent": request.header("User-Agent"),
                    "user": None,
                    "apiKey": api_key[0] if api_key else None,
                    "apiKeyId": api_key[1] if api_key else None,
                },
                "domainName": request.header("Host") or "127.0.0.1",
                "apiId": self.spec.api_id,
                **({"authorizer": authorizer_ctx} if authorizer_ctx is not None else {}),
            },
            "body": body,
            "isBase64Encoded": is_b64,
        }

    def _invoke(
        self,
        method: MethodSpec,
        request: Request,
        path: str,
        path_params: dict[str, str],
        auth: _AuthResult | None,
        api_key: tuple[str, str] | None,
        ctx: dict[str, Any],
    ) -> Response:
        runtime = self.runtimes.get(method.function_logical_id or "")
        if runtime is None:
            return self.gateway_response("API_CONFIGURATION_ERROR", request, ctx)
        event = self._proxy_event(method, request, path, path_params, auth, api_key)
        timeout = min(runtime.spec.timeout, INTEGRATION_TIMEOUT)
        integration_started = time.perf_counter()
        result = runtime.invoke(event, timeout=timeout)
        ctx["integrationLatency"] = int((time.perf_counter() - integration_started) * 1000)
        if isinstance(result.payload, dict) and isinstance(result.payload.get("statusCode"), int):
            ctx["integrationStatus"] = result.payload["statusCode"]
        if not result.ok:
            if (result.error or {}).get(
                "errorType"
            ) == "Sandbox.Timedout" and runtime.spec.timeout > INTEGRATION_TIMEOUT:
                return self.gateway_response("INTEGRATION_TIMEOUT", request, ctx)
            return self._internal_error()
        payload = result.payload
        if not isinstance(payload, dict) or not isinstance(payload.get("statusCode"), int):
            return self._internal_error()
        headers = {str(k): str(v) for k, v in (payload.get("headers") or {}).items()}
        multi = {str(k): [str(x) for x in v] for k, v in (payload.get("multiValueHeaders") or {}).items()}
        body_text = payload.get("body") or ""
        body = base64.b64decode(body_text) if payload.get("isBase64Encoded") else str(body_text).encode("utf-8")
        return Response(payload["statusCode"], headers, body, multi)

    @staticmethod
    def _internal_error() -> Response:
        return Response(502, {"Content-Type": "application/json"}, b'{"message": "Internal server error"}')

    def _mock(self, method: MethodSpec, request: Request) -> Response:
        mock = method.mock_response or {}
        headers = {}
        for name, value in (mock.get("ResponseParameters") or {}).items():
            if name.startswith("method.response.header."):
                headers[name.removeprefix("method.response.header.")] = _literal(value, request)
        status = int(mock.get("StatusCode", 200))
        body = (mock.get("ResponseTemplates") or {}).get("application/json", "")
        return Response(status, headers, str(body).encode())

    # -- gateway responses ----------------------------------------------------------------------------------
    def gateway_response(
        self, response_type: str, request: Request, ctx: dict[str, Any], message: str | None = None
    ) -> Response:
        default_status, default_message = _DEFAULT_RESPONSES.get(response_type, (500, "Internal server error"))
        configured = self.spec.gateway_responses.get(response_type)
        fallback = self.spec.gateway_responses.get("DEFAULT_5XX" if default_status >= 500 else "DEFAULT_4XX")
        status = int((configured or {}).get("StatusCode") or default_status)
        source = configured or fallback or {}
        message = message or default_message
        ctx["errorResponseType"], ctx["errorMessage"] = response_type, message
        values = {
            "error.message": message,
            "error.messageString": json.dumps(message),
            "error.responseType": response_type,
            "error.validationErrorString": "",
            "requestId": request.request_id,
            "extendedRequestId": request.request_id[:16],
            "stage": self.spec.stage,
            "apiId": self.spec.api_id,
            "httpMethod": request.method,
            "resourcePath": ctx.get("resourcePath", ""),
            "path": ctx.get("path", ""),
            "identity.sourceIp": request.source_ip,
            "identity.userAgent": request.header("User-Agent") or "",
        }
        for key, value in (ctx.get("authorizer") or {}).items():
            values[f"authorizer.{key}"] = str(value)
        template = (source.get("ResponseTemplates") or {}).get(
            "application/json", '{"message":$context.error.messageString}'
        )
        body = _render(template, values, self.spec.stage_variables)
        headers = {"Content-Type": "application/json"}
        for name, value in (source.get("ResponseParameters") or {}).items():
            if name.startswith("gatewayresponse.header."):
                headers[name.removeprefix("gatewayresponse.header.")] = _literal(value, request)
        return Response(status, headers, body.encode())


def _literal(expression: str, request: Request) -> str:
    """A mapping value: a quoted literal ('value') or a request header reference."""
    expression = str(expression)
    if len(expression) >= 2 and expression[0] == expression[-1] == "'":
        return expression[1:-1]
    if expression.startswith("method.request.header."):
        return request.header(expression.removeprefix("method.request.header.")) or ""
    return expression


def _render(template: str, values: dict[str, str], stage_variables: dict[str, str], missing: str = "") -> str:
    def context_value(match: re.Match[str]) -> str:
        return values.get(match.group(1) or match.group(2)) or missing

    text = re.sub(r"\$\{context\.([\w.]+)\}|\$context\.([\w]+(?:\.[\w]+)*)", context_value, template)
    return re.sub(r"\$stageVariables\.(\w+)", lambda m: stage_variables.get(m.group(1), ""), text)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: without this, 40 ms delayed ACKs
    server: GatewayServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command,
            path=parts.path or "/",
            query=parse_qsl(parts.query, keep_blank_values=True),
            headers=list(self.headers.items()),
            body=body,
            source_ip=self.client_address[0],
        )
        try:
            response = self.server.gateway.handle(request)
        except (ClientError, OSError) as exc:
            response = Response(
                500,
                {"Content-Type": "application/json"},
                json.dumps({"message": f"local gateway error: {type(exc).__name__}"}).encode(),
            )
        self.send_response(
            response.status,
            HTTPStatus(response.status).phrase if response.status in HTTPStatus._value2member_map_ else "",
        )
        sent = set()
        for name, value in response.headers.items():
            if name.lower() in {"content-length", "connection", "transfer-encoding"}:
                continue
            self.send_header(name, value)
            sent.add(name.lower())
        for name, values in response.multi_headers.items():
            if name.lower() in sent or name.lower() in {"content-length", "connection"}:
                continue
            for value in values:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    # Every method reaches the gateway (API Gateway answers unknown ones itself), never http.server's 501 page.
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve
    do_TRACE = do_QUERY = do_CONNECT = do_PROPFIND = _serve


class GatewayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], gateway: Gateway) -> None:
        super().__init__(address, _Handler)
        self.gateway = gateway
