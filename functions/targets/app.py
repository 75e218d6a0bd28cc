"""Targets function: create, list, read, patch and delete the companies a tenant follows (/targets)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths

from radar.audit import record_event
from radar.http import ID_PATTERN, build_resolver, error_responses, tenant
from radar.observability import logger, metrics, tracer
from radar.tables import bind_main_table
from radar.targets.schemas import TargetCreate, TargetOut, TargetPage, TargetPatch
from radar.targets.settings import TargetsEnv

if TYPE_CHECKING:
    from radar.targets.service import TargetService

__all__ = ["app", "lambda_handler"]

ENV = TargetsEnv.from_environ()  # cold start: a missing variable fails the init, not a request
bind_main_table(ENV.main_table)  # the table of every main-table model this function uses (radar.store)
app = build_resolver(ENV)

TargetId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="target id")]
_ERRORS = error_responses(
    {
        401: "no tenant context",
        403: "role too low",
        404: "no such target",
        422: "invalid input (field named in details)",
    }
)


@lru_cache(maxsize=1)
def service() -> TargetService:
    from radar.checks.wiring import build_target_service

    return build_target_service(ENV)


@app.post(
    "/targets",
    summary="Create a target",
    description="The CNPJ may be masked or bare, numeric or alphanumeric; one target per CNPJ per tenant.",
    tags=["targets"],
    responses={
        201: {"description": "created"},
        **error_responses({409: "a target with this CNPJ exists"}),
        **_ERRORS,
    },
)
def create_target(body: TargetCreate) -> Response[TargetOut]:
    ctx = tenant(app)
    ctx.require("analyst")
    created = service().create(ctx.tenant_id, body)
    record_event(app.current_event.raw_event, ctx, "target.created", f"target/{created.id}")
    return Response(
        status_code=201, content_type="application/json", body=created, headers={"Location": f"/targets/{created.id}"}
    )


@app.get(
    "/targets",
    summary="List targets",
    description="Newest first.",
    tags=["targets"],
    responses={200: {"description": "a page of targets"}, **_ERRORS},
)
def list_targets(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=2048, description="next_cursor of the previous page")] = None,
) -> TargetPage:
    ctx = tenant(app)
    ctx.require("viewer")
    return service().list(ctx.tenant_id, limit=limit, cursor=cursor)


@app.get(
    "/targets/<target_id>",
    summary="Get a target",
    tags=["targets"],
    responses={200: {"description": "the target"}, **_ERRORS},
)
def get_target(target_id: TargetId) -> TargetOut:
    ctx = tenant(app)
    ctx.require("viewer")
    return service().get(ctx.tenant_id, target_id)


@app.patch(
    "/targets/<target_id>",
    summary="Change a target's label or tags",
    tags=["targets"],
    responses={200: {"description": "the changed target"}, **_ERRORS},
)
def patch_target(target_id: TargetId, body: TargetPatch) -> TargetOut:
    ctx = tenant(app)
    ctx.require("analyst")
    updated = service().patch(ctx.tenant_id, target_id, body)
    record_event(app.current_event.raw_event, ctx, "target.updated", f"target/{target_id}")
    return updated


@app.delete(
    "/targets/<target_id>",
    summary="Delete a target and its checks",
    tags=["targets"],
    responses={204: {"description": "deleted, with its checks and reports", "content": {}}, **_ERRORS},
)
def delete_target(target_id: TargetId) -> Response[None]:
    ctx = tenant(app)
    ctx.require("analyst")
    service().delete(ctx.tenant_id, target_id)
    record_event(app.current_event.raw_event, ctx, "target.deleted", f"target/{target_id}")
    return Response(status_code=204, body=None)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
