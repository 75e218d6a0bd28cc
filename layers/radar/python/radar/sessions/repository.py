"""Session storage: the session item and its refresh tokens; rotation and revocation are conditional writes on it."""

from __future__ import annotations

import time
from typing import Any

from pynamodb.exceptions import DoesNotExist

from radar.sessions.models import RefreshTokenItem, SessionItem, refresh_sk, session_sk
from radar.store import storage_errors, transaction, written
from radar.tables import tenant_pk

__all__ = ["RefreshTokenRepository", "SessionRepository"]


def _live(item: Any, now: float | None) -> Any:
    current = now if now is not None else time.time()
    return item if item is not None and item.expires_at > current else None


class RefreshTokenRepository:
    def get(self, tenant_id: str, token_hash: str, *, now: float | None = None) -> RefreshTokenItem | None:
        """The token record, or None when absent or past expires_at (TTL deletion is lazy)."""
        with storage_errors():
            try:
                item = RefreshTokenItem.get(tenant_pk(tenant_id), refresh_sk(token_hash), consistent_read=True)
            except DoesNotExist:
                return None
        return _live(item, now)


class SessionRepository:
    def get(self, tenant_id: str, session_id: str, *, now: float | None = None) -> SessionItem | None:
        """The session (consistent read), or None when absent or past expires_at."""
        with storage_errors():
            try:
                item = SessionItem.get(tenant_pk(tenant_id), session_sk(session_id), consistent_read=True)
            except DoesNotExist:
                return None
        return _live(item, now)

    def start(self, session: SessionItem, token: RefreshTokenItem) -> None:
        """A new session and its first refresh token, together."""
        with storage_errors(), transaction() as tx:
            tx.save(session, condition=SessionItem.pk.does_not_exist())
            tx.save(token, condition=RefreshTokenItem.pk.does_not_exist())

    def rotate(self, session: SessionItem, generation: int, token: RefreshTokenItem) -> bool:
        """Move the session from `generation` to the new token's, if it is still active at `generation`; False when
        a concurrent refresh or a revocation got there first (the caller treats that as a reuse)."""
        actions: list[Any] = [
            SessionItem.generation.set(token.generation),
            SessionItem.expires_at.set(token.expires_at),
        ]
        condition = (SessionItem.state == "active") & (SessionItem.generation == generation)

        def rotate() -> None:
            with transaction() as tx:
                tx.update(session, actions=actions, condition=condition)
                tx.save(token, condition=RefreshTokenItem.pk.does_not_exist())

        return written(rotate)

    def revoke(self, tenant_id: str, session_id: str, revoked_at: str) -> bool:
        """End the session for good (its refresh tokens and access tokens); True when this call ended it."""
        probe = SessionItem(tenant_pk(tenant_id), session_sk(session_id))
        actions: list[Any] = [SessionItem.state.set("revoked"), SessionItem.revoked_at.set(revoked_at)]
        return written(lambda: probe.update(actions=actions, condition=SessionItem.state == "active"))
