"""Swagger UI for the committed OpenAPI spec at /docs, served offline from Powertools' bundled assets."""

from __future__ import annotations

from pathlib import Path

from scripts.localcloud.gateway import Request, Response

__all__ = ["docs_routes"]

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "docs" / "openapi.json"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cnpj-radar API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});</script>
</body></html>"""


def _asset(name: str) -> bytes:
    import aws_lambda_powertools.event_handler.openapi.swagger_ui as swagger_ui

    return (Path(swagger_ui.__file__).parent / name).read_bytes()


def _docs(request: Request) -> Response:
    if request.path.endswith("swagger-ui.css"):
        return Response(200, {"Content-Type": "text/css"}, _asset("swagger-ui.min.css"))
    if request.path.endswith("swagger-ui-bundle.js"):
        return Response(200, {"Content-Type": "application/javascript"}, _asset("swagger-ui-bundle.min.js"))
    return Response(200, {"Content-Type": "text/html; charset=utf-8"}, _PAGE.encode())


def _spec(request: Request) -> Response:
    if not SPEC.exists():
        return Response(404, {"Content-Type": "application/json"}, b'{"message": "run make openapi"}')
    return Response(200, {"Content-Type": "application/json"}, SPEC.read_bytes())


def docs_routes() -> dict[str, object]:
    return {"/docs": _docs, "/openapi.json": _spec}
