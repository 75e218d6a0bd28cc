"""Generate docs/openapi.json: every HTTP function's Powertools spec, merged, with the gateway's auth and errors.

`python -m scripts.openapi` writes it; `python -m scripts.openapi --check` fails when the committed file drifted.
"""

from __future__ import annotations

import argparse
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "docs" / "openapi.json"
HTTP_FUNCTIONS = ("auth", "targets", "checks")

# Answers any operation can get from the gateway or the shared error mapping (radar.http), besides its own.
COMMON_ERRORS = {
    "400": "Malformed request (bad JSON, bad cursor)",
    "413": "Body too large",
    "415": "Body is not JSON",
    "422": "Validation failed; details name the fields",
    "429": "Throttled, quota or monthly allowance exceeded (names the plan and how to upgrade)",
    "500": "Internal error (never a stack trace)",
    "503": "A dependency is unavailable",
}
PROTECTED_ERRORS = {
    "401": "Missing or invalid credentials",
    "403": "The role may not do this, or the tenant's usage key is not active",
    "404": "Not found (also what another tenant's ids look like)",
}


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {}},
            }
        },
    }


def _plain(value: Any) -> Any:
    """JSON for what Powertools leaves as objects: enums by value (`"in": "query"`, not `ParameterInType.query`)."""
    return value.value if isinstance(value, Enum) else str(value)


def _placeholder_environment() -> None:
    """Handlers validate their environment at import: give every variable the template sets a placeholder."""
    import os

    from scripts.localcloud.synth import synth

    template = json.loads(synth()[0].read_text(encoding="utf-8"))
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Lambda::Function":
            for name, value in resource["Properties"].get("Environment", {}).get("Variables", {}).items():
                # A reference or join becomes "{}": a JSON object, so JSON-valued variables (USAGE_PLAN_IDS) validate.
                os.environ.setdefault(name, value if isinstance(value, str) else "{}")


def build() -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "layers" / "radar" / "python"))
    sys.path.insert(0, str(REPO))
    _placeholder_environment()
    from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge

    from infra_cdk.routes import PUBLIC, ROUTES

    merge = OpenAPIMerge(
        title="cnpj-radar API",
        version="1.0.0",
        description="Due diligence on Brazilian companies (CNPJ): targets, checks and normalized reports.",
        on_conflict="error",
    )
    for function in HTTP_FUNCTIONS:
        merge.add_file(REPO / "functions" / function / "app.py")
    spec = json.loads(json.dumps(merge.get_openapi_schema(), default=_plain))

    public = {(r.method.lower(), r.path) for r in ROUTES if r.access == PUBLIC}
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = _error_schema()
    components["securitySchemes"] = {
        "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "x-api-key"},
        "BearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    }
    error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            is_public = (method, path) in public
            operation["security"] = [] if is_public else [{"ApiKeyAuth": []}, {"BearerAuth": []}]
            responses = operation.setdefault("responses", {})
            extra = COMMON_ERRORS | ({} if is_public else PROTECTED_ERRORS)
            for status, description in extra.items():
                responses.setdefault(status, {"description": description, "content": error_ref})
            for status, response in responses.items():
                # Powertools documents its own validation body; radar.http answers validation errors as Error.
                if status.startswith(("4", "5")) and "HTTPValidationError" in json.dumps(response.get("content")):
                    response["content"] = error_ref
    spec["servers"] = [{"url": "http://127.0.0.1:3000", "description": "local cloud"}]
    return spec


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fail if docs/openapi.json is not what the code makes")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print("docs/openapi.json is out of date: run `make openapi` and commit it", file=sys.stderr)
            return 1
        print("docs/openapi.json is up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)} ({len(json.loads(text)['paths'])} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
