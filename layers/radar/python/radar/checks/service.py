"""Check use cases: run one now (sync) or queue it (async), read one, and a target's history."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from radar.checks.errors import CheckProvidersBusy, CheckProvidersUnavailable
from radar.checks.models import CheckModel, CheckStatus, check_sk, target_checks_pk, usage_tag
from radar.checks.queue import MAX_DELAY_SECONDS, CheckQueue
from radar.checks.repository import BatchRepository, CheckRepository, Refused, commit, read_together
from radar.checks.retention import RetentionPolicy
from radar.checks.runner import CheckRunner
from radar.checks.schemas import CheckOut, CheckPage, QueueMessage
from radar.checks.views import check_out
from radar.cnpj import Cnpj
from radar.context import TenantContext
from radar.errors import DependencyUnavailable
from radar.lookup.schemas import LookupResult, attempt_errors
from radar.lookup.service import Lookup, LookupFactory
from radar.metering.service import TenantSettings, UsageMeter, principal_of
from radar.observability import logger, metrics
from radar.store import unavailable
from radar.tables import tenant_pk
from radar.targets.errors import TargetNotFound
from radar.targets.models import TargetModel
from radar.targets.repository import TargetRepository
from radar.timestamps import utc_iso

__all__ = [
    "AuditWrite",
    "CheckParts",
    "CheckService",
    "CheckUseCases",
    "Freshness",
    "count_check_by_plan",
    "new_check",
    "queue_message",
    "release_allowance",
]

# The audit event of a new check, as a TransactWriteItems entry, given the check's id (the caller's radar.audit).
AuditWrite = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class Freshness:
    """A check's freshness terms: `max_age` (seconds; an older cached report is not used, 0 = ask the providers)
    and `max_stale` (seconds; how old a stale-if-error answer may be, 0 = none). None: the deployment's defaults."""

    max_age: int | None = None
    max_stale: int | None = None


def new_check(
    ctx: TenantContext,
    *,
    target_id: str,
    cnpj: str,
    mode: str,
    status: str,
    expires_at: int,
    correlation_id: str | None,
    batch_id: str | None = None,
    refresh: bool = False,
    counted_at: datetime | None = None,
    freshness: Freshness | None = None,
) -> CheckModel:
    """A new check item; `counted_at` is when its allowance unit was reserved (a release goes back to that month)."""
    now = utc_iso()
    check_id = f"chk_{uuid.uuid4().hex}"
    return CheckModel(
        tenant_pk(ctx.tenant_id),
        check_sk(check_id),
        gsi1pk=target_checks_pk(ctx.tenant_id, target_id),
        gsi1sk=f"{now}#{check_id}",
        check_id=check_id,
        tenant_id=ctx.tenant_id,
        target_id=target_id,
        cnpj=cnpj,
        mode=mode,
        status=status,
        created_at=now,
        queued_at=now,
        started_at=now if status == CheckStatus.RUNNING else None,
        attempts=1 if status == CheckStatus.RUNNING else 0,
        batch_id=batch_id,
        correlation_id=correlation_id,
        expires_at=expires_at,
        bypass_cache=refresh,
        max_age=(freshness or Freshness()).max_age,
        max_stale=(freshness or Freshness()).max_stale,
        usage_period=(counted_at or datetime.now(UTC)).strftime("%Y-%m-%d"),
        principal=principal_of(ctx.principal_type, ctx.principal_id),
    )


def release_allowance(meter: UsageMeter, check: CheckModel) -> None:
    """Give a check's allowance unit back to the month (and day) it was counted in."""
    counted = str(check.usage_period or check.created_at)[:10]
    meter.release(str(check.tenant_id), 1, period=counted[:7], day=counted[8:10], tag=usage_tag(check))


