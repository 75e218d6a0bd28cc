"""Data access for tenants, users, e-mail claims, API keys and refresh tokens, scoped by tenant id."""

from __future__ import annotations

import time

from pynamodb.attributes import MapAttribute
from pynamodb.exceptions import DeleteError, DoesNotExist, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from radar.aws import is_conditional_failure
from radar.errors import Conflict
from radar.store import Gsi1, main_table_connection, storage_errors, unavailable
from radar.tenancy.models import (
    ApiKeyItem,
    DeletedTenantItem,
    EmailIndexItem,
    RefreshTokenItem,
    TenantItem,
    UserItem,
    apikey_sk,
    email_pk,
    refresh_sk,
    tenant_pk,
    user_sk,
)

__all__ = [
    "ApiKeyRepository",
    "EmailTaken",
    "RefreshTokenRepository",
    "TenantRepository",
    "UserRepository",
]


class EmailTaken(Conflict):
    code = "email_taken"

    def __init__(self) -> None:
        super().__init__(
            "an account with this e-mail already exists",
            details=[{"field": "email", "reason": "duplicate", "message": "this e-mail is already registered"}],
        )


class TenantRepository:
    def get(self, tenant_id: str) -> TenantItem | None:
        with storage_errors():
            try:
                return TenantItem.get(tenant_pk(tenant_id), "TENANT", consistent_read=True)
            except DoesNotExist:
                return None

    def create_with_admin(self, tenant: TenantItem, admin: UserItem) -> None:
        """Tenant, admin user and the global e-mail claim in one transaction; EmailTaken if it is used."""
        claim = EmailIndexItem(email_pk(admin.email), "EMAIL", tenant_id=tenant.tenant_id, user_id=admin.user_id)
        try:
            with TransactWrite(connection=main_table_connection()) as tx:
                tx.save(claim, condition=EmailIndexItem.pk.does_not_exist())
                tx.save(tenant, condition=TenantItem.pk.does_not_exist())
                tx.save(admin, condition=UserItem.pk.does_not_exist())
        except TransactWriteError as exc:
            if is_conditional_failure(exc):
                raise EmailTaken() from exc
            raise unavailable() from exc

    def save_deletion_record(self, record: DeletedTenantItem, *, items_deleted: int | None = None) -> None:
        with storage_errors():
            if items_deleted is None:
                record.save()
            else:
                record.update(actions=[DeletedTenantItem.items_deleted.set(items_deleted)])

    def set_plan(self, tenant: TenantItem, plan: str, retention_days: int) -> None:
        with storage_errors():
            tenant.update(
                actions=[TenantItem.plan.set(plan), TenantItem.retention_days.set(retention_days)],
                condition=TenantItem.pk.exists(),
            )


