"""Checks function: run and read checks, batches, usage, audit, health (/targets/{id}/checks, /checks/*, ...)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.logging import correlation_paths

from radar.audit import event_write, query_events, record_event
from radar.audit.schemas import AuditPage
from radar.checks.schemas import (
    BATCH_MAX_BODY_BYTES,
    BatchCheckPage,
    BatchOut,
    CheckOut,
    CheckPage,
    HealthOut,
    ReadinessOut,
)
from radar.checks.settings import ChecksEnv
from radar.http import ID_PATTERN, build_resolver, error_responses, tenant
from radar.metering.schemas import PERIOD_PATTERN, UsageOut
from radar.observability import logger, metrics, tracer
from radar.tables import bind_main_table

if TYPE_CHECKING:
    from radar.checks.batches import BatchService
    from radar.checks.service import CheckService
    from radar.lookup import Lookup
    from radar.metering.service import UsageMeter

__all__ = ["app", "get_lookup", "lambda_handler"]

ENV = ChecksEnv.from_environ()  # cold start: a missing variable fails the init, not a request
bind_main_table(ENV.main_table)  # the table of every main-table model this function uses (radar.store)
app = build_resolver(ENV)

# max_age / max_stale: whole seconds, or a number with one unit (s, m, h, d); at most 10 digits.
DURATION_PATTERN = r"^[0-9]{1,10}[smhd]?$"
# Leave this much of the invocation for recording the outcome after a synchronous lookup.
_SYNC_MARGIN_MS = 1_500
TargetId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="target id")]
CheckId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="check id")]
BatchId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN, description="batch id")]
_ERRORS = error_responses(
    {
        401: "no tenant context",
        403: "role too low",
        404: "not found (or expired by retention)",
        422: "invalid input (field named in details)",
    }
)


def get_lookup() -> Lookup:
    """The CNPJ lookup; the seam tests replace."""
    from radar.lookup import default_lookup

    return default_lookup()


@lru_cache(maxsize=1)
def check_service() -> CheckService:
    from radar.checks.wiring import build_check_service

    return build_check_service(ENV, lambda: get_lookup())


@lru_cache(maxsize=1)
def batch_service() -> BatchService:
    from radar.checks.wiring import build_batch_service

    return build_batch_service(ENV)


@lru_cache(maxsize=1)
def usage_meter() -> UsageMeter:
    from radar.checks.wiring import build_usage_meter

    return build_usage_meter(ENV)


def _check_response(status: int, check: dict[str, Any]) -> Response[CheckOut]:
    headers = {"Location": f"/checks/{check['id']}"}
    if check.get("status") == "queued":
        status = 202  # queued (async, or a sync check that found the providers busy)
        if check.get("eta_seconds") is not None:
            headers["Retry-After"] = str(max(1, int(float(check["eta_seconds"]) + 0.999)))
    return Response(
        status_code=status, content_type="application/json", body=CheckOut.model_validate(check), headers=headers
    )


@app.post(
    "/targets/<target_id>/checks",
    summary="Run a check on a target",
    description=(
        "Synchronous by default (201 with the check and its report). With async=true the check is queued "
        "(202, Location: /checks/{id}). A sync check that finds every provider at its rate limit beyond the sync "
        "budget is queued too (202 with Retry-After and eta_seconds), unless on_busy=fail: then 503 with "
        "Retry-After, not charged. Idempotency-Key makes retries return the same check."
    ),
    tags=["checks"],
    responses={
        201: {"description": "check done (succeeded, or failed with a final reason)"},
        202: {"description": "check queued (async, or sync with the providers busy: Retry-After, eta_seconds)"},
        **error_responses(
            {
                409: "Idempotency-Key reused for another request, or still in progress",
                429: "monthly check allowance used up (nothing queued)",
                503: "no provider could answer (or on_busy=fail and all were busy): recorded failed, not charged",
            }
        ),
        **_ERRORS,
    },
)
def create_check(
    target_id: TargetId,
    run_async: Annotated[bool, Query(alias="async", description="queue the check instead of running it")] = False,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=128)] = None,
    refresh: Annotated[bool, Query(description="bypass the CNPJ cache and ask the providers again")] = False,
    on_busy: Annotated[
        Literal["queue", "fail"],
        Query(description="sync checks with every provider busy: queue (202, default) or fail (503, not charged)"),
    ] = "queue",
    max_age: Annotated[
        str | None,
        Query(
            pattern=DURATION_PATTERN,
            description="a cached report older than this is not used: seconds or a duration (90, 30m, 12h, 7d); "
            "0 = refresh=true",
        ),
    ] = None,
    max_stale: Annotated[
        str | None,
        Query(
            pattern=DURATION_PATTERN,
            description="when no provider can answer, the last good report is served (stale: true) if at most this "
            "old (default 30d; 0 = never)",
        ),
    ] = None,
) -> Response[CheckOut]:
    ctx = tenant(app)
    ctx.require("analyst")
    correlation_id = logger.get_correlation_id()
    from radar.checks.service import Freshness
    from radar.timestamps import parse_duration

    freshness = Freshness(
        max_age=None if max_age is None else parse_duration(max_age),
        max_stale=None if max_stale is None else parse_duration(max_stale),
    )

    raw_event = app.current_event.raw_event

    def audit(check_id: str) -> dict[str, Any]:
        # The event commits with the check and its allowance unit: no event without its check, no check without its
        # event, and a failure cancels all three (the idempotency record goes, and a retry bills nothing twice).
        return event_write(raw_event, ctx, "check.requested", f"check/{check_id}")

    def run() -> CheckOut:
        if run_async:
            check = check_service().enqueue(
                ctx, target_id, correlation_id=correlation_id, refresh=refresh, freshness=freshness, audit=audit
            )
        else:
            remaining = app.lambda_context.get_remaining_time_in_millis() - _SYNC_MARGIN_MS
            check = check_service().run_now(
                ctx,
                target_id,
                correlation_id=correlation_id,
                remaining_ms=remaining,
                refresh=refresh,
                on_busy=on_busy,
                freshness=freshness,
                audit=audit,
            )
        return check

    status = 202 if run_async else 201
    if not idempotency_key:
        return _check_response(status, run().model_dump(mode="json"))
    from radar.checks.idempotency import run_idempotently

    produced: list[CheckOut] = []

    def first_run() -> dict[str, Any]:
        produced.append(run())
        return {"check_id": produced[0].id}

    # The idempotency record keeps only the check id (no report, so no partner data there); a retry reads the
    # check as it is now, the first request already has it.
    outcome = run_idempotently(
        table_name=ENV.idempotency_table,
        tenant_id=ctx.tenant_id,
        key=idempotency_key,
        request={
            "target_id": target_id,
            "async": run_async,
            "refresh": refresh,
            "on_busy": on_busy,
            "max_age": freshness.max_age,
            "max_stale": freshness.max_stale,
        },
        operation=first_run,
        lambda_context=app.lambda_context,
    )
    # Audited once, by the request that ran it (in its transaction); a replay is not a new check.
    check = produced[0] if produced else check_service().get(ctx, outcome["check_id"])
    return _check_response(status, check.model_dump(mode="json"))


@app.get(
    "/targets/<target_id>/checks",
    summary="A target's check history",
    description="Newest first.",
    tags=["checks"],
    responses={200: {"description": "a page of the target's checks"}, **_ERRORS},
)
def list_checks(
    target_id: TargetId,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=2048, description="next_cursor of the previous page")] = None,
) -> CheckPage:
    ctx = tenant(app)
    ctx.require("viewer")
    return check_service().history(ctx, target_id, limit=limit, cursor=cursor)


@app.get(
    "/checks/<check_id>",
    summary="A check: status, timings, report or errors",
    tags=["checks"],
    responses={200: {"description": "the check"}, **_ERRORS},
)
def get_check(check_id: CheckId) -> CheckOut:
    ctx = tenant(app)
    ctx.require("viewer")
    return check_service().get(ctx, check_id)


# A batch body may be CSV, up to 10,000 CNPJs with a few columns each (create_batch reads it itself).
app.accept_bulk("/checks/batch", max_body_bytes=BATCH_MAX_BODY_BYTES)


@app.post(
    "/checks/batch",
    summary="Queue checks for up to 10,000 CNPJs (JSON or CSV)",
    description='A JSON body (`{"cnpjs": [...]}` or the bare array) or a `text/csv` body: one CNPJ per line, '
    "masked or bare, an optional header, `;` `,` or tab separated with a `cnpj` column. Invalid entries are reported "
    "back with their index (and CSV line) and not counted; a repeated CNPJ is checked once. Each valid CNPJ gets a "
    "target (created or reused) and a check; CNPJs already in the shared cache are answered from it without a "
    "provider call. The fan-out runs after the answer (follow GET /checks/batch/{batch_id}). When the allowance has "
    "room for only some, those are queued and the rest rejected.",
    tags=["checks"],
    responses={
        202: {"description": "batch accepted"},
        **error_responses({429: "allowance used up"}),
        **_ERRORS,
    },
    openapi_extensions={"x-request-schema": "BatchCreate", "x-request-media": ["application/json", "text/csv"]},
)
def create_batch() -> Response[BatchOut]:
    ctx = tenant(app)
    ctx.require("analyst")
    from radar.checks.batchinput import parse_batch_body

    event = app.current_event
    content_type = next((v for k, v in (event.headers or {}).items() if k.lower() == "content-type"), "")
    entries = parse_batch_body(event.decoded_body, content_type or "application/json")
    batch = batch_service().create(ctx, entries, correlation_id=logger.get_correlation_id())
    record_event(event.raw_event, ctx, "batch.created", f"batch/{batch.batch_id}")
    return Response(
        status_code=202,
        content_type="application/json",
        body=batch,
        headers={"Location": f"/checks/batch/{batch.batch_id}"},
    )


@app.get(
    "/checks/batch/<batch_id>",
    summary="A batch's progress: counts, measured throughput, ETA from the capacity model",
    tags=["checks"],
    responses={200: {"description": "the batch"}, **_ERRORS},
)
def get_batch(batch_id: BatchId) -> BatchOut:
    ctx = tenant(app)
    ctx.require("viewer")
    return batch_service().get(ctx, batch_id)


@app.get(
    "/checks/batch/<batch_id>/checks",
    summary="A batch's checks, in submission order",
    description="Paged (next_cursor); `status` keeps only the checks in that state (a filtered page may be short "
    "and still have a next_cursor).",
    tags=["checks"],
    responses={200: {"description": "a page of the batch's checks"}, **_ERRORS},
)
def list_batch_checks(
    batch_id: BatchId,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048, description="next_cursor of the previous page")] = None,
    status: Annotated[
        Literal["queued", "running", "succeeded", "failed"] | None, Query(description="only checks in this state")
    ] = None,
) -> BatchCheckPage:
    ctx = tenant(app)
    ctx.require("viewer")
    return batch_service().checks(ctx, batch_id, limit=limit, cursor=cursor, status=status)


@app.get(
    "/checks/batch/<batch_id>/results",
    summary="Download a batch's results (CSV or JSON)",
    description="One row per valid CNPJ, in submission order: cnpj, status, legal_name, situation, failure_reason, "
    "check_id (CSV with a header line, or JSON: BatchResults).",
    tags=["checks"],
    responses={
        200: {
            "description": "the results",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"$ref": "#/components/schemas/BatchResults"}},
            },
        },
        **_ERRORS,
    },
    openapi_extensions={"x-response-schemas": ["BatchResults"]},
)
def download_batch_results(
    batch_id: BatchId,
    fmt: Annotated[Literal["csv", "json"], Query(alias="format", description="csv (default) or json")] = "csv",
) -> Response[str]:
    ctx = tenant(app)
    ctx.require("viewer")
    body = batch_service().results(ctx, batch_id, fmt)
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
        body=body,
        headers={"Content-Disposition": f'attachment; filename="{batch_id}.{fmt}"'},
    )


@app.get(
    "/usage",
    summary="Checks used this month",
    tags=["usage"],
    responses={200: {"description": "this month's usage"}, **_ERRORS},
)
def get_usage() -> UsageOut:
    ctx = tenant(app)
    ctx.require("viewer")
    summary = usage_meter().summary(ctx.tenant_id, ctx.plan)
    return UsageOut(**summary.__dict__)


@app.get(
    "/usage/report",
    summary="Consumption report of a month (admin): checks per day, mode, cache and principal",
    description=(
        "Checks counted in `period` (YYYY-MM, UTC; default this month), per day, split by mode (sync, async, batch), "
        "cached versus looked up, and by principal (API key id or user id). Read from per-day counters kept with "
        "the allowance, so its totals agree with GET /usage. `Accept: text/csv` answers CSV (one line per day and "
        "principal, with a header); any other Accept answers JSON (UsageReport). A month before the tenant existed "
        "is an empty report; a malformed or future period is a 422 naming `period`."
    ),
    tags=["usage"],
    responses={
        200: {
            "description": "the report",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/UsageReport"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
        **_ERRORS,
    },
    openapi_extensions={"x-response-schemas": ["UsageReport"]},
)
def get_usage_report(
    period: Annotated[
        str | None, Query(max_length=7, pattern=PERIOD_PATTERN, description="YYYY-MM (UTC); default: this month")
    ] = None,
) -> Response[str]:
    from datetime import UTC, datetime

    from radar.metering.report import parse_period, report_csv, wants_csv

    ctx = tenant(app)
    ctx.require("admin")
    now = datetime.now(UTC)
    month = parse_period(period, now)
    report = usage_meter().report(ctx.tenant_id, month, now=now)
    if wants_csv(app.current_event.headers.get("accept") or ""):
        return Response(
            status_code=200,
            content_type="text/csv; charset=utf-8",
            body=report_csv(report),
            headers={"Content-Disposition": f'attachment; filename="usage-{month}.csv"', "Vary": "Accept"},
        )
    return Response(
        status_code=200,
        content_type="application/json",
        body=report.model_dump_json(),
        headers={"Vary": "Accept"},
    )


@app.get(
    "/audit",
    summary="Audit events (admin)",
    tags=["audit"],
    responses={200: {"description": "a page of audit events"}, **_ERRORS},
)
def list_audit_events(
    start: Annotated[str | None, Query(max_length=40, description="ISO 8601 time or prefix, inclusive")] = None,
    end: Annotated[str | None, Query(max_length=40, description="ISO 8601 time or prefix, inclusive")] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> AuditPage:
    ctx = tenant(app)
    ctx.require("admin")
    items, next_cursor = query_events(ctx.tenant_id, start=start, end=end, action=action, limit=limit, cursor=cursor)
    return AuditPage.model_validate({"items": items, "next_cursor": next_cursor})


@app.get("/health", summary="Liveness (no dependencies)", tags=["health"])
def get_health() -> HealthOut:
    return HealthOut(status="ok")


@app.get(
    "/health/ready",
    summary="Readiness: tables, queues and secrets reachable; each provider's capacity and breaker",
    tags=["health"],
    responses={
        200: {"description": "every dependency reachable"},
        503: {"description": "a dependency is unavailable; the body names it"},
    },
)
def get_readiness() -> Response[ReadinessOut]:
    from radar.checks.readiness import check_readiness, dependencies_from_env

    # The environment as it names the dependencies now (validated by the same model as ENV).
    is_ready, report = check_readiness(dependencies_from_env(ChecksEnv.from_environ().variables()))
    if not is_ready:
        logger.warning("not ready", extra={"checks": report["checks"]})
    if report["checks"].get("cache_table") == "ok":
        from radar.errors import DependencyUnavailable
        from radar.lookup.service import provider_status
        from radar.lookup.settings import LookupSettings

        try:
            report["providers"] = provider_status(LookupSettings.from_environ())
        except DependencyUnavailable:
            logger.warning("provider capacity unreadable")  # readiness still answers; the checks say what is up
    return Response(
        status_code=200 if is_ready else 503, content_type="application/json", body=ReadinessOut.model_validate(report)
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
