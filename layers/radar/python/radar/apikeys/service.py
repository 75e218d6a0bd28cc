"""API key use cases: create a key for a machine (shown once), list the tenant's keys masked, revoke one."""

from __future__ import annotations

import uuid
from typing import Any

from radar.apikeys.errors import ApiKeyNotFound
from radar.apikeys.keys import api_key_hash, generate_api_key, mask
from radar.apikeys.models import ApiKeyItem, apikey_sk, key_hash_pk
from radar.apikeys.repository import ApiKeyRepository
from radar.apikeys.schemas import ApiKeyCreated, ApiKeyView
from radar.audit import record_event
from radar.context import TenantContext
from radar.tables import tenant_pk
from radar.timestamps import epoch_iso, utc_iso

__all__ = ["ApiKeyService", "api_key_view"]


def api_key_view(item: ApiKeyItem) -> ApiKeyView:
    return ApiKeyView(
        key_id=item.key_id,
        name=item.name,
        role=item.role,
        prefix=mask(item.prefix),
        created_at=item.created_at,
        last_used_at=epoch_iso(item.last_used_at, timespec="seconds") if item.last_used_at else None,
        revoked=bool(item.revoked),
    )


class ApiKeyService:
    """Each method takes the tenant only from the caller's TenantContext."""

    def __init__(self, api_keys: ApiKeyRepository) -> None:
        self.api_keys = api_keys

    def create(self, ctx: TenantContext, name: str, role: str, event: dict[str, Any]) -> ApiKeyCreated:
        ctx.require("admin")
        key, prefix = generate_api_key()
        key_id = uuid.uuid4().hex
        digest = api_key_hash(key)
        item = ApiKeyItem(
            tenant_pk(ctx.tenant_id),
            apikey_sk(key_id),
            key_id=key_id,
            tenant_id=ctx.tenant_id,
            name=name,
            role=role,
            prefix=prefix,
            key_hash=digest,
            revoked=False,
            created_at=utc_iso(timespec="microseconds"),
            created_by=ctx.principal_id,
            gsi1pk=key_hash_pk(digest),
            gsi1sk="APIKEY",
        )
        self.api_keys.create(item)
        record_event(event, ctx, "apikey.create", f"apikey/{key_id}")
        return ApiKeyCreated(**api_key_view(item).model_dump(), key=key)

    def list(self, ctx: TenantContext) -> list[ApiKeyView]:
        ctx.require("admin")
        return [api_key_view(k) for k in self.api_keys.list(ctx.tenant_id)]

    def revoke(self, ctx: TenantContext, key_id: str, event: dict[str, Any]) -> None:
        ctx.require("admin")
        item = self.api_keys.get(ctx.tenant_id, key_id)
        if item is None:
            raise ApiKeyNotFound(key_id)
        if not item.revoked:
            self.api_keys.revoke(item, utc_iso(timespec="microseconds"))
            record_event(event, ctx, "apikey.revoke", f"apikey/{key_id}")

    def revoke_created_by(self, ctx: TenantContext, user_id: str, event: dict[str, Any]) -> int:
        """Revoke every live key `user_id` created (offboarding); returns how many were revoked."""
        ctx.require("admin")
        revoked = 0
        for item in self.api_keys.list(ctx.tenant_id):
            if item.created_by == user_id and not item.revoked:
                self.api_keys.revoke(item, utc_iso(timespec="microseconds"))
                record_event(event, ctx, "apikey.revoke", f"apikey/{item.key_id}")
                revoked += 1
        return revoked
