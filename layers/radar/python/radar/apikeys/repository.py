"""API key storage: a tenant's keys, found by hash for the authorizer, last use written at most once a minute."""

from __future__ import annotations

import functools

from pynamodb.exceptions import DoesNotExist

from radar.apikeys.models import ApiKeyHashItem, ApiKeyItem, apikey_sk, key_hash_pk
from radar.store import Gsi1, storage_errors, transaction, written
from radar.tables import tenant_pk

__all__ = ["ApiKeyRepository"]


class ApiKeyRepository:
    def create(self, item: ApiKeyItem) -> None:
        """The key and its by-hash pointer, together."""
        pointer = ApiKeyHashItem(key_hash_pk(item.key_hash), "APIKEY", tenant_id=item.tenant_id, key_id=item.key_id)
        with storage_errors(), transaction() as tx:
            tx.save(item, condition=ApiKeyItem.pk.does_not_exist())
            tx.save(pointer, condition=ApiKeyHashItem.pk.does_not_exist())

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
        """The key whose text hashes to `key_hash`: its pointer and then the key itself, both consistent reads."""
        with storage_errors():
            try:
                pointer = ApiKeyHashItem.get(key_hash_pk(key_hash), "APIKEY", consistent_read=True)
            except DoesNotExist:
                pointer = None
            if pointer is None:
                # Keys created before the pointer existed are found through the GSI; the key is re-read below.
                found = next(iter(ApiKeyItem.by_hash.query(key_hash_pk(key_hash), Gsi1.gsi1sk == "APIKEY")), None)
                if found is None:
                    return None
                tenant_id, key_id = found.tenant_id, found.key_id
            else:
                tenant_id, key_id = pointer.tenant_id, pointer.key_id
        item = self.get(tenant_id, key_id)
        return item if item is not None and item.key_hash == key_hash else None

    def delete_pointers(self, tenant_id: str) -> int:
        """Delete the by-hash pointers of every key of the tenant (they live outside its partition): the purge."""
        condition = ApiKeyHashItem.tenant_id == tenant_id  # never another tenant's pointer
        pointers = [ApiKeyHashItem(key_hash_pk(item.key_hash), "APIKEY") for item in self.list(tenant_id)]
        return sum(1 for pointer in pointers if written(functools.partial(pointer.delete, condition=condition)))

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
