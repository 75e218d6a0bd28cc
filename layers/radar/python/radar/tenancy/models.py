"""PynamoDB models for the tenancy items of the main table (keys per docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import BooleanAttribute, MapAttribute, NumberAttribute, UnicodeAttribute

from radar.store import Gsi1, Gsi2, ItemKey, MainTableModel
from radar.tables import tenant_pk

__all__ = [
    "ApiKeyItem",
    "AuditItem",
    "DeletedTenantItem",
    "EmailIndexItem",
    "ItemKey",
    "RefreshTokenItem",
    "TenantItem",
    "UserItem",
    "apikey_sk",
    "audit_pk",
    "email_pk",
    "refresh_sk",
    "tenant_pk",
    "user_sk",
]


def audit_pk(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#AUDIT"


def email_pk(email: str) -> str:
    return f"EMAIL#{email.lower()}"


def user_sk(user_id: str) -> str:
    return f"USER#{user_id}"


def apikey_sk(key_id: str) -> str:
    return f"APIKEY#{key_id}"


def refresh_sk(token_hash: str) -> str:
    return f"REFRESH#{token_hash}"


class TenantItem(MainTableModel):
    sk = UnicodeAttribute(range_key=True, default="TENANT")
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    plan = UnicodeAttribute()
    usage_key_id = UnicodeAttribute()
    usage_key_value = UnicodeAttribute()
    retention_days = NumberAttribute()
    created_at = UnicodeAttribute()


class UserItem(MainTableModel):
    sk = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    email = UnicodeAttribute()
    role = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    failed_logins = NumberAttribute(default=0)
    locked_until = NumberAttribute(null=True)
    # session (refresh family) id -> epoch revoked; kept as long as that session's access tokens can live.
    revoked_sessions: MapAttribute[str, Any] = MapAttribute(null=True)
    created_at = UnicodeAttribute()

    def revoked_session_ids(self) -> set[str]:
        return set(self.revoked_sessions.as_dict()) if self.revoked_sessions is not None else set()


class EmailIndexItem(MainTableModel):
    sk = UnicodeAttribute(range_key=True, default="EMAIL")
    tenant_id = UnicodeAttribute()
    user_id = UnicodeAttribute()


class ApiKeyItem(MainTableModel):
    sk = UnicodeAttribute(range_key=True)
    key_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    prefix = UnicodeAttribute()
    key_hash = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)
    revoked_at = UnicodeAttribute(null=True)
    last_used_at = NumberAttribute(null=True)
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute(default="APIKEY")
    by_hash: Gsi1[ApiKeyItem] = Gsi1()  # gsi1pk = APIKEYHASH#<sha256>, gsi1sk = APIKEY


class RefreshTokenItem(MainTableModel):
    sk = UnicodeAttribute(range_key=True)
    family_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    status = UnicodeAttribute(default="active")  # active | rotated | revoked
    expires_at = NumberAttribute()
    created_at = UnicodeAttribute()


class AuditItem(MainTableModel):
    sk = UnicodeAttribute(range_key=True)
    event_id = UnicodeAttribute()
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
    gsi2pk = UnicodeAttribute()
    gsi2sk = UnicodeAttribute()
    by_action: Gsi2[AuditItem] = Gsi2()  # gsi2pk = TENANT#<tid>#AUDIT#<action>, gsi2sk = <time>


class DeletedTenantItem(MainTableModel):
    """The one audit record kept after a tenant is purged (pk DELETED_TENANT#<tid>, sk AUDIT)."""

    sk = UnicodeAttribute(range_key=True, default="AUDIT")
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
    items_deleted = NumberAttribute(default=0)

