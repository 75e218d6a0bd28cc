"""Audit storage: one item per event (newest-first by time, or by action on gsi2), and deletion records."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, QueryError

from radar.audit.errors import AuditUnavailable
from radar.audit.models import AuditItem, DeletedTenantItem, audit_pk, deleted_tenant_pk
from radar.pagination import decode_cursor, encode_cursor
from radar.store import Gsi2, storage_errors

__all__ = ["AuditRepository"]


def _range(attr: Any, lower: str | None, upper: str | None) -> Any:
    if lower and upper:
        return attr.between(lower, upper)
    if lower:
        return attr >= lower
    if upper:
        return attr <= upper
    return None


class AuditRepository:
    """Data access for the audit trail; every key carries the tenant id."""

    def add(self, item: AuditItem) -> None:
        try:
            item.save()
        except PutError as exc:
            raise AuditUnavailable("the audit trail is unavailable; the action was not recorded") from exc

    def query(
        self, tenant_id: str, *, start: str | None, end: str | None, action: str | None, limit: int, cursor: str | None
    ) -> tuple[list[AuditItem], str | None]:
        """Newest first, between ISO times `start` and `end` (inclusive prefixes), optionally for one action."""
        scope = f"{tenant_id}:audit:{action or '*'}"
        last_key = decode_cursor(cursor, scope=scope)
        # "\uffff" sorts after any suffix, so `end` also matches every event inside that second/day/prefix.
        upper = (end + "\uffff") if end else None
        try:
            if action:
                results = AuditItem.by_action.query(
                    f"{audit_pk(tenant_id)}#{action}",
                    _range(Gsi2.gsi2sk, start, upper),
                    scan_index_forward=False,
                    limit=limit,
                    last_evaluated_key=last_key,
                )
            else:
                results = AuditItem.query(
                    audit_pk(tenant_id),
                    _range(AuditItem.sk, start, upper),
                    scan_index_forward=False,
                    limit=limit,
                    last_evaluated_key=last_key,
                )
            items = list(results)
        except QueryError as exc:
            raise AuditUnavailable("the audit trail is unavailable, try again") from exc
        next_key = results.last_evaluated_key
        return items, encode_cursor(next_key, scope=scope) if len(items) == limit else None

    def deletion_record(self, tenant_id: str, *, tombstone_only: bool = False) -> DeletedTenantItem | None:
        """The tenant's deletion record (its tombstone), read consistently: a deletion is seen at once.

        `tombstone_only` reads just who deleted it and the plan (the authorizer's one small read per request)."""
        attributes = ["pk", "sk", "actor", "principal_type", "plan", "status"] if tombstone_only else None
        with storage_errors():
            try:
                return DeletedTenantItem.get(deleted_tenant_pk(tenant_id), "AUDIT", consistent_read=True,
                                             attributes_to_get=attributes)
            except DoesNotExist:
                return None
