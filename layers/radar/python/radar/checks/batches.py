"""Batches: up to 10,000 CNPJs (JSON or CSV) accepted in one request as a few stored pages; invalid and repeated
entries reported back and not counted; the fan-out runs behind it (radar.checks.dispatch); progress, the batch's
checks and a results download."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from radar.checks.batchinput import Entry, split_entries
from radar.checks.dispatch import PAGE_SIZE
from radar.checks.models import (
    BatchModel,
    BatchPageModel,
    BatchProblemsModel,
    CheckModel,
    CheckStatus,
    batch_check_id,
    batch_page_sk,
    batch_problems_sk,
    batch_sk,
)
from radar.checks.schemas import BatchCheckPage, BatchItemProblem, BatchOut, BatchPageMessage
from radar.checks.service import CheckParts, CheckUseCases, count_check_by_plan
from radar.checks.views import batch_out, check_out
from radar.context import TenantContext
from radar.errors import DependencyUnavailable, ValidationFailed
from radar.metering.service import UsageTag, principal_of
from radar.observability import logger, metrics
from radar.pagination import decode_cursor, encode_cursor
from radar.tables import tenant_pk
from radar.timestamps import parse_iso, utc_iso

__all__ = ["RESULT_COLUMNS", "BatchService"]

_PROBLEMS_PER_ITEM = 500  # ~75 KB of problems per stored chunk (items hold at most 400 KB)
_PAGES_PER_READ = 8  # a listing reads this many pages (800 checks) at most per request
RESULT_COLUMNS = ("cnpj", "status", "legal_name", "situation", "failure_reason", "check_id")


class BatchService(CheckUseCases):
    def __init__(self, parts: CheckParts, *, capacity_per_min: float = 0.0) -> None:
        super().__init__(parts)
        self._capacity = capacity_per_min

    def create(self, ctx: TenantContext, entries: list[Entry], *, correlation_id: str | None) -> BatchOut:
        """Store the batch and its pages (a handful of writes whatever its size) and send its first page message;
        the dispatcher does the rest. Counted now: one allowance unit per valid, distinct CNPJ."""
        valid, invalid = split_entries(entries)
        if not valid:
            raise ValidationFailed(
                "no valid CNPJ in the batch",
                details=[{"field": _field(p), "reason": p["reason"], "message": p["message"]} for p in invalid[:100]],
            )
        # As many as fit: a batch larger than what is left of the allowance queues the first ones that fit and
        # reports the rest as rejected; when nothing fits the whole request is a 429 (nothing queued).
        settings = self._meter.tenant_settings(ctx.tenant_id, ctx.plan)
        counted_at = datetime.now(UTC)
        tag = UsageTag("batch", principal_of(ctx.principal_type, ctx.principal_id))
        accepted_count = self._meter.reserve(
            ctx.tenant_id, settings.plan, len(valid), partial=True, now=counted_at, tag=tag
        )
        accepted, left_out = valid[:accepted_count], valid[accepted_count:]
        rejected = [
            {
                "index": v.index,
                **({"line": v.line} if v.line is not None else {}),
                "input": v.cnpj,
                "reason": "allowance_exceeded",
                "message": "the monthly allowance ran out before this CNPJ",
            }
            for v in left_out
        ]
        expires_at = self._retention.expires_at(settings)
        batch_id = f"bat_{uuid.uuid4().hex}"
        pk = tenant_pk(ctx.tenant_id)
        pages = [
            BatchPageModel(
                pk,
                batch_page_sk(batch_id, n),
                batch_id=batch_id,
                page=n,
                entries=[[v.index, v.cnpj] for v in accepted[start : start + PAGE_SIZE]],
                expires_at=expires_at,
            )
            for n, start in enumerate(range(0, len(accepted), PAGE_SIZE))
        ]
        problems = [{**p, "kind": "invalid"} for p in invalid] + [{**p, "kind": "rejected"} for p in rejected]
        chunks = [
            BatchProblemsModel(
                pk,
                batch_problems_sk(batch_id, n),
                batch_id=batch_id,
                problems=problems[start : start + _PROBLEMS_PER_ITEM],
                expires_at=expires_at,
            )
            for n, start in enumerate(range(0, len(problems), _PROBLEMS_PER_ITEM))
        ]
        batch = BatchModel(
            pk,
            batch_sk(batch_id),
            batch_id=batch_id,
            tenant_id=ctx.tenant_id,
            created_at=utc_iso(),
            submitted=len(entries),
            queued=len(accepted),
            invalid_count=len(invalid),
            rejected_count=len(rejected),
            pages=len(pages),
            correlation_id=correlation_id,
            usage_period=counted_at.strftime("%Y-%m-%d"),
            principal=tag.principal,
            expires_at=expires_at,
        )
        try:
            self._batches.create_paged(batch, pages, chunks)
            first = BatchPageMessage(tenant_id=ctx.tenant_id, batch_id=batch_id, page=0, correlation_id=correlation_id)
            self._batch_queue.send(first)
        except DependencyUnavailable:
            # Nothing will run it: the units go back and the batch is forgotten (the answer is a 503 to retry).
            self._meter.release(ctx.tenant_id, len(accepted), now=counted_at, tag=tag)
            self._batches.forget(batch, pages, chunks)
            raise
        count_check_by_plan(ctx.plan, len(accepted))
        metrics.add_metadata(key="tenant_id", value=ctx.tenant_id)
        logger.info(
            "batch created",
            extra={
                "batch_id": batch_id,
                "accepted": len(accepted),
                "invalid": len(invalid),
                "rejected": len(rejected),
                "pages": len(pages),
            },
        )
        out = self._out(batch, problems)
        return out

    def get(self, ctx: TenantContext, batch_id: str) -> BatchOut:
        batch = self._batches.get(ctx.tenant_id, batch_id)
        problems = self._batches.problems(ctx.tenant_id, batch_id) if _has_problems(batch) else []
        return self._out(batch, problems)

    def _out(self, batch: BatchModel, problems: list[dict[str, Any]]) -> BatchOut:
        out = batch_out(batch)
        if problems:
            out.invalid = [_problem(p) for p in problems if p.get("kind") == "invalid"]
            out.rejected = [_problem(p) for p in problems if p.get("kind") == "rejected"]
        finished = out.counts.succeeded + out.counts.failed
        if finished and batch.first_finished_at is not None:
            started = parse_iso(str(batch.created_at)).timestamp()
            end = float(batch.last_finished_at or time.time()) if out.done else time.time()
            out.throughput_per_min = round(finished * 60.0 / max(end - started, 1.0), 1)
        remaining = out.counts.queued + out.counts.running
        if out.done:
            out.eta_seconds = 0.0
        elif self._capacity > 0:
            out.eta_seconds = round(remaining * 60.0 / self._capacity, 1)
        return out

    def checks(
        self, ctx: TenantContext, batch_id: str, *, limit: int, cursor: str | None, status: str | None
    ) -> BatchCheckPage:
        """A page of the batch's checks in submission order, optionally only those in `status`. The cursor is
        (page, position); a filtered page may hold fewer than `limit` checks and still have a next cursor."""
        batch = self._batches.get(ctx.tenant_id, batch_id)
        scope = f"{ctx.tenant_id}:batch-checks:{batch_id}:{status or ''}"
        start = decode_cursor(cursor, scope=scope) or {"page": 0, "at": 0}
        page_no, at = int(start.get("page", 0)), int(start.get("at", 0))
        items: list[CheckModel] = []
        total_pages = int(batch.pages or 0)
        read = 0
        while page_no < total_pages and len(items) < limit and read < _PAGES_PER_READ:
            page = self._batches.page(ctx.tenant_id, batch_id, page_no)
            read += 1
            entries = list(page.entries or []) if page is not None else []
            ids = [batch_check_id(batch_id, str(cnpj)) for _, cnpj in entries]
            found = self._checks.find_many(ctx.tenant_id, ids[at:]) if ids[at:] else {}
            while at < len(ids) and len(items) < limit:
                check = found.get(ids[at])
                at += 1
                if check is not None and (status is None or check.status == status):
                    items.append(check)
            if at >= len(ids):
                page_no, at = page_no + 1, 0
        more = page_no < total_pages
        next_cursor = encode_cursor({"page": page_no, "at": at}, scope=scope) if more else None
        return BatchCheckPage(items=[check_out(c) for c in items], next_cursor=next_cursor)

    def results(self, ctx: TenantContext, batch_id: str, fmt: str) -> str:
        """Every valid CNPJ of the batch with its outcome, one row each, as CSV (RESULT_COLUMNS) or a JSON array;
        a CNPJ whose check is not written yet (its page not dispatched) shows as queued."""
        rows = list(self._result_rows(ctx.tenant_id, self._batches.get(ctx.tenant_id, batch_id)))
        if fmt == "json":
            return json.dumps({"batch_id": batch_id, "items": rows}, ensure_ascii=False)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=RESULT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()

    def _result_rows(self, tenant_id: str, batch: BatchModel) -> Iterator[dict[str, Any]]:
        batch_id = str(batch.batch_id)
        total = int(batch.pages or 0)

        def read(start: int) -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = []
            for page in self._batches.pages(tenant_id, batch_id, start, _PAGES_PER_READ):
                cnpjs = [str(cnpj) for _, cnpj in page.entries or []]
                found = self._checks.find_many(tenant_id, [batch_check_id(batch_id, c) for c in cnpjs])
                rows += [_result_row(c, batch_check_id(batch_id, c), found) for c in cnpjs]
            return rows

        with ThreadPoolExecutor(max_workers=4) as pool:
            for rows in pool.map(read, range(0, total, _PAGES_PER_READ)):
                yield from rows


def _result_row(cnpj: str, check_id: str, found: dict[str, CheckModel]) -> dict[str, Any]:
    check = found.get(check_id)
    report = (check.report or {}) if check is not None else {}
    return {
        "cnpj": cnpj,
        "status": str(check.status) if check is not None else CheckStatus.QUEUED,
        "legal_name": report.get("legal_name") or "",
        "situation": report.get("status") or "",
        "failure_reason": (check.failure_reason or "") if check is not None else "",
        "check_id": check_id,
    }


def _has_problems(batch: BatchModel) -> bool:
    return bool(int(batch.invalid_count or 0) or int(batch.rejected_count or 0))


def _problem(raw: dict[str, Any]) -> BatchItemProblem:
    return BatchItemProblem.model_validate({k: v for k, v in raw.items() if k != "kind"})


def _field(problem: dict[str, Any]) -> str:
    return f"line.{problem['line']}" if problem.get("line") is not None else f"cnpjs.{problem['index']}"
