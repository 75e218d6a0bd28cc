"""Every route of infra_cdk/routes.py is a method in the template, wired to its function with the right auth."""

from __future__ import annotations

import re
from typing import Any

import pytest

from infra_cdk.api import FUNCTION_METADATA_KEY
from infra_cdk.routes import PUBLIC, ROUTES, UNMETERED, Route
from tests.infra.helpers import Synthesized, api_methods, render


def route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


def function_behind(synthesized: Synthesized, method: dict[str, Any]) -> str:
    """The logical id of the function whose physical name the integration URI spells out (always its live alias)."""
    uri = render(method["Properties"]["Integration"]["Uri"])
    match = re.search(r":function:([^/:]+):live/invocations$", uri)
    assert match, uri
    by_name = {props["Properties"]["FunctionName"]: logical_id
               for logical_id, props in synthesized.of_type("AWS::Lambda::Function").items()}
    return by_name[match.group(1)]


def test_the_api_has_exactly_the_listed_routes(synthesized: Synthesized) -> None:
    methods = {key for key in api_methods(synthesized) if key[0] != "OPTIONS"}
    assert methods == {(r.method, r.path) for r in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_route_integrates_its_function_by_proxy(synthesized: Synthesized, route: Route) -> None:
    method = api_methods(synthesized)[(route.method, route.path)]
    integration = method["Properties"]["Integration"]
    assert integration["Type"] == "AWS_PROXY"
    assert integration["IntegrationHttpMethod"] == "POST"
    expected = f"{route.function.capitalize()}Function"
    assert function_behind(synthesized, method) == expected
    assert method["Metadata"][FUNCTION_METADATA_KEY] == expected


@pytest.mark.parametrize("route", ROUTES, ids=route_id)
def test_public_routes_skip_auth_and_others_need_authorizer_and_key(synthesized: Synthesized, route: Route) -> None:
    props = api_methods(synthesized)[(route.method, route.path)]["Properties"]
    if route.access == PUBLIC:
        assert props["AuthorizationType"] == "NONE"
        assert props["ApiKeyRequired"] is False
        assert "AuthorizerId" not in props
    else:
        assert props["AuthorizationType"] == "CUSTOM"
        assert props["AuthorizerId"] == {"Ref": "ApiAuthorizer"}
        # Unmetered routes (a deleted tenant's job, after the purge removed its usage key) skip only the key.
        assert props["ApiKeyRequired"] is (route.access != UNMETERED)


def test_only_the_tenant_deletion_routes_are_unmetered() -> None:
    assert {(r.method, r.path) for r in ROUTES if r.access == UNMETERED} == {
        ("DELETE", "/tenant"), ("GET", "/tenant/deletion")}


def test_api_gateway_may_invoke_each_route_functions_live_alias_on_this_api_only(synthesized: Synthesized) -> None:
    permissions = [p["Properties"] for p in synthesized.of_type("AWS::Lambda::Permission").values()]
    route_functions = {f"{r.function.capitalize()}Function" for r in ROUTES}
    for function in route_functions:
        grants = [p for p in permissions if render(p["FunctionName"]) == f"<{function}LiveAlias>"]
        assert len(grants) == 1, function
        assert grants[0]["Principal"] == "apigateway.amazonaws.com"
        assert "<RestApi>/v1/*/*" in render(grants[0]["SourceArn"])
    authorizer_grants = [p for p in permissions if render(p["FunctionName"]) == "<AuthorizerFunctionLiveAlias>"]
    assert len(authorizer_grants) == 1
    assert "/authorizers/<ApiAuthorizer>" in render(authorizer_grants[0]["SourceArn"])
