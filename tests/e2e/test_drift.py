"""Drift between the template and the handlers: every templated method reaches a route, every route is templated."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from scripts.localcloud.apispec import load_api_spec
from scripts.localcloud.template import Template
from tests.support.cloud import RunningCloud

REPO = Path(__file__).resolve().parents[2]

_LIST_ROUTES = """
import importlib, json, os, sys
state = json.loads(sys.argv[1])
os.environ.update(state["environment"])
for path in reversed(state["code_paths"]):
    sys.path.insert(0, path)
module = importlib.import_module(state["handler"].rsplit(".", 1)[0])
app = getattr(module, "app", None)
routes = []
if app is not None:
    for path, item in app.get_openapi_schema().paths.items():
        for method in ("get", "post", "put", "patch", "delete"):
            if getattr(item, method, None) is not None:
                routes.append([method.upper(), path])
print(json.dumps(routes))
"""


def _template(cloud: RunningCloud) -> Template:
    template = Template.load(Path(cloud.state["template"]))
    template.refs.update({lid: r["ref"] for lid, r in cloud.state["resources"].items()})
    template.attrs.update(
        {lid: {k: v for k, v in r.items() if k not in ("type", "ref")} for lid, r in cloud.state["resources"].items()}
    )
    return template


def test_every_templated_method_is_served_by_its_function(cloud: RunningCloud) -> None:
    spec = load_api_spec(_template(cloud))
    assert spec is not None
    tenant = cloud.signup(plan_roles=("admin",))  # a throwaway tenant: DELETE /tenant is among the methods
    tenant.upgrade("enterprise")  # room for one request per method without throttling
    probe = f"drift-{uuid.uuid4().hex[:8]}"
    failures = []
    methods = sorted(spec.methods.values(), key=lambda m: m.resource_path == "/tenant" and m.http_method == "DELETE")
    for method in methods:
        if method.http_method == "OPTIONS":
            continue
        path = method.resource_path
        for name in ("target_id", "check_id", "batch_id", "key_id"):
            path = path.replace("{" + name + "}", probe)
        response = httpx.request(
            method.http_method,
            f"{cloud.api_url}{path}",
            headers=tenant.bearer() | {"Content-Type": "application/json"},
            content=b"{}" if method.http_method in ("POST", "PUT", "PATCH") else None,
            timeout=30,
        )
        code = response.json().get("error", {}).get("code") if response.content else None
        # 429 would mean the function never saw the request, so it proves nothing about the route.
        if response.status_code >= 500 or response.status_code == 429 or code == "route_not_found":
            failures.append((method.http_method, method.resource_path, response.status_code, code))
    assert not failures


@pytest.mark.parametrize("function", ["auth", "targets", "checks"])
def test_every_route_a_function_declares_is_in_the_template(cloud: RunningCloud, function: str) -> None:
    template = _template(cloud)
    spec = load_api_spec(template)
    assert spec is not None
    functions = cloud.state["functions"]
    source = (REPO / "functions" / function / "app.py").read_text()
    logical_id = next(
        lid for lid, f in functions.items() if (Path(f["code_paths"][0]) / "app.py").read_text() == source
    )
    declared = subprocess.run(
        [sys.executable, "-c", _LIST_ROUTES, json.dumps(functions[logical_id])],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    routes = {tuple(r) for r in json.loads(declared.stdout)}
    templated = {(m.http_method, m.resource_path) for m in spec.methods.values() if m.function_logical_id == logical_id}
    assert routes, f"{function} declares no routes"
    assert routes == templated