def count_check_by_plan(plan: str, count: int = 1) -> None:
    """ChecksByPlan carries the plan as its one dimension; the tenant goes to metadata, never a dimension."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(name="ChecksByPlan", unit=MetricUnit.Count, value=count, namespace=metrics.namespace) as metric:
        metric.add_dimension(name="plan", value=plan)


@dataclass(frozen=True)
class CheckParts:
    """What the check and batch use cases work with: storage, the allowance, retention and the queue."""

    checks: CheckRepository
    batches: BatchRepository
    targets: TargetRepository
    meter: UsageMeter
    retention: RetentionPolicy
    queue: CheckQueue
    batch_queue: CheckQueue | None = None  # batch items' lane; None: the checks queue


class CheckUseCases:
    """The base of the use cases that count, store and queue checks (CheckService, BatchService)."""

    def __init__(self, parts: CheckParts) -> None:
        self._checks = parts.checks
        self._batches = parts.batches
        self._targets = parts.targets
        self._meter = parts.meter
        self._retention = parts.retention
        self._queue = parts.queue
        self._batch_queue = parts.batch_queue or parts.queue

    def _fail_unqueued(self, tenant_id: str, check: CheckModel) -> None:
        """The queue refused this check: nothing will ever run it, so it is recorded failed."""
        self._checks.transition(
            tenant_id,
            str(check.check_id),
            expected=[CheckStatus.QUEUED],
            to=CheckStatus.FAILED,
            fields={"failure_reason": "queue_unavailable", "finished_at": utc_iso()},
        )


class CheckService(CheckUseCases):
    def __init__(self, parts: CheckParts, lookup_factory: LookupFactory) -> None:
        super().__init__(parts)
        self._lookup_factory = lookup_factory

    def _context(self, ctx: TenantContext, target_id: str) -> tuple[TargetModel, TenantSettings]:
        """The tenant's target (404 if not theirs) and the tenant's settings as stored now, in one round trip."""
        target_item, tenant_item = read_together(
            [self._targets.key(ctx.tenant_id, target_id), self._meter.settings_key(ctx.tenant_id)]
        )
        if target_item is None:
            raise TargetNotFound(target_id)
        return self._targets.from_item(target_item), self._meter.settings_from_item(tenant_item or {}, ctx.plan)

    def _counted_check(
        self,
        ctx: TenantContext,
        target: TargetModel,
        settings: TenantSettings,
        mode: str,
        status: str,
        correlation_id: str | None,
        refresh: bool,
        freshness: Freshness | None = None,
        audit: AuditWrite | None = None,
    ) -> CheckModel:
        """One check of the target, counted against the allowance and stored in the same transaction."""
        counted_at = datetime.now(UTC)
        check = new_check(
            ctx,
            target_id=str(target.target_id),
            cnpj=str(target.cnpj),
            mode=mode,
            status=status,
            expires_at=self._retention.expires_at(settings),
            correlation_id=correlation_id,
            refresh=refresh,
            counted_at=counted_at,
            freshness=freshness,
        )
        self._store_counted(ctx, settings, check, counted_at, audit=audit)
        return check

    def _store_counted(
        self,
        ctx: TenantContext,
        settings: TenantSettings,
        check: CheckModel,
        counted_at: datetime,
        optional: list[dict[str, Any]] | None = None,
        audit: AuditWrite | None = None,
    ) -> None:
        """The allowance unit and the check commit together (a failure between the two cannot leak the unit); the
        usage condition refusing is the allowance answer (429), and nothing is stored. `audit` gives the check's
        audit event as a transaction entry: it commits with them (no event without its check, no round trip)."""
        counted = self._meter.reserve_write(ctx.tenant_id, settings.plan, 1, now=counted_at)
        required = [counted, self._checks.put_write(check)]
        tag = usage_tag(check)
        if tag is not None:  # the consumption report's day counters, in the same transaction as the unit
            counters = {tag.counter: 1}
            if check.status == CheckStatus.SUCCEEDED and check.cached:
                counters[tag.cached_counter] = 1
            required.append(self._meter.report_write(ctx.tenant_id, f"{counted_at:%Y-%m-%d}", counters))
        if audit is not None:
            required.append(audit(str(check.check_id)))
        try:
            commit(required, optional or [])
        except Refused as refused:
            if 0 in refused.failed:
                raise self._meter.exceeded(ctx.tenant_id, settings.plan, now=counted_at) from None
            raise unavailable() from refused  # a new check id already taken: never with uuid4

    def _from_cache(
        self,
        ctx: TenantContext,
        target: TargetModel,
        settings: TenantSettings,
        runner: CheckRunner,
        result: LookupResult,
        correlation_id: str | None,
        freshness: Freshness | None = None,
        audit: AuditWrite | None = None,
    ) -> CheckModel:
        """A sync check whose CNPJ is in the cache: counted, stored succeeded and pointed at by its target in one
        transaction (nothing runs in between that could fail and leave the unit counted)."""
        from aws_lambda_powertools.metrics import MetricUnit

        counted_at = datetime.now(UTC)
        check = new_check(
            ctx,
            target_id=str(target.target_id),
            cnpj=str(target.cnpj),
            mode="sync",
            status=CheckStatus.RUNNING,
            expires_at=self._retention.expires_at(settings),
            correlation_id=correlation_id,
            counted_at=counted_at,
            freshness=freshness,
        )
        fields = runner.success_fields(check, result, target)
        for name, value in fields.items():
            setattr(check, name, value)
        check.status = CheckStatus.SUCCEEDED
        self._store_counted(
            ctx, settings, check, counted_at, optional=[runner.pointer_write(check, fields)], audit=audit
        )
        metrics.add_metric(name="ChecksSucceeded", unit=MetricUnit.Count, value=1)
        runner.log_success(check)
        return check

    @staticmethod
    def _cached_result(lookup: Lookup, cnpj: str, freshness: Freshness | None) -> LookupResult | None:
        """The cache's answer alone (young enough for `freshness`), when the lookup offers one; None sends the check
        down the full lookup."""
        cached = getattr(lookup, "cached", None)
        if not callable(cached):
            return None
        try:
            result: LookupResult | None = cached(Cnpj(cnpj), max_age=(freshness or Freshness()).max_age)
        except DependencyUnavailable:
            return None  # the full lookup meets the same cache and decides
        return result

    def run_now(
        self,
        ctx: TenantContext,
        target_id: str,
        *,
        correlation_id: str | None,
        remaining_ms: int | None = None,
        refresh: bool = False,
        on_busy: str = "queue",
        freshness: Freshness | None = None,
        audit: AuditWrite | None = None,
    ) -> CheckOut:
        """Synchronous check: counted (with its audit event, `audit`), run inline, stored with its report.

        A CNPJ already in the shared cache is answered from it before anything is written: the unit, the finished
        check and the target's pointer are one transaction. When no provider has a request slot within the sync
        budget, the check is queued instead (status `queued`, the caller answers 202 with its ETA), or with
        `on_busy="fail"` it fails uncharged (CheckProvidersBusy, a 503). When providers fail: the check is recorded
        failed, its allowance unit given back, and the answer is a 503."""
        target, settings = self._context(ctx, target_id)
        lookup = self._lookup_factory()
        runner = CheckRunner(self._checks, self._targets, lookup)
        metrics.add_metadata(key="tenant_id", value=ctx.tenant_id)
        result = None if refresh else self._cached_result(lookup, str(target.cnpj), freshness)
        if result is not None:
            out = check_out(self._from_cache(ctx, target, settings, runner, result, correlation_id, freshness, audit))
            count_check_by_plan(ctx.plan)
            return out
        check = self._counted_check(
            ctx, target, settings, "sync", CheckStatus.RUNNING, correlation_id, refresh, freshness, audit
        )
        try:
            out = check_out(runner.execute(check, remaining_ms=remaining_ms, target=target))
        except DependencyUnavailable as exc:
            errors = attempt_errors(getattr(exc, "attempts", None))
            retry_after = getattr(exc, "retry_after_seconds", None)
            if getattr(exc, "waiting_for_capacity", False) and on_busy != "fail":
                return self._queue_busy_sync(ctx, check, errors, float(getattr(exc, "eta_seconds", 1.0)))
            busy = getattr(exc, "waiting_for_capacity", False)
            _, landed = runner.record_failure(
                check, reason="providers_busy" if busy else "providers_unavailable", errors=errors
            )
            if landed:
                release_allowance(self._meter, check)
            if busy:
                raise CheckProvidersBusy(str(check.check_id), retry_after) from exc
            raise CheckProvidersUnavailable(str(check.check_id), errors, retry_after) from exc
        except Exception:
            # Never leave a sync check "running" forever: record it failed, then let the error map to a 500.
            _, landed = runner.record_failure(check, reason="internal_error", errors=[])
            if landed:
                release_allowance(self._meter, check)
            raise
        count_check_by_plan(ctx.plan)
        return out

    def _queue_busy_sync(
        self, ctx: TenantContext, check: CheckModel, errors: list[dict[str, Any]], eta: float
    ) -> CheckOut:
        """No slot within the sync budget: the check goes to the queue, to run when the capacity model predicts a
        slot; the answer is the queued check with that ETA."""
        delay = max(1, int(eta + 0.999))
        retry_at = utc_iso(datetime.now(UTC) + timedelta(seconds=delay))
        queued = self._checks.transition(
            ctx.tenant_id,
            str(check.check_id),
            expected=[CheckStatus.RUNNING],
            to=CheckStatus.QUEUED,
            fields={"retry_at": retry_at, "errors": errors, "lease_until": None},
            count_wait=True,
            waiting_since=utc_iso(),
        )
        try:
            # The transition counted this wait: the message carries the count the check has now.
            message = queue_message(check, wait=int(check.capacity_waits or 0) + 1)
            self._queue.send(message, delay_seconds=min(delay, MAX_DELAY_SECONDS))
        except DependencyUnavailable:
            self._fail_unqueued(ctx.tenant_id, check)
            release_allowance(self._meter, check)
            raise
        count_check_by_plan(ctx.plan)
        logger.info("providers busy; sync check queued", extra={"check_id": check.check_id, "eta_seconds": delay})
        out = check_out(self._checks.get(ctx.tenant_id, str(queued.check_id)))
        out.eta_seconds = round(eta, 1)
        return out

    def enqueue(
        self,
        ctx: TenantContext,
        target_id: str,
        *,
        correlation_id: str | None,
        refresh: bool = False,
        freshness: Freshness | None = None,
        audit: AuditWrite | None = None,
    ) -> CheckOut:
        """Asynchronous check: counted (with its audit event, `audit`), recorded `queued`, sent to the checks queue
        for the worker."""
        target, settings = self._context(ctx, target_id)
        check = self._counted_check(
            ctx, target, settings, "async", CheckStatus.QUEUED, correlation_id, refresh, freshness, audit
        )
        try:
            self._queue.send(queue_message(check))
        except DependencyUnavailable:
            # Nothing will ever run it: record it failed and give the allowance back.
            self._fail_unqueued(ctx.tenant_id, check)
            release_allowance(self._meter, check)
            raise
        count_check_by_plan(ctx.plan)
        metrics.add_metadata(key="tenant_id", value=ctx.tenant_id)
        logger.info("check queued", extra={"check_id": check.check_id, "target_id": target_id})
        return check_out(check)

    def get(self, ctx: TenantContext, check_id: str) -> CheckOut:
        return check_out(self._checks.get(ctx.tenant_id, check_id))

    def history(self, ctx: TenantContext, target_id: str, *, limit: int, cursor: str | None) -> CheckPage:
        self._targets.get(ctx.tenant_id, target_id)
        items, next_cursor = self._checks.list_for_target(ctx.tenant_id, target_id, limit=limit, cursor=cursor)
        return CheckPage(items=[check_out(c) for c in items], next_cursor=next_cursor)


def queue_message(check: CheckModel, *, enqueued_at: str | None = None, wait: int | None = None) -> QueueMessage:
    """The queue message of `check`, stamped with its wait count (`wait`, default the check's capacity_waits: a
    caller that is moving the check to its next wait passes the count it moves to)."""
    return QueueMessage(
        tenant_id=str(check.tenant_id),
        check_id=str(check.check_id),
        target_id=str(check.target_id),
        cnpj=str(check.cnpj),
        correlation_id=check.correlation_id,
        batch_id=check.batch_id,
        enqueued_at=enqueued_at or utc_iso(),
        wait=int(check.capacity_waits or 0) if wait is None else wait,
    )