class UserRepository:
    def get(self, tenant_id: str, user_id: str) -> UserItem | None:
        with storage_errors():
            try:
                return UserItem.get(tenant_pk(tenant_id), user_sk(user_id), consistent_read=True)
            except DoesNotExist:
                return None

    def list(self, tenant_id: str) -> list[UserItem]:
        with storage_errors():
            return list(UserItem.query(tenant_pk(tenant_id), UserItem.sk.startswith("USER#")))

    def find_by_email(self, email: str) -> tuple[str, str] | None:
        """(tenant_id, user_id) for an e-mail, or None."""
        with storage_errors():
            try:
                claim = EmailIndexItem.get(email_pk(email), "EMAIL", consistent_read=True)
            except DoesNotExist:
                return None
        return claim.tenant_id, claim.user_id

    def email_exists(self, email: str) -> bool:
        return self.find_by_email(email) is not None

    def create(self, user: UserItem, tenant_id: str) -> None:
        claim = EmailIndexItem(email_pk(user.email), "EMAIL", tenant_id=tenant_id, user_id=user.user_id)
        try:
            with TransactWrite(connection=main_table_connection()) as tx:
                tx.save(claim, condition=EmailIndexItem.pk.does_not_exist())
                tx.save(user, condition=UserItem.pk.does_not_exist())
                # The tenant must still exist (a concurrent DELETE /tenant must not leave orphan users).
                tx.condition_check(TenantItem, tenant_pk(tenant_id), "TENANT", condition=TenantItem.pk.exists())
        except TransactWriteError as exc:
            if is_conditional_failure(exc):
                raise EmailTaken() from exc
            raise unavailable() from exc

    def record_failed_login(
        self,
        user: UserItem,
        *,
        lock_after: int,
        base_lock_seconds: int,
        max_lock_seconds: int,
        now: float | None = None,
    ) -> int:
        """Count a failure atomically; from `lock_after` failures on, lock with exponential backoff."""
        current = int(now if now is not None else time.time())
        with storage_errors():
            user.update(actions=[UserItem.failed_logins.add(1)])
            failures = int(user.failed_logins or 0)
            if failures >= lock_after:
                lock = min(base_lock_seconds * 2 ** (failures - lock_after), max_lock_seconds)
                user.update(actions=[UserItem.locked_until.set(current + lock)])
        return failures

    def revoke_session(self, tenant_id: str, user_id: str, session_id: str, *, now: float, keep_seconds: int) -> None:
        """Mark a session's access tokens as revoked (the authorizer checks this), pruning entries too old to matter."""
        user = self.get(tenant_id, user_id)
        if user is None:
            return
        current = user.revoked_sessions.as_dict() if user.revoked_sessions is not None else {}
        kept = {sid: at for sid, at in current.items() if float(at) > now - keep_seconds}
        kept[session_id] = int(now)
        with storage_errors():
            user.update(actions=[UserItem.revoked_sessions.set(MapAttribute(**kept))])

    def set_password_hash(self, user: UserItem, password_hash: str) -> None:
        with storage_errors():
            user.update(actions=[UserItem.password_hash.set(password_hash)])

    def release_email(self, user: UserItem, tenant_id: str) -> int:
        """Delete the user's global e-mail claim if it still points at this user; returns 1 when deleted."""
        claim = EmailIndexItem(email_pk(user.email), "EMAIL")
        try:
            claim.delete(condition=(EmailIndexItem.tenant_id == tenant_id) & (EmailIndexItem.user_id == user.user_id))
        except DeleteError as exc:
            if is_conditional_failure(exc):
                return 0
            raise unavailable() from exc
        return 1

    def reset_failed_logins(self, user: UserItem) -> None:
        if not user.failed_logins and not user.locked_until:
            return
        with storage_errors():
            user.update(actions=[UserItem.failed_logins.set(0), UserItem.locked_until.remove()])


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
            for item in ApiKeyItem.by_hash.query(f"APIKEYHASH#{key_hash}", Gsi1.gsi1sk == "APIKEY"):
                return item
        return None

    def revoke(self, item: ApiKeyItem, revoked_at: str) -> None:
        with storage_errors():
            item.update(actions=[ApiKeyItem.revoked.set(True), ApiKeyItem.revoked_at.set(revoked_at)])

    def touch_last_used(self, tenant_id: str, key_id: str, *, now: int, min_interval: int = 60) -> bool:
        """Record use at most once per `min_interval` seconds per key, across concurrent authorizers."""
        probe = ApiKeyItem(tenant_pk(tenant_id), apikey_sk(key_id))
        try:
            probe.update(
                actions=[ApiKeyItem.last_used_at.set(now)],
                condition=ApiKeyItem.pk.exists()
                & (ApiKeyItem.last_used_at.does_not_exist() | (ApiKeyItem.last_used_at < now - min_interval)),
            )
        except UpdateError as exc:
            if is_conditional_failure(exc):
                return False
            raise unavailable() from exc
        return True


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
        try:
            item.update(
                actions=[RefreshTokenItem.status.set("rotated")],
                condition=RefreshTokenItem.status == "active",
            )
        except UpdateError as exc:
            if is_conditional_failure(exc):
                return False
            raise unavailable() from exc
        return True

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

