"""PynamoDB items of checks (with their report, errors and diff) and batches, in the main table."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, JSONAttribute, NumberAttribute, UnicodeAttribute

from radar.store import Gsi1, MainTableModel

__all__ = [
    "FINISHED",
    "BatchModel",
    "CheckModel",
    "CheckStatus",
    "batch_sk",
    "check_sk",
    "target_checks_pk",
]


class CheckStatus:
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


FINISHED = frozenset({CheckStatus.SUCCEEDED, CheckStatus.FAILED})


def check_sk(check_id: str) -> str:
    return f"CHECK#{check_id}"


def batch_sk(batch_id: str) -> str:
    return f"BATCH#{batch_id}"


def target_checks_pk(tenant_id: str, target_id: str) -> str:
    return f"TENANT#{tenant_id}#TARGET#{target_id}"


class CheckModel(MainTableModel):
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute()
    entity = UnicodeAttribute(default="check")
    check_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    target_id = UnicodeAttribute()
    cnpj = UnicodeAttribute()
    mode = UnicodeAttribute()  # "sync" or "async"
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()
    queued_at = UnicodeAttribute(null=True)
    started_at = UnicodeAttribute(null=True)
    finished_at = UnicodeAttribute(null=True)
    retry_at = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    batch_id = UnicodeAttribute(null=True)
    correlation_id = UnicodeAttribute(null=True)
    source = UnicodeAttribute(null=True)
    cached = BooleanAttribute(null=True)
    report = JSONAttribute(null=True)
    errors = JSONAttribute(null=True)
    diff = JSONAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)
    bypass_cache = BooleanAttribute(default=False)  # ?refresh=true: ask the providers again
    max_age = NumberAttribute(null=True)  # ?max_age: seconds; a cached report older than this is not used
    max_stale = NumberAttribute(null=True)  # ?max_stale: seconds; how old a stale-if-error answer may be (0 = off)
    stale = BooleanAttribute(null=True)  # answered from the last good report: no provider could answer
    usage_period = UnicodeAttribute(null=True)  # the month (yyyy-mm) whose allowance this check was counted in
    lease_until = NumberAttribute(null=True)  # while running: epoch seconds until another delivery may take it over
    capacity_waits = NumberAttribute(default=0)  # how often it was deferred only for lack of provider capacity
    waiting_since = UnicodeAttribute(null=True)  # when it first waited for capacity (the capacity budget's start)
    expires_at = NumberAttribute(null=True)  # retention (TTL); reads treat expires_at <= now as gone
    by_target: Gsi1[CheckModel] = Gsi1()  # gsi1pk = TENANT#<tid>#TARGET#<target_id>, gsi1sk = <created_at>#<id>


class BatchModel(MainTableModel):
    entity = UnicodeAttribute(default="batch")
    batch_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    created_at = UnicodeAttribute()
    submitted = NumberAttribute(default=0)
    queued = NumberAttribute(default=0)
    running = NumberAttribute(default=0)
    succeeded = NumberAttribute(default=0)
    failed = NumberAttribute(default=0)
    invalid = JSONAttribute(default=list)
    rejected = JSONAttribute(default=list)
    expires_at = NumberAttribute(null=True)
