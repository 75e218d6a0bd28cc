"""Worker function: runs queued checks from the checks queues and fans batches out (their page messages), reporting
partial batch failures to SQS."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from radar.checks.settings import WorkerEnv
from radar.observability import logger, metrics, tracer
from radar.tables import bind_main_table

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    from radar.checks.dispatch import BatchDispatcher
    from radar.checks.worker import CheckWorker
    from radar.lookup import Lookup

__all__ = ["lambda_handler", "record_handler"]

ENV = WorkerEnv.from_environ()  # cold start: a missing variable fails the init, not a batch
bind_main_table(ENV.main_table)  # the table of every main-table model this function uses (radar.store)
_LOOKUP_MARGIN_MS = 2_000
_context: dict[str, Any] = {}


def get_lookup() -> Lookup:
    """The CNPJ lookup; the seam tests replace."""
    from radar.lookup import default_lookup

    return default_lookup()


@lru_cache(maxsize=1)
def worker() -> CheckWorker:
    from radar.checks.wiring import build_worker

    return build_worker(ENV, lambda: get_lookup())


@lru_cache(maxsize=1)
def dispatcher() -> BatchDispatcher:
    from radar.checks.wiring import build_dispatcher

    return build_dispatcher(ENV, lambda: get_lookup())


def record_handler(record: SQSRecord) -> str:
    from radar.checks.dispatch import is_page_message

    if is_page_message(record.body):  # a batch's page to fan out (it travels on the batch queue)
        return dispatcher().handle(record)
    lambda_context = _context.get("lambda")
    remaining = lambda_context.get_remaining_time_in_millis() - _LOOKUP_MARGIN_MS if lambda_context else None
    return worker().handle(record, remaining_ms=remaining)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: Any) -> Any:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    from radar.checks.worker import process_records

    _context["lambda"] = context
    # A batch where every record fails still answers with batchItemFailures: the failed ones come back on their own
    # schedule (the retry hint), the rest are not re-run.
    records = [SQSRecord(raw) for raw in event.get("Records", [])]
    return process_records(records, record_handler, concurrency=ENV.record_concurrency)
