"""PynamoDB items of the audit trail in the main table (keys per docs/architecture.md)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from radar.store import Gsi2, MainTableModel

__all__ = ["AuditItem", "DeletedTenantItem", "audit_pk", "deleted_tenant_pk"]


def audit_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#AUDIT"


def deleted_tenant_pk(tenant_id: str) -> str:
    return f"DELETED_TENANT#{tenant_id}"


class _AuditRecord(MainTableModel):
    """What every audit record says: who did what to which resource, with what outcome, from where."""

    tenant_id = UnicodeAttribute()
    time = UnicodeAttribute()
    actor = UnicodeAttribute()
    principal_type = UnicodeAttribute()
    action = UnicodeAttribute()
    resource = UnicodeAttribute()
    outcome = UnicodeAttribute()
    source_ip = UnicodeAttribute(null=True)
    user_agent = UnicodeAttribute(null=True)
    request_id = UnicodeAttribute(null=True)
    # A record holding an IP address or a user agent (personal data) is kept AUDIT_RETENTION_DAYS, then TTL deletes
    # it; every read treats expires_at <= now as absent.
    expires_at = NumberAttribute(null=True)


class AuditItem(_AuditRecord):
    """One event: pk TENANT#<tid>#AUDIT, sk <time>#<event_id>; gsi2 finds a tenant's events by action."""

    event_id = UnicodeAttribute()
    gsi2pk = UnicodeAttribute()
    gsi2sk = UnicodeAttribute()
    by_action: Gsi2[AuditItem] = Gsi2()  # gsi2pk = TENANT#<tid>#AUDIT#<action>, gsi2sk = <time>


class DeletedTenantItem(_AuditRecord):
    """The one audit record kept after a tenant is purged (pk DELETED_TENANT#<tid>, sk AUDIT)."""

    sk = UnicodeAttribute(range_key=True, default="AUDIT")
    items_deleted = NumberAttribute(default=0)
