"""PynamoDB items of checks (with their report, errors and diff) and batches, in the main table."""

from __future__ import annotations

import hashlib
from typing import Any

from pynamodb.attributes import BooleanAttribute, JSONAttribute, NumberAttribute, UnicodeAttribute

from radar.metering.service import UsageTag
from radar.store import Gsi1, MainTableModel

__all__ = [
    "FINISHED",
    "BatchModel",
    "BatchPageModel",
    "BatchProblemsModel",
    "CheckModel",
    "CheckStatus",
    "PageState",
    "batch_check_id",
    "batch_page_sk",
    "batch_problems_sk",
    "batch_sk",
    "cache_hit_count",
    "check_sk",
    "target_checks_pk",
    "usage_tag",
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


def batch_page_sk(batch_id: str, page: int) -> str:
    return f"BATCH#{batch_id}#Q#{page:05d}"


def batch_problems_sk(batch_id: str, chunk: int) -> str:
    return f"BATCH#{batch_id}#P#{chunk:05d}"


def batch_check_id(batch_id: str, cnpj: str) -> str:
    """A batch item's check id, derived: a page written again after a crash writes the same checks, and a batch's
    check ids follow from its pages (the batch's check list reads no index)."""
    return "chk_" + hashlib.sha256(f"{batch_id}:{cnpj}".encode()).hexdigest()[:32]


class PageState:
    NEW = "new"  # stored at accept time, nothing written for it yet
    WRITTEN = "written"  # its targets and queued checks are stored; cached ones may be finishing
    SENT = "sent"  # cached ones answered, the others sent to the batch queue


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
    principal = UnicodeAttribute(null=True)  # who ran it (`api_key:<kid>`, `user:<uid>`): the usage report's split
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
    invalid = JSONAttribute(default=list)  # batches from before the pages (problems inline)
    rejected = JSONAttribute(default=list)
    invalid_count = NumberAttribute(default=0)  # problems live in BatchProblemsModel chunks
    rejected_count = NumberAttribute(default=0)
    pages = NumberAttribute(default=0)  # BatchPageModel items 0..pages-1 (0: a batch from before the pages)
    first_finished_at = NumberAttribute(null=True)  # epoch seconds of its first and latest finished check
    last_finished_at = NumberAttribute(null=True)
    correlation_id = UnicodeAttribute(null=True)
    usage_period = UnicodeAttribute(null=True)  # the yyyy-mm-dd its checks' allowance units were counted in
    principal = UnicodeAttribute(null=True)  # who submitted it (radar.metering.principal_of); its checks inherit it
    expires_at = NumberAttribute(null=True)


class BatchPageModel(MainTableModel):
    """Up to PAGE_SIZE of a batch's valid CNPJs ([[index, cnpj], ...]) and how far their fan-out got."""

    entity = UnicodeAttribute(default="batch_page")
    batch_id = UnicodeAttribute()
    page = NumberAttribute()
    entries = JSONAttribute(default=list)
    state = UnicodeAttribute(default=PageState.NEW)
    lease_until = NumberAttribute(null=True)  # a delivery dispatching it holds it until then
    cached = NumberAttribute(null=True)  # answered from the cache
    sent = NumberAttribute(null=True)  # sent to the batch queue
    next_sent = BooleanAttribute(default=False)  # the next page's message went out
    expires_at = NumberAttribute(null=True)


class BatchProblemsModel(MainTableModel):
    """A chunk of a batch's invalid or rejected entries ([{index, line, input, reason, message, kind}])."""

    entity = UnicodeAttribute(default="batch_problems")
    batch_id = UnicodeAttribute()
    problems = JSONAttribute(default=list)
    expires_at = NumberAttribute(null=True)


def usage_tag(check: CheckModel) -> UsageTag | None:
    """The usage report's counter a check was counted on: its mode (`batch` for a batch's item) and principal; None
    for a check counted before checks recorded their principal (its report counters never existed)."""
    if not check.principal:
        return None
    return UsageTag("batch" if check.batch_id else str(check.mode), str(check.principal))


def cache_hit_count(check: CheckModel | None, to: str, fields: dict[str, Any] | None) -> tuple[Any, list[Any]] | None:
    """The day item's count of one cache answer when `check` succeeds from the cache (radar.metering.models), for
    the check's own success transaction; None otherwise."""
    if check is None or to != CheckStatus.SUCCEEDED or not (fields or {}).get("cached"):
        return None
    tag = usage_tag(check)
    if tag is None:
        return None
    from radar.metering.models import cached_count

    return cached_count(str(check.tenant_id), str(check.usage_period or check.created_at)[:10], tag)
