"""Audit trail: every mutation and auth event, per tenant, queryable by time and action.

Audit is mandatory: `record_event` raises DependencyUnavailable when the write fails, so a mutation
whose audit record cannot be stored is reported as failed (503) rather than silently unaudited.
Callers record the event after the mutation succeeds (or before, for irreversible ones like tenant deletion).
The trail lives in the main table the function bound (radar.tables); its items are radar.audit.models.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

from radar.context import TenantContext
from radar.timestamps import utc_iso

if TYPE_CHECKING:
    from radar.audit.models import DeletedTenantItem

__all__ = [
    "ACTIONS",
    "AUDIT_RETENTION_DAYS",
    "OUTCOMES",
    "event_write",
    "new_deletion_record",
    "query_events",
    "record_event",
    "request_metadata",
]

# The actions this module's owners write; other teammates may add their own "<resource>.<verb>" names.
ACTIONS = frozenset(
    {
        "auth.signup",
        "auth.login",
        "auth.refresh",
        "auth.refresh_reuse",
        "auth.logout",
        "apikey.create",
        "apikey.revoke",
        "user.create",
        "user.role_change",
        "user.disable",
        "user.sessions_revoke",
        "tenant.plan_change",
        "tenant.delete",
    }
)
OUTCOMES = frozenset({"success", "failure", "denied"})
# How long an audit record holding a source IP or a user agent is kept (README: "Audit retention").
AUDIT_RETENTION_DAYS = 365
_MAX_FIELD = 512  # user agents and resources are caller-controlled: bound what we store


def _now() -> str:
    return utc_iso(timespec="microseconds")


def request_metadata(event: dict[str, Any] | None) -> dict[str, str | None]:
    """Source IP, user agent and request id from an API Gateway REST proxy event."""
    event = event or {}
    request_context = event.get("requestContext") or {}
    identity = request_context.get("identity") or {}
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    user_agent = identity.get("userAgent") or headers.get("user-agent")
    return {
        "source_ip": _bounded(identity.get("sourceIp")),
        "user_agent": _bounded(user_agent),
        "request_id": _bounded(request_context.get("requestId")),
    }


def _bounded(value: Any) -> str | None:
    return str(value)[:_MAX_FIELD] if value else None


def retention_expiry(meta: dict[str, str | None], *, now: float | None = None) -> int | None:
    """The TTL of a record with this request metadata: AUDIT_RETENTION_DAYS when it holds an IP or a user agent."""
    if not (meta.get("source_ip") or meta.get("user_agent")):
        return None
    return int(now if now is not None else time.time()) + AUDIT_RETENTION_DAYS * 86400


def record_event(
    event: dict[str, Any] | None,
    ctx: TenantContext | None,
    action: str,
    resource: str,
    outcome: str = "success",
    tenant_id: str | None = None,
    actor: str | None = None,
    principal_type: str | None = None,
) -> None:
    """Write one audit event for the tenant of `ctx` (or `tenant_id`); DependencyUnavailable on failure.

    The actor is the principal id (user id or API key id), never an e-mail or a name: audit items hold no
    personal data beyond what identifies the actor inside the tenant.
    """
    from radar.audit.repository import AuditRepository

    AuditRepository().add(_event_item(event, ctx, action, resource, outcome, tenant_id, actor, principal_type))


def event_write(event: dict[str, Any] | None, ctx: TenantContext | None, action: str, resource: str) -> dict[str, Any]:
    """The audit event `record_event` would write, as a TransactWriteItems `Put` entry: an action whose own write is
    a transaction records its event in it (both or neither, and no round trip of its own)."""
    item = _event_item(event, ctx, action, resource, "success", None, None, None)
    return {"Put": item.get_save_kwargs_from_instance()}


def _event_item(
    event: dict[str, Any] | None,
    ctx: TenantContext | None,
    action: str,
    resource: str,
    outcome: str,
    tenant_id: str | None,
    actor: str | None,
    principal_type: str | None,
) -> Any:
    from radar.audit.models import AuditItem, audit_pk

    tid = tenant_id or (ctx.tenant_id if ctx else None)
    if not tid:
        raise ValueError("an audit event needs a tenant")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    when = _now()
    event_id = uuid.uuid4().hex
    meta = request_metadata(event)
    item = AuditItem(
        audit_pk(tid),
        f"{when}#{event_id}",
        event_id=event_id,
        tenant_id=tid,
        time=when,
        actor=actor or (ctx.principal_id if ctx else "anonymous") or "anonymous",
        principal_type=principal_type or (ctx.principal_type if ctx else "anonymous") or "anonymous",
        action=action,
        resource=_bounded(resource) or "-",
        outcome=outcome,
        source_ip=meta["source_ip"],
        user_agent=meta["user_agent"],
        request_id=meta["request_id"],
        expires_at=retention_expiry(meta),
        gsi2pk=f"{audit_pk(tid)}#{action}",
        gsi2sk=when,
    )
    return item


def query_events(
    tenant_id: str,
    *,
    start: str | None = None,
    end: str | None = None,
    action: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """The tenant's audit events, newest first, between ISO times `start` and `end` (inclusive prefixes),
    optionally for one action; returns (events, next cursor or None)."""
    from radar.audit.repository import AuditRepository

    items, next_cursor = AuditRepository().query(
        tenant_id, start=start, end=end, action=action, limit=max(1, min(int(limit), 200)), cursor=cursor
    )
    fields = (
        "event_id",
        "time",
        "actor",
        "principal_type",
        "action",
        "resource",
        "outcome",
        "source_ip",
        "user_agent",
        "request_id",
    )
    now = time.time()
    live = [item for item in items if item.expires_at is None or item.expires_at > now]  # TTL deletes lazily
    return [{name: getattr(item, name) for name in fields} for item in live], next_cursor


def new_deletion_record(
    event: dict[str, Any] | None, ctx: TenantContext, *, job_id: str, plan: str, usage_key_id: str | None
) -> DeletedTenantItem:
    """The (unsaved) record of a tenant's deletion, outside the tenant's data: its tombstone and its purge job.

    Its outcome is "pending" until the purge has left nothing of the tenant (radar.tenants.deletion)."""
    from radar.audit.models import DeletedTenantItem, deleted_tenant_pk

    meta = request_metadata(event)
    now = _now()
    return DeletedTenantItem(
        deleted_tenant_pk(ctx.tenant_id),
        "AUDIT",
        tenant_id=ctx.tenant_id,
        time=now,
        actor=ctx.principal_id,
        principal_type=ctx.principal_type,
        action="tenant.delete",
        resource=f"tenant/{ctx.tenant_id}",
        outcome="pending",
        items_deleted=0,
        source_ip=meta["source_ip"],
        user_agent=meta["user_agent"],
        request_id=meta["request_id"],
        expires_at=retention_expiry(meta),
        job_id=job_id,
        status="queued",
        plan=plan,
        usage_key_id=usage_key_id,
        counts={},
    )
