"""Targets function against the moto server: create, one per CNPJ, list with signed cursors, patch, delete."""

from __future__ import annotations

import importlib.util
import json
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support.aws import AwsResources

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "events" / "targets" / "get_targets.json"


def load_function(name: str, module_name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "functions" / name / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def targets_fn(aws: AwsResources) -> ModuleType:
    return load_function("targets", "fn_targets_app_tests")


class Api:
    """Calls the handler in-process with API Gateway REST proxy events shaped like events/targets/*.json."""

    def __init__(self, module: ModuleType, context: Any, tenant_id: str, role: str = "analyst") -> None:
        self.module, self.context, self.tenant_id, self.role = module, context, tenant_id, role

    def __call__(
        self, method: str, path: str, body: Any = None, query: dict[str, str] | None = None, role: str | None = None
    ) -> tuple[int, Any, dict[str, str]]:
        event = json.loads(TEMPLATE.read_text())
        event.update(
            httpMethod=method,
            path=path,
            resource=path,
            queryStringParameters=query,
            multiValueQueryStringParameters={k: [v] for k, v in query.items()} if query else None,
            body=None if body is None else json.dumps(body),
        )
        event["requestContext"].update(httpMethod=method, requestId=str(uuid.uuid4()))
        event["requestContext"]["authorizer"].update(tenant_id=self.tenant_id, role=role or self.role, plan="free")
        response = self.module.lambda_handler(event, self.context)
        payload = json.loads(response["body"]) if response.get("body") else None
        headers = dict(response.get("headers") or {})
        headers.update({k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items() if v})
        return response["statusCode"], payload, headers


@pytest.fixture
def api(targets_fn: ModuleType, lambda_context: Any) -> Api:
    return Api(targets_fn, lambda_context, tenant_id=f"t-{uuid.uuid4().hex}")


def test_create_normalizes_the_cnpj_and_returns_both_forms(api: Api) -> None:
    status, body, headers = api("POST", "/targets", {"cnpj": " 19.131.243/0001-97 ", "label": "ACME", "tags": ["x"]})
    assert status == 201
    assert body["cnpj"] == "19131243000197"
    assert body["cnpj_formatted"] == "19.131.243/0001-97"
    assert body["label"] == "ACME" and body["tags"] == ["x"]
    assert headers["Location"] == f"/targets/{body['id']}"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_alphanumeric_cnpj_is_uppercased(api: Api) -> None:
    status, body, _ = api("POST", "/targets", {"cnpj": "12.abc.345/01de-35"})
    assert status == 201
    assert body["cnpj"] == "12ABC34501DE35"


def test_invalid_cnpj_is_a_422_naming_the_field(api: Api) -> None:
    status, body, _ = api("POST", "/targets", {"cnpj": "19.131.243/0001-98"})
    assert status == 422
    assert body["error"]["details"][0]["field"] == "cnpj"
    assert body["error"]["details"][0]["reason"] == "wrong_check_digits"


def test_unknown_body_field_is_rejected(api: Api) -> None:
    status, body, _ = api("POST", "/targets", {"cnpj": "19131243000197", "tenant_id": "someone-else"})
    assert status == 422
    assert body["error"]["details"][0]["field"] == "tenant_id"


def test_second_target_for_the_same_cnpj_is_a_409_with_the_existing_id(api: Api) -> None:
    _, first, _ = api("POST", "/targets", {"cnpj": "19131243000197"})
    status, body, _ = api("POST", "/targets", {"cnpj": "19.131.243/0001-97"})
    assert status == 409
    assert body["error"]["details"]["existing_id"] == first["id"]


def test_another_tenant_may_follow_the_same_cnpj_and_cannot_see_mine(
    api: Api, targets_fn: ModuleType, lambda_context: Any
) -> None:
    _, mine, _ = api("POST", "/targets", {"cnpj": "19131243000197"})
    other = Api(targets_fn, lambda_context, tenant_id=f"t-{uuid.uuid4().hex}")
    assert other("POST", "/targets", {"cnpj": "19131243000197"})[0] == 201
    assert other("GET", f"/targets/{mine['id']}")[0] == 404
    assert other("DELETE", f"/targets/{mine['id']}")[0] == 404
    assert api("GET", f"/targets/{mine['id']}")[0] == 200


def test_viewer_reads_but_cannot_write(api: Api) -> None:
    status, body, _ = api("POST", "/targets", {"cnpj": "19131243000197"}, role="viewer")
    assert status == 403
    assert body["error"]["details"]["required_role"] == "analyst"
    assert api("GET", "/targets", role="viewer")[0] == 200


def test_list_is_newest_first_with_a_signed_cursor(api: Api, targets_fn: ModuleType, lambda_context: Any) -> None:
    created = [
        api("POST", "/targets", {"cnpj": c})[1]["id"] for c in ("19131243000197", "33683111000280", "27865757000102")
    ]
    status, page1, _ = api("GET", "/targets", query={"limit": "2"})
    assert status == 200
    assert [t["id"] for t in page1["items"]] == created[::-1][:2]
    assert page1["next_cursor"]
    _, page2, _ = api("GET", "/targets", query={"limit": "2", "cursor": page1["next_cursor"]})
    assert [t["id"] for t in page2["items"]] == [created[0]]
    assert page2["next_cursor"] is None

    tampered = page1["next_cursor"][:-2] + ("AA" if not page1["next_cursor"].endswith("AA") else "BB")
    status, body, _ = api("GET", "/targets", query={"cursor": tampered})
    assert status == 400
    assert body["error"]["details"][0]["field"] == "cursor"
    other = Api(targets_fn, lambda_context, tenant_id=f"t-{uuid.uuid4().hex}")
    assert other("GET", "/targets", query={"cursor": page1["next_cursor"]})[0] == 400


def test_limit_out_of_range_is_a_422(api: Api) -> None:
    assert api("GET", "/targets", query={"limit": "0"})[0] == 422
    assert api("GET", "/targets", query={"limit": "101"})[0] == 422


def test_patch_changes_label_and_tags_only(api: Api) -> None:
    _, target, _ = api("POST", "/targets", {"cnpj": "19131243000197", "label": "old", "tags": ["a"]})
    status, body, _ = api("PATCH", f"/targets/{target['id']}", {"label": "new"})
    assert status == 200
    assert body["label"] == "new" and body["tags"] == ["a"]
    status, body, _ = api("PATCH", f"/targets/{target['id']}", {"tags": ["b", "c"]})
    assert body["tags"] == ["b", "c"] and body["label"] == "new"
    assert api("PATCH", f"/targets/{target['id']}", {"cnpj": "33683111000280"})[0] == 422
    assert api("PATCH", "/targets/tgt_missing", {"label": "x"})[0] == 404
    _, fetched, _ = api("GET", f"/targets/{target['id']}")
    assert fetched["label"] == "new" and fetched["cnpj"] == "19131243000197"


def test_delete_removes_the_target_its_checks_and_frees_the_cnpj(api: Api, aws: AwsResources) -> None:
    from radar.checks.models import CheckStatus
    from radar.checks.repository import CheckRepository
    from radar.checks.service import new_check
    from radar.context import TenantContext

    _, target, _ = api("POST", "/targets", {"cnpj": "19131243000197"})
    checks = CheckRepository()
    ctx = TenantContext(api.tenant_id, "p", "user", "analyst", "free")
    stored = [
        checks.create(
            new_check(
                ctx,
                target_id=target["id"],
                cnpj="19131243000197",
                mode="sync",
                status=CheckStatus.QUEUED,
                expires_at=4_000_000_000,
                correlation_id=None,
            )
        )
        for _ in range(2)
    ]

    status, body, _ = api("DELETE", f"/targets/{target['id']}")
    assert status == 204 and body is None
    assert api("GET", f"/targets/{target['id']}")[0] == 404
    assert all(checks.find(api.tenant_id, str(c.check_id)) is None for c in stored)
    assert api("POST", "/targets", {"cnpj": "19131243000197"})[0] == 201


def test_mutations_are_audited_with_ids(api: Api) -> None:
    from radar.audit import query_events

    _, target, _ = api("POST", "/targets", {"cnpj": "19131243000197"})
    api("PATCH", f"/targets/{target['id']}", {"label": "x"})
    api("DELETE", f"/targets/{target['id']}")
    events, _ = query_events(api.tenant_id, limit=10)
    assert sorted(e["action"] for e in events) == ["target.created", "target.deleted", "target.updated"]
    assert {e["resource"] for e in events} == {f"target/{target['id']}"}
