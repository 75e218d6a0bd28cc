"""API key storage: a tenant's keys, found by hash for the authorizer, last use written at most once a minute."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from radar.apikeys.models import ApiKeyItem, apikey_sk, key_hash_pk
from radar.store import Gsi1, storage_errors, written
from radar.tables import tenant_pk

__all__ = ["ApiKeyRepository"]


class ApiKeyRepository:
    def create(self, item: ApiKeyItem) -> None:
        with storage_errors():
            item.save(condition=ApiKeyItem.pk.does_not_exist())

    def list(self, tenant_id: str) -> list[ApiKeyItem]:
        with storage_errors():
            return list(ApiKeyItem.query(tenant_pk(tenant_id), ApiKeyItem.sk.startswith("APIKEY#")))

    def get(self, tenant_id: str, key_id: str) -> ApiKeyItem | None:
        with storage_errors():
            try:
                return ApiKeyItem.get(tenant_pk(tenant_id), apikey_sk(key_id), consistent_read=True)
            except DoesNotExist:
                return None

    def find_by_hash(self, key_hash: str) -> ApiKeyItem | None:
        with storage_errors():
            for item in ApiKeyItem.by_hash.query(key_hash_pk(key_hash), Gsi1.gsi1sk == "APIKEY"):
                return item
        return None

    def revoke(self, item: ApiKeyItem, revoked_at: str) -> None:
        with storage_errors():
            item.update(actions=[ApiKeyItem.revoked.set(True), ApiKeyItem.revoked_at.set(revoked_at)])

    def touch_last_used(self, tenant_id: str, key_id: str, *, now: int, min_interval: int = 60) -> bool:
        """Record use at most once per `min_interval` seconds per key, across concurrent authorizers."""
        probe = ApiKeyItem(tenant_pk(tenant_id), apikey_sk(key_id))
        return written(
            lambda: probe.update(
                actions=[ApiKeyItem.last_used_at.set(now)],
                condition=ApiKeyItem.pk.exists()
                & (ApiKeyItem.last_used_at.does_not_exist() | (ApiKeyItem.last_used_at < now - min_interval)),
            )
        )
