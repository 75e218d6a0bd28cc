"""Batches: up to 500 CNPJs; invalid ones reported back, valid ones get a target and a queued check."""

from __future__ import annotations

import uuid
from typing import Any

from radar.checks.models import BatchModel, CheckModel, CheckStatus, batch_sk
from radar.checks.schemas import BatchCheckRef, BatchCreate, BatchOut
from radar.checks.service import CheckUseCases, count_check_by_plan, new_check, queue_message
from radar.checks.views import batch_out
from radar.cnpj import parse_cnpj
from radar.context import TenantContext
from radar.errors import InvalidCnpj, ValidationFailed
from radar.observability import logger, metrics
from radar.tables import tenant_pk
from radar.timestamps import utc_iso

__all__ = ["BatchService", "split_cnpjs"]


def split_cnpjs(raw: list[str]) -> tuple[list[tuple[int, str]], list[dict[str, Any]]]:
    """Valid CNPJs (first occurrence, with their index) and one problem per invalid or repeated entry."""
    valid: list[tuple[int, str]] = []
    problems: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(raw):
        try:
            cnpj = parse_cnpj(value).value
        except InvalidCnpj as exc:
            problems.append({"index": index, "input": str(value)[:32], "reason": exc.reason, "message": exc.message})
            continue
        if cnpj in seen:
            problems.append(
                {
                    "index": index,
                    "input": str(value)[:32],
                    "reason": "duplicate",
                    "message": f"same CNPJ as item {seen[cnpj]}; checked once",
                }
            )
            continue
        seen[cnpj] = index
        valid.append((index, cnpj))
    return valid, problems


class BatchService(CheckUseCases):
    def create(self, ctx: TenantContext, body: BatchCreate, *, correlation_id: str | None) -> BatchOut:
        valid, invalid = split_cnpjs(body.cnpjs)
        if not valid:
            raise ValidationFailed(
                "no valid CNPJ in the batch",
                details=[
                    {"field": f"cnpjs.{p['index']}", "reason": p["reason"], "message": p["message"]} for p in invalid
                ],
            )
        # As many as fit: a batch larger than what is left of the allowance queues the first ones that fit and
        # reports the rest as rejected; when nothing fits the whole request is a 429 (nothing queued).
        settings = self._meter.tenant_settings(ctx.tenant_id, ctx.plan)
        accepted_count = self._meter.reserve(ctx.tenant_id, settings.plan, len(valid), partial=True)
        accepted, left_out = valid[:accepted_count], valid[accepted_count:]
        rejected = [
            {
                "index": i,
                "input": c,
                "reason": "allowance_exceeded",
                "message": "the monthly allowance ran out before this CNPJ",
            }
            for i, c in left_out
        ]
        expires_at = self._retention.expires_at(settings)
        batch_id = f"bat_{uuid.uuid4().hex}"
        batch = self._batches.create(
            BatchModel(
                tenant_pk(ctx.tenant_id),
                batch_sk(batch_id),
                batch_id=batch_id,
                tenant_id=ctx.tenant_id,
                created_at=utc_iso(),
                submitted=len(body.cnpjs),
                queued=len(accepted),
                invalid=invalid,
                rejected=rejected,
                expires_at=expires_at,
            )
        )
        target_ids = self._targets_for(ctx.tenant_id, [c for _, c in accepted])
        checks = [
            new_check(
                ctx,
                target_id=target_ids[cnpj],
                cnpj=cnpj,
                mode="async",
                status=CheckStatus.QUEUED,
                expires_at=expires_at,
                correlation_id=correlation_id,
                batch_id=batch_id,
            )
            for _, cnpj in accepted
        ]
        self._checks.create_many(checks)
        unsent = set(self._batch_queue.send_many([queue_message(c) for c in checks]))
        if unsent:
            self._give_up(ctx, batch_id, [c for c in checks if c.check_id in unsent])
        count_check_by_plan(ctx.plan, len(checks) - len(unsent))
        metrics.add_metadata(key="tenant_id", value=ctx.tenant_id)
        logger.info(
            "batch created",
            extra={
                "batch_id": batch_id,
                "accepted": len(accepted),
                "invalid": len(invalid),
                "rejected": len(rejected),
            },
        )
        out = batch_out(self._batches.get(ctx.tenant_id, batch_id)) if unsent else batch_out(batch)
        out.checks = [
            BatchCheckRef(cnpj=str(c.cnpj), target_id=str(c.target_id), check_id=str(c.check_id)) for c in checks
        ]
        return out

    def get(self, ctx: TenantContext, batch_id: str) -> BatchOut:
        return batch_out(self._batches.get(ctx.tenant_id, batch_id))

    def _targets_for(self, tenant_id: str, cnpjs: list[str]) -> dict[str, str]:
        """Reuse each CNPJ's target and create the missing ones (a concurrent creator's target is reused)."""
        return self._targets.ensure_many(tenant_id, cnpjs)

    def _give_up(self, ctx: TenantContext, batch_id: str, unsent: list[CheckModel]) -> None:
        # The queue refused these: record them failed and give their allowance back.
        for check in unsent:
            self._fail_unqueued(ctx.tenant_id, check)
        self._batches.move(
            ctx.tenant_id,
            batch_id,
            from_status=CheckStatus.QUEUED,
            to_status=CheckStatus.FAILED,
            count=len(unsent),
        )
        self._meter.release(ctx.tenant_id, len(unsent))
