"""PynamoDB items of the audit trail in the main table (keys per docs/architecture.md)."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, JSONAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute

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
    """The one audit record kept after a tenant is purged (pk DELETED_TENANT#<tid>, sk AUDIT).

    It is also the tenant's tombstone (the authorizer reads it on every request) and the purge job with its
    checkpoint (radar.tenants.deletion): `outcome` stays "pending" until nothing of the tenant is left."""

    sk = UnicodeAttribute(range_key=True, default="AUDIT")
    items_deleted = NumberAttribute(default=0)
    job_id = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)  # queued | running | succeeded
    started_at = UnicodeAttribute(null=True)
    finished_at = UnicodeAttribute(null=True)
    plan = UnicodeAttribute(null=True)  # the plan at deletion (the authorizer's context for the deleting admin)
    usage_key_id = UnicodeAttribute(null=True)  # removed last, after the data
    step = NumberAttribute(default=0)  # checkpoint: index of the purge step in progress
    # checkpoint: {"keys": [...], "counts": {kind: n}}, read but not yet confirmed deleted (deleted again on resume)
    page = JSONAttribute(null=True)
    cursor = JSONAttribute(null=True)  # checkpoint: where a scan step (idempotency records) goes on
    counts = JSONAttribute(null=True)  # items removed per kind
    sweeps = NumberAttribute(default=0)  # passes over every kind (a write that raced the purge costs one more)
    subscription_cancelled = BooleanAttribute(default=False)
    lease_owner = UnicodeAttribute(null=True)
    lease_until = NumberAttribute(default=0)
    version = VersionAttribute()

    def deleted_by(self, principal_id: str, principal_type: str) -> bool:
        """Whether this principal asked for the deletion (it alone may still follow the purge)."""
        return (self.actor, self.principal_type) == (principal_id, principal_type)
