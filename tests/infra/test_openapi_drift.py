"""docs/openapi.json is exactly what the handlers generate, and it documents every templated route."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from infra_cdk.routes import ROUTES
from scripts.openapi import OUTPUT, VERBS, error_codes, operation_id, render
from scripts.openapi import build as _build


@cache
def _built() -> str:
    return render(_build())


def build() -> dict[str, Any]:
    """The spec the code makes (built once per session: it imports every handler)."""
    import json

    return dict(json.loads(_built()))


def test_committed_spec_matches_the_code() -> None:
    assert OUTPUT.read_text(encoding="utf-8") == _built(), "run `make openapi` and commit docs/openapi.json"


def test_spec_covers_every_route_with_the_right_security() -> None:
    spec = build()
    for route in ROUTES:
        operation = spec["paths"][route.path][route.method.lower()]
        assert (operation["security"] == []) == (route.access == "public"), route


# Free-form on purpose: a changed field's old and new values (any report value), and the details of an error other
# than validation (what limit, which plan: each code documents its own).
FREE_FORM = {"FieldChange.from", "FieldChange.to", "ErrorInfo.details"}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, item in spec["paths"].items() for method, op in item.items()]


def test_operation_ids_follow_the_one_rule() -> None:
    spec = build()
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    assert len(ids) == len(set(ids)), "operation ids must be unique"
    for method, path, op in _operations(spec):
        op_id = op["operationId"]
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)*", op_id), f"{method} {path}: {op_id} is not camelCase"
        verb = re.match(r"[a-z]+", op_id).group(0)  # type: ignore[union-attr]
        assert verb in VERBS, f"{method} {path}: {op_id} does not start with a verb of scripts.openapi.VERBS"
        assert len(re.findall(r"[A-Z]", op_id)) <= 3, f"{method} {path}: {op_id} is not short"
        body = op["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        answers_page = body.get("$ref", "").endswith(("Page", "List"))
        assert answers_page == (verb == "list"), f"{method} {path}: list* is for the operations that answer a page"


def test_operation_id_derivation() -> None:
    assert operation_id("list_targets_targets_get", "/targets", "get") == "listTargets"
    assert operation_id("get_check_checks__check_id__get", "/checks/{check_id}", "get") == "getCheck"
    assert operation_id("downloadResults", "/checks/batch/{batch_id}/results", "get") == "downloadResults"


def test_every_body_has_a_named_and_typed_schema() -> None:
    spec = build()
    schemas = spec["components"]["schemas"]
    for method, path, op in _operations(spec):
        for status, response in op["responses"].items():
            content = response.get("content") or {}
            if status == "204":
                assert not content, f"{method} {path}: 204 has no body"
                continue
            schema = content["application/json"]["schema"]
            assert set(schema) == {"$ref"}, f"{method} {path} {status}: the body is not a named schema"
            if status.startswith(("4", "5")):
                assert schema["$ref"] == "#/components/schemas/Error"
                assert "Codes: `" in response["description"], f"{method} {path} {status}: no error codes listed"
    untyped = []
    for name, schema in schemas.items():
        for prop, sub in schema.get("properties", {}).items():
            for variant in sub.get("anyOf", [sub]):
                free_object = variant.get("type") == "object" and "properties" not in variant and variant.get(
                    "additionalProperties"
                ) in (None, True)
                no_type = not ({"type", "$ref", "enum", "const", "anyOf", "allOf"} & set(variant))
                if (free_object or no_type) and f"{name}.{prop}" not in FREE_FORM:
                    untyped.append(f"{name}.{prop}")
    assert not untyped, f"untyped properties (name their shape, or add them to FREE_FORM with a reason): {untyped}"
    for named in ("Report", "ReportDiff", "ProviderAttempt", "AuditEvent", "Error", "HealthOut"):
        assert named in schemas


def test_error_codes_by_status_include_the_domain_and_the_gateway() -> None:
    codes = error_codes()
    assert {"target_not_found", "route_not_found"} <= set(codes["404"])
    assert {"allowance_exceeded", "rate_limited", "quota_exceeded"} <= set(codes["429"])
    assert "validation_error" in codes["422"] and "invalid_cnpj" in codes["422"]


def test_committed_servers_are_relative_to_the_stage() -> None:
    assert [s["url"] for s in build()["servers"]] == ["/v1"]


def test_committed_sdk_models_match_the_spec() -> None:
    """The SDK is typed from the contract: radar_sdk/models.py is what scripts/sdk_models.py makes of the spec."""
    from scripts import sdk_models

    assert sdk_models.OUTPUT.read_text(encoding="utf-8") == sdk_models.render(build()), (
        "run `make openapi` and commit sdk/src/radar_sdk/models.py"
    )
