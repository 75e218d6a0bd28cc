"""Target use cases: create (normalized, one per CNPJ), list, get, patch and delete (with its checks)."""

from __future__ import annotations

from typing import Protocol

from radar.cnpj import format_cnpj, parse_cnpj
from radar.observability import logger
from radar.targets.models import TargetModel
from radar.targets.repository import TargetRepository
from radar.targets.schemas import TargetCreate, TargetOut, TargetPage, TargetPatch

__all__ = ["CheckPurger", "TargetService", "target_out"]


class CheckPurger(Protocol):
    def delete_for_target(self, tenant_id: str, target_id: str) -> int: ...


def target_out(target: TargetModel) -> TargetOut:
    return TargetOut(
        id=str(target.target_id),
        cnpj=str(target.cnpj),
        cnpj_formatted=format_cnpj(str(target.cnpj)),
        label=target.label,
        tags=[str(tag) for tag in target.tags or []],
        created_at=str(target.created_at),
        updated_at=str(target.updated_at),
    )


class TargetService:
    def __init__(self, targets: TargetRepository, checks: CheckPurger) -> None:
        self._targets = targets
        self._checks = checks

    def create(self, tenant_id: str, body: TargetCreate) -> TargetOut:
        cnpj = parse_cnpj(body.cnpj)
        return target_out(self._targets.create(tenant_id, cnpj.value, label=body.label, tags=body.tags))

    def list(self, tenant_id: str, *, limit: int, cursor: str | None) -> TargetPage:
        items, next_cursor = self._targets.list(tenant_id, limit=limit, cursor=cursor)
        return TargetPage(items=[target_out(t) for t in items], next_cursor=next_cursor)

    def get(self, tenant_id: str, target_id: str) -> TargetOut:
        return target_out(self._targets.get(tenant_id, target_id))

    def patch(self, tenant_id: str, target_id: str, body: TargetPatch) -> TargetOut:
        changes = body.model_dump(exclude_unset=True)
        if "tags" in changes and changes["tags"] is None:
            changes["tags"] = []
        return target_out(self._targets.update(tenant_id, target_id, changes=changes))

    def delete(self, tenant_id: str, target_id: str) -> int:
        """Delete the target, then its checks and reports; return how many checks went with it."""
        self._targets.delete(tenant_id, target_id)
        removed = self._checks.delete_for_target(tenant_id, target_id)
        logger.info("target deleted", extra={"target_id": target_id, "checks_deleted": removed})
        return removed
