"""Audit trail: every mutation and auth event, per tenant, queryable by time and action.

Audit is mandatory: `record_event` raises DependencyUnavailable when the write fails, so a mutation
whose audit record cannot be stored is reported as failed (503) rather than silently unaudited.
Callers record the event after
the mutation succeeds (or before, for irreversible ones like tenant deletion).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from radar.context import TenantContext
from radar.errors import DependencyUnavailable
from radar.pagination import decode_cursor, encode_cursor

__all__ = ["ACTIONS", "OUTCOMES", "query_events", "record_event", "request_metadata", "utc_now_iso"]

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
        "tenant.plan_change",
        "tenant.delete",
    }
)
OUTCOMES = frozenset({"success", "failure", "denied"})
_MAX_FIELD = 512  # user agents and resources are caller-controlled: bound what we store


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
    from pynamodb.exceptions import PutError

    from radar.tenancy.models import AuditItem, audit_pk

    tid = tenant_id or (ctx.tenant_id if ctx else None)
    if not tid:
        raise ValueError("an audit event needs a tenant")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    when = utc_now_iso()
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
        gsi2pk=f"{audit_pk(tid)}#{action}",
        gsi2sk=when,
    )
    try:
        item.save()
    except PutError as exc:
        raise DependencyUnavailable("the audit trail is unavailable; the action was not recorded") from exc


def _as_dict(item: Any) -> dict[str, Any]:
    return {
        "event_id": item.event_id,
        "time": item.time,
        "actor": item.actor,
        "principal_type": item.principal_type,
        "action": item.action,
        "resource": item.resource,
        "outcome": item.outcome,
        "source_ip": item.source_ip,
        "user_agent": item.user_agent,
        "request_id": item.request_id,
    }


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
    from pynamodb.exceptions import QueryError

    from radar.store import Gsi2
    from radar.tenancy.models import AuditItem, audit_pk

    limit = max(1, min(int(limit), 200))
    scope = f"{tenant_id}:audit:{action or '*'}"
    last_key = decode_cursor(cursor, scope=scope)
    # "\uffff" sorts after any suffix, so `end` also matches every event inside that second/day/prefix.
    upper = (end + "\uffff") if end else None
    try:
        if action:
            key_attr = Gsi2.gsi2sk
            pk = f"{audit_pk(tenant_id)}#{action}"
            condition = _range(key_attr, start, upper)
            results = AuditItem.by_action.query(
                pk, condition, scan_index_forward=False, limit=limit, last_evaluated_key=last_key
            )
        else:
            condition = _range(AuditItem.sk, start, upper)
            results = AuditItem.query(
                audit_pk(tenant_id),
                condition,
                scan_index_forward=False,
                limit=limit,
                last_evaluated_key=last_key,
            )
        events = [_as_dict(item) for item in results]
        next_key = results.last_evaluated_key
    except QueryError as exc:
        raise DependencyUnavailable("the audit trail is unavailable, try again") from exc
    return events, encode_cursor(next_key, scope=scope) if len(events) == limit else None


def _range(attr: Any, lower: str | None, upper: str | None) -> Any:
    if lower and upper:
        return attr.between(lower, upper)
    if lower:
        return attr >= lower
    if upper:
        return attr <= upper
    return None
