"""Purge function: runs tenant deletion jobs from the purge queue, a bounded number of pages per message; its
scheduled entry (an hourly EventBridge rule, input radar.billing.SWEEP_EVENT) runs billing's sweep of what fell due."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from radar.billing import SWEEP_EVENT
from radar.observability import logger, metrics, tracer
from radar.tables import bind_main_table
from radar.tenants.settings import PurgeEnv

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    from radar.billing.service import BillingService
    from radar.tenants.deletion import TenantPurge

__all__ = ["billing", "lambda_handler", "processor", "purge", "record_handler"]

ENV = PurgeEnv.from_environ()  # cold start: a missing variable fails the init, not a message
bind_main_table(ENV.main_table)  # the table of every main-table model this function uses (radar.store)
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
_context: dict[str, Any] = {}


@lru_cache(maxsize=1)
def purge() -> TenantPurge:
    from radar.tenants.wiring import build_purge

    return build_purge(ENV)


@lru_cache(maxsize=1)
def billing() -> BillingService:
    from radar.tenants.wiring import build_billing_sweep

    return build_billing_sweep(ENV)


def record_handler(record: SQSRecord) -> str:
    body = json.loads(record.body)
    tenant_id, job_id = str(body["tenant_id"]), str(body["job_id"])
    logger.append_keys(tenant_id=tenant_id, job_id=job_id)
    lambda_context = _context.get("lambda")
    remaining = lambda_context.get_remaining_time_in_millis if lambda_context else None
    try:
        outcome = purge().handle(tenant_id, job_id, remaining_ms=remaining)
        logger.info("purge step", extra={"outcome": outcome})
        return outcome
    finally:
        logger.remove_keys(["tenant_id", "job_id"])


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: Any) -> Any:
    _context["lambda"] = context
    if isinstance(event, dict) and event.get("action") == SWEEP_EVENT["action"]:
        swept = billing().sweep(time_left_ms=context.get_remaining_time_in_millis if context else None)
        logger.info("billing sweep", extra=swept.model_dump())
        metrics.add_metric(name="BillingSweepSettled", unit=MetricUnit.Count, value=swept.settled)
        metrics.add_metric(name="BillingSweepFailed", unit=MetricUnit.Count, value=swept.failed)
        return swept.model_dump()
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
