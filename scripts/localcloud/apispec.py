"""The REST API as the template declares it: resources, methods, authorizers, gateway responses, stage settings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.template import Template

__all__ = ["ApiSpec", "AuthorizerSpec", "MethodSpec", "load_api_spec"]


@dataclass
class AuthorizerSpec:
    logical_id: str
    kind: str  # REQUEST or TOKEN
    function_logical_id: str
    identity_sources: list[str]
    ttl_seconds: int


@dataclass
class MethodSpec:
    http_method: str
    resource_path: str  # e.g. /targets/{target_id}
    authorization: str  # NONE, CUSTOM, AWS_IAM, COGNITO_USER_POOLS
    authorizer: str | None
    api_key_required: bool
    integration_type: str  # AWS_PROXY, MOCK, ...
    function_logical_id: str | None
    mock_response: dict[str, Any] | None = None


@dataclass
class ApiSpec:
    api_logical_id: str
    api_id: str
    stage: str
    api_key_source: str
    methods: dict[tuple[str, str], MethodSpec] = field(default_factory=dict)  # (path, METHOD)
    authorizers: dict[str, AuthorizerSpec] = field(default_factory=dict)
    gateway_responses: dict[str, dict[str, Any]] = field(default_factory=dict)
    stage_throttle: tuple[float, int] | None = None
    stage_variables: dict[str, str] = field(default_factory=dict)
    # The stage's access log: (log group name, format with $context variables), or None when it has none.
    access_log: tuple[str, str] | None = None
    _patterns: list[tuple[re.Pattern[str], str, int]] = field(default_factory=list)

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        """The resource path that serves `path`, and its path parameters; literal segments win over parameters."""
        for pattern, resource_path, _ in self._patterns:
            found = pattern.fullmatch(path)
            if found:
                return resource_path, {k: v for k, v in found.groupdict().items() if v is not None}
        return None

    def compile(self) -> None:
        resource_paths = {path for path, _ in self.methods}
        patterns = []
        for resource_path in resource_paths:
            regex = ""
            for segment in [s for s in resource_path.split("/") if s]:
                greedy = re.fullmatch(r"\{(\w+)\+\}", segment)
                param = re.fullmatch(r"\{(\w+)\}", segment)
                if greedy:
                    regex += f"/(?P<{greedy.group(1)}>.+)"
                elif param:
                    regex += f"/(?P<{param.group(1)}>[^/]+)"
                else:
                    regex += "/" + re.escape(segment)
            literal_score = sum(1 for s in resource_path.split("/") if s and not s.startswith("{"))
            patterns.append((re.compile(regex or "/"), resource_path, literal_score))
        # More literal segments first, then longer paths: /checks/batch beats /checks/{check_id}.
        patterns.sort(key=lambda item: (-item[2], -len(item[1])))
        self._patterns = patterns


def _integration_function(template: Template, uri: Any) -> str | None:
    """The function an integration URI invokes (the function, a version or its `live` alias; see
    Template.function_behind)."""
    return template.function_behind(uri)


def _resource_path(template: Template, node: Any, api_logical_id: str) -> str:
    if isinstance(node, dict) and "Fn::GetAtt" in node:
        return "/"  # the API's RootResourceId
    logical_id = node["Ref"]
    props = template.resources[logical_id]["Properties"]
    parent = _resource_path(template, props["ParentId"], api_logical_id)
    return parent.rstrip("/") + "/" + props["PathPart"]


def load_api_spec(template: Template) -> ApiSpec | None:
    apis = list(template.of_type("AWS::ApiGateway::RestApi"))
    if not apis:
        return None
    api_logical_id, api = apis[0]
    props = api.get("Properties", {})
    stage_name = "prod"
    stage_throttle = None
    variables: dict[str, str] = {}
    access_log: tuple[str, str] | None = None
    for _, stage in template.of_type("AWS::ApiGateway::Stage"):
        stage_props = stage.get("Properties", {})
        stage_name = stage_props.get("StageName", stage_name)
        variables = template.resolve(stage_props.get("Variables", {}))
        setting = template.resolve(stage_props.get("AccessLogSetting") or {})
        if setting.get("DestinationArn") and setting.get("Format"):
            # arn:aws:logs:<region>:<account>:log-group:<name>[:*]
            group = str(setting["DestinationArn"]).split(":log-group:", 1)[-1].removesuffix(":*")
            access_log = (group, str(setting["Format"]))
        for setting in stage_props.get("MethodSettings", []):
            if setting.get("ThrottlingRateLimit") is not None and setting.get("ResourcePath", "/*") == "/*":
                stage_throttle = (float(setting["ThrottlingRateLimit"]), int(setting.get("ThrottlingBurstLimit", 0)))
    spec = ApiSpec(
        api_logical_id=api_logical_id,
        api_id=str(template.refs.get(api_logical_id, api_logical_id)),
        stage=stage_name,
        api_key_source=props.get("ApiKeySourceType", "HEADER"),
        stage_throttle=stage_throttle,
        stage_variables=variables,
        access_log=access_log,
    )
    for logical_id, resource in template.of_type("AWS::ApiGateway::Authorizer"):
        auth_props = resource["Properties"]
        sources = [s.strip() for s in str(auth_props.get("IdentitySource", "")).split(",") if s.strip()]
        spec.authorizers[logical_id] = AuthorizerSpec(
            logical_id=logical_id,
            kind=auth_props.get("Type", "TOKEN"),
            function_logical_id=_integration_function(template, auth_props.get("AuthorizerUri")) or "",
            identity_sources=sources,
            ttl_seconds=int(auth_props.get("AuthorizerResultTtlInSeconds", 300)),
        )
    for _, resource in template.of_type("AWS::ApiGateway::Method"):
        method_props = resource["Properties"]
        integration = method_props.get("Integration", {})
        authorizer = method_props.get("AuthorizerId")
        method = MethodSpec(
            http_method=method_props["HttpMethod"].upper(),
            resource_path=_resource_path(template, method_props["ResourceId"], api_logical_id),
            authorization=method_props.get("AuthorizationType", "NONE"),
            authorizer=authorizer.get("Ref") if isinstance(authorizer, dict) else None,
            api_key_required=bool(method_props.get("ApiKeyRequired", False)),
            integration_type=integration.get("Type", "MOCK"),
            function_logical_id=_integration_function(template, integration.get("Uri")),
            mock_response=(integration.get("IntegrationResponses") or [None])[0],
        )
        spec.methods[(method.resource_path, method.http_method)] = method
    for _, resource in template.of_type("AWS::ApiGateway::GatewayResponse"):
        gw_props = template.resolve(resource["Properties"])
        spec.gateway_responses[gw_props["ResponseType"]] = gw_props
    spec.compile()
    return spec
