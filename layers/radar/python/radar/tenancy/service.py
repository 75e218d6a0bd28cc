"""Tenancy and auth use cases: signup, login, refresh rotation, logout, users, keys, plan, purge."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from radar.audit import record_event, request_metadata, utc_now_iso
from radar.auth import passwords
from radar.auth.apikeys import api_key_hash, generate_api_key, mask
from radar.auth.tokens import (
    ACCESS_TOKEN_TTL_SECONDS,
    REFRESH_TOKEN_TTL_SECONDS,
    InvalidToken,
    SigningKeyStore,
    issue_access_token,
    new_refresh_token,
    refresh_token_hash,
    refresh_token_tenant,
)
from radar.context import TenantContext
from radar.errors import NotFound, Unauthorized
from radar.observability import logger
from radar.store import delete_partition
from radar.tenancy.models import (
    ApiKeyItem,
    DeletedTenantItem,
    RefreshTokenItem,
    TenantItem,
    UserItem,
    apikey_sk,
    audit_pk,
    refresh_sk,
    tenant_pk,
    user_sk,
)
from radar.tenancy.repositories import (
    ApiKeyRepository,
    EmailTaken,
    RefreshTokenRepository,
    TenantRepository,
    UserRepository,
)
from radar.tenancy.schemas import (
    ApiKeyCreated,
    ApiKeyView,
    SignupResponse,
    TenantView,
    TierLimits,
    TokenResponse,
    UserView,
)
from radar.tenancy.usage_keys import UnknownPlan, UsageKeys
from radar.tiers import load_tiers

__all__ = ["InvalidCredentials", "LockoutPolicy", "TenancyService"]

Event = dict[str, Any]


class InvalidCredentials(Unauthorized):
    """Wrong e-mail, wrong password or a locked account: one message, so none of them can be told apart."""

    def __init__(self) -> None:
        super().__init__("invalid e-mail or password")


@dataclass(frozen=True)
class LockoutPolicy:
    lock_after: int = 5
    base_lock_seconds: int = 30
    max_lock_seconds: int = 900


def _iso(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if epoch else None


def tenant_view(tenant: TenantItem) -> TenantView:
    tier = load_tiers().get(tenant.plan)
    return TenantView(
        tenant_id=tenant.tenant_id,
        name=tenant.name,
        plan=tenant.plan,
        limits=TierLimits(**tier.model_dump(exclude={"display_name"})),
        created_at=tenant.created_at,
    )


def user_view(user: UserItem) -> UserView:
    return UserView(user_id=user.user_id, email=user.email, role=user.role, created_at=user.created_at)


def api_key_view(item: ApiKeyItem) -> ApiKeyView:
    return ApiKeyView(
        key_id=item.key_id,
        name=item.name,
        role=item.role,
        prefix=mask(item.prefix),
        created_at=item.created_at,
        last_used_at=_iso(item.last_used_at),
        revoked=bool(item.revoked),
    )


class TenancyService:
    """Each method takes the tenant only from the caller's TenantContext or a credential it verified."""

    def __init__(
        self,
        *,
        signing_keys: SigningKeyStore,
        usage_keys: UsageKeys,
        tenants: TenantRepository | None = None,
        users: UserRepository | None = None,
        api_keys: ApiKeyRepository | None = None,
        refresh_tokens: RefreshTokenRepository | None = None,
        lockout: LockoutPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.signing_keys = signing_keys
        self.usage_keys = usage_keys
        self.tenants = tenants or TenantRepository()
        self.users = users or UserRepository()
        self.api_keys = api_keys or ApiKeyRepository()
        self.refresh_tokens = refresh_tokens or RefreshTokenRepository()
        self.lockout = lockout or LockoutPolicy()
        self.clock = clock

    # --- tokens -------------------------------------------------------------------------------------------

    def _issue(self, user: UserItem, tenant_id: str, family_id: str | None = None) -> TokenResponse:
        # The refresh family is the session: access tokens carry it as `sid`, so logout can revoke them too.
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
                created_at=utc_now_iso(),
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

    # --- signup and login ---------------------------------------------------------------------------------

    def signup(self, tenant_name: str, email: str, password: str, event: Event) -> SignupResponse:
        passwords.require_strong_password(password)
        if self.users.email_exists(email):
            raise EmailTaken()
        tiers = load_tiers()
        plan = tiers.default_plan
        tenant_id, user_id = uuid.uuid4().hex, uuid.uuid4().hex
        password_hash = passwords.hash_password(password)
        usage_key_id, usage_key_value = self.usage_keys.create(tenant_id, plan)
        now = utc_now_iso()
        tenant = TenantItem(
            tenant_pk(tenant_id),
            "TENANT",
            tenant_id=tenant_id,
            name=tenant_name,
            plan=plan,
            usage_key_id=usage_key_id,
            usage_key_value=usage_key_value,
            retention_days=tiers.get(plan).retention_days,
            created_at=now,
        )
        admin = UserItem(
            tenant_pk(tenant_id),
            user_sk(user_id),
            user_id=user_id,
            email=email,
            role="admin",
            password_hash=password_hash,
            failed_logins=0,
            created_at=now,
        )
        try:
            self.tenants.create_with_admin(tenant, admin)
        except Exception:
            # Nothing else was written; do not leave an orphan usage key behind.
            self.usage_keys.delete(usage_key_id)
            raise
        ctx = TenantContext(tenant_id, user_id, "user", "admin", plan)
        record_event(event, ctx, "auth.signup", f"tenant/{tenant_id}")
        tokens = self._issue(admin, tenant_id)
        return SignupResponse(tenant=tenant_view(tenant), user=user_view(admin), tokens=tokens)

    def login(self, email: str, password: str, event: Event) -> TokenResponse:
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
        tokens = self._issue(user, tenant_id)
        record_event(event, ctx, "auth.login", f"user/{user.user_id}")
        return tokens

    def refresh(self, refresh_token: str, event: Event) -> TokenResponse:
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
        tokens = self._issue(user, tenant_id, family_id=item.family_id)
        record_event(event, ctx, "auth.refresh", f"token_family/{item.family_id}")
        return tokens

    def logout(self, ctx: TenantContext, refresh_token: str, event: Event) -> None:
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

    # --- users --------------------------------------------------------------------------------------------

    def invite_user(self, ctx: TenantContext, email: str, role: str, password: str, event: Event) -> UserView:
        ctx.require("admin")
        passwords.require_strong_password(password)
        if self.users.email_exists(email):
            raise EmailTaken()
        user_id = uuid.uuid4().hex
        user = UserItem(
            tenant_pk(ctx.tenant_id),
            user_sk(user_id),
            user_id=user_id,
            email=email,
            role=role,
            password_hash=passwords.hash_password(password),
            failed_logins=0,
            created_at=utc_now_iso(),
        )
        self.users.create(user, ctx.tenant_id)
        record_event(event, ctx, "user.create", f"user/{user_id}")
        return user_view(user)

    def list_users(self, ctx: TenantContext) -> list[UserView]:
        ctx.require("admin")
        return [user_view(u) for u in self.users.list(ctx.tenant_id)]

    # --- API keys -----------------------------------------------------------------------------------------

    def create_api_key(self, ctx: TenantContext, name: str, role: str, event: Event) -> ApiKeyCreated:
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
            created_at=utc_now_iso(),
            created_by=ctx.principal_id,
            gsi1pk=f"APIKEYHASH#{digest}",
            gsi1sk="APIKEY",
        )
        self.api_keys.create(item)
        record_event(event, ctx, "apikey.create", f"apikey/{key_id}")
        return ApiKeyCreated(**api_key_view(item).model_dump(), key=key)

    def list_api_keys(self, ctx: TenantContext) -> list[ApiKeyView]:
        ctx.require("admin")
        return [api_key_view(k) for k in self.api_keys.list(ctx.tenant_id)]

    def revoke_api_key(self, ctx: TenantContext, key_id: str, event: Event) -> None:
        ctx.require("admin")
        item = self.api_keys.get(ctx.tenant_id, key_id)
        if item is None:
            raise NotFound("no such API key", details={"key_id": key_id})
        if not item.revoked:
            self.api_keys.revoke(item, utc_now_iso())
            record_event(event, ctx, "apikey.revoke", f"apikey/{key_id}")

    # --- tenant and plan ----------------------------------------------------------------------------------

    def _tenant(self, ctx: TenantContext) -> TenantItem:
        tenant = self.tenants.get(ctx.tenant_id)
        if tenant is None:
            raise NotFound("no such tenant")
        return tenant

    def get_tenant(self, ctx: TenantContext) -> TenantView:
        ctx.require("admin")
        return tenant_view(self._tenant(ctx))

    def change_plan(self, ctx: TenantContext, plan: str, event: Event) -> TenantView:
        ctx.require("admin")
        tiers = load_tiers()
        if plan not in tiers.tiers:
            raise UnknownPlan(
                f"unknown plan {plan!r}; choose one of: {', '.join(tiers.tiers)}",
                details=[{"field": "plan", "reason": "unknown_plan", "message": f"one of {sorted(tiers.tiers)}"}],
            )
        tenant = self._tenant(ctx)
        old_plan = tenant.plan
        if plan != old_plan:
            self.usage_keys.move(tenant.usage_key_id, old_plan, plan)
            self.tenants.set_plan(tenant, plan, tiers.get(plan).retention_days)
            record_event(event, ctx, "tenant.plan_change", f"plan/{old_plan}->{plan}")
        return tenant_view(tenant)

    def delete_tenant(self, ctx: TenantContext, event: Event) -> int:
        """Purge everything the tenant owns, keeping one deletion record outside it; returns items deleted."""
        ctx.require("admin")
        tenant = self._tenant(ctx)
        users = self.users.list(ctx.tenant_id)
        self.usage_keys.delete(tenant.usage_key_id)
        meta = request_metadata(event)
        record = DeletedTenantItem(
            f"DELETED_TENANT#{ctx.tenant_id}",
            "AUDIT",
            tenant_id=ctx.tenant_id,
            time=utc_now_iso(),
            actor=ctx.principal_id,
            principal_type=ctx.principal_type,
            action="tenant.delete",
            resource=f"tenant/{ctx.tenant_id}",
            outcome="success",
            items_deleted=0,
            source_ip=meta["source_ip"],
            user_agent=meta["user_agent"],
            request_id=meta["request_id"],
        )
        # The deletion record is written first, so even an interrupted purge leaves its trace.
        self.tenants.save_deletion_record(record)
        deleted = sum(self.users.release_email(user, ctx.tenant_id) for user in users)
        deleted += delete_partition(audit_pk(ctx.tenant_id))
        # The tenant item goes last, so an interrupted purge can be retried by calling DELETE /tenant again.
        deleted += delete_partition(tenant_pk(ctx.tenant_id), last_sk="TENANT")
        self.tenants.save_deletion_record(record, items_deleted=deleted)
        logger.info("tenant purged", extra={"tenant_id": ctx.tenant_id, "items_deleted": deleted})
        return deleted
