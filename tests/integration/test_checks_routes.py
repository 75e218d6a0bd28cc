"""The targets and checks functions serve exactly the routes infra_cdk/routes.py gives them, with OpenAPI metadata."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from infra_cdk.routes import ROUTES
from tests.integration.test_checks_api import load_function, make_queues
from tests.support.aws import AwsResources

ROOT = Path(__file__).resolve().parents[2]


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


def test_sample_events_run_through_the_handlers(aws: AwsResources, lambda_context: Any) -> None:
    """Every events/ sample of these functions is a well-formed request: no 5xx, and the right route answers."""
    queues = make_queues(f"t-events-{uuid.uuid4().hex[:8]}", max_receive_count=3)
    env = {k: v for k, v in queues.items() if k != "QUEUE_ARN"}
    modules = {name: load_function(name, f"fn_{name}_app_events_tests", env) for name in ("targets", "checks")}
    for name, module in modules.items():
        for path in sorted((ROOT / "events" / name).glob("*.json")):
            response = module.lambda_handler(json.loads(path.read_text()), lambda_context)
            assert response["statusCode"] < 500, (path.name, response.get("body"))
            body = json.loads(response["body"]) if response.get("body") else {}
            assert body.get("error", {}).get("code") != "route_not_found", path.name

    worker = load_function("worker", "fn_worker_app_events_tests", env)
    answer = worker.lambda_handler(json.loads((ROOT / "events" / "sqs_batch.json").read_text()), lambda_context)
    assert answer == {"batchItemFailures": []}  # their checks do not exist here: dropped, not retried
