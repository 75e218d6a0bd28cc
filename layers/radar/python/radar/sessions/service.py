"""Session use cases: log in, rotate a refresh token (a reused one revokes its family), log out; issue tokens."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from radar.accounts import passwords
from radar.accounts.lockout import LockoutPolicy
from radar.accounts.models import UserItem
from radar.accounts.repository import LoginSourceRepository, TenantRepository, UserRepository
from radar.audit import record_event, request_metadata
from radar.context import TenantContext
from radar.observability import logger
from radar.sessions.errors import InvalidCredentials, InvalidToken, TenantDeleted
from radar.sessions.models import RefreshTokenItem, SessionItem, refresh_sk, session_sk
from radar.sessions.repository import RefreshTokenRepository, SessionRepository
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

if TYPE_CHECKING:
    from radar.audit.repository import AuditRepository

__all__ = ["SessionService", "session_is_valid"]


class SessionService:
    """A session is a refresh-token family: access tokens carry it as `sid`, so ending it revokes them too."""

    def __init__(
        self,
        *,
        signing_keys: SigningKeyStore,
        users: UserRepository,
        tenants: TenantRepository,
        refresh_tokens: RefreshTokenRepository,
        sessions: SessionRepository,
        login_sources: LoginSourceRepository,
        deletions: AuditRepository,
        lockout: LockoutPolicy | None = None,
        access_token_ttl_seconds: int = ACCESS_TOKEN_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.signing_keys = signing_keys
        self.users = users
        self.tenants = tenants
        self.refresh_tokens = refresh_tokens
        self.sessions = sessions
        self.login_sources = login_sources
        self.lockout = lockout or LockoutPolicy()
        self.access_token_ttl_seconds = access_token_ttl_seconds
        self.clock = clock
        self.deletions = deletions  # reads a tenant's tombstone

    def _access_token(self, user: UserItem, tenant_id: str, session_id: str) -> tuple[str, int]:
        return issue_access_token(
            self.signing_keys.current(),
            tenant_id=tenant_id,
            user_id=user.user_id,
            role=user.role,
            session_id=session_id,
            now=self.clock(),
            lifetime=self.access_token_ttl_seconds,
        )

    def _token_item(
        self, tenant_id: str, user_id: str, session_id: str, generation: int
    ) -> tuple[str, RefreshTokenItem]:
        refresh = new_refresh_token(tenant_id)
        item = RefreshTokenItem(
            tenant_pk(tenant_id),
            refresh_sk(refresh_token_hash(refresh)),
            family_id=session_id,
            user_id=user_id,
            generation=generation,
            expires_at=int(self.clock()) + REFRESH_TOKEN_TTL_SECONDS,
            created_at=utc_iso(timespec="microseconds"),
        )
        return refresh, item

    def issue(self, user: UserItem, tenant_id: str) -> TokenResponse:
        """A new session for `user` and its first token pair."""
        session_id = uuid.uuid4().hex
        refresh, token = self._token_item(tenant_id, user.user_id, session_id, 0)
        session = SessionItem(
            tenant_pk(tenant_id),
            session_sk(session_id),
            session_id=session_id,
            user_id=user.user_id,
            state="active",
            generation=0,
            user_epoch=int(user.session_epoch or 0),
            created_at=utc_iso(timespec="microseconds"),
            expires_at=token.expires_at,
        )
        self.sessions.start(session, token)
        access, lifetime = self._access_token(user, tenant_id, session_id)
        return TokenResponse(access_token=access, refresh_token=refresh, expires_in=lifetime)

    def _end_session(self, tenant_id: str, session_id: str) -> bool:
        """Revoke the session: its refresh tokens and the access tokens issued in it (the authorizer reads it)."""
        return self.sessions.revoke(tenant_id, session_id, utc_iso(timespec="microseconds"))

    def login(self, email: str, password: str, event: dict[str, Any]) -> TokenResponse:
        """Backoff per account and per source IP, both decaying (radar.accounts.lockout); every refusal looks the
        same and costs the same argon2 time, locked or not, known account or not."""
        now = self.clock()
        source_ip = request_metadata(event)["source_ip"]
        source = self.login_sources.get(source_ip, now=now) if source_ip else None
        if source is not None and source.locked_until and source.locked_until > now:
            passwords.verify_password(None, password)
            logger.info("login failed", extra={"reason": "source_locked"})
            raise InvalidCredentials()
        found = self.users.find_by_email(email)
        user = self.users.get(*found) if found else None
        if found is None or user is None:
            # No tenant to audit this against; the same argon2 cost keeps the timing identical.
            passwords.verify_password(None, password)
            self._count_source_failure(source, now)
            logger.info("login failed", extra={"reason": "unknown_account"})
            raise InvalidCredentials()
        tenant_id = found[0]
        ctx = TenantContext(tenant_id, user.user_id, "user", user.role, "")
        if user.disabled:
            passwords.verify_password(None, password)  # the same cost as any other refusal
            record_event(event, ctx, "auth.login", f"user/{user.user_id}", outcome="denied")
            logger.info("login failed", extra={"reason": "disabled"})
            raise InvalidCredentials()
        locked = bool(user.locked_until and user.locked_until > now)
        matches = passwords.verify_password(user.password_hash, password)
        if locked or not matches:
            if not locked:  # refusals while locked do not count: the lock ends when its time is up
                self.users.record_failed_login(user, policy=self.lockout, now=now)
                self._count_source_failure(source, now)
            outcome = "denied" if locked else "failure"
            record_event(event, ctx, "auth.login", f"user/{user.user_id}", outcome=outcome)
            logger.info("login failed", extra={"reason": "locked" if locked else "bad_password"})
            raise InvalidCredentials()
        self.users.reset_failed_logins(user)
        self._refuse_if_deleted(tenant_id, user.user_id, event, ctx, "auth.login")
        if passwords.needs_rehash(user.password_hash):
            self.users.set_password_hash(user, passwords.hash_password(password))
        tokens = self.issue(user, tenant_id)
        record_event(event, ctx, "auth.login", f"user/{user.user_id}")
        return tokens

    def _refuse_if_deleted(
        self, tenant_id: str, user_id: str, event: dict[str, Any], ctx: TenantContext, action: str
    ) -> None:
        """A deleted tenant's users get no session (the authorizer refuses their tokens anyway); the admin who
        deleted it keeps one, to follow the purge."""
        tombstone = self.deletions.deletion_record(tenant_id, tombstone_only=True)
        if tombstone is None or tombstone.deleted_by(user_id, "user"):
            return
        record_event(event, ctx, action, f"user/{user_id}", outcome="denied")
        logger.info("session refused", extra={"reason": "tenant_deleted"})
        raise TenantDeleted()

    def _count_source_failure(self, source: Any, now: float) -> None:
        if source is not None:
            self.login_sources.record_failure(source, policy=self.lockout, now=now)

    def refresh(self, refresh_token: str, event: dict[str, Any]) -> TokenResponse:
        """Rotate: only the session's current token works, once; any other use of one of its tokens (a replay, a
        concurrent second use) revokes the session. A revoked session never comes back, however old."""
        tenant_id = refresh_token_tenant(refresh_token)
        token = self.refresh_tokens.get(tenant_id, refresh_token_hash(refresh_token), now=self.clock())
        if token is None:
            raise InvalidToken()
        ctx = TenantContext(tenant_id, token.user_id, "user", "", "")
        session = self.sessions.get(tenant_id, token.family_id, now=self.clock())
        if session is None or session.state != "active":
            raise InvalidToken()
        user = self.users.get(tenant_id, token.user_id)
        if user is None or not _session_holds(session, user) or self.tenants.get(tenant_id) is None:
            raise InvalidToken()
        self._refuse_if_deleted(tenant_id, user.user_id, event, ctx, "auth.refresh")
        generation = int(token.generation)
        refresh, new_token = self._token_item(tenant_id, user.user_id, session.session_id, generation + 1)
        if generation != int(session.generation) or not self.sessions.rotate(session, generation, new_token):
            # An older token of the session came back, or two uses of one token raced: it was stolen or replayed.
            self._end_session(tenant_id, session.session_id)
            record_event(event, ctx, "auth.refresh_reuse", f"token_family/{session.session_id}", outcome="denied")
            logger.warning("refresh token reuse", extra={"tenant_id": tenant_id})
            raise InvalidToken()
        access, lifetime = self._access_token(user, tenant_id, session.session_id)
        record_event(event, ctx, "auth.refresh", f"token_family/{session.session_id}")
        return TokenResponse(access_token=access, refresh_token=refresh, expires_in=lifetime)

    def logout(self, ctx: TenantContext, refresh_token: str, event: dict[str, Any]) -> None:
        """Revoke the token's session; idempotent; a token of another tenant or user is simply not found."""
        try:
            refresh_token_tenant(refresh_token)
        except InvalidToken:
            return
        # The partition comes from the caller's context, never from the token text.
        item = self.refresh_tokens.get(ctx.tenant_id, refresh_token_hash(refresh_token))
        if item is None or (item.user_id != ctx.principal_id and ctx.role != "admin"):
            return
        self._end_session(ctx.tenant_id, item.family_id)
        record_event(event, ctx, "auth.logout", f"token_family/{item.family_id}")


def _session_holds(session: SessionItem, user: UserItem) -> bool:
    """A session works for an enabled user whose "sign out everywhere" epoch has not moved past it."""
    return (
        session.user_id == user.user_id
        and not user.disabled
        and int(session.user_epoch or 0) == int(user.session_epoch or 0)
    )


def session_is_valid(session: SessionItem | None, user: UserItem | None) -> bool:
    """What the authorizer asks of an access token's session (`sid`): it exists, is active and still holds."""
    return session is not None and user is not None and session.state == "active" and _session_holds(session, user)
