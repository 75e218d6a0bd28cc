"""The auth function serves exactly its routes from infra_cdk/routes.py, each documented, each with a sample event."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest

from infra_cdk.routes import ROUTES

ROOT = Path(__file__).resolve().parents[2]
AUTH_ROUTES = [r for r in ROUTES if r.function == "auth"]


# The function validates its environment at import (cold start); routes need no real resources.
_PLACEHOLDER_ENV = {
    "MAIN_TABLE": "routes-test-main",
    "SIGNING_KEY_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:signing",
    "PUBLIC_KEYS_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:public",
    "USAGE_PLAN_IDS": "{}",
    "PURGE_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/routes-test-purge",
}


@pytest.fixture(scope="module")
def auth_app() -> ModuleType:
    name = "fn_auth_app_routes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "functions" / "auth" / "app.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        with mock.patch.dict(os.environ, {**_PLACEHOLDER_ENV, **os.environ}):
            spec.loader.exec_module(module)
    return sys.modules[name]


def test_every_auth_route_is_served_and_documented(auth_app: ModuleType):
    paths = auth_app.app.get_openapi_schema().paths or {}
    served = {
        (method.upper(), path)
        for path, item in paths.items()
        for method in ("get", "post", "put", "patch", "delete")
        if getattr(item, method, None) is not None
    }

    assert served == {(r.method, r.path) for r in AUTH_ROUTES}
    for route in AUTH_ROUTES:
        operation = getattr(paths[route.path], route.method.lower())
        assert operation.summary and operation.tags and operation.responses, route


def test_every_auth_route_has_a_rest_proxy_sample_event():
    for route in AUTH_ROUTES:
        name = route.path.strip("/").replace("{", "").replace("}", "").replace("/", "_").replace("-", "_")
        event = json.loads((ROOT / "events" / "auth" / f"{route.method.lower()}_{name}.json").read_text())
        assert (event["httpMethod"], event["resource"]) == (route.method, route.path)
        assert event["requestContext"]["resourcePath"] == route.path
        assert ("authorizer" in event["requestContext"]) == (route.access != "public"), route


def test_authorizer_sample_event_is_a_request_authorizer_event():
    event = json.loads((ROOT / "events" / "authorizer.json").read_text())
    assert event["type"] == "REQUEST" and event["methodArn"].startswith("arn:aws:execute-api:")
