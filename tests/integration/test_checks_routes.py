"""The targets and checks functions serve exactly the routes infra_cdk/routes.py gives them, with OpenAPI metadata."""

from __future__ import annotations

import re
from types import ModuleType

import pytest

from infra_cdk.routes import ROUTES
from tests.integration.test_checks_api import load_function
from tests.support.aws import AwsResources


@pytest.mark.parametrize("function", ["targets", "checks"])
def test_function_serves_exactly_its_routes(aws: AwsResources, function: str) -> None:
    module: ModuleType = load_function(function, f"fn_{function}_app_routes_tests")
    schema = module.app.get_openapi_schema()
    served = {
        (method.upper(), path)
        for path, item in (schema.paths or {}).items()
        for method in ("get", "post", "put", "patch", "delete")
        if getattr(item, method, None) is not None
    }
    expected = {(r.method, r.path) for r in ROUTES if r.function == function}
    assert served == expected
    for path, item in (schema.paths or {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(item, method, None)
            if operation is not None:
                assert operation.summary and operation.tags, (method, path)
                assert re.fullmatch(r"[a-z0-9_/{}.-]+", path)
