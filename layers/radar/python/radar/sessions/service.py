"""Session use cases: log in, rotate a refresh token (a reused one revokes its family), log out; issue tokens."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from radar.accounts import passwords
from radar.accounts.models import UserItem
from radar.accounts.repository import TenantRepository, UserRepository
from radar.audit import record_event
from radar.context import TenantContext
from radar.observability import logger
from radar.sessions.errors import InvalidCredentials, InvalidToken
from radar.sessions.models import RefreshTokenItem, refresh_sk
from radar.sessions.repository import RefreshTokenRepository
from radar.sessions.schemas import TokenResponse
from radar.sessions.tokens import (
    ACCESS_TOKEN_TTL_SECONDS,
    REFRESH_TOKEN_TTL_SECONDS,
    SigningKeyStore,
    issue_access_token,
    new_refresh_token,
    refresh_token_hash,
    refresh_token_tenant,
)
from radar.tables import tenant_pk
from radar.timestamps import utc_iso

__all__ = ["LockoutPolicy", "SessionService"]


@dataclass(frozen=True)
class LockoutPolicy:
    lock_after: int = 5
    base_lock_seconds: int = 30
    max_lock_seconds: int = 900


class SessionService:
    """A session is a refresh-token family: access tokens carry it as `sid`, so ending it revokes them too."""

    def __init__(
        self,
        *,
        signing_keys: SigningKeyStore,
        users: UserRepository,
        tenants: TenantRepository,
        refresh_tokens: RefreshTokenRepository,
        lockout: LockoutPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.signing_keys = signing_keys
        self.users = users
        self.tenants = tenants
        self.refresh_tokens = refresh_tokens
        self.lockout = lockout or LockoutPolicy()
        self.clock = clock

    def issue(self, user: UserItem, tenant_id: str, family_id: str | None = None) -> TokenResponse:
        """A new token pair for `user`, in session `family_id` (a new session when None)."""
        session_id = family_id or uuid.uuid4().hex
        access, lifetime = issue_access_token(
            self.signing_keys.current(),
            tenant_id=tenant_id,
            user_id=user.user_id,
            role=user.role,
            session_id=session_id,
            now=self.clock(),
        )
        refresh = new_refresh_token(tenant_id)
        self.refresh_tokens.put(
            RefreshTokenItem(
                tenant_pk(tenant_id),
                refresh_sk(refresh_token_hash(refresh)),
                family_id=session_id,
                user_id=user.user_id,
                status="active",
                expires_at=int(self.clock()) + REFRESH_TOKEN_TTL_SECONDS,
                created_at=utc_iso(timespec="microseconds"),
            )
        )
        return TokenResponse(access_token=access, refresh_token=refresh, expires_in=lifetime)

    def _end_session(self, tenant_id: str, user_id: str, family_id: str) -> int:
        """Revoke the refresh family and the access tokens issued in it; returns refresh tokens revoked."""
        revoked = self.refresh_tokens.revoke_family(tenant_id, family_id)
        self.users.revoke_session(
            tenant_id, user_id, family_id, now=self.clock(), keep_seconds=ACCESS_TOKEN_TTL_SECONDS + 60
        )
        return revoked

    def login(self, email: str, password: str, event: dict[str, Any]) -> TokenResponse:
        found = self.users.find_by_email(email)
        user = self.users.get(*found) if found else None
        if found is None or user is None:
            # No tenant to audit this against; the same argon2 cost keeps the timing identical.
            passwords.verify_password(None, password)
            logger.info("login failed", extra={"reason": "unknown_account"})
            raise InvalidCredentials()
        tenant_id = found[0]
        ctx = TenantContext(tenant_id, user.user_id, "user", user.role, "")
        locked = bool(user.locked_until and user.locked_until > self.clock())
        matches = passwords.verify_password(user.password_hash, password)
        if locked or not matches:
            if not locked:
                self.users.record_failed_login(
                    user,
                    lock_after=self.lockout.lock_after,
                    base_lock_seconds=self.lockout.base_lock_seconds,
                    max_lock_seconds=self.lockout.max_lock_seconds,
                    now=self.clock(),
                )
            outcome = "denied" if locked else "failure"
            record_event(event, ctx, "auth.login", f"user/{user.user_id}", outcome=outcome)
            logger.info("login failed", extra={"reason": "locked" if locked else "bad_password"})
            raise InvalidCredentials()
        self.users.reset_failed_logins(user)
        if passwords.needs_rehash(user.password_hash):
            self.users.set_password_hash(user, passwords.hash_password(password))
        tokens = self.issue(user, tenant_id)
        record_event(event, ctx, "auth.login", f"user/{user.user_id}")
        return tokens

    def refresh(self, refresh_token: str, event: dict[str, Any]) -> TokenResponse:
        tenant_id = refresh_token_tenant(refresh_token)
        item = self.refresh_tokens.get(tenant_id, refresh_token_hash(refresh_token), now=self.clock())
        if item is None:
            raise InvalidToken()
        ctx = TenantContext(tenant_id, item.user_id, "user", "", "")
        if item.status != "active" or not self.refresh_tokens.mark_rotated(item):
            # A rotated (or revoked) token came back: it was stolen or replayed. Kill the whole family.
            revoked = self._end_session(tenant_id, item.user_id, item.family_id)
            record_event(event, ctx, "auth.refresh_reuse", f"token_family/{item.family_id}", outcome="denied")
            logger.warning("refresh token reuse", extra={"tenant_id": tenant_id, "revoked_tokens": revoked})
            raise InvalidToken()
        user = self.users.get(tenant_id, item.user_id)
        if user is None or self.tenants.get(tenant_id) is None:
            raise InvalidToken()
        tokens = self.issue(user, tenant_id, family_id=item.family_id)
        record_event(event, ctx, "auth.refresh", f"token_family/{item.family_id}")
        return tokens

    def logout(self, ctx: TenantContext, refresh_token: str, event: dict[str, Any]) -> None:
        """Revoke the token's family; idempotent; a token of another tenant or user is simply not found."""
        try:
            refresh_token_tenant(refresh_token)
        except InvalidToken:
            return
        # The partition comes from the caller's context, never from the token text.
        item = self.refresh_tokens.get(ctx.tenant_id, refresh_token_hash(refresh_token))
        if item is None or (item.user_id != ctx.principal_id and ctx.role != "admin"):
            return
        self._end_session(ctx.tenant_id, item.user_id, item.family_id)
        record_event(event, ctx, "auth.logout", f"token_family/{item.family_id}")
