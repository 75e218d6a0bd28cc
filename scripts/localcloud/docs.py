"""Swagger UI for the committed OpenAPI spec at /docs, served offline from Powertools' bundled assets."""

from __future__ import annotations

import json
from collections.abc import Callable
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


def served_spec(request: Request, stage: str, fallback_host: str) -> dict[str, object] | None:
    """The committed spec with `servers` naming this gateway as the caller reached it (host, port and stage), so
    Swagger's "Try it out" goes where the page came from whatever RADAR_PORT is."""
    if not SPEC.exists():
        return None
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    host = request.header("Host") or fallback_host
    spec["servers"] = [{"url": f"http://{host}/{stage}", "description": "this local cloud"}]
    return dict(spec)


def docs_routes(stage: str, port: Callable[[], int]) -> dict[str, object]:
    """/docs and /openapi.json for the gateway of `stage`; `port` is the gateway's port once it listens."""

    def _spec(request: Request) -> Response:
        spec = served_spec(request, stage, f"127.0.0.1:{port()}")
        if spec is None:
            return Response(404, {"Content-Type": "application/json"}, b'{"message": "run make openapi"}')
        return Response(200, {"Content-Type": "application/json"}, json.dumps(spec).encode())

    return {"/docs": _docs, "/openapi.json": _spec}
