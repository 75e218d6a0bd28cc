"""Refresh token storage: one item per token, rotated atomically, revoked by family."""

from __future__ import annotations

import time
from typing import Any

from pynamodb.exceptions import DoesNotExist

from radar.sessions.models import RefreshTokenItem, refresh_sk
from radar.store import storage_errors, written
from radar.tables import tenant_pk

__all__ = ["RefreshTokenRepository"]


class RefreshTokenRepository:
    def put(self, item: RefreshTokenItem) -> None:
        with storage_errors():
            item.save(condition=RefreshTokenItem.pk.does_not_exist())

    def get(self, tenant_id: str, token_hash: str, *, now: float | None = None) -> RefreshTokenItem | None:
        """The token record, or None when absent or past expires_at (TTL deletion is lazy)."""
        with storage_errors():
            try:
                item = RefreshTokenItem.get(tenant_pk(tenant_id), refresh_sk(token_hash), consistent_read=True)
            except DoesNotExist:
                return None
        current = now if now is not None else time.time()
        return item if item.expires_at > current else None

    def mark_rotated(self, item: RefreshTokenItem) -> bool:
        """Atomically move active -> rotated; False when someone else used it first (a reuse)."""
        rotate: list[Any] = [RefreshTokenItem.status.set("rotated")]
        return written(lambda: item.update(actions=rotate, condition=RefreshTokenItem.status == "active"))

    def revoke_family(self, tenant_id: str, family_id: str) -> int:
        """Revoke every token of a family (rotation chain); returns how many were still usable."""
        revoked = 0
        with storage_errors():
            for item in RefreshTokenItem.query(
                tenant_pk(tenant_id),
                RefreshTokenItem.sk.startswith("REFRESH#"),
                filter_condition=RefreshTokenItem.family_id == family_id,
            ):
                if item.status != "revoked":
                    item.update(actions=[RefreshTokenItem.status.set("revoked")])
                    revoked += 1
        return revoked
