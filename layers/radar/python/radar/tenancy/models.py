"""PynamoDB models for the tenancy items of the main table (keys per docs/architecture.md)."""

from __future__ import annotations

import os
from typing import Any

from pynamodb.attributes import BooleanAttribute, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from radar.store import tenant_pk

__all__ = [
    "ApiKeyHashIndex",
    "ApiKeyItem",
    "AuditActionIndex",
    "AuditItem",
    "DeletedTenantItem",
    "EmailIndexItem",
    "ItemKey",
    "RefreshTokenItem",
    "TenantItem",
    "UserItem",
    "all_models",
    "apikey_sk",
    "audit_pk",
    "bind_main_table",
    "email_pk",
    "ensure_bound",
    "refresh_sk",
    "shared_connection",
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


def _default_table() -> str:
    return os.environ.get("MAIN_TABLE", "main")


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


class _MainTableMeta:
    table_name = _default_table()
    region = _region()
    # Lambda timeouts are short; fail fast and let the caller map it to a 503.
    connect_timeout_seconds = 2
    read_timeout_seconds = 5
    max_retry_attempts = 3


class TenantItem(Model):
    class Meta(_MainTableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="TENANT")
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    plan = UnicodeAttribute()
    usage_key_id = UnicodeAttribute()
    usage_key_value = UnicodeAttribute()
    retention_days = NumberAttribute()
    created_at = UnicodeAttribute()


class UserItem(Model):
    class Meta(_MainTableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
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


class EmailIndexItem(Model):
    class Meta(_MainTableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default="EMAIL")
    tenant_id = UnicodeAttribute()
    user_id = UnicodeAttribute()


class ApiKeyHashIndex(GlobalSecondaryIndex["ApiKeyItem"]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class ApiKeyItem(Model):
    class Meta(_MainTableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
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
    by_hash = ApiKeyHashIndex()


class RefreshTokenItem(Model):
    class Meta(_MainTableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    family_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    status = UnicodeAttribute(default="active")  # active | rotated | revoked
    expires_at = NumberAttribute()
    created_at = UnicodeAttribute()


class AuditActionIndex(GlobalSecondaryIndex["AuditItem"]):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class AuditItem(Model):
    class Meta(_MainTableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
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
    by_action = AuditActionIndex()


class DeletedTenantItem(Model):
    """The one audit record kept after a tenant is purged (pk DELETED_TENANT#<tid>, sk AUDIT)."""

    class Meta(_MainTableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
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


class ItemKey(Model):
    """Just the keys of any main-table item: used to purge a tenant's partitions whatever the item type."""

    class Meta(_MainTableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


def all_models() -> tuple[type[Model], ...]:
    return (
        TenantItem,
        UserItem,
        EmailIndexItem,
        ApiKeyItem,
        RefreshTokenItem,
        AuditItem,
        DeletedTenantItem,
        ItemKey,
    )


def bind_main_table(table_name: str | None = None, **meta: Any) -> None:
    """Point every model at the main table named in the environment (read at cold start, not at import)."""
    name = table_name or _default_table()
    for model in all_models():
        model.Meta.table_name = name
        model.Meta.region = _region()
        for attr, value in meta.items():
            setattr(model.Meta, attr, value)
    _share_client()


def ensure_bound() -> None:
    """Follow MAIN_TABLE when it changed since import (tests, local cloud); cheap enough to call per operation."""
    name = os.environ.get("MAIN_TABLE")
    if name and TenantItem.Meta.table_name != name:
        bind_main_table(name)


def _share_client() -> None:
    # PynamoDB builds one botocore client per model class (~100 ms each on a cold start); share the first one.
    client = TenantItem._get_connection().connection.client
    for model in all_models():
        model._get_connection().connection._client = client


def shared_connection() -> Connection:
    """The connection (with the shared client) to run transactions on."""
    return TenantItem._get_connection().connection
