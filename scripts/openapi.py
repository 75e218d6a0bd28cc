"""Generate docs/openapi.json: every HTTP function's Powertools spec, merged, with the gateway's auth and errors.

`python -m scripts.openapi` writes it and the Python SDK's models (sdk/src/radar_sdk/models.py, scripts/sdk_models.py);
`python -m scripts.openapi --check` fails when either committed file drifted.
"""

from __future__ import annotations

import argparse
import json
import re
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


# Operation ids are the handler function's name in camelCase (`list_targets` -> `listTargets`), derived here from
# the id Powertools makes (function name + path + method), so a route needs nothing but a well-named function.
# tests/infra/test_openapi_drift.py holds every operation to the rule: camelCase, unique, starting with one of VERBS,
# and `list...` exactly for the operations that answer a page or a list.
VERBS = ("get", "list", "create", "update", "patch", "delete", "revoke", "invite", "change", "run", "download",
         "signup", "login", "logout", "refresh", "receive", "disable")


def operation_id(generated: str, path: str, method: str) -> str:
    """`listTargets` from Powertools' `list_targets_targets_get`; an id a route set itself is kept as it is."""
    suffix = re.sub(r"\W", "_", path) + "_" + method.lower()
    if not generated.endswith(suffix):
        return generated
    head, *rest = generated.removesuffix(suffix).split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def error_codes() -> dict[str, list[str]]:
    """Every error code the API answers, by HTTP status: the domain's RadarError subclasses, radar.http's own
    answers and the gateway responses of the template. Each operation's error responses list those of their status."""
    import importlib
    import pkgutil

    import radar
    from infra_cdk.api import GATEWAY_RESPONSES
    from radar.errors import RadarError
    from radar.providers.errors import ProviderError

    for module in pkgutil.walk_packages(radar.__path__, "radar."):
        # Provider errors never reach a caller as such: the lookup turns them into attempts of a failed check.
        if module.name.endswith(".errors") and not module.name.startswith("radar.providers"):
            importlib.import_module(module.name)
    importlib.import_module("radar.tiers")
    by_status: dict[str, set[str]] = {}
    pending = list(RadarError.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # Wherever a provider error is defined (radar.lookup.tokens has one), it becomes an attempt, never an answer;
        # and which modules a process happened to import must not change the spec.
        if not issubclass(cls, ProviderError):
            by_status.setdefault(str(cls.status), set()).add(cls.code)
    for status, code in HTTP_LAYER_CODES:
        by_status.setdefault(status, set()).add(code)
    for response in GATEWAY_RESPONSES:
        if response.status:
            by_status.setdefault(response.status, set()).update(response.codes or (response.code,))
    return {status: sorted(codes) for status, codes in sorted(by_status.items())}


# Cookie mode for browsers (radar.sessions.cookies, functions/auth): the routes that read the mode header, and of
# those the ones that also read the refresh cookie. Every one of them sets the cookie in that mode (a token pair, or
# a cleared cookie on logout and on a refused refresh). tests/integration/test_openapi_cookie_mode.py calls each auth
# route with and without the header and holds this table to what the handler does.
COOKIE_MODE_ROUTES: dict[tuple[str, str], bool] = {
    ("post", "/auth/signup"): False,
    ("post", "/auth/login"): False,
    ("post", "/auth/refresh"): True,
    ("post", "/auth/logout"): True,
}


def _cookie_mode(spec: dict[str, Any]) -> None:
    """Declare the cookie mode on its routes: the request header, the refresh cookie read, the Set-Cookie answers."""
    from radar.sessions.cookies import COOKIE_MODE, COOKIE_NAME, COOKIE_PATH, MODE_HEADER

    header = {
        "name": MODE_HEADER, "in": "header", "required": False,
        "schema": {"type": "string", "enum": [COOKIE_MODE]},
        "description": f"`{COOKIE_MODE}` (browsers): the refresh token travels in the httpOnly `{COOKIE_NAME}` cookie "
                       f"(Secure, SameSite=Strict, Path={COOKIE_PATH}), never in a body; the answer's "
                       "`refresh_token` is null and `refresh_expires_in` says how long the cookie's token lasts. "
                       "Without it (API clients) the refresh token is in the JSON body and cookies are ignored.",
    }
    cookie = {
        "name": COOKIE_NAME, "in": "cookie", "required": False, "schema": {"type": "string"},
        "description": f"The refresh token, read only with `{MODE_HEADER}: {COOKIE_MODE}` (the header is the CSRF "
                       "guard) and only when the body has no `refresh_token`.",
    }
    set_cookie = {
        "description": f"With `{MODE_HEADER}: {COOKIE_MODE}`: `{COOKIE_NAME}=<refresh token>; Path={COOKIE_PATH}; "
                       "Max-Age=<refresh lifetime>; Secure; HttpOnly; SameSite=Strict` (a cleared cookie, Max-Age=0, "
                       "when the session ends: logout, or a refused refresh)",
        "schema": {"type": "string"},
    }
    for (method, path), reads_cookie in COOKIE_MODE_ROUTES.items():
        operation = spec["paths"][path][method]
        parameters = operation.setdefault("parameters", [])
        parameters.append(dict(header))
        if reads_cookie:
            parameters.append(dict(cookie))
        statuses = [status for status in operation["responses"] if status.startswith("2")]
        if reads_cookie and path.endswith("/refresh"):
            statuses.append("401")  # the dead cookie is cleared with the refusal
        for status in statuses:
            operation["responses"][status].setdefault("headers", {})["Set-Cookie"] = dict(set_cookie)


# What radar.http answers itself (not a RadarError): bad JSON, wrong content type, body limit, validation, routes.
HTTP_LAYER_CODES = (
    ("400", "malformed_json"),
    ("404", "route_not_found"),
    ("413", "payload_too_large"),
    ("415", "unsupported_media_type"),
    ("422", "validation_error"),
    ("500", "internal_error"),
)


def _error_components() -> dict[str, Any]:
    from pydantic.json_schema import models_json_schema

    from radar.schema import Error

    _, schema = models_json_schema([(Error, "serialization")], ref_template="#/components/schemas/{model}")
    return dict(schema["$defs"])


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
                # A reference or join becomes "{}": a JSON object, so JSON-valued variables (USAGE_PLAN_IDS) validate;
                # a URL built by a join (BILLING_RETURN_URL) becomes a URL, which its pattern accepts.
                placeholder = "https://placeholder.invalid/x" if name.endswith("_URL") else "{}"
                os.environ.setdefault(name, value if isinstance(value, str) else placeholder)


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
    schemas = components.setdefault("schemas", {})
    schemas.update(_error_components())
    # Powertools' own validation shapes: radar.http answers validation errors with Error instead.
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        schemas.pop(unused, None)
    codes = error_codes()
    components["securitySchemes"] = {
        "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "x-api-key"},
        "BearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    }
    error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            _request_body(operation, schemas)
            is_public = (method, path) in public
            operation["operationId"] = operation_id(operation["operationId"], path, method)
            operation["security"] = [] if is_public else [{"ApiKeyAuth": []}, {"BearerAuth": []}]
            responses = operation.setdefault("responses", {})
            extra = COMMON_ERRORS | ({} if is_public else PROTECTED_ERRORS)
            for status, description in extra.items():
                responses.setdefault(status, {"description": description, "content": error_ref})
            for status, response in responses.items():
                # Powertools documents its own validation body; radar.http answers validation errors as Error.
                if status.startswith(("4", "5")):
                    response["content"] = error_ref
                    if codes.get(status):
                        listed = ", ".join(f"`{code}`" for code in codes[status])
                        response["description"] = f"{response['description']}. Codes: {listed}"
    _cookie_mode(spec)
    # Relative to where the spec is read: the stage's base path. The local gateway serves it with its own URL.
    from infra_cdk.settings import Settings

    spec["servers"] = [{"url": f"/{Settings.stage_name}", "description": "the API stage (the local gateway too)"}]
    return spec


def _request_body(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A route that reads its own body (a CSV besides JSON) names its JSON schema and media types in `x-request-*`
    extensions: they become its requestBody (the schema joins the components), the extensions leave the spec."""
    name = operation.pop("x-request-schema", None)
    media = operation.pop("x-request-media", None)
    for response_schema in [*operation.pop("x-response-schemas", []), *([name] if name else [])]:
        _add_schema(response_schema, schemas)
    if not name:
        return
    content: dict[str, Any] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}
    if "text/csv" in (media or []):
        content["text/csv"] = {
            "schema": {
                "type": "string",
                "description": "one CNPJ per line (masked or bare), optional header; ; , or tab separated with a "
                "cnpj column",
            }
        }
    operation["requestBody"] = {"required": True, "content": content}


def _add_schema(name: str, schemas: dict[str, Any]) -> None:
    """A radar.checks.schemas or radar.metering.schemas model (and the models it names) as components, for bodies a
    route writes itself."""
    from pydantic import BaseModel

    import radar.checks.schemas as check_schemas
    import radar.metering.schemas as metering_schemas

    model = getattr(check_schemas, name, None) or getattr(metering_schemas, name)
    assert isinstance(model, type) and issubclass(model, BaseModel)
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for nested, definition in schema.pop("$defs", {}).items():
        schemas.setdefault(nested, definition)
    schemas[name] = schema


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    from scripts import sdk_models

    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fail if docs/openapi.json or the SDK's models drifted")
    args = parser.parse_args()
    spec = build()
    text = render(spec)
    # The SDK is made from the spec as committed (keys sorted), as anyone regenerating it from the file would.
    outputs = {OUTPUT: text, sdk_models.OUTPUT: sdk_models.render(json.loads(text))}
    if args.check:
        stale = [path for path, text in outputs.items() if not path.exists() or path.read_text("utf-8") != text]
        for path in stale:
            print(f"{path.relative_to(REPO)} is out of date: run `make openapi` and commit it", file=sys.stderr)
        if not stale:
            print("docs/openapi.json and the SDK's models are up to date")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)} ({len(spec['paths'])} paths) and {sdk_models.OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
