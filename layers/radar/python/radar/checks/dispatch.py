"""A batch's fan-out, behind its accept: one page of CNPJs per message on the batch queue; a page gets its targets and
checks, its cached CNPJs are answered at once, the rest go to the batch queue; the next page follows, paced."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from radar.checks.errors import CheckDeferred, StaleTransition
from radar.checks.models import (
    BatchModel,
    BatchPageModel,
    CheckModel,
    CheckStatus,
    PageState,
    batch_check_id,
    check_sk,
    target_checks_pk,
)
from radar.checks.queue import MAX_DELAY_SECONDS, CheckQueue
from radar.checks.repository import BatchRepository, CheckRepository
from radar.checks.runner import CheckRunner
from radar.checks.schemas import BatchPageMessage
from radar.checks.service import queue_message
from radar.cnpj import Cnpj
from radar.errors import NotFound
from radar.lookup.schemas import LookupResult
from radar.observability import logger
from radar.tables import tenant_pk
from radar.targets.repository import TargetRepository
from radar.timestamps import utc_iso

__all__ = ["PAGE_SIZE", "BatchDispatcher", "CachedAnswer", "is_page_message", "pacing_seconds"]

PAGE_SIZE = 100  # CNPJs per page: one message's fan-out, a few seconds of work
# Release a page's successor when this share of the capacity it needs has gone by, so the lane never runs dry.
PACING_LEAD = 0.8
_PAGE_LEASE_SECONDS = 60  # a dispatching delivery holds its page this long (the worker's timeout)
_THREADS = 8

# A CNPJ's cached answer: a LookupResult, None when not cached; raises NotFound for a cached "no such CNPJ".
CachedAnswer = Callable[[Cnpj], LookupResult | None]
_Answer = tuple[LookupResult | None, NotFound | None]


def is_page_message(body: str) -> bool:
    """A batch page message, not a check message (both travel on the batch queue)."""
    return '"kind":"batch_page"' in body


def pacing_seconds(sent: int, capacity_per_min: float) -> int:
    """How long after sending `sent` uncached checks a batch's next page goes out: the time the providers' capacity
    needs for them (a little less), so each running batch keeps about one page in the lane and batches of different
    tenants interleave instead of queueing behind each other (docs/architecture.md "Capacity and fairness")."""
    if sent <= 0 or capacity_per_min <= 0:
        return 0
    return min(MAX_DELAY_SECONDS, int(sent * 60.0 / capacity_per_min * PACING_LEAD))


class _Known:
    """A Lookup that answers one CNPJ with what the cache gave (the runner then diffs and records as usual)."""

    def __init__(self, result: LookupResult | None, missing: NotFound | None) -> None:
        self._result, self._missing = result, missing

    def lookup(self, cnpj: Cnpj, **_: Any) -> LookupResult:
        if self._missing is not None:
            raise self._missing
        assert self._result is not None
        return self._result


class BatchDispatcher:
    def __init__(
        self,
        *,
        checks: CheckRepository,
        batches: BatchRepository,
        targets: TargetRepository,
        cached: CachedAnswer,
        queue_for_arn: Callable[[str], CheckQueue],
        capacity_per_min: float,
        lease_seconds: float = _PAGE_LEASE_SECONDS,
    ) -> None:
        self._checks = checks
        self._batches = batches
        self._targets = targets
        self._cached = cached
        self._queue_for_arn = queue_for_arn
        self._capacity = capacity_per_min
        # How long a dispatching delivery holds its page (and the cached checks it runs): a killed worker's page is
        # taken over after it. The worker's CHECK_LEASE_SECONDS, the same lease its checks have.
        self._lease = lease_seconds

    def handle(self, record: Any) -> str:
        """One page message (a Powertools SQSRecord); raise to have SQS deliver it again."""
        message = BatchPageMessage.model_validate_json(record.body)
        logger.thread_safe_append_keys(tenant_id=message.tenant_id, batch_id=message.batch_id, page=message.page)
        queue = self._queue_for_arn(record.event_source_arn)
        try:
            return self.dispatch(message, queue)
        except CheckDeferred:
            queue.delay_redelivery(record.receipt_handle, int(self._lease))
            raise

    def dispatch(self, message: BatchPageMessage, queue: CheckQueue) -> str:
        tenant_id, batch_id = message.tenant_id, message.batch_id
        page = self._batches.page(tenant_id, batch_id, message.page)
        batch = self._batches.find(tenant_id, batch_id) if page is not None else None
        if page is None or batch is None:
            logger.info("batch gone (deleted or expired); page dropped")
            return "gone"
        if page.state == PageState.SENT and page.next_sent:
            return "duplicate"
        if not self._batches.hold_page(page, now=time.time(), lease_seconds=self._lease):
            raise CheckDeferred(f"{batch_id}#{message.page}")  # another delivery is on it
        answers: dict[str, _Answer] = {}
        written: list[CheckModel] | None = None
        if page.state == PageState.NEW:
            answers, written = self._write(batch, page)
        if page.state == PageState.WRITTEN:
            self._answer_and_send(batch, page, queue, answers, written)
        self._next(batch, page, queue, message)
        return "dispatched"

    def _write(self, batch: BatchModel, page: BatchPageModel) -> tuple[dict[str, _Answer], list[CheckModel]]:
        """Targets and checks for the page; the cached CNPJs' checks are stored running, the others queued. Nothing
        else knows these checks yet (no message, no run), so a delivery after a crash here writes them again."""
        tenant_id, batch_id = str(batch.tenant_id), str(batch.batch_id)
        cnpjs = [str(cnpj) for _, cnpj in page.entries]
        target_ids = self._targets.ensure_many(tenant_id, cnpjs)
        with ThreadPoolExecutor(max_workers=_THREADS) as pool:
            answers = dict(zip(cnpjs, pool.map(self._answer, cnpjs), strict=True))
        found = {c: a for c, a in answers.items() if a is not None}
        now = utc_iso()
        lease = time.time() + self._lease
        checks = [_batch_check(batch, target_ids[c], c, now, running=c in found, lease=lease) for c in cnpjs]
        self._checks.create_many(checks)
        # The step and the batch's counters (the cached ones are running now) move in one transaction.
        if not self._batches.advance_page(
            page,
            from_state=PageState.NEW,
            to_state=PageState.WRITTEN,
            batch_move=(CheckStatus.QUEUED, CheckStatus.RUNNING, len(found)),
        ):
            raise CheckDeferred(f"{batch_id}#{page.page}")
        page.state = PageState.WRITTEN
        return found, checks

    def _answer(self, cnpj: str) -> _Answer | None:
        try:
            result = self._cached(Cnpj(cnpj))
        except NotFound as exc:
            return None, exc
        return None if result is None else (result, None)

    def _answer_and_send(
        self,
        batch: BatchModel,
        page: BatchPageModel,
        queue: CheckQueue,
        answers: dict[str, _Answer],
        written: list[CheckModel] | None,
    ) -> None:
        """Cached CNPJs finish now, from the cache (no provider call); the others go to the batch queue. Run again
        after a crash: finished checks stay finished (transitions are conditional), a message sent twice runs once
        (the worker claims a check once)."""
        tenant_id, batch_id = str(batch.tenant_id), str(batch.batch_id)
        if written is None:  # a delivery after a crash: the checks as they are now
            ids = [batch_check_id(batch_id, str(cnpj)) for _, cnpj in page.entries]
            written = list(self._checks.find_many(tenant_id, ids).values())
        running = [c for c in written if c.status == CheckStatus.RUNNING]
        queued = [c for c in written if c.status == CheckStatus.QUEUED]

        def finish(check: CheckModel) -> CheckModel | None:
            answer = answers.get(str(check.cnpj)) or self._answer(str(check.cnpj))
            if answer is None:  # gone from the cache since: the worker looks it up
                return check
            # A finish another delivery already recorded is a stale transition the runner reads back.
            CheckRunner(self._checks, self._targets, _Known(*answer)).execute(check)
            return None

        with ThreadPoolExecutor(max_workers=_THREADS) as pool:
            uncached_running = [c for c in pool.map(finish, running) if c is not None]
        for check in uncached_running:
            try:
                self._checks.transition(
                    tenant_id,
                    str(check.check_id),
                    expected=[CheckStatus.RUNNING],
                    to=CheckStatus.QUEUED,
                    fields={"lease_until": None},
                    batch=(batch_id, CheckStatus.RUNNING),
                    known=check,
                )
                queued.append(check)
            except StaleTransition:
                pass
        unsent = set(queue.send_many([queue_message(c) for c in queued]))
        if unsent:
            raise CheckDeferred(f"{batch_id}#{page.page}")  # SQS refused some: this page is sent again
        self._batches.advance_page(
            page,
            from_state=PageState.WRITTEN,
            to_state=PageState.SENT,
            cached=len(running) - len(uncached_running),
            sent=len(queued),
        )
        page.state = PageState.SENT
        page.sent = len(queued)
        logger.info(
            "batch page dispatched", extra={"cached": len(running) - len(uncached_running), "sent": len(queued)}
        )

    def _next(self, batch: BatchModel, page: BatchPageModel, queue: CheckQueue, message: BatchPageMessage) -> None:
        following = int(page.page) + 1
        has_next = following < int(batch.pages or 0)
        if has_next and not page.next_sent:
            delay = pacing_seconds(int(page.sent or 0), self._capacity)
            queue.send(message.model_copy(update={"page": following}), delay_seconds=delay)
        self._batches.page_done(page, next_sent=has_next)


def _batch_check(batch: BatchModel, target_id: str, cnpj: str, now: str, *, running: bool, lease: float) -> CheckModel:
    tenant_id, batch_id = str(batch.tenant_id), str(batch.batch_id)
    check_id = batch_check_id(batch_id, cnpj)
    return CheckModel(
        tenant_pk(tenant_id),
        check_sk(check_id),
        gsi1pk=target_checks_pk(tenant_id, target_id),
        gsi1sk=f"{now}#{check_id}",
        check_id=check_id,
        tenant_id=tenant_id,
        target_id=target_id,
        cnpj=cnpj,
        mode="async",
        status=CheckStatus.RUNNING if running else CheckStatus.QUEUED,
        created_at=now,
        queued_at=now,
        started_at=now if running else None,
        attempts=1 if running else 0,
        lease_until=lease if running else None,
        batch_id=batch_id,
        correlation_id=batch.correlation_id,
        expires_at=batch.expires_at,
        usage_period=batch.usage_period,
        principal=batch.principal,
    )
